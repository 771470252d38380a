from dataclasses import replace
from datetime import date

import pytest

from hadir.domain.signals.base import Evidence, SignalHit
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy
from hadir.domain.signals.scoring import combine, flags, month_flags
from tests.domain.signals.conftest import REMOTE, TOWN, make_input, obs, workday


def hit(code, severity, employee_id=1, day=date(2025, 3, 3), event_id="ev-x"):
    return SignalHit(code, employee_id, day, severity, Evidence(f"{code} happened", (event_id,)))


# The highest severity each signal can give under the default policy: the worst single case.
MAX_SEVERITY = {
    "mock_location": 0.85,
    "zero_jitter": 0.85,
    "steady_fix": 0.4,
    "shared_coordinates": 0.9,
    "shared_device": 0.85,
    "new_device": 0.4,
    "same_network_burst": 0.45,
    "impossible_speed": 0.7,
    "location_flipping": 0.55,
    "clock_tampering": 0.6,
    "offline_on_good_network": 0.7,
    "sequence_replay": 0.7,
    "sequence_gap": 0.15,
    "challenge_missed": 0.5,
    "challenge_offsite": 0.7,
    "checkout_far_away": 0.5,
    "outside_geofence": 0.6,
    "geofence_uncertain": 0.15,
    "weak_accuracy": 0.15,
    "office_code_invalid": 0.35,
    "office_code_missing": 0.15,
    "wifi_mismatch": 0.3,
    "same_second": 0.75,
    "retry_until_accepted": 0.6,
    "bad_record": 0.3,
    "no_office_evidence": 0.45,
    "paired_events": 0.55,
    "pending_device_attempts": 0.7,
}
# Facts a bad network or an indoor phone produces on its own.
NETWORK_FACTS = [
    "offline_on_good_network",
    "geofence_uncertain",
    "weak_accuracy",
    "office_code_missing",
    "sequence_gap",
    "no_office_evidence",
]
# Everything that is not a fake by itself: one of these on one day never reaches review in a
# remote office.
WEAK_ALONE = [
    *NETWORK_FACTS,
    "challenge_missed",
    "new_device",
    "same_network_burst",
    "impossible_speed",
    "location_flipping",
    "clock_tampering",
    "checkout_far_away",
    "outside_geofence",
    "office_code_invalid",
    "wifi_mismatch",
    "retry_until_accepted",
    "steady_fix",
    "bad_record",
    "challenge_offsite",
    "sequence_replay",
    "no_office_evidence",
    "paired_events",
]


def tiers(tier):
    return {1: tier}


@pytest.mark.parametrize("code", NETWORK_FACTS)
def test_network_facts_weigh_nothing_in_poor_and_none_tiers(code):
    for tier in ("poor", "none"):
        [day] = flags([hit(code, MAX_SEVERITY[code])], tiers=tiers(tier))
        assert day.score == 0
        assert day.level == "below_review"
        assert day.discounted
        assert not day.evidence


@pytest.mark.parametrize("code", WEAK_ALONE)
def test_one_weak_anomaly_on_one_day_never_reaches_review_in_a_remote_office(code):
    [day] = flags([hit(code, MAX_SEVERITY[code])], tiers=tiers("poor"))
    assert day.level == "below_review", (code, day.score)


def test_a_few_identical_fixes_in_a_remote_office_stay_below_review_and_many_do_not():
    [few] = flags([hit("zero_jitter", DEFAULT_POLICY.zero_jitter_severity)], tiers=tiers("poor"))
    assert few.level == "below_review"
    [many] = flags([hit("zero_jitter", 0.85)], tiers=tiers("poor"))
    assert many.level == "review"


def test_the_same_facts_weigh_more_in_town():
    facts = [
        hit("offline_on_good_network", 0.5),
        hit("office_code_missing", 0.15),
        hit("wifi_mismatch", 0.3),
    ]
    [town] = flags(facts, tiers=tiers("good"))
    [remote] = flags(facts, tiers=tiers("poor"))
    assert town.level == "review"
    assert town.score == pytest.approx(1 - 0.5 * 0.85 * 0.7)
    assert remote.level == "below_review"
    assert remote.score == pytest.approx(0.09)
    assert town.codes == ("offline_on_good_network", "wifi_mismatch", "office_code_missing")


def test_the_tier_comes_from_the_events_and_the_home_workplace():
    town_event = obs(workplace_id=TOWN)
    remote_event = obs(employee_id=2, workplace_id=REMOTE)
    inp = make_input([town_event, remote_event])
    hits = [
        hit("weak_accuracy", 0.15, 1, event_id=town_event.event_id),
        hit("weak_accuracy", 0.15, 2, event_id=remote_event.event_id),
    ]
    by_employee = {f.employee_id: f for f in flags(hits, inp=inp)}
    assert by_employee[1].tier == "good"
    assert by_employee[1].score == 0.15
    assert by_employee[2].tier == "poor"
    assert by_employee[2].score == 0


def test_a_mock_location_in_town_is_strong_on_its_own():
    [day] = flags([hit("mock_location", 0.85)], tiers=tiers("good"))
    assert day.level == "strong"


def test_thresholds_come_from_the_policy():
    strict = SignalPolicy(review_threshold=0.3, strong_threshold=0.6)
    [day] = flags([hit("outside_geofence", 0.4)], strict, tiers=tiers("good"))
    assert day.level == "review"
    [day] = flags([hit("outside_geofence", 0.4)], tiers=tiers("good"))
    assert day.level == "below_review"


def test_repeats_of_one_code_on_one_day_count_once_and_evidence_is_ranked():
    hits = [
        hit("wifi_mismatch", 0.3, event_id="a"),
        hit("wifi_mismatch", 0.3, event_id="b"),
        hit("mock_location", 0.85, event_id="c"),
    ]
    [day] = flags(hits, tiers=tiers("good"))
    assert day.score == pytest.approx(combine([0.85, 0.3]))
    assert [r.code for r in day.evidence] == ["mock_location", "wifi_mismatch", "wifi_mismatch"]
    assert day.evidence[0].contribution == 0.85


def test_a_habit_of_ambient_signs_alone_never_reaches_review():
    # What an honest phone in an office does now and then; whether a habit of it is unusual is
    # no_office_evidence's question, asked against the workplace's peers.
    hits = [hit("office_code_missing", 0.15, day=workday(d)) for d in range(20)]
    hits += [hit("wifi_mismatch", 0.3, day=workday(d)) for d in range(20)]
    hits += [hit("weak_accuracy", 0.15, day=workday(d)) for d in range(20)]
    [town] = month_flags(flags(hits, tiers=tiers("good")))
    assert town.level == "below_review"
    assert town.patterns == {}


def test_a_habit_of_a_real_sign_reaches_review_in_town_only():
    hits = [hit("no_office_evidence", 0.4, day=workday(d)) for d in range(10)]
    [town] = month_flags(flags(hits, tiers=tiers("good")))
    assert town.level == "review"
    assert town.review_days == 0
    assert town.patterns == {"no_office_evidence": 10}
    [remote] = month_flags(flags(hits, tiers=tiers("poor")))
    assert remote.level == "below_review"


def test_signs_of_one_story_form_one_monthly_pattern():
    hits = [
        hit("challenge_missed", 0.35, day=workday(0)),
        hit("checkout_far_away", 0.35, day=workday(4)),
        hit("challenge_offsite", 0.45, day=workday(8)),
        hit("checkout_far_away", 0.35, day=workday(8)),
        hit("checkout_far_away", 0.35, day=workday(12)),
    ]
    [month] = month_flags(flags(hits, tiers=tiers("good")))
    assert month.patterns == {"away_after_check_in": 4}
    assert month.pattern_score == pytest.approx(combine([0.175, 0.175, 0.225, 0.175]), abs=1e-4)
    assert month.level == "review"
    # Two days of it are not yet a habit.
    [short] = month_flags(flags(hits[:2], tiers=tiers("good")))
    assert short.patterns == {}
    assert short.level == "below_review"


def test_codes_of_one_cause_count_once_a_day():
    hits = [
        hit("outside_geofence", 0.4),
        hit("geofence_uncertain", 0.15),
        hit("weak_accuracy", 0.15),
    ]
    [day] = flags(hits, tiers=tiers("good"))
    assert day.score == 0.4
    assert len(day.evidence) == 3  # all shown


def test_corroborating_signs_cannot_lift_a_weak_day_to_review():
    hits = [
        hit("challenge_missed", 0.35),
        hit("wifi_mismatch", 0.3),
        hit("office_code_missing", 0.15),
    ]
    [day] = flags(hits, tiers=tiers("good"))
    assert day.level == "below_review"
    assert day.score == pytest.approx(DEFAULT_POLICY.review_threshold - 0.0001)
    # ...but they do bring a real sign to review.
    hits = [hit("no_office_evidence", 0.4), hit("wifi_mismatch", 0.3)]
    [day] = flags(hits, tiers=tiers("good"))
    assert day.level == "review"
    assert day.score == pytest.approx(combine([0.4, 0.3]))


def test_four_weak_signs_of_different_causes_on_one_day_compound():
    hits = [
        hit("challenge_missed", 0.35),
        hit("wifi_mismatch", 0.3),
        hit("office_code_missing", 0.15),
        hit("geofence_uncertain", 0.15),
    ]
    [day] = flags(hits, tiers=tiers("good"))
    assert day.level == "review"
    assert day.score == pytest.approx(combine([0.35, 0.3, 0.15, 0.15]), abs=1e-4)


def test_three_review_days_make_a_strong_month():
    hits = [hit("outside_geofence", 0.6, day=workday(d)) for d in range(3)]
    [month] = month_flags(flags(hits, tiers=tiers("good")))
    assert month.review_days == 3
    assert month.strong_days == 0
    assert month.level == "strong"
    assert month.month == "2025-03"
    assert month.evidence[0].code == "outside_geofence"


def test_one_review_day_makes_a_review_month():
    hits = [
        hit("outside_geofence", 0.6, day=workday(0)),
        hit("weak_accuracy", 0.15, day=workday(3)),
    ]
    [month] = month_flags(flags(hits, tiers=tiers("good")))
    assert month.level == "review"
    assert month.max_day_score == 0.6
    assert len(month.days) == 2


def test_unknown_tier_is_treated_leniently_by_default():
    [day] = flags([hit("offline_on_good_network", 0.6)])
    assert day.tier == DEFAULT_POLICY.unknown_tier == "poor"
    assert day.score == 0


def test_the_tier_table_is_data():
    table = dict(DEFAULT_POLICY.tier_weights)
    table["weak_accuracy"] = {"good": 0.0, "poor": 1.0, "none": 1.0}
    policy = replace(DEFAULT_POLICY, tier_weights=table)
    [day] = flags([hit("weak_accuracy", 0.15)], policy, tiers=tiers("good"))
    assert day.score == 0


@pytest.mark.parametrize("code", sorted(DEFAULT_POLICY.month_pattern_excluded))
def test_corroborating_signs_make_no_monthly_pattern(code):
    hits = [hit(code, 0.45, day=workday(d)) for d in range(20)]
    [month] = month_flags(flags(hits, tiers=tiers("good")))
    assert month.level == "below_review"
    assert month.patterns == {}


def test_other_employees_events_named_as_evidence_do_not_lend_their_tier():
    mine = obs(employee_id=1, workplace_id=TOWN)
    theirs = obs(employee_id=2, workplace_id=REMOTE)
    inp = make_input([mine, theirs])
    shared = SignalHit(
        "shared_coordinates",
        1,
        mine.time_of_record.date(),
        0.7,
        Evidence("same point", (mine.event_id, theirs.event_id)),
    )
    [day] = flags([shared], inp=inp)
    assert day.tier == "good"
    assert day.score == 0.7
