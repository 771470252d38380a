"""An OPD's people see their own OPD only, in the admin and in the API."""

import pytest

from hadir.org.models import RoleKind
from tests.factories import make_employee, make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_opds():
    disdik, dinkes = make_opd("DISDIK", "Dinas Pendidikan"), make_opd("DINKES", "Dinas Kesehatan")
    a = make_employee(disdik, [make_workplace(disdik)], name="Ani Disdik")
    b = make_employee(dinkes, [make_workplace(dinkes)], name="Bayu Dinkes")
    return disdik, dinkes, a, b


def api_token(client, username, password="rahasia-kuat-123"):
    response = client.post(
        "/api/v1/auth/login",
        {"identifier": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_an_opd_head_lists_only_their_opds_employees_in_the_admin(client, two_opds):
    disdik, _, _ani, _bayu = two_opds
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    client.login(username="kepala", password="rahasia-kuat-123")
    page = client.get("/admin/org/employee/").content.decode()
    assert "Ani Disdik" in page
    assert "Bayu Dinkes" not in page


def test_an_opd_head_cannot_open_another_opds_employee_in_the_admin(client, two_opds):
    disdik, _, _, bayu = two_opds
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    client.login(username="kepala", password="rahasia-kuat-123")
    response = client.get(f"/admin/org/employee/{bayu.pk}/change/", follow=True)
    assert "Bayu Dinkes" not in response.content.decode()


def test_an_opd_head_cannot_edit_master_data(client, two_opds):
    disdik, _, ani, _ = two_opds
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    client.login(username="kepala", password="rahasia-kuat-123")
    response = client.post(f"/admin/org/employee/{ani.pk}/change/", {"name": "Diubah"})
    ani.refresh_from_db()
    assert response.status_code == 403
    assert ani.name == "Ani Disdik"


def test_an_opd_head_cannot_read_another_opds_employee_via_the_api(client, two_opds):
    disdik, _, ani, bayu = two_opds
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    token = api_token(client, "kepala")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = [e["identifier"] for e in client.get("/api/v1/employees", **auth).json()]
    assert listed == [ani.identifier]
    assert client.get(f"/api/v1/employees/{bayu.identifier}", **auth).status_code == 404
    assert client.get(f"/api/v1/employees/{ani.identifier}", **auth).status_code == 200


def test_the_inspektorat_reads_every_opd_but_changes_nothing(client, two_opds):
    _, _, ani, _ = two_opds
    make_user("auditor", role=RoleKind.INSPECTOR)
    client.login(username="auditor", password="rahasia-kuat-123")
    page = client.get("/admin/org/employee/").content.decode()
    assert "Ani Disdik" in page
    assert "Bayu Dinkes" in page
    response = client.post(f"/admin/org/employee/{ani.pk}/change/", {"name": "Diubah"})
    assert response.status_code == 403


def test_a_supervisor_sees_their_own_subordinates_only(client, two_opds):
    disdik, _, ani, _ = two_opds
    user = make_user("atasan", role=RoleKind.SUPERVISOR, staff=False)
    boss = make_employee(disdik, name="Pak Kepala Seksi", user=user)
    ani.supervisor = boss
    ani.save()
    other = make_employee(disdik, name="Orang Lain")
    token = api_token(client, "atasan")
    listed = {
        e["name"]
        for e in client.get("/api/v1/employees", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    }
    assert listed == {"Ani Disdik", "Pak Kepala Seksi"}
    assert other.name not in listed


def test_the_api_refuses_a_missing_or_wrong_token(client, two_opds):
    assert client.get("/api/v1/employees").status_code == 401
    response = client.get("/api/v1/employees", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


# Read once per request ------------------------------------------------------------------------


def test_within_a_request_the_roles_are_read_once_and_again_after_a_role_changes(two_opds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hadir.org.models import Role
    from hadir.org.scope import scope_for, scopes_cached

    disdik, dinkes, _, _ = two_opds
    user = make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    with scopes_cached():
        with CaptureQueriesContext(connection) as first:
            assert scope_for(user).opd_ids == {disdik.pk}
        with CaptureQueriesContext(connection) as again:
            assert [scope_for(user).opd_ids for _ in range(40)] == [{disdik.pk}] * 40
        Role.objects.create(user=user, kind=RoleKind.OPD_HEAD, opd=dinkes)
        assert scope_for(user).opd_ids == {disdik.pk, dinkes.pk}
    assert len(first.captured_queries) >= 1
    assert len(again.captured_queries) == 0


def test_outside_a_request_nothing_is_cached(two_opds):
    from hadir.org.models import Role
    from hadir.org.scope import scope_for

    disdik, dinkes, _, _ = two_opds
    user = make_user("kepala", role=RoleKind.OPD_HEAD, opd=disdik)
    assert scope_for(user).opd_ids == {disdik.pk}
    Role.objects.filter(user=user).update(opd=dinkes)  # no signal: only a fresh read sees it
    assert scope_for(user).opd_ids == {dinkes.pk}
