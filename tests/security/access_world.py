"""The world the access-control matrix runs in: the demo regency (every role, two showcase OPDs
with a head, an admin and an atasan each) with a few days of check-ins pushed through the real
pipeline, analysed, so that nearly every admin model has a row in each OPD."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from hadir.org.models import Employee, Opd, RoleKind

OWN_OPD, OTHER_OPD = "DISDIK", "KEC-ANTANG"
ROLES = ("anonymous", "employee", "atasan", "kepala_opd", "admin_opd", "admin_bkpsdm",
         "inspektorat", "superadmin")  # fmt: skip


@dataclass
class World:
    users: dict[str, object]  # role -> user (None for anonymous)
    own_opd: Opd
    other_opd: Opd
    own_employee: Employee  # the atasan's subordinate in the own OPD
    other_employee: Employee
    objects: dict[tuple[str, str], object] = field(default_factory=dict)  # (model, scope) -> row


def build_world() -> World:
    from hadir.fraud.analysis import analyse
    from hadir.sim.demo import build_demo
    from hadir.sim.history import build_history
    from hadir.sim.regency import MIN_EMPLOYEES_PER_OPD, OPD_SPECS

    build_demo(seed=7, employees=MIN_EMPLOYEES_PER_OPD * len(OPD_SPECS), password="x")
    sim, _counts = build_history(7, today=timezone.localdate(), days=3)
    first = date(sim.year, sim.month, 1)
    analyse(first, first + timedelta(days=3), workers=1)
    world = world_from_db()
    fill_gaps(world, first)
    return world


def fill_gaps(world: World, day: date) -> None:
    """Rows the simulated days do not make, one in each OPD (or one for the regency)."""
    from hadir.attendance import models as att
    from hadir.checkin.models import PresenceChallenge
    from hadir.fraud.models import ChallengeGroup, DayFlag, FlagReview
    from hadir.jobs.models import Job, JobRun
    from hadir.notify.models import Notification
    from hadir.org import activation

    now = timezone.now()
    schedule = att.WorkSchedule.objects.create(name="Matrix")
    att.RuleSet.objects.get_or_create(key="matrix", defaults={"value": {}})
    action = att.CalendarOverride._meta.get_field("action").choices[0][0]
    att.CalendarOverride.objects.create(date=day, action=action, name="Libur matriks")
    att.RecomputeRequest.objects.create(first_day=day, last_day=day, reason="matrix")
    job = Job.objects.order_by("pk").first()
    status = JobRun._meta.get_field("status").choices[0][0]
    JobRun.objects.create(
        job=job, claim_token="m", worker="m", scheduled_for=now, started_at=now, status=status
    )
    Notification.objects.create(recipient=world.own_employee.user, title="t", message="m")
    ChallengeGroup.objects.create(
        group_id="grp_matrix", day=day, issued_at=now, deadline=now + timedelta(minutes=5),
        members=[world.own_employee.pk, world.other_employee.pk],
    )  # fmt: skip
    for employee, opd, other in (
        (world.own_employee, world.own_opd, world.other_opd),
        (world.other_employee, world.other_opd, world.own_opd),
    ):
        att.LeaveRequest.objects.create(employee=employee, kind="CT", first_day=day, last_day=day)
        # Which employees the simulated days challenge hangs on the checkout's secret key: the
        # own employee (the atasan's subordinate) must hold one whatever the key.
        if not PresenceChallenge.objects.filter(employee=employee).exists():
            PresenceChallenge.objects.create(
                challenge_id=f"chl_matrix_{employee.pk}", employee=employee, issued_at=now,
                deadline=now + timedelta(minutes=5),
            )  # fmt: skip
        DayFlag.objects.update_or_create(
            employee=employee, day=day + timedelta(days=1),
            defaults={"score": 3.0, "level": "review", "tier": "good", "codes": [],
                      "evidence": []},
        )  # fmt: skip
        att.Outage.objects.create(opd=opd, first_day=day, last_day=day, reason="matrix")
        att.StatusCorrection.objects.create(employee=employee, date=day, codes="H",
                                            reason="matrix", author_name="m")  # fmt: skip
        att.OpdTransfer.objects.create(employee=employee, from_opd=other, to_opd=opd,
                                       effective_on=day)  # fmt: skip
        att.ScheduleAssignment.objects.create(employee=employee, schedule=schedule, valid_from=day)
        start = timezone.make_aware(datetime.combine(day, time(7)))
        att.ShiftRosterEntry.objects.create(employee=employee, date=day, start=start,
                                            end=start + timedelta(hours=8))  # fmt: skip
        att.DisciplineRecommendation.objects.create(
            employee=employee, year=day.year, employee_type=employee.employee_type, tk_days=0,
            longest_run=0, late_minutes=0, early_minutes=0, minute_days=0, equivalent_days=0,
            computed_through=day,
        )  # fmt: skip
        att.MonthClosure.objects.create(month=day.replace(day=1), opd=opd)
        FlagReview.objects.create(employee=employee, day=day, decision="dismissed", reason="m",
                                  reviewer="m", flag_level="review", flag_score=1.0,
                                  flag_codes=[])  # fmt: skip
        employee.user.set_unusable_password()
        employee.user.save()
        activation.issue_codes([employee], valid_days=7, actor="matrix", now=now)


def world_from_db() -> World:
    User = get_user_model()

    def holder(kind, opd_code=None):
        users = User.objects.filter(hadir_roles__kind=kind, is_staff=True)
        if opd_code:
            users = users.filter(hadir_roles__opd__code=opd_code)
        return users.order_by("pk").first()

    atasan = holder(RoleKind.SUPERVISOR, OWN_OPD)
    own_employee = (
        Employee.objects.filter(supervisor__user=atasan, user__isnull=False).order_by("pk").first()
    )
    users = {
        "anonymous": None,
        "employee": own_employee.user,
        "atasan": atasan,
        "kepala_opd": holder(RoleKind.OPD_HEAD, OWN_OPD),
        "admin_opd": holder(RoleKind.OPD_ADMIN, OWN_OPD),
        "admin_bkpsdm": holder(RoleKind.BKPSDM_ADMIN),
        "inspektorat": holder(RoleKind.INSPECTOR),
        "superadmin": holder(RoleKind.SUPERADMIN),
    }
    return World(
        users=users,
        own_opd=Opd.objects.get(code=OWN_OPD),
        other_opd=Opd.objects.get(code=OTHER_OPD),
        own_employee=own_employee,
        other_employee=Employee.objects.filter(opd__code=OTHER_OPD, user__isnull=False)
        .order_by("pk")
        .first(),
    )


OPD_PATHS = ("opd", "employee__opd", "user__employee__opd", "workplace__opd")


def opd_path(model) -> str | None:
    """How a row of this model belongs to an OPD (None: a regency-wide row)."""
    if model is Opd:
        return "pk"
    names = {f.name for f in model._meta.get_fields()}
    for path in OPD_PATHS:
        if path.split("__")[0] in names:
            return path
    return None


def row_for(world: World, label: str, scope: str):
    """A row of the model in the own OPD (the atasan's subordinate's where there is one), in the
    other OPD, or any row of a regency-wide model; None when the world holds none."""
    key = (label, scope)
    if key not in world.objects:
        world.objects[key] = _find(world, apps.get_model(label), scope)
    return world.objects[key]


def _find(world: World, model, scope: str):
    path = opd_path(model)
    qs = model._default_manager.order_by("pk")
    if path is None:
        return qs.first() if scope == "regency" else None
    if scope == "regency":
        return qs.filter(**{f"{path}__isnull": True}).first() if path != "pk" else None
    opd = world.own_opd if scope == "own" else world.other_opd
    if path.startswith("employee"):
        mine = world.own_employee if scope == "own" else world.other_employee
        row = qs.filter(employee=mine).first()
        if row is not None:
            return row
    if path.startswith("user"):
        mine = world.own_employee if scope == "own" else world.other_employee
        row = qs.filter(user=mine.user).first() if mine.user_id else None
        if row is not None:
            return row
    return qs.filter(**{path: opd.pk}).first()


def is_regency_model(model: type[models.Model]) -> bool:
    return opd_path(model) is None
