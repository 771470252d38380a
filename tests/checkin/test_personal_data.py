"""Location is personal data: employees see their own records, and every look is logged."""

import pytest

from hadir.checkin.models import EvidenceRecord
from hadir.org.models import AuditEntry, RoleKind
from tests.checkin.conftest import PASSWORD, at_office
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_employee_reads_their_own_records_and_nobody_elses(regency, device):
    regency.http.send(at_office(device))
    mine = regency.http._json(
        "GET",
        "/api/v1/evidence/mine",
        token=regency.http.login(regency.employee.identifier, PASSWORD),
    )
    assert [(r["kind"], r["outcome"]) for r in mine] == [("check_in", "accepted")]
    assert mine[0]["lat"] == pytest.approx(-2.5375)
    boss_view = regency.http._json(
        "GET", "/api/v1/evidence/mine", token=regency.http.login(regency.boss.identifier, PASSWORD)
    )
    assert boss_view == []


def test_every_admin_look_at_evidence_is_logged(client, regency, device):
    regency.http.send(at_office(device))
    make_user("auditor", role=RoleKind.INSPECTOR)
    client.login(username="auditor", password=PASSWORD)
    record = EvidenceRecord.objects.get()
    assert client.get("/admin/checkin/evidencerecord/").status_code == 200
    assert client.get(f"/admin/checkin/evidencerecord/{record.pk}/change/").status_code == 200
    views = AuditEntry.objects.filter(action="view", actor="user:auditor")
    assert views.count() == 2
    assert views.filter(object_pk=str(record.pk)).exists()
