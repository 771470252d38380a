import pytest
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext

from hadir.org.models import AuditEntry, ConnectivityTier, Employee, Opd, Role, RoleKind, Workplace
from hadir.sim.demo import build_demo, format_logins
from hadir.sim.load import DemoLoadError, load_regency
from hadir.sim.regency import plan_regency

PASSWORD = "demo-pass-4321"

pytestmark = pytest.mark.django_db


@pytest.fixture
def logins():
    return build_demo(seed=11, employees=120, password=PASSWORD)


def test_it_loads_every_employee_with_a_workplace(logins):
    assert Employee.objects.count() == 120 == logins.counts["employees"]
    assert not Employee.objects.filter(workplaces=None).exists()
    assert Opd.objects.count() == logins.counts["opds"]


def test_every_opd_has_its_kepala_set(logins):
    for opd in Opd.objects.select_related("head"):
        assert opd.head is not None
        assert opd.head.opd_id == opd.pk
        assert opd.head.supervisor_id is None


def test_the_named_role_users_exist(logins):
    User = get_user_model()
    assert User.objects.get(username="superadmin").is_superuser
    for username, kind in [
        ("superadmin", RoleKind.SUPERADMIN),
        ("bkpsdm", RoleKind.BKPSDM_ADMIN),
        ("inspektorat", RoleKind.INSPECTOR),
        ("admin_disdik", RoleKind.OPD_ADMIN),
        ("admin_kec-antang", RoleKind.OPD_ADMIN),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff
        assert Role.objects.filter(user=user, kind=kind).exists()
    for code in ("DISDIK", "KEC-ANTANG"):
        head = Opd.objects.get(code=code).head
        assert Role.objects.filter(user=head.user, kind=RoleKind.OPD_HEAD, opd__code=code).exists()
        assert head.user.is_staff
        atasan = Role.objects.get(kind=RoleKind.SUPERVISOR, opd__code=code).user
        assert atasan.employee.subordinates.exists()


def test_ordinary_employees_are_not_staff(logins):
    plain = get_user_model().objects.filter(employee__isnull=False, is_staff=False)
    assert plain.count() == 120 - 4  # two heads and two supervisors have back-office roles


def test_a_demo_login_works(logins):
    by_role = {x.role: x for x in logins}
    for role in ("superadmin", "kepala_opd", "employee"):
        login = by_role[role]
        assert authenticate(username=login.username, password=PASSWORD) is not None
    assert authenticate(username=by_role["employee"].username, password="wrong") is None


def test_the_loaded_data_passes_model_validation(logins):
    for workplace in Workplace.objects.all():
        workplace.full_clean()
    for employee in Employee.objects.select_related("unit")[:40]:
        employee.full_clean()
    tiers = set(Workplace.objects.values_list("connectivity_tier", flat=True))
    assert tiers == set(ConnectivityTier.values)


def test_the_load_is_audited_as_one_entry(logins):
    entry = AuditEntry.objects.get()
    assert entry.actor == "demo"
    assert entry.object_repr == gettext("demo regency loaded")  # in the regency's language
    assert entry.after["seed"] == 11
    assert entry.after["employees"] == 120


def test_the_logins_print_as_a_table(logins):
    text = format_logins(logins)
    assert "superadmin" in text
    assert "admin_kec-antang" in text
    assert PASSWORD in text
    assert "120 pegawai" in text


def test_it_refuses_to_load_twice(logins):
    with pytest.raises(DemoLoadError, match="empty database"):
        load_regency(plan_regency(seed=11, employees=120), PASSWORD)
