"""Shared pieces of the employee app's browser tests: the office, the employee, the phone."""

from __future__ import annotations

import io
from pathlib import Path

from hadir.checkin.models import EvidenceRecord
from hadir.org.models import OfficeCodeMode
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import SAMPIT, make_employee, make_opd, make_user, make_workplace

PASSWORD = "rahasia-kuat-123"
PHONE = {"width": 360, "height": 740}
INSIDE = {"latitude": SAMPIT[0] + 0.0002, "longitude": SAMPIT[1], "accuracy": 12}
OUTSIDE = {"latitude": SAMPIT[0] + 0.02, "longitude": SAMPIT[1], "accuracy": 15}
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "pwa"


def office_and_employee(identifier: str = "199204182019032001"):
    opd = make_opd()
    workplace = make_workplace(
        opd, "DISDIK-KANTOR", office_code_mode=OfficeCodeMode.OPTIONAL, office_code_step_s=15
    )
    atasan = make_employee(opd, [workplace], name="Siti Rahmawati")
    user = make_user(identifier, staff=False)
    employee = make_employee(
        opd, [workplace], identifier=identifier, name="Budi Santoso", user=user, supervisor=atasan
    )
    return workplace, employee


def phone_context(browser, **options):
    return browser.new_context(
        viewport=PHONE,
        locale="id-ID",
        geolocation=options.pop("geolocation", INSIDE),
        permissions=options.pop("permissions", ["geolocation"]),
        **options,
    )


def persistent_phone(playwright, profile: Path, *, args=(), geolocation=INSIDE, **options):
    """A phone whose storage lives on disk (IndexedDB survives closing it), in its own browser."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, *args],
        viewport=PHONE,
        locale="id-ID",
        geolocation=geolocation,
        permissions=["geolocation", *options.pop("permissions", ())],
        **options,
    )


def log_in(page, base_url: str, identifier: str, password: str = PASSWORD):
    page.goto(f"{base_url}/app/")
    page.fill("#identifier", identifier)
    page.fill("#password", password)
    page.click("#login button[type=submit]")


def wait_home(page):
    page.wait_for_selector("#check-in")
    page.wait_for_function("document.querySelector('#where')?.textContent.includes('±')")


def shot(page, name: str, focus: str | None = None) -> Path:
    """What the phone's screen shows (360x740), scrolled to `focus` if given."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    if focus:
        page.locator(focus).scroll_into_view_if_needed()
    page.screenshot(path=str(path))
    return path


def result_text(page) -> str:
    page.wait_for_function(
        "(() => { const r = document.querySelector('#result');"
        " return r && !r.classList.contains('wait'); })()"
    )
    return page.inner_text("#result")


def records(employee, **filters):
    return list(EvidenceRecord.objects.filter(employee=employee, **filters).order_by("id"))


def y4m_of(png: bytes, path: Path, width: int = 640, height: int = 480) -> Path:
    """One video frame (4:2:0, the format Chromium's fake camera reads) showing the image."""
    from PIL import Image

    frame = Image.new("RGB", (width, height), "white")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((height - 40, height - 40))
    frame.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + planes)
    return path
