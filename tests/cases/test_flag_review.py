"""Flag review: the queue in scope and by risk, one flag's file with its map, the decision, the
employee told and answering, and the access log."""

import json

import pytest

from hadir.cases.models import FlagAnswer
from hadir.fraud.models import FlagReview, Level
from hadir.notify.models import Notification
from hadir.org.models import AuditEntry
from tests.checkin.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_queue_shows_the_reviewers_scope_highest_risk_first(world, flag, login):
    low = world.quiet_flag(world.colleague, Level.REVIEW, 0.4)
    world.quiet_flag(world.outsider, Level.STRONG, 0.99)
    page = login("kepala_disdik").get("/pantau/flag/")
    assert page.status_code == 200
    flags = list(page.context["page"].object_list)
    assert [f.pk for f in flags] == [flag.pk, low.pk]
    assert "Tono" not in page.content.decode()


def test_regency_wide_roles_see_every_opd(world, flag, login):
    world.quiet_flag(world.outsider, Level.STRONG, 0.99)
    for user in ("bkpsdm", "inspektur"):
        page = login(user).get("/pantau/flag/")
        assert len(page.context["page"].object_list) == 2


def test_the_queue_filters_by_review_state_and_search(world, flag, login):
    client = login("kepala_disdik")
    client.post(f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "dismissed", "reason": "HP sama"})
    assert list(client.get("/pantau/flag/").context["page"].object_list) == []
    dismissed = client.get("/pantau/flag/?status=dismissed").context["page"].object_list
    assert [f.pk for f in dismissed] == [flag.pk]
    fragment = client.get("/pantau/flag/?status=all&q=Budi", HTTP_HX_REQUEST="true")
    assert fragment.templates[0].name == "cases/_flag_rows.html"
    assert "<html" not in fragment.content.decode()
    assert "Budi" in fragment.content.decode()


def test_a_flag_shows_evidence_timeline_map_devices_and_colleagues(world, flag, login):
    page = login("kepala_disdik").get(f"/pantau/flag/{flag.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "satu perangkat untuk beberapa pegawai" in body.lower() or "perangkat" in body
    assert len(page.context["file"].events) == 2
    data = page.context["map_data"]
    assert len(data["points"]) == 2
    assert data["fences"][0]["geofence"]["type"] == "circle"
    assert json.dumps(data["points"][0]["lat"]) in body  # embedded for the map script
    assert "leaflet.js" in body
    assert page.context["file"].devices[0]["used_today"]
    colleagues = {c.employee_id: c for c in page.context["file"].colleagues}
    assert colleagues[world.colleague.pk].in_scope
    assert "Sari" in body
    assert not colleagues[world.outsider.pk].in_scope  # another OPD: not named
    assert "Tono" not in body


def test_looking_at_a_flags_locations_is_written_to_the_access_log(world, flag, login):
    login("inspektur").get(f"/pantau/flag/{flag.pk}/")
    entry = AuditEntry.objects.get(action="view", actor="user:inspektur")
    assert entry.object_pk == f"{world.employee.identifier}/{flag.day.isoformat()}"


def test_a_flag_of_another_opd_is_not_found(world, flag, login):
    client = login("kepala_dinkes")
    assert client.get(f"/pantau/flag/{flag.pk}/").status_code == 404
    reply = client.post(
        f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "confirmed", "reason": "x" * 9}
    )
    assert reply.status_code == 404
    assert not FlagReview.objects.exists()
    assert not AuditEntry.objects.filter(action="view").exists()


def test_confirming_tells_the_employee(world, flag, login):
    reply = login("kepala_disdik").post(
        f"/pantau/flag/{flag.pk}/tinjau/",
        {"decision": "confirmed", "reason": "Presensi dari HP rekan"},
    )
    assert reply.status_code == 302
    review = FlagReview.objects.get()
    assert review.decision == "confirmed"
    assert review.reviewer == "user:kepala_disdik"
    note = Notification.objects.get(recipient=world.user)
    assert note.topic == "flag.confirmed"
    assert note.link == "/pantau/flag/saya/"


def test_dismissing_tells_nobody(world, flag, login):
    login("bkpsdm").post(
        f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "dismissed", "reason": "Sinyal buruk"}
    )
    assert FlagReview.objects.get().decision == "dismissed"
    assert not Notification.objects.filter(topic="flag.confirmed").exists()


def test_a_decision_needs_a_reason(world, flag, login):
    reply = login("kepala_disdik").post(
        f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "confirmed", "reason": ""}
    )
    assert reply.status_code == 422
    assert reply.context["form_errors"]["reason"]
    assert not FlagReview.objects.exists()


@pytest.mark.parametrize("user", ["inspektur", "admin_disdik"])
def test_inspektorat_and_the_opd_admin_read_but_do_not_decide(world, flag, login, user):
    client = login(user)
    page = client.get(f"/pantau/flag/{flag.pk}/")
    assert page.status_code == 200
    assert not page.context["can_decide"]
    reply = client.post(
        f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "confirmed", "reason": "Terbukti curang"}
    )
    assert reply.status_code == 403
    assert not FlagReview.objects.exists()


def test_an_employee_without_a_supervising_role_is_refused(world, flag, login):
    client = login(world.employee.identifier)
    assert client.get("/pantau/flag/").status_code == 403
    assert client.get(f"/pantau/flag/{flag.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world, flag):
    reply = client.get("/pantau/flag/")
    assert reply.status_code == 302
    assert "login" in reply["Location"]


def _confirm(world, flag, login):
    login("kepala_disdik").post(
        f"/pantau/flag/{flag.pk}/tinjau/", {"decision": "confirmed", "reason": "Presensi titipan"}
    )
    return FlagReview.objects.get()


def test_the_employee_reads_and_answers_a_confirmed_flag(world, flag, login):
    review = _confirm(world, flag, login)
    client = login(world.employee.identifier)
    page = client.get("/pantau/flag/saya/")
    assert page.status_code == 200
    assert "Presensi titipan" in page.content.decode()
    reply = client.post(
        f"/pantau/flag/saya/{review.pk}/jawab/", {"text": "HP saya rusak, dipinjam Sari"}
    )
    assert reply.status_code == 302
    answer = FlagAnswer.objects.get()
    assert answer.review == review
    assert answer.employee == world.employee
    told = Notification.objects.get(topic="flag.answered")
    assert told.recipient == world.head_user
    assert told.link == f"/pantau/flag/{flag.pk}/"
    reviewer_view = login("kepala_disdik").get(f"/pantau/flag/{flag.pk}/")
    assert "HP saya rusak" in reviewer_view.content.decode()


def test_an_employee_cannot_answer_someone_elses_flag(world, flag, login):
    review = _confirm(world, flag, login)
    client = login("sari")
    assert list(client.get("/pantau/flag/saya/").context["items"]) == []
    reply = client.post(f"/pantau/flag/saya/{review.pk}/jawab/", {"text": "bukan milik saya"})
    assert reply.status_code == 404
    assert not FlagAnswer.objects.exists()


def test_the_app_reads_and_answers_through_the_api(world, flag, login):
    review = _confirm(world, flag, login)
    token = world.http.login(world.employee.identifier, PASSWORD)
    mine = world.http._json("GET", "/api/v1/flags/mine", token=token)
    assert [item["review_id"] for item in mine] == [review.pk]
    made = world.http._json(
        "POST", f"/api/v1/flags/mine/{review.pk}/answer", {"text": "Saya hadir"}, token=token
    )
    assert made["text"] == "Saya hadir"
    assert FlagAnswer.objects.get().text == "Saya hadir"
    other = world.http.login(world.boss.identifier, PASSWORD)
    assert world.http._json("GET", "/api/v1/flags/mine", token=other) == []
