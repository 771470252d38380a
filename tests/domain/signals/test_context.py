"""Context before suspicion: a day the employee was not due at the office raises no away-sign,
and the same events without that context still do."""

import dataclasses

import pytest

from hadir.domain.signals import context, runner
from hadir.domain.signals.context import Absence, DayContext, Destination
from tests.domain.signals.conftest import DAY, TOWN, WORKPLACES, at, challenge, make_input, moved
from tests.domain.signals.conftest import obs as _obs

OFFICE = (WORKPLACES[TOWN].lat, WORKPLACES[TOWN].lon)
DESTINATION = moved(*OFFICE, north_m=12_000)  # the provincial office, 12 km north
ELSEWHERE = moved(*OFFICE, east_m=-6_000)  # somewhere that is neither


def obs(**kw):
    """An event of employee 1 at `where` (a point away from the office by default)."""
    lat, lon = kw.pop("where", DESTINATION)
    distance = kw.pop("distance", 12_000.0)
    kw.setdefault("office_code_valid", None)
    return _obs(lat=lat, lon=lon, geofence_distance_m=distance, **kw)


def away_day(where=DESTINATION, distance=12_000.0, **kw):
    return [
        obs(time="07:20", where=where, distance=distance, **kw),
        obs(kind="check_out", time="16:05", where=where, distance=distance, **kw),
    ]


def analysed(events, contexts=None, challenges=()):
    inp = make_input(events, challenges=challenges)
    if contexts is not None:
        inp = dataclasses.replace(inp, day_context=contexts)
    return runner.run(inp)


def level(result, employee_id=1, day=DAY):
    found = [d for d in result.days if d.employee_id == employee_id and d.day == day]
    return found[0].level if found else "none"


def duty(destination=DESTINATION, radius=500.0, status="approved", portion="full"):
    place = None if destination is None else Destination(*destination, radius)
    return DayContext(absences=(Absence("DL", status, portion, place, "leave#7"),))


def test_the_same_away_day_without_any_context_is_flagged():
    result = analysed(away_day())
    assert level(result) in ("review", "strong")
    assert not result.excused


def test_approved_duty_with_events_at_its_destination_raises_no_flag():
    result = analysed(away_day(), {(1, DAY): duty()})
    assert level(result) == "none"
    assert {e.reason for e in result.excused} == {context.AT_DUTY_DESTINATION}
    assert {e.reference for e in result.excused} == {"leave#7"}


def test_approved_duty_does_not_excuse_events_away_from_its_destination():
    result = analysed(away_day(where=ELSEWHERE, distance=6_000.0), {(1, DAY): duty()})
    assert level(result) in ("review", "strong")


def test_a_destination_point_counts_its_radius_and_a_bounded_accuracy():
    near = moved(*DESTINATION, north_m=520)
    kept = analysed(away_day(where=near, accuracy_m=30.0), {(1, DAY): duty(radius=500.0)})
    assert level(kept) == "none"
    # A network position of 3 km is not "at" anything: its accuracy is capped.
    rough = moved(*DESTINATION, north_m=900)
    flagged = analysed(away_day(where=rough, accuracy_m=3_000.0), {(1, DAY): duty(radius=500.0)})
    assert flagged.excused == () or {e.hit.code for e in flagged.excused} <= {"weak_accuracy"}


def test_approved_duty_without_a_destination_excuses_the_day():
    result = analysed(away_day(where=ELSEWHERE), {(1, DAY): duty(destination=None)})
    assert level(result) == "none"
    assert {e.reason for e in result.excused} == {context.APPROVED_DUTY}


@pytest.mark.parametrize("kind", ["CT", "I", "S", "CS", "TB", "CAP"])
def test_each_kind_of_approved_leave_excuses_the_away_signs(kind):
    ctx = DayContext(absences=(Absence(kind, "approved", reference="leave#3"),))
    assert level(analysed(away_day(), {(1, DAY): ctx})) == "none"
    assert level(analysed(away_day())) in ("review", "strong")


def test_a_pending_request_holds_the_away_signs_back_until_decided():
    result = analysed(away_day(where=ELSEWHERE), {(1, DAY): duty(status="pending")})
    assert level(result) == "none"
    assert result.excused
    assert all(e.held for e in result.excused)


def test_a_rejected_request_is_no_context_at_all():
    # The fraud layer passes only approved and pending requests: a rejected one is absent.
    result = analysed(away_day(where=ELSEWHERE), {(1, DAY): DayContext()})
    assert level(result) in ("review", "strong")


def test_a_morning_leave_does_not_excuse_an_afternoon_away_from_the_office():
    planned = {"start": at("07:30"), "end": at("16:00")}
    morning = DayContext(absences=(Absence("I", "approved", "morning"),), **planned)
    events = [
        obs(time="13:10", where=OFFICE, distance=-10.0, office_code_valid=True),
        obs(kind="check_out", time="15:55", where=ELSEWHERE, distance=6_000.0),
    ]
    scored = analysed(events, {(1, DAY): morning})
    assert "checkout_far_away" in {h.code for h in scored.hits}
    afternoon = DayContext(absences=(Absence("I", "approved", "afternoon"),), **planned)
    excused = analysed(events, {(1, DAY): afternoon})
    assert "checkout_far_away" in {e.hit.code for e in excused.excused}
    assert "checkout_far_away" not in {h.code for h in excused.hits}


@pytest.mark.parametrize(
    ("ctx", "reason"),
    [
        (DayContext(working=False), context.NOT_WORKING_DAY),
        (DayContext(counts=False, not_counted_reason="before_go_live"), context.NOT_COUNTED),
    ],
)
def test_a_day_off_or_a_day_that_does_not_count_raises_no_away_flag(ctx, reason):
    result = analysed(away_day(), {(1, DAY): ctx})
    assert level(result) == "none"
    assert {e.reason for e in result.excused} == {reason}


def test_a_fake_gps_flag_stands_even_on_approved_duty():
    result = analysed(away_day(mock=True), {(1, DAY): duty()})
    assert level(result) in ("review", "strong")
    assert "mock_location" in {c for d in result.days for c in d.codes}


def test_a_missed_challenge_on_approved_duty_is_excused():
    events = away_day()
    ch = challenge("ch_1", issued="10:00")
    flagged = analysed(events, challenges=[ch])
    assert "challenge_missed" in {h.code for h in flagged.hits}
    excused = analysed(events, {(1, DAY): duty()}, challenges=[ch])
    assert "challenge_missed" in {e.hit.code for e in excused.excused}
    assert "challenge_missed" not in {h.code for h in excused.hits}


def test_other_employees_are_judged_without_this_ones_context():
    events = away_day() + [
        _obs(
            employee_id=2,
            time=t,
            kind=k,
            lat=DESTINATION[0],
            lon=DESTINATION[1],
            geofence_distance_m=12_000.0,
        )
        for t, k in (("07:21", "check_in"), ("16:06", "check_out"))
    ]
    result = analysed(events, {(1, DAY): duty()})
    assert level(result, employee_id=1) == "none"
    assert level(result, employee_id=2) in ("review", "strong")


@pytest.mark.parametrize(
    ("ctx", "moment", "due"),
    [
        (DayContext(), "10:00", None),
        (DayContext(start=at("07:30"), end=at("16:00")), "17:30", context.NOT_WORKING_DAY),
        (DayContext(working=False), "10:00", context.NOT_WORKING_DAY),
        (DayContext(counts=False), "10:00", context.NOT_COUNTED),
        (duty(), "10:00", context.APPROVED_DUTY),
        (duty(status="pending"), "10:00", context.PENDING_ABSENCE),
        (DayContext(absences=(Absence("CT", "approved"),)), "10:00", context.APPROVED_ABSENCE),
    ],
)
def test_who_is_due_at_work_at_a_moment(ctx, moment, due):
    assert ctx.due_at(at(moment)) == due
