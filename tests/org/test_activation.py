"""One-time activation codes: issued per OPD, printed once, spent once to set the password."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from hadir.org import activation
from hadir.org.accounts import sync_accounts
from hadir.org.activation_sheet import safe_cell, write_csv
from hadir.org.models import ActivationCode, AuditEntry, Employee, RoleKind
from tests.factories import make_employee, make_opd, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "kopi-susu-pagi-77"


@pytest.fixture
def disdik():
    opd = make_opd()
    for name in ("Ani", "Budi", "Citra"):
        make_employee(opd, name=name)
    sync_accounts(Employee.objects.all(), today=timezone.localdate(), actor="test")
    return opd


def issue(employee, days=14, now=None):
    (item,) = activation.issue_codes([employee], valid_days=days, actor="test", now=now)
    return item.code


def api_activate(client, identifier, code, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/activate",
        {"identifier": identifier, "code": code, "password": password},
        content_type="application/json",
        **extra,
    )


def test_a_code_sets_the_password_once_and_the_api_answers_with_a_token(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)

    answer = api_activate(client, ani.identifier, activation.display(code).lower())

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["employee"] == ani.identifier
    assert body["token"]
    ani.user.refresh_from_db()
    assert ani.user.check_password(PASSWORD)
    me = client.get("/api/v1/devices/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    again = api_activate(client, ani.identifier, code, "another-strong-pass-9")
    assert again.status_code == 401  # the NIP and the code are the credentials
    assert again.json()["error"] == "invalid_code"
    assert AuditEntry.objects.filter(action="activate", object_pk=str(ani.user.pk)).count() == 1


def test_only_a_hash_of_the_code_is_stored(disdik):
    code = issue(Employee.objects.get(name="Ani"))

    stored = ActivationCode.objects.get()
    assert code not in stored.digest
    assert stored.digest == activation.digest(code)


def test_wrong_expired_replaced_and_unknown_all_read_the_same(client, disdik):
    ani, budi = Employee.objects.get(name="Ani"), Employee.objects.get(name="Budi")
    old = issue(ani)
    new = issue(ani)  # the first one is replaced
    expired = issue(budi, days=1, now=timezone.now() - dt.timedelta(days=2))

    answers = [
        api_activate(client, ani.identifier, old),
        api_activate(client, ani.identifier, "ACDEFGHJKM"),
        api_activate(client, budi.identifier, expired),
        api_activate(client, "199001012020011999", new),  # no such employee
    ]

    bodies = [a.json() for a in answers]
    assert {a.status_code for a in answers} == {401}
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["error"] == "invalid_code"
    assert bodies[0]["fields"][0]["field"] == "code"
    assert api_activate(client, ani.identifier, new).status_code == 200


def test_a_weak_password_names_the_field_and_leaves_the_code_valid(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)

    weak = api_activate(client, ani.identifier, code, "password")

    assert weak.status_code == 422
    assert weak.json()["error"] == "invalid_input"
    assert weak.json()["fields"][0]["field"] == "password"
    assert api_activate(client, ani.identifier, code).status_code == 200


def test_missing_fields_are_named(client):
    answer = client.post(
        "/api/v1/auth/activate", {"identifier": "x"}, content_type="application/json"
    )

    assert answer.status_code == 422
    assert {f["field"] for f in answer.json()["fields"]} == {"code", "password"}


def test_failures_are_throttled_per_identifier_even_with_the_right_code(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)
    for _ in range(activation.MAX_FAILURES_PER_IDENTIFIER):
        assert api_activate(client, ani.identifier, "WRONGCODE1").status_code == 401

    answer = api_activate(client, ani.identifier, code)

    assert answer.status_code == 429
    assert answer.json()["error"] == "throttled"


def test_failures_are_throttled_per_address_across_identifiers(client, disdik):
    for n in range(activation.MAX_FAILURES_PER_ADDRESS):
        api_activate(client, f"1990010120200110{n:02d}", "WRONGCODE1", REMOTE_ADDR="10.9.8.7")

    answer = api_activate(client, "199001012020011099", "WRONGCODE1", REMOTE_ADDR="10.9.8.7")
    elsewhere = api_activate(client, "199001012020011099", "WRONGCODE1", REMOTE_ADDR="10.9.8.6")

    assert answer.status_code == 429
    assert elsewhere.status_code == 401


def test_a_deactivated_account_cannot_be_activated(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)
    get_user_model().objects.filter(pk=ani.user_id).update(is_active=False)

    assert api_activate(client, ani.identifier, code).status_code == 401


# The web page ----------------------------------------------------------------------------------


def test_the_activation_page_sets_the_password(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)
    page = client.get(f"/activate/?nip={ani.identifier}")
    assert page.status_code == 200
    assert f'value="{ani.identifier}"' in page.content.decode()

    done = client.post(
        "/activate/",
        {"identifier": ani.identifier, "code": code, "password1": PASSWORD, "password2": PASSWORD},
    )

    assert done.status_code == 200
    assert "Akun aktif" in done.content.decode()
    ani.user.refresh_from_db()
    assert ani.user.check_password(PASSWORD)


def test_the_activation_page_names_the_field_in_indonesian(client, disdik):
    ani = Employee.objects.get(name="Ani")
    code = issue(ani)

    differ = client.post(
        "/activate/",
        {"identifier": ani.identifier, "code": code, "password1": PASSWORD, "password2": "x"},
    ).content.decode()
    wrong = client.post(
        "/activate/",
        {
            "identifier": ani.identifier,
            "code": "XXXX",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    ).content.decode()

    assert 'id="id_password2_errors"' in differ
    assert "Kedua kata sandi berbeda" in differ
    assert 'id="id_code_errors"' in wrong
    assert "kode aktivasi" in wrong.lower()


# Issuing: the command and the admin --------------------------------------------------------------


def test_the_command_issues_codes_only_to_who_needs_one_and_reissues_on_request(tmp_path, disdik):
    out = tmp_path / "codes.csv"
    with translation.override("id"):
        call_command("activation_codes", "--opd", "DISDIK", "--out", str(out), "--valid-days", "7")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["NIP", "Nama", "OPD", "Unit", "Kode aktivasi"]
    assert len(rows) == 4
    ani_row = next(r for r in rows if r[1] == "Ani")
    ani = Employee.objects.get(name="Ani")
    assert api_activate_ok(ani, ani_row[4])

    call_command("activation_codes", "--opd", "DISDIK", "--out", str(out))
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1  # nobody needs one

    call_command("activation_codes", "--opd", "DISDIK", "--out", str(out), "--reissue")
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 3  # Budi and Citra
    assert ActivationCode.objects.filter(replaced_at__isnull=False).count() == 2


def api_activate_ok(employee, code) -> bool:
    return activation.activate(employee.identifier, code, PASSWORD) == employee.user


def test_the_command_writes_a_pdf_of_slips(tmp_path, disdik):
    out = tmp_path / "codes.pdf"
    call_command("activation_codes", "--opd", "disdik", "--out", str(out))

    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1


def test_the_command_refuses_bad_options(tmp_path, disdik):
    with pytest.raises(CommandError, match="DISDIK"):
        call_command("activation_codes", "--opd", "NOPE", "--out", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="valid-days"):
        call_command(
            "activation_codes",
            "--opd",
            "DISDIK",
            "--out",
            str(tmp_path / "a.pdf"),
            "--valid-days",
            "0",
        )
    with pytest.raises(CommandError, match="999"):
        call_command(
            "activation_codes", "--opd", "DISDIK", "--out", str(tmp_path / "a.pdf"), "--nip", "999"
        )


def test_csv_cells_cannot_start_a_formula(disdik):
    ani = Employee.objects.get(name="Ani")
    Employee.objects.filter(pk=ani.pk).update(name='=HYPERLINK("http://x")')
    ani.refresh_from_db()
    items = activation.issue_codes([ani], valid_days=3, actor="test")
    buffer = io.StringIO()

    write_csv(items, "http://127.0.0.1:8000/activate/", buffer)

    assert "'=HYPERLINK" in buffer.getvalue()
    assert [safe_cell(v) for v in ("-1", "+1", "@a", "a=b")] == ["'-1", "'+1", "'@a", "a=b"]


def test_an_opd_admin_issues_codes_from_the_employee_list_after_confirming(client, disdik):
    make_employee(make_opd("DINKES", "Dinas Kesehatan"), name="Dodi")
    sync_accounts(Employee.objects.all(), today=timezone.localdate(), actor="test")
    make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=disdik)
    client.login(username="admin_disdik", password="rahasia-kuat-123")
    everyone = list(Employee.objects.values_list("pk", flat=True))
    form = {"action": "issue_activation_codes", "_selected_action": everyone}

    confirm = client.post("/admin/org/employee/", form)
    assert confirm.status_code == 200
    assert "Terbitkan kode aktivasi" in confirm.content.decode()
    assert ActivationCode.objects.count() == 0

    download = client.post(
        "/admin/org/employee/", {**form, "post": "yes", "valid_days": 10, "format": "csv"}
    )

    assert download["Content-Type"].startswith("text/csv")
    text = download.content.decode("utf-8-sig")
    assert "Ani" in text
    assert "Dodi" not in text
    assert ActivationCode.objects.count() == 3
