"""The import page in the admin: editing roles upload files; others are turned away."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.org.models import AuditEntry, Employee, Opd, RoleKind, Unit
from tests.factories import make_opd, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    # These tests read the page's English wording; Indonesian is the default language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


URL = "/admin/import/"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else (EXAMPLES / name).read_bytes()
    )


def example_uploads() -> list[SimpleUploadedFile]:
    return [upload(f"{kind}.csv") for kind in ("opd", "unit", "workplace", "employee")]


@pytest.fixture
def bkpsdm_admin(client):
    client.force_login(make_user("admin-bkpsdm", role=RoleKind.BKPSDM_ADMIN))
    return client


def test_an_admin_sees_the_upload_form(bkpsdm_admin):
    page = bkpsdm_admin.get(URL)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="file"' in html
    assert "workplace_codes" in html  # the column summary
    assert 'href="/admin/"' in html  # inside the admin layout


def test_an_admin_imports_the_example_files(bkpsdm_admin):
    page = bkpsdm_admin.post(URL, {"files": example_uploads()})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="import-summary"' in html
    assert Employee.objects.count() == 16
    actors = AuditEntry.objects.exclude(model="org.Role").values_list("actor", flat=True)
    assert set(actors) == {"user:admin-bkpsdm"}


def test_an_admin_imports_the_example_workbook(bkpsdm_admin):
    bkpsdm_admin.post(URL, {"files": [upload("master.xlsx")]})

    assert Employee.objects.count() == 16


def test_a_dry_run_writes_nothing(bkpsdm_admin):
    page = bkpsdm_admin.post(URL, {"files": example_uploads(), "dry_run": "on"})

    assert "Dry run" in page.content.decode()
    assert Employee.objects.count() == 0


def test_problems_are_listed_and_nothing_is_written(bkpsdm_admin):
    bad = upload("unit.csv", b"opd_code,code,name\nNOPE,A,Satu\n")

    page = bkpsdm_admin.post(URL, {"files": [upload("opd.csv"), bad]})

    html = page.content.decode()
    assert 'id="import-problems"' in html
    assert "unknown OPD &#x27;NOPE&#x27;" in html
    assert Opd.objects.count() == Unit.objects.count() == 0


def test_the_form_needs_a_file(bkpsdm_admin):
    page = bkpsdm_admin.post(URL, {})

    assert page.status_code == 200
    assert 'class="errorlist' in page.content.decode()


def test_a_staff_member_without_an_editing_role_is_refused(client):
    client.force_login(make_user("auditor", role=RoleKind.INSPECTOR))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": example_uploads()}).status_code == 403
    assert Opd.objects.count() == 0


def test_a_visitor_who_is_not_staff_is_sent_to_the_login(client):
    client.force_login(make_user("pegawai", role=RoleKind.EMPLOYEE, staff=False))

    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_opd_admin_may_import_their_own_opd_only(client):
    disdik, dinkes = make_opd("DISDIK", "Dinas Pendidikan"), make_opd("DINKES", "Dinas Kesehatan")
    client.force_login(make_user("admin-disdik", role=RoleKind.OPD_ADMIN, opd=disdik))
    units = b"opd_code,code,name\nDISDIK,SD,Bidang SD\nDINKES,YANKES,Bidang Yankes\n"

    page = client.post(URL, {"files": [upload("unit.csv", units)]})

    html = page.content.decode()
    assert "you may import data of your own OPD only (DISDIK)" in html
    assert Unit.objects.count() == 0
    page = client.post(URL, {"files": [upload("unit.csv", units[: units.index(b"DINKES")])]})
    assert Unit.objects.get().opd == disdik
    assert dinkes.units.count() == 0


def test_an_oversized_upload_is_refused_before_it_is_read(bkpsdm_admin, monkeypatch):
    from hadir.org import import_views

    monkeypatch.setattr(import_views, "MAX_FILE_BYTES", 10)

    page = bkpsdm_admin.post(URL, {"files": [upload("employee.csv", b"x" * 200_000)]})

    assert "The upload is larger than" in page.content.decode()
    assert Opd.objects.count() == 0
