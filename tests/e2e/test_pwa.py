"""The employee's app in a real browser (headless Chromium) against a live Hadir server.

Screenshots of the main screens at 360x740 are written to test-results/pwa/.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hadir.checkin import devices as device_service
from hadir.checkin.models import Device, DeviceStatus, PresenceChallenge
from hadir.client import DeviceKey
from hadir.domain.office_code import parse_office_qr
from hadir.notify.services import deliver_pending
from hadir.pwa.models import PushSubscription
from hadir.pwa.push import WebPushSender
from tests.e2e.pwa_helpers import (
    INSIDE,
    OUTSIDE,
    log_in,
    office_and_employee,
    persistent_phone,
    phone_context,
    records,
    result_text,
    shot,
    wait_home,
    y4m_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sent_push(employee) -> dict:
    """What the Web Push sender sends for the employee's pending notification (its network
    call replaced: headless Chromium has no push service to subscribe to)."""
    device = employee.devices.get(status=DeviceStatus.ACTIVE)
    PushSubscription.objects.create(
        device=device, endpoint="https://push.invalid/e2e", p256dh="x" * 87, auth="y" * 22
    )
    messages = []

    class Recording(WebPushSender):
        def push(self, subscription, message, ttl_s=3600):
            messages.append(message)
            return "sent"

    deliver_pending(timezone.now() + timedelta(seconds=1), senders=[Recording()])
    (message,) = messages
    return message


def deliver_push(context, page, origin: str, message: dict) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    (registration,) = [r for r in registrations if r["scopeURL"].endswith("/app/")]
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message),
        },
    )


def test_a_second_phone_waits_for_approval_then_checks_in_inside_and_outside_and_answers(
    browser, live_server
):
    workplace, employee = office_and_employee()
    old = DeviceKey.generate()
    device_service.enrol_device(employee, old.spki_b64, "p256", {"model": "lama"}, timezone.now())
    context = phone_context(browser, permissions=["geolocation", "notifications"])
    page = context.new_page()
    shot_login = None
    try:
        page.goto(f"{live_server.url}/app/")
        page.wait_for_selector("#login")
        shot_login = shot(page, "01-login")
        log_in(page, live_server.url, employee.identifier)
        page.wait_for_selector("#pending")
        pending = page.inner_text("#pending")
        assert "Menunggu persetujuan" in pending
        assert "atasan langsung" in pending
        assert "Siti Rahmawati" in pending
        shot(page, "02-menunggu-persetujuan")

        new = Device.objects.get(employee=employee, status=DeviceStatus.PENDING)
        assert new.algorithm == "p256"
        assert new.description["app_version"] == "hadir-pwa/1"
        device_service.approve_device(new, "user:atasan", timezone.now())
        page.click("#pending button.primary")
        wait_home(page)
        assert "di dalam area Kantor Dinas Pendidikan" in page.inner_text("#where")
        shot(page, "03-beranda")

        page.click("#check-in")
        assert "Diterima" in result_text(page)
        (first,) = records(employee, kind="check_in")
        assert first.outcome == "accepted"
        assert not first.queued_offline
        page.wait_for_function("document.querySelector('#today').innerText.includes(':')")
        shot(page, "04-masuk-diterima", focus="#result")

        context.set_geolocation(OUTSIDE)
        page.wait_for_function("document.querySelector('#where').textContent.includes('luar')")
        page.click("#check-out")
        text = result_text(page)
        assert "Diterima dengan catatan" in text
        assert "Lokasi di luar area kantor" in text
        shot(page, "05-pulang-di-luar-area", focus="#result")

        context.set_geolocation(
            {
                "latitude": workplace.geofence["lat"],
                "longitude": workplace.geofence["lon"],
                "accuracy": 10,
            }
        )
        now = timezone.now()
        challenge = PresenceChallenge.objects.create(
            challenge_id="cek-e2e-0001",
            employee=employee,
            workplace=workplace,
            issued_at=now - timedelta(minutes=1),
            deadline=now + timedelta(minutes=30),
        )
        # The worker hands the notification to the Web Push sender; what it would send, the
        # push service delivers to the service worker (as it would wake a closed app): a
        # notification, and the open app shows the check at once.
        message = sent_push(employee)
        deliver_push(context, page, live_server.url, message)
        page.wait_for_selector("#challenge")
        titles = page.evaluate(
            "navigator.serviceWorker.ready.then((r) => r.getNotifications())"
            ".then((ns) => ns.map((n) => n.title + ' | ' + n.body))"
        )
        assert titles == [f"Cek kehadiran | {message['body']}"]
        assert message["body"].startswith("Buka Hadir dan jawab sebelum pukul ")
        shot(page, "06-cek-kehadiran", focus="#challenge")
        page.click("#answer")
        assert "Menjawab permintaan cek kehadiran" in result_text(page)
        challenge.refresh_from_db()
        assert challenge.answered_by.kind == "presence_check"
    finally:
        context.close()
    assert shot_login.exists()


def test_an_offline_check_in_survives_closing_the_app_and_is_stored_exactly_once(
    playwright, live_server, tmp_path
):
    _, employee = office_and_employee()
    profile = tmp_path / "phone"
    phone = persistent_phone(playwright, profile)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, employee.identifier)
        wait_home(page)
        page.evaluate("navigator.serviceWorker.ready")
        phone.set_offline(True)
        page.click("#check-in")
        assert "Tersimpan, akan dikirim otomatis" in result_text(page)
        shot(page, "07-tersimpan-luring", focus="#result")
        assert records(employee) == []
    finally:
        phone.close()  # the app is closed (or the phone restarted) before any network

    phone = persistent_phone(playwright, profile)
    try:
        phone.set_offline(True)
        page = phone.new_page()
        page.goto(f"{live_server.url}/app/")  # from the service worker's cache
        page.wait_for_selector("#queue")
        assert "1 presensi tersimpan" in page.inner_text("#queue")
        phone.set_offline(False)
        page.wait_for_function("!document.querySelector('#queue')", timeout=20000)
        (stored,) = records(employee)
        assert stored.kind == "check_in"
        assert stored.queued_offline
        assert stored.outcome != "rejected"
        # Opening the app again sends nothing twice.
        page.reload()
        wait_home(page)
        page.wait_for_timeout(500)
        assert len(records(employee)) == 1
    finally:
        phone.close()


def test_the_office_qr_from_the_camera_proves_place_and_dates_an_offline_check_out(
    browser, playwright, live_server, tmp_path
):
    workplace, employee = office_and_employee()
    # A frame of the office screen itself, provisioned as an administrator would.
    screen = browser.new_context(viewport={"width": 800, "height": 800})
    provision = {
        "workplace": workplace.code,
        "name": workplace.name,
        "secret": workplace.office_secret,
        "step": 15,
        "digits": 6,
    }
    screen.add_init_script(
        f"localStorage.setItem('hadir.office.provision', {json.dumps(json.dumps(provision))})"
    )
    office = screen.new_page()
    office.goto(f"{live_server.url}/office/screen/")
    office.wait_for_selector("#qr svg")
    frame = y4m_of(office.locator("#qr").screenshot(), tmp_path / "office.y4m")
    shot(office, "00-layar-kantor")
    screen.close()

    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={frame}",
    ]
    phone = persistent_phone(playwright, tmp_path / "phone", args=camera, permissions=["camera"])
    try:
        page = phone.new_page()
        log_in(page, live_server.url, employee.identifier)
        wait_home(page)
        page.click("#scan")
        page.wait_for_selector("#office-ok", timeout=20000)
        assert workplace.code in page.inner_text("#office-ok")
        shot(page, "08-qr-terpindai", focus="#office")
        page.click("#check-in")
        text = result_text(page)
        assert "Kode kantor sah" in text
        (online,) = records(employee)
        assert online.office_code_valid is True
        assert any(r["code"] == "office_code_valid" for r in online.reasons)

        # Offline, with nothing but the scanned QR to date the event (a browser has no boot
        # clock): the server takes the QR's step as the time of record.
        page.evaluate("navigator.serviceWorker.ready")
        page.click("#scan")
        page.wait_for_selector("#office-ok", timeout=20000)
        phone.set_offline(True)
        page.click("#check-out")
        assert "Tersimpan" in result_text(page)
        phone.set_offline(False)
        page.wait_for_function(
            "document.querySelector('#result')?.innerText.includes('terkirim')", timeout=20000
        )
        shot(page, "09-qr-waktu-luring", focus="#result")
        offline = records(employee, kind="check_out")[0]
        assert offline.queued_offline
        codes = [r["code"] for r in offline.reasons]
        assert "offline_time_from_office_qr" in codes
        assert "offline_time_unverifiable" not in codes
        qr = parse_office_qr(json.loads(bytes(offline.body))["office_qr"])
        assert offline.time_of_record == qr.step_start(15)
        assert "Waktu event luring diambil dari kode QR kantor" in page.inner_text("#result")
    finally:
        phone.close()


def test_first_login_with_an_activation_code_then_leave_with_a_photo_month_and_phones(
    browser, live_server, tmp_path
):
    from PIL import Image

    from hadir.attendance.models import LeaveRequest
    from hadir.org import activation

    _, employee = office_and_employee()
    employee.user.set_unusable_password()  # a new account: the first login takes a code
    employee.user.save()
    (issued,) = activation.issue_codes([employee], valid_days=14, actor="test")
    photo = tmp_path / "surat.png"
    Image.new("RGB", (2400, 3200), (250, 250, 240)).save(photo)  # a big camera picture
    context = phone_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/app/")
        page.click("#to-activate")
        page.fill("#a-identifier", employee.identifier)
        page.fill("#a-code", activation.display(issued.code))
        page.fill("#a-password", "kopi-susu-pagi-77")
        page.fill("#a-password2", "kopi-susu-pagi-77")
        shot(page, "01b-aktivasi")
        page.click("#activate button[type=submit]")
        wait_home(page)
        page.click("#check-in")
        result_text(page)

        page.click("#nav a[href='#izin']")
        page.wait_for_selector("#leave-form option", state="attached")
        page.select_option("#kind", "S")
        page.fill("#reason", "Demam tinggi")
        page.set_input_files("#photo", str(photo))
        shot(page, "10-izin-form")
        page.click("#leave-form button[type=submit]")
        page.wait_for_function(
            "document.querySelector('#leave-error').textContent.includes('terkirim')"
        )
        leave = LeaveRequest.objects.get(employee=employee)
        assert leave.kind == "S"
        assert leave.status == "pending"
        assert leave.attachment.open("rb").read(3) == b"\xff\xd8\xff"  # the photo, as JPEG
        assert leave.attachment.size < 2 * 1024 * 1024
        assert "menunggu persetujuan" in page.inner_text("#leave-list")
        shot(page, "11-izin-terkirim", focus="#leave-list")

        page.click("#nav a[href='#riwayat']")
        page.wait_for_selector("#days .day")
        assert "masuk " in page.inner_text("#days")
        shot(page, "12-riwayat")

        page.click("#nav a[href='#perangkat']")
        page.wait_for_selector("text=ponsel ini")
        assert "aktif" in page.inner_text("main")
        shot(page, "13-perangkat")
    finally:
        context.close()


def test_dinas_luar_with_the_destination_at_the_current_location(browser, live_server):
    from hadir.attendance.models import LeaveRequest

    _, employee = office_and_employee()
    there = {"latitude": -2.20961, "longitude": 113.91362, "accuracy": 10}  # Palangka Raya
    context = phone_context(browser, geolocation=there)
    page = context.new_page()
    try:
        log_in(page, live_server.url, employee.identifier)
        page.wait_for_selector("#check-in")
        page.click("#nav a[href='#izin']")
        page.wait_for_selector("#leave-form option", state="attached")
        assert not page.is_visible("#destination")  # only for dinas luar
        page.select_option("#kind", "DL")
        page.fill("#reason", "Rapat koordinasi di provinsi")
        page.fill("#assignment_letter", "094/12/DISDIK/2026")
        page.fill("#destination", "Kantor Gubernur, Palangka Raya")
        page.fill("#destination_point", "dekat bundaran")
        page.click("#leave-form button[type=submit]")
        assert "dua angka" in page.inner_text("#leave-error")  # not sent
        page.click("#use-location")
        page.wait_for_function("document.querySelector('#destination_point').value !== "
                               "'dekat bundaran'")  # fmt: skip
        assert page.input_value("#destination_point") == "-2.20961, 113.91362"
        shot(page, "10b-dinas-luar", focus="#duty-fields")
        page.click("#leave-form button[type=submit]")
        page.wait_for_function(
            "document.querySelector('#leave-error').textContent.includes('terkirim')"
        )
        leave = LeaveRequest.objects.get(employee=employee)
        assert (leave.kind, leave.assignment_letter) == ("DL", "094/12/DISDIK/2026")
        assert leave.destination == "Kantor Gubernur, Palangka Raya"
        assert (leave.destination_lat, leave.destination_lon) == (-2.20961, 113.91362)
        assert "Tujuan: Kantor Gubernur, Palangka Raya" in page.inner_text("#leave-list")
    finally:
        context.close()


def test_the_app_is_usable_with_text_at_150_percent_and_every_target_is_48_px(browser, live_server):
    _, employee = office_and_employee()
    context = phone_context(browser)
    page = context.new_page()
    try:
        log_in(page, live_server.url, employee.identifier)
        wait_home(page)
        page.add_style_tag(content="html { font-size: 150% !important; }")
        page.wait_for_timeout(100)
        shot(page, "14-teks-150-persen")
        too_small = page.evaluate(
            """() => [...document.querySelectorAll('button, a, input, select, textarea')]
                .filter((n) => n.offsetParent !== null)
                .map((n) => [n.id || n.textContent.trim(), n.getBoundingClientRect()])
                .filter(([, r]) => r.height < 48 || r.width < 48)
                .map(([name]) => name)"""
        )
        assert too_small == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        hover_rules = page.evaluate(
            "[...document.styleSheets].flatMap((s) => [...s.cssRules])"
            ".filter((r) => r.selectorText && r.selectorText.includes(':hover')).length"
        )
        assert hover_rules == 0
        page.click("#check-in")  # still usable
        assert "Diterima" in result_text(page)
    finally:
        context.close()


def test_check_in_works_on_a_3g_connection(browser, live_server):
    _, employee = office_and_employee()
    context = phone_context(browser)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 300,
            "downloadThroughput": 50_000,
            "uploadThroughput": 20_000,
        },
    )  # "Slow 3G"-like: 400 kbit/s down, 300 ms round trips
    try:
        log_in(page, live_server.url, employee.identifier)
        wait_home(page)
        page.click("#check-in")
        assert "Diterima" in result_text(page)
    finally:
        context.close()


def test_a_refused_queued_event_does_not_block_the_ones_after_it(browser, live_server):
    _, employee = office_and_employee()
    context = phone_context(browser)
    page = context.new_page()
    try:
        log_in(page, live_server.url, employee.identifier)
        wait_home(page)
        context.set_offline(True)
        # Made while the phone's clock was an hour ahead: an offline event with nothing else
        # to date it claims a time in the future, and the server refuses it (event_in_future).
        page.evaluate(
            """async ([employee, lat, lon]) => {
                const events = await import("/static/pwa/events.js");
                const Real = Date;
                const ahead = 3600e3;
                class Ahead extends Real {
                    constructor(...a) { if (a.length) super(...a); else super(Real.now() + ahead); }
                    static now() { return Real.now() + ahead; }
                }
                globalThis.Date = Ahead;
                try {
                    await events.makeEvent({ employee, kind: "check_in", offline: true,
                        fix: { lat, lon, accuracy: 10, timestamp: Ahead.now() } });
                } finally { globalThis.Date = Real; }
            }""",
            [employee.identifier, INSIDE["latitude"], INSIDE["longitude"]],
        )
        page.click("#check-out")
        assert "Tersimpan" in result_text(page)
        context.set_offline(False)
        page.wait_for_function("!document.querySelector('#queue')", timeout=20000)
        refused, accepted = records(employee)
        assert refused.outcome == "rejected"
        assert "event_in_future" in [r["code"] for r in refused.reasons]
        assert accepted.kind == "check_out"
        assert accepted.outcome == "accepted_with_warnings"
    finally:
        context.close()
