"""The leave page of the supervisors' web (/pantau/cuti/): who sees which requests, deciding
them (htmx and plain POST) through the leave service, the DL destination, the navigation's
count, and a page that stays cheap with many requests."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hadir.attendance import leave as service
from hadir.attendance.models import LeaveRequest, LeaveStatus
from hadir.org.models import AuditAction, AuditEntry, RoleKind
from hadir.org.scope import scope_for, scopes_cached
from hadir.supervise.leave import pending_count
from tests.factories import make_user
from tests.supervise.conftest import PASSWORD

MONDAY = date(2026, 12, 7)
WORKDAYS = [MONDAY + timedelta(days=n) for n in range(14) if (MONDAY + timedelta(n)).weekday() < 5]
URL = "/pantau/cuti/"
HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ask(employee, day=MONDAY, kind="I", **fields):
    values = {"reason": f"keperluan {employee.name}", **fields}
    return service.request_leave(employee, kind=kind, first_day=day, last_day=day, **values)


@pytest.fixture
def asked(world):
    """One pending permission request of each DISDIK and DINKES employee, a day apart in the
    order asked; Ani's (the atasan's own) is decided by the Kepala, not by her."""
    people = (world.head, world.ani, world.budi, world.citra, world.dedi, world.eko, world.fitri)
    return {person.name: ask(person) for person in people}


def names_on(response) -> set[str]:
    text = response.content.decode()
    return set(re.findall(r'<span class="who"><b>([^<]+)</b>', text))


def decide(client, leave, decision, reason="", htmx=False):
    url = f"{URL}{leave.pk}/putuskan/"
    data = {"decision": decision, "reason": reason}
    return client.post(url, data, **(HTMX if htmx else {}))


# --- Who sees what ------------------------------------------------------------------------


EXPECTED_PENDING = {
    "atasan_ani": {"Budi Staf", "Citra Staf"},
    "kepala_disdik": {"Kepala Disdik", "Ani Atasan", "Budi Staf", "Citra Staf", "Dedi Lain"},
    "kepala_dinkes": {"Eko Dinkes", "Fitri Dinkes"},
    "bkpsdm": {
        "Kepala Disdik", "Ani Atasan", "Budi Staf", "Citra Staf", "Dedi Lain", "Eko Dinkes",
        "Fitri Dinkes",
    },
    "inspektorat": set(),  # reads the regency, decides nothing
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(EXPECTED_PENDING))
def test_it_lists_exactly_the_pending_requests_the_user_may_decide(world, asked, login, role):
    response = login(world, role).get(URL)
    assert response.status_code == 200
    assert names_on(response) == EXPECTED_PENDING[role]
    user = world.users[role]
    allowed = {leave.employee.name for leave in asked.values() if service.can_decide(user, leave)}
    assert names_on(response) == allowed


@pytest.mark.parametrize("role", sorted(EXPECTED_PENDING))
def test_the_api_lists_the_same_requests_to_decide(world, asked, client, role):
    from hadir.org.models import ApiToken

    token = ApiToken.issue(world.users[role], timedelta(hours=1))
    answer = client.get("/api/v1/leave/to-decide", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    ids = {item["id"] for item in answer.json()}
    assert {LeaveRequest.objects.get(pk=pk).employee.name for pk in ids} == EXPECTED_PENDING[role]


def test_decidable_agrees_with_can_decide_for_every_user_and_request(world, asked):
    """`decidable` (one query) and `can_decide` (row by row) say the same, for every role."""
    users = dict(world.users)
    users["admin_opd"] = make_user("admin_opd", role=RoleKind.OPD_ADMIN, opd=world.dinkes)
    users["root"] = make_user("root", superuser=True)
    # The Kepala's own request is not his to decide.
    world.head.user = world.users["kepala_disdik"]
    world.head.save()
    # A supervisor by the employee record alone, without the atasan role, decides too.
    world.fitri.supervisor = world.eko  # Eko's account is the role-less "pegawai"
    world.fitri.save()
    decided = ask(world.citra, MONDAY + timedelta(days=1))
    decided.status = LeaveStatus.APPROVED
    decided.save()
    rows = list(LeaveRequest.objects.select_related("employee__supervisor"))
    for name, user in users.items():
        expected = {row.pk for row in rows if service.can_decide(user, row)}
        assert set(service.decidable(user).values_list("pk", flat=True)) == expected, name


def test_an_employee_without_a_supervising_role_gets_nothing(world, asked, login):
    client = login(world, "pegawai")
    assert client.get(URL).status_code == 403
    assert decide(client, asked["Fitri Dinkes"], "approve").status_code == 403
    assert LeaveRequest.objects.get(pk=asked["Fitri Dinkes"].pk).status == LeaveStatus.PENDING


def test_a_visitor_is_sent_to_the_login(client, asked):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/pantau/masuk/")


def test_newest_first(world, login):
    older = ask(world.budi, MONDAY)
    newer = ask(world.citra, MONDAY + timedelta(days=1))
    LeaveRequest.objects.filter(pk=older.pk).update(requested_at=timezone.now() - timedelta(1))
    text = login(world, "atasan_ani").get(URL).content.decode()
    assert text.index(f'id="leave-{newer.pk}"') < text.index(f'id="leave-{older.pk}"')


# --- Deciding -----------------------------------------------------------------------------


def test_approve_by_htmx_updates_the_row_in_place_and_the_navigation_count(world, asked, login):
    client = login(world, "atasan_ani")
    leave = asked["Budi Staf"]
    assert 'id="nav-leave-count"' in client.get(URL).content.decode()
    response = decide(client, leave, "approve", "semoga lancar", htmx=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="leave-{leave.pk}"' in text
    assert 'data-status="approved"' in text
    assert "semoga lancar" in text
    assert 'name="decision" value="approve"' not in text  # nothing left to approve
    # the navigation's count, swapped out of band: Citra's request still waits
    assert re.search(r'id="nav-leave-count"[^>]*hx-swap-oob="true"[^>]*>1</span>', text)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert leave.decided_by == world.users["atasan_ani"]
    assert leave.decision_reason == "semoga lancar"
    assert leave.decided_at is not None


def test_approve_without_javascript_redirects_back_with_a_message(world, asked, login):
    client = login(world, "kepala_disdik")
    leave = asked["Ani Atasan"]
    response = decide(client, leave, "approve")
    assert response.status_code == 302
    assert response["Location"] == URL
    page = client.get(URL).content.decode()
    assert '<li class="success">I – izin atas nama Ani Atasan disetujui.</li>' in page
    assert f'id="leave-{leave.pk}"' not in page  # no longer pending
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_reject_without_a_reason_is_refused_in_indonesian(world, asked, login):
    client = login(world, "atasan_ani")
    leave = asked["Citra Staf"]
    fragment = decide(client, leave, "reject", "   ", htmx=True)
    assert fragment.status_code == 200  # htmx swaps only 2xx: the refusal comes in the row
    assert "Penolakan harus disertai alasan." in fragment.content.decode()
    assert 'data-status="pending"' in fragment.content.decode()
    page = decide(client, leave, "reject", "")
    assert page.status_code == 422
    text = page.content.decode()
    assert "Penolakan harus disertai alasan." in text
    assert "tidak disimpan" in text
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert leave.decided_by is None


def test_reject_with_a_reason(world, asked, login):
    client = login(world, "kepala_dinkes")
    leave = asked["Eko Dinkes"]
    response = decide(client, leave, "reject", "pelayanan puskesmas kekurangan tenaga")
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED
    assert leave.decided_by == world.users["kepala_dinkes"]
    assert leave.decision_reason == "pelayanan puskesmas kekurangan tenaga"
    decided = client.get(URL + "?tab=decided").content.decode()
    assert f'id="leave-{leave.pk}"' in decided
    assert "pelayanan puskesmas kekurangan tenaga" in decided
    assert "kepala_dinkes" in decided  # who decided (the user's name, or login)
    assert "ditolak" in decided


def test_a_refusal_of_the_service_is_shown_not_swallowed(world, asked, login):
    """A request decided meanwhile (another tab, the API): the service's refusal, in the row."""
    client = login(world, "atasan_ani")
    leave = asked["Budi Staf"]
    service.decide_leave(
        leave, approve=False, by=world.users["bkpsdm"], now=timezone.now(), reason="dobel"
    )
    fragment = decide(client, leave, "approve", htmx=True).content.decode()
    assert "Permohonan ini sudah ditolak." in fragment
    page = decide(client, leave, "approve")  # without JavaScript: no longer on the pending tab
    assert page.status_code == 422
    assert "Permohonan ini sudah ditolak." in _row_html(page.content.decode(), leave.pk)
    leave.refresh_from_db()
    assert leave.decided_by == world.users["bkpsdm"]


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("kepala_dinkes", "Budi Staf", 404),  # another OPD: not even seen
        ("atasan_ani", "Dedi Lain", 404),  # another atasan's staff
        ("atasan_ani", "Ani Atasan", 404),  # her own request
        ("inspektorat", "Budi Staf", 403),  # sees it, decides nothing
    ],
)
def test_a_decision_by_someone_not_allowed_is_refused(world, asked, login, role, name, status):
    leave = asked[name]
    client = login(world, role)
    assert decide(client, leave, "approve").status_code == status
    assert decide(client, leave, "approve", htmx=True).status_code == status
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_an_unknown_decision_is_a_bad_request(world, asked, login):
    response = decide(login(world, "bkpsdm"), asked["Budi Staf"], "maybe")
    assert response.status_code == 400


def test_only_get_lists_and_only_post_decides(world, asked, login):
    client = login(world, "bkpsdm")
    assert client.get(f"{URL}{asked['Budi Staf'].pk}/putuskan/").status_code == 405


# --- What a row shows ---------------------------------------------------------------------


def test_a_duty_elsewhere_shows_its_letter_destination_and_map(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    duty = ask(
        world.budi,
        kind="DL",
        assignment_letter="094/321/ST/2026",
        destination="Palangka Raya",
        destination_lat=-2.2136,
        destination_lon=113.9108,
        destination_radius_m=750,
    )
    plain = ask(world.citra, kind="DL", assignment_letter="094/322/ST/2026", destination="Samuda")
    text = login(world, "atasan_ani").get(URL).content.decode()
    row = _row_html(text, duty.pk)
    assert "094/321/ST/2026" in row
    assert "Palangka Raya" in row
    assert 'class="leave-map"' in row
    assert 'data-lat="-2.213600"' in row
    assert 'data-lon="113.910800"' in row
    assert 'data-radius="750"' in row
    other = _row_html(text, plain.pk)
    assert "094/322/ST/2026" in other
    assert "Samuda" in other
    assert "leave-map" not in other  # no point given: no map
    assert "leaflet.js" in text


def test_a_row_shows_kind_dates_days_reason_and_the_letter(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = SimpleUploadedFile("surat.pdf", PDF)
    sick = service.request_leave(
        world.budi, kind="S", first_day=MONDAY, last_day=MONDAY + timedelta(days=6),
        reason="demam berdarah", attachment=letter,
    )  # fmt: skip
    client = login(world, "atasan_ani")
    row = _row_html(client.get(URL).content.decode(), sick.pk)
    assert "S – sakit" in row
    assert "7 Des 2026" in row
    assert "13 Des 2026" in row
    assert re.search(r'class="leave-days">5<', row)  # Monday to Sunday: 5 working days
    assert "demam berdarah" in row
    link = f"{URL}{sick.pk}/lampiran/"
    assert link in row
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    logged = AuditEntry.objects.get(action=AuditAction.VIEW, model="attendance.LeaveRequest")
    assert logged.object_pk == str(sick.pk)
    assert logged.actor == "user:atasan_ani"
    # Inspektorat reads the decided list but not the letter; another OPD's head not at all
    assert login(world, "inspektorat").get(link).status_code == 404
    assert login(world, "kepala_dinkes").get(link).status_code == 404


def test_the_decided_tab_stays_within_the_scope(world, asked, login):
    for name in ("Budi Staf", "Eko Dinkes"):
        service.decide_leave(
            asked[name], approve=True, by=world.users["bkpsdm"], now=timezone.now(),
            reason=f"oke {name}",
        )  # fmt: skip
    assert names_on(login(world, "kepala_dinkes").get(URL + "?tab=decided")) == {"Eko Dinkes"}
    assert names_on(login(world, "atasan_ani").get(URL + "?tab=decided")) == {"Budi Staf"}
    regency = login(world, "inspektorat").get(URL + "?tab=decided").content.decode()
    assert "oke Budi Staf" in regency
    assert "oke Eko Dinkes" in regency
    assert 'name="decision"' not in regency  # read-only


def test_an_approval_can_be_withdrawn_from_the_decided_tab(world, asked, login):
    leave = asked["Citra Staf"]
    client = login(world, "atasan_ani")
    decide(client, leave, "approve")
    decided = client.get(URL + "?tab=decided").content.decode()
    assert 'name="decision" value="reject"' in _row_html(decided, leave.pk)
    response = decide(client, leave, "reject", "acara dibatalkan")
    assert response["Location"] == URL + "?tab=decided"
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED


# --- The navigation's count and the cost of the page --------------------------------------


def test_the_navigation_counts_pending_requests_in_one_query(world, asked, login):
    user = world.users["kepala_disdik"]
    with scopes_cached():
        scope_for(user)  # read once per request by the page's access check anyway
        with CaptureQueriesContext(connection) as counted:
            assert pending_count(user) == 5
    assert len(counted.captured_queries) == 1
    board = login(world, "kepala_disdik").get("/pantau/papan/").content.decode()
    assert re.search(r'id="nav-leave-count"[^>]*>5</span>', board)
    quiet = login(world, "inspektorat").get("/pantau/papan/").content.decode()
    assert re.search(r'id="nav-leave-count"[^>]*hidden[^>]*>0</span>', quiet)


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


@pytest.mark.parametrize("tab", ["pending", "decided"])
def test_the_page_stays_cheap_with_thirty_requests(world, login, tab):
    people = [world.head, world.ani, world.budi, world.citra, world.dedi, world.fitri]
    made = [ask(people[0], MONDAY)]
    client = login(world, "bkpsdm")

    def settle(rows):
        if tab == "decided":
            for leave in rows:
                service.decide_leave(
                    leave, approve=False, by=world.users["bkpsdm"], now=timezone.now(),
                    reason="kurang tenaga",
                )  # fmt: skip

    settle(made)
    few = _queries_for(client, f"{URL}?tab={tab}")
    more = []
    for n in range(29):
        person = people[n % len(people)]
        kind = "DL" if n % 3 == 0 else "I"
        extra = {}
        if kind == "DL":
            extra = {"assignment_letter": f"094/{n}/ST", "destination": "Samuda",
                     "destination_lat": -3.0, "destination_lon": 113.0}  # fmt: skip
        more.append(ask(person, WORKDAYS[1 + n // len(people)], kind, **extra))
    settle(more)
    many = _queries_for(client, f"{URL}?tab={tab}")
    assert len(names_on(client.get(f"{URL}?tab={tab}"))) == 6
    assert many == few, "the page's queries grow with the number of requests"
    assert many <= 20


# --- Language -----------------------------------------------------------------------------


def test_the_page_speaks_indonesian_and_english_on_request(world, asked, login):
    client = login(world, "atasan_ani")
    text = client.get(URL).content.decode()
    for words in ("Permohonan cuti & izin", "Perlu diputuskan", "Sudah diputuskan",
                  "Setujui", "Tolak", "Hari kerja", "Cuti & izin"):  # fmt: skip
        assert words in text, words
    client.post("/i18n/setlang/", {"language": "en"})
    english = client.get(URL).content.decode()
    assert "Leave and permission requests" in english
    assert "Approve" in english
    assert "Permohonan cuti" not in english


def _row_html(text: str, pk: int) -> str:
    start = text.index(f'id="leave-{pk}"')
    return text[start : text.index("</article>", start)]


def test_the_login_of_a_kepala_works_with_the_password(world, client):
    """A Kepala OPD reaches the page by logging in (no admin needed)."""
    client.post("/pantau/masuk/", {"username": "kepala_disdik", "password": PASSWORD})
    assert client.get(URL).status_code == 200


def test_the_daily_reminder_leads_to_this_page_not_the_admin(world, asked):
    """The reminder job's link: the leave page for whoever may enter the supervisors' web."""
    from hadir.notify.models import Notification
    from tests.jobs.test_registered_jobs import run_job

    LeaveRequest.objects.update(requested_at=timezone.now() - timedelta(days=2))
    run_job("remind_leave_requests", timezone.now())
    links = dict(
        Notification.objects.filter(topic="leave.pending").values_list(
            "recipient__username", "link"
        )
    )
    assert links["atasan_ani"] == URL
    assert links["kepala_disdik"] == URL
    assert links["kepala_dinkes"] == URL
