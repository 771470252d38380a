"""The supervisors' web in a browser, on the demo regency: each role logs in and sees only its
scope; a spot check runs end to end on a 360x740 phone; every main page is photographed at
1366x768 and 360x740 into test-results/supervise/ (the paths are printed)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hadir.attendance.services import set_go_live
from hadir.checkin.models import EvidenceRecord
from hadir.fraud.models import DayFlag
from hadir.org.models import Employee, Role, RoleKind
from hadir.sim.demo import build_demo
from hadir.supervise.access import viewer_for
from hadir.supervise.models import SpotCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "supervise"
PASSWORD = "rahasia-kuat-123"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
_rows = itertools.count(1)


def checked_in(employee, workplace, at) -> None:
    n = next(_rows)
    EvidenceRecord.objects.create(
        received_at=at, remote_addr="127.0.0.1", headers={}, body=b"{}", body_size=2,
        body_hash=f"{n:064x}", event_id=f"e2e-{n}", kind="check_in", employee=employee,
        outcome="accepted", http_status=200, reasons=[], time_of_record=at,
        workplace=workplace, lat=-2.5375, lon=112.95, accuracy_m=12,
        prev_hash=f"{n - 1:064x}", row_hash=f"{n:064x}",
    )  # fmt: skip


@pytest.fixture
def demo(db):
    """The demo regency (small), attendance counting from a week ago, and the first showcase
    OPD's staff checked in at its main office a moment ago (one of them flagged today)."""
    logins = build_demo(seed=2026, employees=84, password=PASSWORD)
    now = timezone.now()
    set_go_live(timezone.localdate() - timedelta(days=7), by="e2e")
    head = Role.objects.filter(kind=RoleKind.OPD_HEAD).order_by("opd__code").first()
    office = head.opd.workplaces.order_by("code").first()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    at = max(now - timedelta(minutes=5), start_of_day)
    staff = list(office.employees.order_by("name")[:6])
    for person in staff:
        checked_in(person, office, at)
    DayFlag.objects.create(
        employee=staff[0], day=timezone.localdate(), score=0.9, level="strong", tier="good",
        codes=["zero_jitter"], evidence=[],
    )  # fmt: skip
    return {"logins": logins, "head": head, "office": office, "staff": staff}


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/pantau/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    assert page.locator("nav.main-nav").count() == 1, page.url + page.inner_text("body")[:800]


def shot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def shown_nips(page) -> set[str]:
    return set(page.locator("#board td.code").all_inner_texts())


def login_of(demo, role: str):
    return next(x for x in demo["logins"] if x.role == role)


@pytest.mark.parametrize(
    "role", [RoleKind.BKPSDM_ADMIN, RoleKind.INSPECTOR, RoleKind.OPD_HEAD, RoleKind.SUPERVISOR]
)
def test_each_role_sees_only_its_scope(browser, live_server, demo, role):
    username = login_of(demo, role).username
    user = Role.objects.filter(user__username=username).first().user
    allowed = set(viewer_for(user).employees().values_list("identifier", flat=True))
    context = browser.new_context(locale="id-ID", viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}/pantau/papan/")
    nips = shown_nips(page)
    assert nips
    assert nips <= allowed
    if role == RoleKind.OPD_HEAD:
        others = set(
            Employee.objects.exclude(opd=demo["head"].opd).values_list("identifier", flat=True)
        )
        assert not nips & others
        assert page.locator("select[name=opd] option").count() == 1
    overview = page.goto(f"{live_server.url}/pantau/ikhtisar/")
    assert overview.status == (403 if role == RoleKind.SUPERVISOR else 200)
    context.close()


def test_a_spot_check_end_to_end_on_a_phone(browser, live_server, demo):
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, login_of(demo, RoleKind.OPD_HEAD).username)
    page.goto(f"{live_server.url}/pantau/sidak/")
    page.select_option("select[name=workplace]", str(demo["office"].pk))
    page.click("text=Mulai sidak sekarang")
    page.wait_for_selector("li.spot-entry")
    staff = demo["staff"]
    spot = SpotCheck.objects.get()
    for person in staff:
        entry = spot.entries.get(employee=person)
        assert entry.checked_in
        button = "Tidak terlihat" if person == staff[1] else "Terlihat"
        page.locator(f"#entry-{entry.pk}").get_by_role("button", name=button, exact=True).tap()
        page.wait_for_selector(f"#entry-{entry.pk} button.chosen")
    shot(page, "spot-check-marking-360x740")
    sheet = ARTEFACTS / "daftar-hadir.png"
    page.screenshot(path=str(sheet))
    page.set_input_files("input[name=sheet_photo]", str(sheet))
    page.click("button:has-text('Selesai dan cocokkan')")
    page.wait_for_selector("text=Presensi tetapi tidak terlihat (ditandai)")
    result = page.inner_text("main")
    assert staff[1].name in result.split("Presensi tetapi tidak terlihat")[1]
    shot(page, "spot-check-result-360x740")
    flag = DayFlag.objects.get(employee=staff[1], day=timezone.localdate())
    assert "spot_check_unseen" in flag.codes
    page.click(f"section a:has-text('{staff[1].name}')")
    page.wait_for_selector("text=Kejadian presensi")
    assert "tidak terlihat" in page.inner_text("main")  # the flag's evidence, in Indonesian
    shot(page, "spot-check-flagged-employee-day-360x740")
    context.close()


PAGES = {
    "board": "/pantau/papan/",
    "board-late": "/pantau/papan/?status=not_yet",
    "spot-checks": "/pantau/sidak/",
    "overview": "/pantau/ikhtisar/",
    "audit-log": "/pantau/ikhtisar/audit/",
}


@pytest.mark.parametrize(("size_name", "size"), [("1366x768", DESKTOP), ("360x740", PHONE)])
def test_screenshots_of_the_main_pages(browser, live_server, demo, size_name, size):
    context = browser.new_context(locale="id-ID", viewport=size)
    page = context.new_page()
    page.goto(f"{live_server.url}/pantau/masuk/")
    shot(page, f"login-{size_name}")
    log_in(page, live_server, login_of(demo, RoleKind.BKPSDM_ADMIN).username)
    opd = demo["head"].opd_id
    for name, path in PAGES.items():
        joiner = "&" if "?" in path else "?"
        target = f"{path}{joiner}opd={opd}" if path.startswith("/pantau/papan/") else path
        assert page.goto(f"{live_server.url}{target}").status == 200
        shot(page, f"{name}-{size_name}")
        # No horizontal scrolling on a phone: each page is as wide as the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"] + 1, name
    page.goto(f"{live_server.url}/pantau/pegawai/{demo['staff'][0].pk}/")
    shot(page, f"employee-day-{size_name}")
    # No horizontal scrolling on a phone: the page is as wide as the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"] + 1
    context.close()


def test_an_atasan_approves_a_leave_request_by_clicking(browser, live_server, demo):
    """The demo's pending leave on /pantau/cuti/: the DL destination drawn on its map, a
    rejection without a reason refused in the row, an approval swapped in place (htmx) and
    the navigation's count going down. Screenshots before and after, desktop and phone."""
    from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus
    from hadir.supervise.demo import seed_pending_leave

    seed_pending_leave(timezone.localdate())
    atasan = login_of(demo, RoleKind.SUPERVISOR)
    mine = LeaveRequest.objects.filter(
        status=LeaveStatus.PENDING, employee__supervisor__user__username=atasan.username
    )
    waiting = mine.count()
    duty = mine.get(kind=LeaveKind.DL)
    other = mine.exclude(pk=duty.pk).order_by("pk").first()
    for size_name, size in (("1366x768", DESKTOP), ("360x740", PHONE)):
        context = browser.new_context(locale="id-ID", viewport=size)
        page = context.new_page()
        log_in(page, live_server, atasan.username)
        errors = []
        page.on("pageerror", lambda error, seen=errors: seen.append(str(error)))
        page.goto(f"{live_server.url}/pantau/cuti/")
        assert page.inner_text("#nav-leave-count") == str(waiting)
        page.wait_for_selector(f"#leave-{duty.pk} .leave-map[data-ready='1'] path.destination")
        assert "Palangka Raya" in page.inner_text(f"#leave-{duty.pk}")
        shot(page, f"leave-pending-{size_name}")
        assert not errors, errors
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"] + 1
        context.close()
    context = browser.new_context(locale="id-ID", viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server, atasan.username)
    page.goto(f"{live_server.url}/pantau/cuti/")
    row = page.locator(f"#leave-{other.pk}")
    row.get_by_role("button", name="Tolak", exact=True).click()
    page.wait_for_selector(f"#leave-{other.pk} li.error")
    assert "Penolakan harus disertai alasan." in page.inner_text(f"#leave-{other.pk}")
    row = page.locator(f"#leave-{duty.pk}")
    row.locator("textarea[name=reason]").fill("Silakan, laporkan hasil rapat.")
    row.get_by_role("button", name="Setujui", exact=True).click()
    page.wait_for_selector(f"#leave-{duty.pk}[data-status='approved']")
    approved = page.inner_text(f"#leave-{duty.pk}")
    assert "disetujui" in approved
    assert "Silakan, laporkan hasil rapat." in approved
    assert page.inner_text("#nav-leave-count") == str(waiting - 1)
    assert page.inner_text("#tab-leave-count") == str(waiting - 1)
    page.wait_for_selector(f"#leave-{duty.pk} .leave-map[data-ready='1']")  # drawn again
    shot(page, "leave-approved-1366x768")
    duty.refresh_from_db()
    assert duty.status == LeaveStatus.APPROVED
    assert duty.decided_by.username == atasan.username
    context.close()
