"""The batch and the challenge issuer read the day's context from the attendance app: approved
dinas luar judged at its destination, leave, days off, holidays and go-live."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from hadir.attendance.models import LeaveRequest, RuleSet
from hadir.checkin.ingest import ingest
from hadir.checkin.models import PresenceChallenge
from hadir.domain.challenges import ChallengePolicy
from hadir.fraud.challenges import issue_due_challenges
from hadir.fraud.context import day_contexts
from hadir.fraud.models import DayFlag
from tests.fraud.test_analysis import MONDAY, OFFICE, phone_for, week_of_check_ins

pytestmark = pytest.mark.django_db

PALANGKA = (-2.2100, 113.9200)  # the provincial capital: the DL destination, ~150 km away
ELSEWHERE = (-2.60, 112.90)
FIRST, LAST = "2026-11-02", "2026-11-06"
ALWAYS = ChallengePolicy(base_rate=1.0)


def week_away(regency, where):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, where)
    return device, clock


def leave(regency, kind="DL", status="approved", destination=PALANGKA, **kw):
    lat, lon = destination if destination else (None, None)
    return LeaveRequest.objects.create(
        employee=regency.employee,
        kind=kind,
        first_day=date(2026, 11, 2),
        last_day=date(2026, 11, 6),
        status=status,
        destination="Kantor Gubernur, Palangka Raya" if destination else "",
        destination_lat=lat,
        destination_lon=lon,
        destination_radius_m=800 if destination else None,
        **kw,
    )


def flagged_days(regency):
    """Days with counted evidence, at any level: the level depends on the tier, and this
    employee's home workplace (of two) is whichever the database lists first."""
    return DayFlag.objects.filter(employee=regency.employee).exclude(evidence=[])


def test_a_week_at_the_destination_without_approval_is_flagged(regency):
    week_away(regency, PALANGKA)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert flagged_days(regency).count() == 5


def test_approved_duty_with_events_at_its_destination_raises_no_flag(regency):
    leave(regency)
    week_away(regency, PALANGKA)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert not flagged_days(regency).exists()


def test_approved_duty_elsewhere_than_its_destination_is_still_flagged(regency):
    leave(regency)
    week_away(regency, ELSEWHERE)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert flagged_days(regency).count() == 5


@pytest.mark.parametrize("kind", ["CT", "S", "TB"])
def test_approved_leave_raises_no_flag_for_being_away(regency, kind):
    leave(regency, kind=kind, destination=None)
    week_away(regency, ELSEWHERE)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert not flagged_days(regency).exists()


def test_a_pending_request_holds_the_flags_back_and_a_rejection_releases_them(regency):
    request = leave(regency, status="pending")
    week_away(regency, ELSEWHERE)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert not flagged_days(regency).exists()
    LeaveRequest.objects.filter(pk=request.pk).update(status="rejected")
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert flagged_days(regency).count() == 5


def test_days_before_go_live_are_not_judged(regency):
    RuleSet.objects.create(key="regency", value={"go_live": "2026-11-05", "place": "Sampit"})
    week_away(regency, ELSEWHERE)
    call_command("analyze", "--from", FIRST, "--to", LAST)
    assert sorted(f.day.isoformat() for f in flagged_days(regency)) == ["2026-11-05", "2026-11-06"]


def test_the_context_of_a_day_names_its_planned_hours_and_its_absences(regency):
    leave(regency, status="pending")
    saturday = date(2026, 11, 7)
    contexts = day_contexts(
        [(regency.employee.pk, date(2026, 11, 2)), (regency.employee.pk, saturday)],
        only_unusual=False,
    )
    monday = contexts[(regency.employee.pk, date(2026, 11, 2))]
    assert monday.working
    assert (monday.start.hour, monday.end.hour) == (7, 16)
    assert [a.status for a in monday.absences] == ["pending"]
    assert not contexts[(regency.employee.pk, saturday)].working


def check_in(regency, at, where=OFFICE):
    device, _clock = phone_for(regency, at - timedelta(hours=1))
    event = device.make_event("check_in", *where, 12.0)
    assert ingest(event.body, event.headers, "100.64.1.2", at).status == 201


def test_a_checked_in_employee_due_at_work_is_challenged(regency):
    check_in(regency, MONDAY)
    assert issue_due_challenges(MONDAY + timedelta(hours=8), ALWAYS) == 1


@pytest.mark.parametrize(
    "absence",
    [
        {"kind": "DL"},
        {"kind": "DL", "destination": None},
        {"kind": "CT", "destination": None},
        {"kind": "I", "destination": None, "status": "pending"},
    ],
)
def test_no_challenge_on_approved_or_pending_absence(regency, absence):
    leave(regency, **absence)
    check_in(regency, MONDAY, where=PALANGKA)
    assert issue_due_challenges(MONDAY + timedelta(hours=8), ALWAYS) == 0
    assert not PresenceChallenge.objects.exists()


def test_no_challenge_on_a_saturday(regency):
    saturday = MONDAY + timedelta(days=5)
    check_in(regency, saturday)
    assert issue_due_challenges(saturday + timedelta(hours=8), ALWAYS) == 0


def test_no_challenge_after_working_hours_and_never_one_already_expired(regency):
    check_in(regency, MONDAY)  # 07:20 WIB
    assert issue_due_challenges(MONDAY + timedelta(hours=11, minutes=40), ALWAYS) == 0  # 19:00
    # A late run within the day asks now, with the whole window ahead.
    now = MONDAY + timedelta(hours=8, minutes=25)  # 15:45 WIB
    assert issue_due_challenges(now, ALWAYS) == 1
    assert PresenceChallenge.objects.get().deadline >= now


def test_no_challenge_before_go_live(regency):
    RuleSet.objects.create(key="regency", value={"go_live": "2026-12-01", "place": "Sampit"})
    check_in(regency, MONDAY)
    assert issue_due_challenges(MONDAY + timedelta(hours=8), ALWAYS) == 0


def test_a_flagged_day_keeps_what_its_context_excused_beside_the_evidence(regency):
    request = leave(regency)
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, PALANGKA, mock=True)  # a fake-GPS flag stands on duty
    call_command("analyze", "--from", FIRST, "--to", LAST)
    flag = flagged_days(regency).get(day=date(2026, 11, 3))
    assert "mock_location" in flag.codes
    assert "outside_geofence" not in flag.codes
    excused = {e["code"]: e for e in flag.excused}
    assert excused["outside_geofence"]["excused"] == "at_duty_destination"
    assert excused["outside_geofence"]["reference"] == f"#{request.pk}"
