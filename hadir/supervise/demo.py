"""Spot checks and pending leave for the demo regency, so the supervisors' pages have real
content, and a table of which demo login sees what on /pantau/.

Past spot checks (reconciled) at the showcase OPDs' main offices on days of the simulated
month: the checker saw most of those checked in; those the detector flagged that day, and now
and then one it did not, were not seen, which gives the flags and the agreement figures.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.attendance import leave as leave_service
from hadir.attendance.models import LeaveKind, LeaveRequest
from hadir.attendance.services import AttendanceError
from hadir.checkin.models import EvidenceRecord
from hadir.fraud.models import DayFlag
from hadir.org.models import Employee, Role, RoleKind, Workplace
from hadir.supervise import spot_checks
from hadir.supervise.access import viewer_for
from hadir.supervise.models import SpotCheck, SpotCheckKind
from hadir.supervise.selectors import FLAG_LEVELS

SPOT_CHECK_TIME = time(9, 30)
PER_OPD = 2


def seed_spot_checks(first: date, last: date, seed: int = 2026) -> list[SpotCheck]:
    rng = random.Random(seed)
    made = []
    heads = Role.objects.filter(kind=RoleKind.OPD_HEAD).select_related("user").order_by("opd_id")
    for role in heads:
        workplace = _main_office(role.opd_id)
        if workplace is None:
            continue
        for day in _busy_days(workplace, first, last)[:PER_OPD]:
            made.append(_past_spot_check(role.user, workplace, day, rng))
    return made


# What the showcase atasan's staff ask for in the coming days (kind, days, reason, extra fields).
# The first is official duty elsewhere with a destination point: the leave page draws it.
PENDING_ASKS = (
    (LeaveKind.DL, 2, "rapat koordinasi di BKPSDM provinsi", {
        "assignment_letter": "094/{n}/ST/{year}", "destination": "Palangka Raya",
        "destination_lat": -2.2096, "destination_lon": 113.9135, "destination_radius_m": 500,
    }),
    (LeaveKind.I, 1, "mengurus akta kelahiran anak", {}),
    (LeaveKind.CAP, 2, "orang tua dirawat di rumah sakit", {}),
)  # fmt: skip
# And the atasan himself asks for a day: his Kepala OPD decides it.
OWN_ASK = (LeaveKind.I, 1, "menghadiri wisuda anak", {})


def seed_pending_leave(today: date, seed: int = 2026) -> list[LeaveRequest]:
    """Requests waiting for a decision, asked through the leave service (so they pass its
    checks) by the staff of each showcase atasan, on the next working days after `today`."""
    rng = random.Random(f"hadir-demo-pending-leave:{seed}")
    made = []
    supervisors = Role.objects.filter(kind=RoleKind.SUPERVISOR).order_by("opd_id", "user_id")
    for role in supervisors:
        atasan = Employee.objects.filter(user_id=role.user_id).first()
        if atasan is None:
            continue
        staff = Employee.objects.filter(supervisor=atasan, user__isnull=False).order_by("pk")
        asks = [*zip(staff[: len(PENDING_ASKS)], PENDING_ASKS, strict=False), (atasan, OWN_ASK)]
        for index, (employee, ask) in enumerate(asks):
            leave = _ask_pending(employee, ask, today + timedelta(days=index), rng)
            if leave is not None:
                made.append(leave)
    return made


def _ask_pending(employee: Employee, ask, today: date, rng: random.Random):
    """The first run of days, a week after `today` or later, that the service accepts (a day
    may be a holiday, or overlap the employee's own leave), or None."""
    kind, days, reason, extra = ask
    extra = {
        key: value.format(n=rng.randint(100, 999), year=today.year)
        if isinstance(value, str)
        else value
        for key, value in extra.items()
    }
    start = today + timedelta(days=7)
    for offset in range(14):
        first = start + timedelta(days=offset)
        if first.weekday() + days > 5:  # not across a weekend
            continue
        try:
            return leave_service.request_leave(
                employee, kind=kind, first_day=first, last_day=first + timedelta(days=days - 1),
                reason=reason, requested_by=employee.user, **extra,
            )  # fmt: skip
        except AttendanceError:
            continue
    return None


def _main_office(opd_id: int) -> Workplace | None:
    return (
        Workplace.objects.filter(opd_id=opd_id)
        .annotate(people=Count("employees"))
        .order_by("-people", "code")
        .first()
    )


def _busy_days(workplace, first: date, last: date) -> list[date]:
    """Working days of the range with check-ins at the workplace, most first."""
    zone = timezone.get_current_timezone()
    rows = EvidenceRecord.objects.filter(
        workplace=workplace,
        kind="check_in",
        time_of_record__gte=datetime.combine(first, time.min, zone),
        time_of_record__lt=datetime.combine(last + timedelta(days=1), time.min, zone),
    ).values_list("time_of_record", flat=True)
    counts: dict[date, int] = {}
    for at in rows:
        day = timezone.localtime(at).date()
        counts[day] = counts.get(day, 0) + 1
    return sorted(counts, key=lambda d: (-counts[d], d))


def _past_spot_check(user, workplace, day: date, rng: random.Random) -> SpotCheck:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, SPOT_CHECK_TIME, zone)
    kind = rng.choice([SpotCheckKind.SIDAK, SpotCheckKind.APEL])
    spot = spot_checks.start(viewer_for(user), workplace, kind, now=start)
    suspected = set(
        DayFlag.objects.filter(day=day, level__in=FLAG_LEVELS).values_list("employee_id", flat=True)
    )
    for entry in spot.entries.all():
        if entry.checked_in:
            seen = entry.employee_id not in suspected and rng.random() > 0.05
        else:
            seen = rng.random() < 0.03  # came without checking in
        spot_checks.mark(entry, seen, now=start + timedelta(minutes=10))
    spot_checks.close(spot, note="Demo", now=start + timedelta(minutes=25))
    return spot


def describe_logins(usernames) -> str:
    """One line per login: what it sees on /pantau/."""
    User = get_user_model()
    lines = ["", _("Supervisors' web (/pantau/): who sees what")]
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        viewer = viewer_for(user)
        if not viewer.may_enter:
            continue
        opds = ", ".join(viewer.opds().order_by("code").values_list("code", flat=True)[:6])
        if viewer.level == "regency":
            opds = _("all OPDs")
        extra = " " + _("(read-only)") if viewer.read_only else ""
        sees = _("%(count)5d employees, %(opds)s") % {
            "count": viewer.employees().count(),
            "opds": opds,
        }
        lines.append(f"  {username:<22} {viewer.level:<8} {sees}{extra}")
    return "\n".join(lines)
