"""The demo's invitation to the employee app: whom to log in as, and where."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.org.models import Employee, EmployeeType, Opd, Role, RoleKind

SHOWCASE_OPD = "DISDIK"


def fresh_employee(opd_code: str = SHOWCASE_OPD) -> Employee | None:
    """An employee with a login and a workplace, and no phone yet: the first phone they enrol
    is active at once, so a visitor can check in within a minute."""
    today = timezone.localdate()
    return (
        Employee.objects.filter(
            opd__code=opd_code,
            user__isnull=False,
            user__is_staff=False,
            devices__isnull=True,
            workplaces__isnull=False,
            active_from__lte=today,
        )
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
        .select_related("opd")
        .prefetch_related("workplaces")
        .order_by("identifier")
        .first()
    )


def app_employee(password: str, opd_code: str = SHOWCASE_OPD) -> Employee | None:
    """A fresh employee of the showcase OPD; if the simulated month gave everyone a phone, one
    is added (active from today, so no past day counts against them)."""
    found = fresh_employee(opd_code)
    opd = Opd.objects.filter(code=opd_code).first()
    if found is not None or opd is None:
        return found
    colleague = (
        Employee.objects.filter(opd=opd, workplaces__isnull=False, supervisor__isnull=False)
        .order_by("identifier")
        .first()
    )
    if colleague is None:
        return None
    serial = 901
    while Employee.objects.filter(identifier=f"199601012020012{serial}").exists():
        serial += 1
    identifier = f"199601012020012{serial}"
    user = get_user_model().objects.create(
        username=identifier, password=make_password(password), first_name="Rina"
    )
    Role.objects.create(user=user, kind=RoleKind.EMPLOYEE)
    employee = Employee.objects.create(
        identifier=identifier,
        employee_type=EmployeeType.PNS,
        name="Rina Wulandari (coba aplikasi)",
        opd=opd,
        unit=colleague.unit,
        supervisor=colleague.supervisor,
        active_from=timezone.localdate(),
        user=user,
    )
    employee.workplaces.set(colleague.workplaces.all())
    return employee


def app_invitation(base_url: str, password: str) -> str:
    employee = app_employee(password)
    lines = ["", _("Employee app (PWA): %(url)s") % {"url": f"{base_url}/app/"}]
    if employee is None:
        return "\n".join([*lines, "  " + _("(no employee without a phone was found to suggest)")])
    workplace = employee.workplaces.order_by("code").first()
    said = [
        _("log in as NIP %(nip)s / %(password)s")
        % {"nip": employee.identifier, "password": password},
        f"({employee.name}, {employee.opd.code});",
        _(
            "this employee has no phone yet, so the first browser that logs in can check in at "
            "once."
        ),
        _("Their office is %(office)s (%(code)s); outside it the check-in is accepted with a note.")
        % {"office": workplace.name, "code": workplace.code},
        _("Its office-code screen: log in as %(admin)s, open %(url)s")
        % {
            "admin": f"admin_{employee.opd.code.lower()}",
            "url": f"{base_url}/office/{workplace.code}/provision/",
        },
        _("From a phone on the same network: %(url)s (HTTPS or localhost needed).")
        % {"url": f"{base_url}/app/coba/"},
    ]
    lines += [f"  {line}" for line in said]
    return "\n".join(lines)
