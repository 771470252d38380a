"""Roles cannot climb: a user grants only roles at or below his own, within his own OPD;
regency-wide roles come from a superadmin only; Inspektorat changes nothing."""

from datetime import date

import pytest

from hadir.fraud.models import DayFlag, FlagReview
from hadir.org.models import Role, RoleKind
from hadir.org.scope import grant_refusal, grantable_kinds, scope_for
from tests.factories import make_employee, make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-kuat-123"
REGENCY_WIDE = [RoleKind.SUPERADMIN, RoleKind.BKPSDM_ADMIN, RoleKind.INSPECTOR]


@pytest.fixture
def regency():
    disdik, dinkes = make_opd("DISDIK", "Dinas Pendidikan"), make_opd("DINKES", "Dinas Kesehatan")
    admin_user = make_user("admin-disdik", role=RoleKind.OPD_ADMIN, opd=disdik)
    make_employee(disdik, [make_workplace(disdik)], name="Admin Disdik", user=admin_user)
    ani = make_employee(disdik, name="Ani Disdik", user=make_user("ani", staff=False))
    bayu = make_employee(dinkes, [make_workplace(dinkes)], name="Bayu", user=make_user("bayu"))
    return {"disdik": disdik, "dinkes": dinkes, "admin": admin_user, "ani": ani, "bayu": bayu}


def add_role(client, user, kind, opd):
    return client.post(
        "/admin/org/role/add/",
        {"user": user.pk, "kind": kind, "opd": opd.pk if opd else ""},
    )


@pytest.mark.parametrize("kind", REGENCY_WIDE)
def test_it_refuses_an_opd_admin_a_regency_wide_role_for_himself(client, regency, kind):
    client.force_login(regency["admin"])
    response = add_role(client, regency["admin"], kind, regency["disdik"])
    assert response.status_code == 200  # the form again, with the error
    assert not Role.objects.filter(user=regency["admin"], kind=kind).exists()
    assert scope_for(regency["admin"]).regency_wide is False


def test_it_offers_an_opd_admin_only_the_kinds_at_or_below_his_own(client, regency):
    client.force_login(regency["admin"])
    form = client.get("/admin/org/role/add/").context["adminform"].form
    offered = {value for value, _label in form.fields["kind"].choices if value}
    assert offered == {"employee", "atasan", "kepala_opd", "admin_opd"}
    assert set(form.fields["opd"].queryset) == {regency["disdik"]}


def test_it_lets_an_opd_admin_make_a_colleague_atasan_in_his_own_opd(client, regency):
    client.force_login(regency["admin"])
    response = add_role(client, regency["ani"].user, RoleKind.SUPERVISOR, regency["disdik"])
    assert response.status_code == 302
    assert Role.objects.filter(user=regency["ani"].user, kind=RoleKind.SUPERVISOR).exists()


def test_it_refuses_an_opd_admin_a_role_in_another_opd(client, regency):
    client.force_login(regency["admin"])
    add_role(client, regency["admin"], RoleKind.OPD_ADMIN, regency["dinkes"])
    assert not Role.objects.filter(opd=regency["dinkes"]).exists()


def test_it_refuses_an_opd_admin_granting_to_a_user_of_another_opd(client, regency):
    client.force_login(regency["admin"])
    response = add_role(client, regency["bayu"].user, RoleKind.OPD_ADMIN, regency["disdik"])
    assert "user" in response.context["adminform"].form.errors
    assert not Role.objects.filter(user=regency["bayu"].user).exists()


def test_it_refuses_an_opd_admin_turning_a_role_into_superadmin(client, regency):
    role = Role.objects.create(user=regency["ani"].user, kind="atasan", opd=regency["disdik"])
    client.force_login(regency["admin"])
    client.post(
        f"/admin/org/role/{role.pk}/change/",
        {"user": role.user_id, "kind": RoleKind.SUPERADMIN, "opd": regency["disdik"].pk},
    )
    role.refresh_from_db()
    assert role.kind == RoleKind.SUPERVISOR


def test_it_refuses_an_opd_admin_removing_a_role_above_his_own(client, regency):
    boss = make_user("boss")
    role = Role.objects.create(user=boss, kind=RoleKind.SUPERADMIN, opd=regency["disdik"])
    client.force_login(regency["admin"])
    assert client.post(f"/admin/org/role/{role.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"}
    assert client.post("/admin/org/role/", bulk).status_code == 403
    assert Role.objects.filter(pk=role.pk).exists()


def test_it_refuses_bkpsdm_a_regency_wide_grant_but_allows_any_opd(client, regency):
    bkpsdm = make_user("bkpsdm", role=RoleKind.BKPSDM_ADMIN)
    client.force_login(bkpsdm)
    add_role(client, regency["bayu"].user, RoleKind.INSPECTOR, None)
    add_role(client, bkpsdm, RoleKind.SUPERADMIN, None)
    assert not Role.objects.filter(kind__in=[RoleKind.INSPECTOR, RoleKind.SUPERADMIN]).exists()
    response = add_role(client, regency["bayu"].user, RoleKind.OPD_ADMIN, regency["dinkes"])
    assert response.status_code == 302


def test_it_lets_a_superadmin_grant_a_regency_wide_role(client, regency):
    client.force_login(make_user("root", role=RoleKind.SUPERADMIN))
    response = add_role(client, regency["bayu"].user, RoleKind.BKPSDM_ADMIN, None)
    assert response.status_code == 302
    assert scope_for(regency["bayu"].user).regency_wide


def test_it_gives_the_grant_rule_one_answer_for_every_kind(regency):
    head = scope_for(make_user("kepala", role=RoleKind.OPD_HEAD, opd=regency["disdik"]))
    admin = scope_for(regency["admin"])
    assert grantable_kinds(head) == []  # a Kepala OPD edits nothing, so grants nothing
    refusal = grant_refusal(admin, kind="admin_opd", opd_id=None, target_user=regency["ani"].user)
    assert refusal[0] == "opd"
    assert (
        grant_refusal(
            admin, kind="kepala_opd", opd_id=regency["disdik"].pk, target_user=regency["ani"].user
        )
        is None
    )


def test_it_keeps_an_admin_of_one_opd_and_head_of_another_from_editing_the_second(client, regency):
    Role.objects.create(user=regency["admin"], kind=RoleKind.OPD_HEAD, opd=regency["dinkes"])
    client.force_login(regency["admin"])
    bayu = regency["bayu"]
    response = client.post(f"/admin/org/employee/{bayu.pk}/change/", {"name": "Diubah"})
    assert response.status_code == 403
    bayu.refresh_from_db()
    assert bayu.name == "Bayu"


def test_it_keeps_the_importer_to_the_opds_a_user_administers(regency):
    from hadir.org.import_views import allowed_opd_codes

    Role.objects.create(user=regency["admin"], kind=RoleKind.OPD_HEAD, opd=regency["dinkes"])
    assert allowed_opd_codes(regency["admin"]) == {"DISDIK"}


def api_login(client, username):
    response = client.post(
        "/api/v1/auth/login",
        {"identifier": username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def review(client, auth, employee):
    return client.post(
        f"/api/v1/flags/{employee.identifier}/2026-11-02/review",
        {"decision": "confirmed", "reason": "checked the gate camera"},
        content_type="application/json",
        **auth,
    )


def test_it_refuses_the_inspektorat_confirming_a_flag_but_lets_the_kepala(client, regency):
    DayFlag.objects.create(
        employee=regency["ani"], day=date(2026, 11, 2), score=3.0, level="review",
        tier="good", codes=[], evidence=[],
    )  # fmt: skip
    make_user("auditor", role=RoleKind.INSPECTOR)
    make_user("kepala", role=RoleKind.OPD_HEAD, opd=regency["disdik"])
    refused = review(client, api_login(client, "auditor"), regency["ani"])
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert not FlagReview.objects.exists()
    assert review(client, api_login(client, "kepala"), regency["ani"]).status_code == 200


def test_it_refuses_the_inspektorat_filing_leave_for_someone(client, regency):
    make_user("auditor", role=RoleKind.INSPECTOR)
    response = client.post(
        "/api/v1/leave",
        {"employee": regency["ani"].identifier, "kind": "CT", "first_day": "2026-11-02",
         "last_day": "2026-11-02", "reason": "cuti tahunan"},
        **api_login(client, "auditor"),
    )  # fmt: skip
    assert response.status_code in (403, 404)
    assert not regency["ani"].leave.exists()


def test_it_marks_the_inspektorat_read_only_everywhere(regency):
    auditor = scope_for(make_user("auditor", role=RoleKind.INSPECTOR))
    assert auditor.regency_wide
    assert auditor.read_only
    assert not auditor.edits_opd(regency["disdik"].pk)
    assert not auditor.decides_opd(regency["disdik"].pk)
    assert grantable_kinds(auditor) == []
