"""Demo data for flag review and discipline cases: in the first showcase OPD, two flags
confirmed and one dismissed by its Kepala OPD, a case from a confirmed flag with its first
summons issued, and a case left without action past its deadline, escalated."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.cases.access import viewer_for
from hadir.cases.flag_services import decide_flag
from hadir.cases.models import DisciplineCase, Ground
from hadir.cases.services import escalate_overdue, off_days, open_case, summon, today
from hadir.domain.discipline_cases import add_working_days
from hadir.fraud.models import DayFlag, FlagReview, Level
from hadir.org.models import Employee, Role, RoleKind


def seed_demo_cases(now=None) -> str:
    """Idempotent: does nothing when cases exist. Returns what to tell the demo's user."""
    if DisciplineCase.objects.exists():
        return ""
    now = now or timezone.now()
    role = Role.objects.filter(kind=RoleKind.OPD_HEAD).select_related("user", "opd").first()
    if role is None:
        return ""
    head_user, opd = role.user, role.opd
    viewer = viewer_for(head_user)
    own = viewer.scope.own_employee_id
    flags = list(
        DayFlag.objects.filter(employee__opd=opd, level__in=[Level.REVIEW, Level.STRONG])
        .exclude(employee_id=own)
        .exclude(employee_id__in=FlagReview.objects.values("employee_id"))
        .select_related("employee")
        .order_by("-score")[:12]
    )
    confirmed = []
    seen = set()
    for flag in flags:
        if flag.employee_id in seen:
            continue
        seen.add(flag.employee_id)
        if len(confirmed) < 2:
            confirmed.append(
                decide_flag(
                    viewer,
                    head_user,
                    flag,
                    "confirmed",
                    "Dicek saat apel: pegawai tidak berada di kantor pada jam tersebut.",
                )
            )
        else:
            decide_flag(
                viewer,
                head_user,
                flag,
                "dismissed",
                "Pegawai bertugas di lapangan dengan surat tugas; sinyal GPS memang lemah.",
            )
            break
    if confirmed:
        case = open_case(
            viewer,
            confirmed[0].employee,
            Ground.FLAG,
            "Presensi tidak sesuai dengan kehadiran fisik di kantor",
            flag_review=confirmed[0],
            now=now - timedelta(days=1),
        )
        start = today(now)
        summon(
            viewer,
            case,
            examination_on=add_working_days(start, 8, off_days(start)),
            examination_time="09.00 WIB",
            examination_place=f"Ruang Kepala {opd.name}",
            now=now,
        )
    others = (
        Employee.objects.filter(opd=opd)
        .exclude(pk=own)
        .exclude(pk__in=[r.employee_id for r in confirmed])
        .order_by("name")
    )
    late = others.first()
    if late is not None:
        open_case(
            viewer,
            late,
            Ground.SPOT_CHECK,
            "Tidak berada di tempat kerja saat inspeksi mendadak, padahal tercatat hadir",
            source_ref="Sidak apel pagi",
            now=now - timedelta(days=21),
        )
        escalate_overdue(now)
    User = get_user_model()
    bkpsdm = User.objects.filter(hadir_roles__kind=RoleKind.BKPSDM_ADMIN).first()
    said = _(
        "Flag review and discipline cases (/pantau/flag/, /pantau/kasus/): %(opd)s's Kepala OPD "
        "(%(head)s) and %(bkpsdm)s see 2 confirmed and 1 dismissed flag, a case with its first "
        "summons, and one overdue case, escalated."
    )
    return (
        said
        % {
            "opd": opd.code,
            "head": head_user.get_username(),
            "bkpsdm": bkpsdm.get_username() if bkpsdm else "BKPSDM",
        }
        + "\n"
    )
