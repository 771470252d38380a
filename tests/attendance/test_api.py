"""The leave flow through the API: request (with attachment), decide, see the day change."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.attendance.models import LeaveRequest
from hadir.org.models import ApiToken
from tests.attendance.conftest import workday
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, timedelta(hours=1))}"}


def test_the_leave_flow(regency, client):
    me, boss = bearer(regency.user), bearer(regency.boss_user)
    workday(regency.employee, date(2026, 10, 5), "07:25", "16:05")
    answer = client.post(
        "/api/v1/leave",
        {
            "kind": "S",
            "first_day": "2026-10-06",
            "last_day": "2026-10-07",
            "reason": "demam",
            "attachment": SimpleUploadedFile("surat.pdf", PDF),
        },
        **me,
    )
    assert answer.status_code == 201, answer.content
    leave = answer.json()
    assert (leave["status"], leave["has_attachment"]) == ("pending", True)
    assert (
        client.post(
            f"/api/v1/leave/{leave['id']}/approve", {}, "application/json", **me
        ).status_code
        == 403
    )
    pending = client.get("/api/v1/leave/to-decide", **boss).json()
    assert [item["id"] for item in pending] == [leave["id"]]
    decided = client.post(
        f"/api/v1/leave/{leave['id']}/approve",
        {"reason": "semoga lekas"},
        "application/json",
        **boss,
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    letter = client.get(f"/api/v1/leave/{leave['id']}/attachment", **boss)
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content) == PDF
    stranger = make_user("199101012019031001", staff=False)
    assert (
        client.get(f"/api/v1/leave/{leave['id']}/attachment", **bearer(stranger)).status_code == 404
    )
    mine = client.get("/api/v1/leave/mine", **me).json()
    assert [(item["id"], item["status"]) for item in mine] == [(leave["id"], "approved")]
    days = client.get("/api/v1/attendance/mine?month=2026-10", **me).json()
    codes = {item["date"]: item["codes"] for item in days}
    assert (codes["2026-10-05"], codes["2026-10-06"], codes["2026-10-07"]) == ("H", "S", "S")
    assert codes["2026-10-08"] == "TK"
    assert len(days) == 31
    absent = next(item for item in days if item["date"] == "2026-10-08")
    assert absent["final"] is True
    assert absent["explanation"]["notes"][-1]["text"].startswith("tidak ada presensi masuk")


def test_errors_name_the_field(regency, client):
    me = bearer(regency.user)
    answer = client.post(
        "/api/v1/leave", {"kind": "I", "first_day": "2026-10-07", "last_day": "2026-10-06"}, **me
    )
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "last_day"
    answer = client.post(
        "/api/v1/leave", {"kind": "I", "first_day": "kemarin", "last_day": "2026-10-06"}, **me
    )
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"].endswith("first_day")
    answer = client.post(
        "/api/v1/leave",
        {
            "kind": "S",
            "first_day": "2026-10-06",
            "last_day": "2026-10-06",
            "attachment": SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf"),
        },
        **me,
    )
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "attachment"
    assert not LeaveRequest.objects.exists()
    answer = client.get("/api/v1/attendance/mine?month=2026-13", **me)
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "month"


def test_a_rejection_needs_a_reason_and_decides_once(regency, client):
    me, boss = bearer(regency.user), bearer(regency.boss_user)
    leave = client.post(
        "/api/v1/leave", {"kind": "I", "first_day": "2026-10-06", "last_day": "2026-10-06"}, **me
    ).json()
    url = f"/api/v1/leave/{leave['id']}/reject"
    answer = client.post(url, {"reason": ""}, "application/json", **boss)
    assert answer.status_code == 422
    assert answer.json()["fields"][0]["field"] == "reason"
    answer = client.post(url, {"reason": "bukan izin yang sah"}, "application/json", **boss)
    assert answer.json()["status"] == "rejected"
    again = client.post(f"/api/v1/leave/{leave['id']}/approve", {}, "application/json", **boss)
    assert again.status_code == 409
    assert (
        client.post("/api/v1/leave/999/approve", {}, "application/json", **boss).status_code == 404
    )


def test_an_admin_records_on_behalf_through_the_api(regency, client):
    answer = client.post(
        "/api/v1/leave",
        {
            "kind": "DL",
            "first_day": "2026-10-06",
            "last_day": "2026-10-06",
            "assignment_letter": "094/77/DISDIK/2026",
            "destination": "Sampit",
            "employee": regency.employee.identifier,
        },
        **bearer(regency.opd_admin),
    )
    assert answer.status_code == 201
    assert answer.json()["recorded_on_behalf"]
    assert answer.json()["status"] == "approved"


def test_without_a_token_it_is_401(client):
    assert client.get("/api/v1/leave/mine").status_code == 401
