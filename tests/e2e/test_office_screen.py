"""The office screen shows the workplace's rotating code, and keeps doing so offline."""

from datetime import UTC, datetime

import pyotp
import pytest

from hadir.org.models import RoleKind
from tests.factories import make_opd, make_user, make_workplace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def valid_codes(secret: str, step: int) -> set[str]:
    totp, now = pyotp.TOTP(secret, interval=step), datetime.now(UTC).timestamp()
    return {totp.at(now + delta) for delta in (-step, 0, step)}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "rahasia-kuat-123")
    page.click("input[type=submit]")


def test_a_provisioned_screen_shows_the_current_code_and_survives_going_offline(page, live_server):
    opd = make_opd()
    workplace = make_workplace(opd, "DISDIK-KANTOR")
    make_user("admin_disdik", role=RoleKind.OPD_ADMIN, opd=opd)
    log_in(page, live_server, "admin_disdik")

    page.goto(f"{live_server.url}/office/DISDIK-KANTOR/provision/")
    page.click("input[type=submit]")  # the secret is handed out on an explicit POST
    page.wait_for_selector("#code[data-code]")
    assert page.url.endswith("/office/screen/")  # the secret's URL is not left in the bar
    shown = page.inner_text("#code")
    assert shown in valid_codes(workplace.office_secret, workplace.office_code_step_s)
    assert page.locator("#qr svg").count() == 1
    page.evaluate("navigator.serviceWorker.ready")

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("#code[data-code]")
    assert page.inner_text("#code") in valid_codes(
        workplace.office_secret, workplace.office_code_step_s
    )
    assert "Offline" in page.inner_text("#status") or "Luring" in page.inner_text("#status")


def test_an_employee_of_another_opd_cannot_provision_a_screen(page, live_server):
    make_workplace(make_opd(), "DISDIK-KANTOR")
    other = make_opd("DINKES", "Dinas Kesehatan")
    make_user("admin_dinkes", role=RoleKind.OPD_ADMIN, opd=other)
    log_in(page, live_server, "admin_dinkes")
    response = page.goto(f"{live_server.url}/office/DISDIK-KANTOR/provision/")
    assert response.status == 403
