"""Flag review on the map and discipline cases in the browser: confirm a flag, open a case,
issue a summons and a teguran tertulis and download both letters (first pages rendered to PNG),
see an overdue case escalated. Screenshots at 1366x768 and 360x740 and the letters' PNGs are
kept in test-results/cases/."""

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hadir.cases import services
from hadir.cases.models import DisciplineCase, Letter
from hadir.domain.discipline_cases import add_working_days
from hadir.fraud.models import FlagReview
from tests.cases.conftest import World, open_case_for
from tests.checkin.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "cases"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def world(client):
    return World(client)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def shoot(page, name: str) -> None:
    """The current page at laptop and phone width, full length."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1366x768", LAPTOP), ("360x740", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)  # the map re-lays out on resize
        page.screenshot(path=str(ARTEFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(LAPTOP)


def first_page_png(pdf: Path, name: str) -> Path:
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTEFACTS / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    png = prefix.with_suffix(".png")
    assert png.stat().st_size > 10_000  # a rendered page, not an empty image
    return png


def test_a_reviewer_reviews_a_flag_on_the_map_and_confirms_it(page, live_server, world):
    flag = world.flagged_day(world.enrolled_device())
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, "kepala_disdik")
    page.goto(f"{live_server.url}/pantau/flag/")
    assert page.locator("table tbody tr").count() == 1
    shoot(page, "flag-queue")

    page.click(f"a[href='/pantau/flag/{flag.pk}/']")
    page.wait_for_selector("#flag-map[data-ready='1']")
    assert page.get_attribute("#flag-map", "data-points") == "2"
    # Without a tile server the fence and both fixes are still drawn (SVG paths).
    assert page.locator("#flag-map path.fix").count() == 2
    assert page.locator("#flag-map path").count() >= 3
    assert page.locator("#flag-map .leaflet-tile").count() == 0
    assert page.locator("#timeline li").count() == 2
    assert "Sari" in page.inner_text("#colleagues")
    shoot(page, "flag-detail")

    page.check("input[name=decision][value=confirmed]")
    page.fill("#id_reason", "Presensi dari ponsel rekan, dicek saat apel")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#review-state .badge.confirmed")
    assert FlagReview.objects.get().decision == "confirmed"
    assert page.locator("a[href*='/pantau/kasus/buka/?flag=']").count() == 1


def _download(page, selector: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    info.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    return target


def test_a_case_is_opened_summoned_and_decided_with_its_letters(page, live_server, world, tmp_path):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, "kepala_disdik")
    page.goto(f"{live_server.url}/pantau/kasus/buka/")
    shoot(page, "case-open")
    page.select_option("#id_employee", str(world.employee.pk))
    page.select_option("#id_ground", "spot_check")
    page.fill("#id_source_ref", "Sidak apel 2 Desember")
    page.fill("#id_violation", "Tidak berada di kantor saat sidak padahal tercatat hadir")
    page.click("#open-form button[type=submit]")
    page.wait_for_selector("#form-summon")
    case = DisciplineCase.objects.get()

    today = services.today()
    exam = add_working_days(today, 8, services.off_days(today))
    page.fill("#id_summon-examination_on", exam.isoformat())
    page.fill("#id_summon-examination_place", "Ruang Kepala Dinas Pendidikan")
    page.click("#form-summon button[type=submit]")
    page.wait_for_selector("#letters a[data-kind='summons_1']")
    summons = _download(page, "#letters a[data-kind='summons_1']", tmp_path / "summons.pdf")
    first_page_png(summons, "letter-surat-panggilan-1")

    page.fill("#id_examine-held_on", today.isoformat())
    page.fill(
        "#id_examine-findings", "T: Di mana Saudara saat sidak? J: Mengantar anak ke sekolah."
    )
    page.fill("#id_examine-statement", "Saya mengakui dan tidak akan mengulangi.")
    page.click("#form-examine button[type=submit]")
    page.wait_for_selector("#form-decide")
    page.select_option("#id_decide-decision", "teguran_tertulis")
    page.fill("#id_decide-grounds", "Pelanggaran pertama, pegawai kooperatif.")
    page.click("#form-decide button[type=submit]")
    page.wait_for_selector("#letters a[data-kind='teguran_tertulis']")
    decision = _download(page, "#letters a[data-kind='teguran_tertulis']", tmp_path / "tt.pdf")
    first_page_png(decision, "letter-teguran-tertulis")
    shoot(page, "case-detail")

    case.refresh_from_db()
    assert (case.stage, case.decision) == ("decided", "teguran_tertulis")
    assert list(Letter.objects.order_by("seq").values_list("kind", flat=True)) == [
        "summons_1",
        "examination",
        "teguran_tertulis",
    ]


def test_an_overdue_case_is_escalated_and_shown_to_the_head_and_bkpsdm(page, live_server, world):
    case = open_case_for(world, now=timezone.now() - timedelta(days=21))
    assert services.escalate_overdue() == 1
    page.set_viewport_size(LAPTOP)
    for username in ("kepala_disdik", "bkpsdm"):
        page.context.clear_cookies()
        log_in(page, live_server, username)
        page.goto(f"{live_server.url}/pantau/kasus/?status=overdue")
        row = page.locator("table tbody tr")
        assert row.count() == 1
        assert "dieskalasi" in row.inner_text()
    shoot(page, "case-list-overdue")
    page.goto(f"{live_server.url}/pantau/kasus/{case.pk}/")
    assert "dieskalasi ke Kepala OPD dan BKPSDM" in page.inner_text("#case-due")
    shoot(page, "case-escalated")
    page.context.clear_cookies()
    log_in(page, live_server, "kepala_dinkes")
    page.goto(f"{live_server.url}/pantau/kasus/?status=overdue")
    assert page.locator("table tbody tr").count() == 0
