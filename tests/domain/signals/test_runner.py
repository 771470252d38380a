import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hadir.domain.signals import runner
from hadir.domain.signals.base import WorkplaceFacts
from hadir.domain.signals.policy import DEFAULT_POLICY
from tests.domain.signals.conftest import (
    REMOTE,
    TOWN,
    WORKPLACES,
    at,
    challenge,
    device,
    jittered,
    make_input,
    moved,
    obs,
    workday,
)

DAYS = 20


def levels(result, employee_id):
    days = {d.level for d in result.days if d.employee_id == employee_id}
    months = {m.level for m in result.months if m.employee_id == employee_id}
    return days, months


def honest_remote_month(rng, employee_id):
    """Offline all day, synced 40 hours later; rough fixes; no office code; a wild fix on three
    days; some challenges missed and one answered late."""
    place = WORKPLACES[REMOTE]
    events, challenges = [], []
    for d in range(DAYS):
        day = workday(d)
        for kind, hour in (("check_in", 7), ("check_out", 16)):
            when = at(f"{hour:02d}:{rng.randint(0, 40):02d}:{rng.randint(0, 59):02d}", day)
            metres = rng.uniform(0, 90)
            accuracy = rng.uniform(30, 100)
            if d in (3, 9, 15) and kind == "check_in":
                metres, accuracy = 5_000.0, 60.0  # a wild fix
            lat, lon = jittered(rng, place.lat, place.lon, metres)
            events.append(
                obs(
                    employee_id=employee_id,
                    workplace_id=REMOTE,
                    kind=kind,
                    time=when,
                    received_at=when + timedelta(hours=40),
                    queued_offline=True,
                    device_time=when + timedelta(seconds=rng.randint(-90, 90)),
                    lat=lat,
                    lon=lon,
                    accuracy_m=accuracy,
                    geofence_distance_m=metres - 100,
                    office_code_valid=None,
                    reason_codes={"offline_late"}
                    | ({"outside_geofence"} if metres > 100 + 2 * accuracy else set()),
                    verdict="accepted_with_warnings",
                    remote_addr="114.125.9.9",
                )
            )
        if d % 3 == 0:
            challenges.append(challenge(f"ch-{employee_id}-{d}", employee_id, "10:00", day))
    return events, challenges


def honest_town_month(rng, employee_id):
    place = WORKPLACES[TOWN]
    events = []
    for d in range(DAYS):
        day = workday(d)
        for kind, hour in (("check_in", 7), ("check_out", 16)):
            when = at(f"{hour:02d}:{rng.randint(5, 35):02d}:{rng.randint(0, 59):02d}", day)
            lat, lon = jittered(rng, place.lat, place.lon, rng.uniform(5, 15))
            events.append(
                obs(
                    employee_id=employee_id,
                    kind=kind,
                    time=when,
                    lat=lat,
                    lon=lon,
                    accuracy_m=rng.uniform(10, 30),
                    bssid_match=True,
                    remote_addr=f"182.1.{employee_id}.{d}",
                )
            )
    # An ordinary bad day: a fix just outside the fence, within its accuracy.
    events[4] = replace(
        events[4],
        geofence_distance_m=25.0,
        accuracy_m=40.0,
        reason_codes=frozenset({"geofence_uncertain"}),
    )
    return events


def clever_faker_month(rng, employee_id):
    """Town employee at home with a fake-GPS app that hides the mock flag: noise around the
    office point, plausible accuracy; the radio and the challenges tell."""
    place = WORKPLACES[TOWN]
    home = moved(place.lat, place.lon, north_m=4_000, east_m=1_500)
    events, challenges = [], []
    for d in range(DAYS):
        day = workday(d)
        when = at(f"07:{rng.randint(10, 29):02d}:{rng.randint(0, 59):02d}", day)
        lat, lon = jittered(rng, place.lat, place.lon, rng.uniform(3, 12))
        events.append(
            obs(
                employee_id=employee_id,
                time=when,
                lat=lat,
                lon=lon,
                accuracy_m=rng.uniform(8, 20),
                bssid_match=False,
                office_code_valid=None,
                remote_addr="36.80.1.1",
            )
        )
        if d % 2 == 0:
            lat, lon = jittered(rng, *home, rng.uniform(3, 15))
            answer = obs(
                employee_id=employee_id,
                kind="presence_check",
                time=at("10:04", day),
                lat=lat,
                lon=lon,
                accuracy_m=rng.uniform(8, 20),
                geofence_distance_m=4_100.0,
                bssid_match=None,
                office_code_valid=None,
                remote_addr="36.80.1.1",
            )
            events.append(answer)
            challenges.append(
                challenge(
                    f"cf-{d}", employee_id, "10:00", day, answered=answer.event_id, inside=False
                )
            )
    return events, challenges


def test_honest_people_are_not_flagged_and_a_clever_faker_is(rng):
    events, challenges = [], []
    for e in range(1, 6):
        remote_events, remote_challenges = honest_remote_month(rng, e)
        events += remote_events
        challenges += remote_challenges
    for e in range(10, 30):
        events += honest_town_month(rng, e)
    faker_events, faker_challenges = clever_faker_month(rng, 99)
    result = runner.run(make_input(events + faker_events, challenges=challenges + faker_challenges))
    assert result.signal_errors == {}
    flagged = {d.employee_id for d in result.flagged_days()}
    flagged |= {m.employee_id for m in result.flagged_months()}
    assert flagged == {99}
    [month] = [m for m in result.months if m.employee_id == 99]
    assert month.level == "strong"
    assert {"challenge_offsite", "wifi_mismatch", "office_code_missing"} <= {
        r.code for r in month.evidence
    }


def test_a_town_employee_with_a_mock_location_app_is_strong():
    events = [
        obs(
            day=workday(d),
            mock=True,
            reason_codes={"mock_location"},
            verdict="accepted_with_warnings",
        )
        for d in range(3)
    ]
    result = runner.run(make_input(events))
    assert {d.level for d in result.days} == {"strong"}
    [month] = result.months
    assert month.level == "strong"
    assert month.strong_days == 3
    assert month.evidence[0].evidence.event_ids[0] == events[0].event_id


def test_colleagues_arriving_together_on_the_office_wifi_are_not_one_person(rng):
    events = [
        obs(
            employee_id=e,
            time=f"07:25:{10 + e:02d}",
            device_id=e,
            remote_addr="103.20.1.1",
            workplace_network=True,
            bssid_match=True,
            lat=jittered(rng, -2.21, 113.92, 8)[0],
            lon=jittered(rng, -2.21, 113.92, 8)[1],
        )
        for e in range(1, 5)
    ]
    result = runner.run(make_input(events, devices=[device(e, e) for e in range(1, 5)]))
    assert result.hits == ()


def bad_records():
    return [
        obs(accuracy_m=0.0),
        obs(accuracy_m=-5.0, employee_id=2),
        obs(lat=0.0, lon=0.0, employee_id=3),
        obs(
            time_of_record=datetime(1970, 1, 1, tzinfo=UTC),
            received_at=datetime(1970, 1, 1, 0, 1, tzinfo=UTC),
            employee_id=4,
        ),
        obs(time_of_record=datetime(2100, 1, 1, tzinfo=UTC), employee_id=5),
        obs(device_time=datetime(1970, 1, 1, tzinfo=UTC), employee_id=6),
        obs(lat=math.nan, employee_id=7),
        obs(accuracy_m=math.nan, employee_id=8),
        obs(geofence_distance_m=math.nan, employee_id=9),
        obs(received_at=datetime(2025, 3, 3, 7, 25), employee_id=10),  # naive
        obs(employee_id="x"),
    ]


def test_bad_records_are_set_aside_counted_and_never_crash_the_run():
    good = [obs(employee_id=20), obs(employee_id=20, kind="check_out", time="16:00")]
    duplicate = replace(good[0], time_of_record=at("09:00"), received_at=at("09:00"))
    bad_place = WorkplaceFacts(7, "good", -6.2, 106.8, "Mars/Olympus")
    odd_challenge = replace(challenge("ch-bad", 20), issued_at=datetime(2025, 3, 3, 10, 0))
    inp = make_input(
        [*good, *bad_records(), duplicate],
        challenges=[odd_challenge],
        workplaces={**WORKPLACES, 7: bad_place},
    )
    result = runner.run(inp)
    assert result.signal_errors == {}
    assert result.analysed == 2
    assert len(result.set_aside) == 11 + 1 + 2
    counts = result.set_aside_counts
    assert counts["accuracy_not_positive"] == 2
    assert counts["null_island"] == 1
    assert counts["time_of_record_out_of_range"] == 2
    assert counts["device_time_out_of_range"] == 1
    assert counts["coordinates_nan"] == 1
    assert counts["accuracy_nan"] == 1
    assert counts["distance_nan"] == 1
    assert counts["received_at_without_timezone"] == 1
    assert counts["no_employee"] == 1
    assert counts["duplicate_event_id"] == 1
    assert counts["workplace_unknown_time_zone"] == 1
    assert counts["challenge_issued_at_without_timezone"] == 1
    # The odd records are weak evidence of their own, on their employee's day.
    bad_hits = {h.employee_id: h for h in result.hits if h.code == "bad_record"}
    assert bad_hits[1].severity == 0.3
    assert bad_hits[3].severity == 0.3
    assert 4 not in bad_hits  # a 1970 receipt time leaves no day to put it on
    assert all(d.level == "below_review" for d in result.days)


class Exploding:
    CODE = "exploding"
    DESCRIPTION = "always fails"

    @staticmethod
    def detect(inp, policy):
        raise ZeroDivisionError("boom")


def test_a_failing_signal_is_reported_and_the_others_still_run():
    from hadir.domain.signals import mock_location

    events = [obs(mock=True)]
    result = runner.run(make_input(events), signals=[Exploding, mock_location])
    assert result.signal_errors == {"exploding": "ZeroDivisionError: boom"}
    assert [h.code for h in result.hits] == ["mock_location"]


def test_every_signal_module_has_the_same_shape_and_a_tier_row():
    codes = [m.CODE for m in runner.REGISTRY]
    assert len(codes) == len(set(codes))
    for module in runner.REGISTRY:
        assert module.DESCRIPTION
        assert callable(module.detect)
        assert module.CODE in DEFAULT_POLICY.tier_weights, module.CODE
    assert set(runner.CATALOGUE) == set(DEFAULT_POLICY.tier_weights)


def test_an_empty_batch_gives_an_empty_result():
    result = runner.run(make_input([]))
    assert result.hits == ()
    assert result.days == ()
    assert result.analysed == 0


def test_it_is_deterministic():
    rng_a, rng_b = random.Random(1), random.Random(1)
    a = runner.run(make_input(clever_faker_month(rng_a, 5)[0]))
    b = runner.run(make_input(clever_faker_month(rng_b, 5)[0]))
    assert [(d.employee_id, d.day, d.score) for d in a.days] == [
        (d.employee_id, d.day, d.score) for d in b.days
    ]


def test_signals_in_forked_workers_give_the_same_result_as_one_process(rng):
    events, challenges = [], []
    for e in range(1, 4):
        remote_events, remote_challenges = honest_remote_month(rng, e)
        events += remote_events
        challenges += remote_challenges
    faker_events, faker_challenges = clever_faker_month(rng, 99)
    inp = make_input(events + faker_events, challenges=challenges + faker_challenges)
    alone = runner.run(inp)
    # The costliest first: here the registry's last signals, which reverses the order.
    costs = {m.CODE: float(i) for i, m in enumerate(runner.REGISTRY)}
    forked = runner.run(
        make_input(list(inp.observations), challenges=list(inp.challenges)),
        workers=2,
        costs=costs,
    )
    assert list(forked.seconds) == list(alone.seconds)
    assert forked.hits == alone.hits
    assert forked.days == alone.days
    assert forked.months == alone.months
    assert set(forked.seconds) == set(alone.seconds)
    assert any(m.employee_id == 99 and m.level == "strong" for m in forked.months)


def test_a_signal_failing_in_a_worker_is_reported_like_at_home():
    from hadir.domain.signals import mock_location

    result = runner.run(make_input([obs(mock=True)]), signals=[Exploding, mock_location], workers=2)
    assert result.signal_errors == {"exploding": "ZeroDivisionError: boom"}
    assert [h.code for h in result.hits] == ["mock_location"]
