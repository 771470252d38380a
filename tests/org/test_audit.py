import pytest

from hadir.org.audit import acting_as
from hadir.org.models import AuditEntry, RoleKind
from tests.factories import make_employee, make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db


def test_a_change_is_logged_with_who_and_before_and_after():
    opd = make_opd()
    with acting_as("user:bkpsdm"):
        opd.name = "Dinas Pendidikan dan Kebudayaan"
        opd.save()
    entry = AuditEntry.objects.filter(action="update", model="org.Opd").get()
    assert entry.actor == "user:bkpsdm"
    assert entry.before == {"name": "Dinas Pendidikan"}
    assert entry.after == {"name": "Dinas Pendidikan dan Kebudayaan"}


def test_saving_without_a_change_logs_nothing():
    opd = make_opd()
    count = AuditEntry.objects.count()
    opd.save()
    assert AuditEntry.objects.count() == count


def test_creation_deletion_and_workplace_links_are_logged():
    opd = make_opd()
    workplace = make_workplace(opd)
    employee = make_employee(opd, [workplace])
    employee.delete()
    actions = list(AuditEntry.objects.filter(model="org.Employee").values_list("action", flat=True))
    assert sorted(actions) == ["create", "delete", "update"]
    link = AuditEntry.objects.get(model="org.Employee", action="update")
    assert link.after == {"workplaces": {"add": [workplace.pk]}}


def test_the_office_secret_is_never_written_into_the_log():
    opd = make_opd()
    workplace = make_workplace(opd)
    old_secret = workplace.office_secret
    workplace.rotate_office_secret()
    entry = AuditEntry.objects.get(model="org.Workplace", action="update")
    assert old_secret not in str(entry.before)
    assert workplace.office_secret not in str(entry.after)
    assert entry.before["office_secret"] != entry.after["office_secret"]


def test_an_admin_change_in_the_web_ui_is_logged_as_that_user(client):
    opd = make_opd()
    make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
    client.login(username="bkpsdm", password="rahasia-kuat-123")
    response = client.post(
        f"/admin/org/opd/{opd.pk}/change/",
        {
            "code": "DISDIK",
            "name": "Dinas Pendidikan Baru",
            "kind": "dinas",
            "active": "on",
            "units-TOTAL_FORMS": "0",
            "units-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="org.Opd", action="update")
    assert entry.actor == "user:bkpsdm"


def test_no_role_can_edit_or_delete_the_audit_log_in_the_admin(client):
    make_opd()
    make_user("root", role=RoleKind.SUPERADMIN, superuser=True)
    client.login(username="root", password="rahasia-kuat-123")
    entry = AuditEntry.objects.first()
    assert client.get("/admin/org/auditentry/").status_code == 200
    assert (
        client.post(f"/admin/org/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    client.post(f"/admin/org/auditentry/{entry.pk}/change/", {"actor": "someone else"})
    entry.refresh_from_db()
    assert entry.actor != "someone else"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
