"""The app's own API: one call for the home screen, my month, my leave, push registration.
Refusals name the field, in Indonesian."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hadir.checkin.models import Device, DeviceStatus
from hadir.client import Device as Phone
from hadir.client import DeviceKey
from hadir.org.models import ApiToken
from hadir.pwa.models import PushSubscription
from tests.factories import SAMPIT, make_employee, make_opd, make_user, make_workplace

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def world():
    opd = make_opd()
    workplace = make_workplace(opd, "DISDIK-KANTOR")
    user = make_user("199204182019032001", staff=False)
    employee = make_employee(opd, [workplace], identifier="199204182019032001", user=user)
    key = DeviceKey.generate()
    device = Device.objects.create(
        employee=employee,
        key_id=key.key_id,
        algorithm="p256",
        public_key=key.spki_b64,
        status=DeviceStatus.ACTIVE,
    )
    token = ApiToken.issue(user, timedelta(days=1))
    return {
        "employee": employee,
        "workplace": workplace,
        "device": device,
        "key": key,
        "auth": {"Authorization": f"Bearer {token}"},
    }


def test_me_gives_my_workplaces_with_their_geofences_and_today(client, world):
    phone = Phone(world["key"], world["employee"].identifier)
    event = phone.make_event("check_in", SAMPIT[0], SAMPIT[1], 10.0)
    client.post(
        "/api/v1/events", event.body, content_type="application/json", headers=event.headers
    )
    answer = client.get("/api/v1/app/me", headers=world["auth"]).json()
    assert answer["employee"]["identifier"] == world["employee"].identifier
    (workplace,) = answer["workplaces"]
    assert workplace["geofence"] == world["workplace"].geofence
    assert answer["today"]["check_in"]["time"] == timezone.localtime().strftime("%H:%M")
    assert answer["today"]["check_in"]["label"] == "diterima"
    assert answer["today"]["check_out"] is None
    assert answer["devices"][0]["status_label"] == "aktif"
    assert answer["push_public_key"]


def test_the_app_needs_a_token_and_says_so_in_indonesian(client, world):
    response = client.get("/api/v1/app/me")
    assert response.status_code == 401
    assert (
        response.json()["message"] == "Token tidak sah atau sudah kedaluwarsa: silakan masuk lagi."
    )


def test_an_account_that_is_not_an_employee_is_told_so(client):
    user = make_user("bkpsdm")
    token = ApiToken.issue(user, timedelta(days=1))
    response = client.get("/api/v1/app/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["message"] == "Akun ini bukan akun pegawai."


def test_my_month_names_the_codes_in_indonesian_and_leaves_today_open(client, world):
    yesterday = timezone.localdate() - timedelta(days=1)
    answer = client.get(f"/api/v1/app/month?month={yesterday:%Y-%m}", headers=world["auth"]).json()
    past = [d for d in answer["days"] if d["codes"]]
    assert all(d["date"] < timezone.localdate().isoformat() for d in past)
    labels = {c["code"]: c["label"] for d in past for c in d["codes"]}
    assert labels.get("TK", "tanpa keterangan") == "tanpa keterangan"
    assert labels.get("L", "bukan hari kerja") == "bukan hari kerja"
    assert all("no check" not in note for d in answer["days"] for note in d["notes"])


def test_a_month_that_is_not_a_month_is_refused_naming_the_field(client, world):
    response = client.get("/api/v1/app/month?month=2026-13", headers=world["auth"])
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "month", "message": "Pilih bulan dengan format TTTT-BB."}
    ]


def test_leave_with_a_photo_is_stored_pending(client, world):
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    response = client.post(
        "/api/v1/app/leave",
        {
            "kind": "S",
            "first_day": monday.isoformat(),
            "last_day": monday.isoformat(),
            "reason": "Demam",
            "attachment": SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg"),
        },
        headers=world["auth"],
    )
    assert response.status_code == 201, response.content
    assert response.json()["status_label"] == "menunggu persetujuan"
    assert response.json()["kind_label"] == "S – sakit"
    listed = client.get("/api/v1/app/leave", headers=world["auth"]).json()
    assert [r["id"] for r in listed["requests"]] == [response.json()["id"]]


def test_a_refused_leave_names_each_field_in_indonesian(client, world):
    response = client.post(
        "/api/v1/app/leave",
        {"kind": "XX", "first_day": "kemarin", "last_day": "2026-01-02", "reason": ""},
        headers=world["auth"],
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "kind", "message": "Nilai ini bukan salah satu nilai yang diterima."},
        {"field": "first_day", "message": "Isikan tanggal dengan format YYYY-MM-DD."},
        {"field": "reason", "message": "Kolom ini wajib diisi."},
    ]


def test_a_leave_refused_by_the_attendance_rules_names_the_field_in_indonesian(client, world):
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    response = client.post(
        "/api/v1/app/leave",
        {
            "kind": "S",
            "first_day": monday.isoformat(),
            "last_day": (monday - timedelta(days=1)).isoformat(),
            "reason": "Demam",
        },
        headers=world["auth"],
    )
    assert response.status_code == 422
    (field,) = response.json()["fields"]
    assert field["field"] == "last_day"
    assert field["message"].startswith("Hari terakhir (")
    assert "lebih awal dari hari pertama" in field["message"]


def test_dinas_luar_from_the_app_keeps_its_destination_point(client, world):
    from hadir.attendance.models import LeaveRequest

    monday = date.today() + timedelta(days=7 - date.today().weekday())
    form = {
        "kind": "DL",
        "first_day": monday.isoformat(),
        "last_day": monday.isoformat(),
        "reason": "Rapat koordinasi",
        "assignment_letter": "094/12/DISDIK/2026",
        "destination": "Kantor Gubernur, Palangka Raya",
    }
    refused = client.post(
        "/api/v1/app/leave",
        {**form, "destination_lat": "-2,2096", "destination_lon": ""},
        headers=world["auth"],
    )
    assert refused.status_code == 422
    assert refused.json()["fields"] == [
        {
            "field": "destination_lon",
            "message": "Isi lintang dan bujur bersamaan, atau kosongkan keduanya.",
        }
    ]
    answer = client.post(
        "/api/v1/app/leave",
        {**form, "destination_lat": "-2,2096", "destination_lon": "113.9136"},
        headers=world["auth"],
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["destination"] == "Kantor Gubernur, Palangka Raya"
    leave = LeaveRequest.objects.get()
    assert (leave.destination_lat, leave.destination_lon) == (-2.2096, 113.9136)


def test_a_push_subscription_is_kept_for_my_phone(client, world):
    payload = {
        "key_id": world["device"].key_id,
        "endpoint": "https://push.example/abc",
        "p256dh": "B" * 87,
        "auth": "a" * 22,
    }
    response = client.post(
        "/api/v1/app/push", payload, content_type="application/json", headers=world["auth"]
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get().device == world["device"]
    again = client.post(
        "/api/v1/app/push", payload, content_type="application/json", headers=world["auth"]
    )
    assert again.status_code == 201
    assert PushSubscription.objects.count() == 1


def test_a_push_subscription_for_someone_elses_phone_is_refused(client, world):
    payload = {"key_id": "f" * 32, "endpoint": "http://push.example/abc", "p256dh": "", "auth": ""}
    response = client.post(
        "/api/v1/app/push", payload, content_type="application/json", headers=world["auth"]
    )
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert fields == {
        "endpoint": "Nilai ini tidak sah.",
        "p256dh": "Nilai ini terlalu pendek.",
        "auth": "Nilai ini terlalu pendek.",
    }
    usable = {"endpoint": "https://push.example/abc", "p256dh": "B" * 87, "auth": "a" * 22}
    response = client.post(
        "/api/v1/app/push",
        {**payload, **usable},
        content_type="application/json",
        headers=world["auth"],
    )
    assert response.status_code == 422
    assert response.json()["fields"] == [
        {"field": "key_id", "message": "Ponsel ini tidak terdaftar atas nama Anda."}
    ]
    assert not PushSubscription.objects.exists()


def test_the_shell_manifest_and_service_worker_are_served(client):
    shell = client.get("/app/")
    assert shell.status_code == 200
    assert "Masuk ke Hadir" in shell.content.decode()
    manifest = client.get("/app/manifest.webmanifest").json()
    assert manifest["start_url"] == "/app/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    worker = client.get("/app/sw.js")
    assert worker["Service-Worker-Allowed"] == "/app/"
    source = worker.content.decode()
    assert "__VERSION__" not in source
    assert "/static/pwa/vendor/jsQR.js" in source  # scanning works offline


def test_the_try_on_a_phone_page_speaks_indonesian(client):
    page = client.get("/app/coba/").content.decode()
    assert "Mencoba aplikasi pegawai dari ponsel" in page
    assert "konteks aman" in page
