"""Offline events are timed by the phone's monotonic clock and judged by the office's tier;
an office code proves presence when it is the one on the office screen at that time."""

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from hadir.client import DeviceClock, ManualTime
from hadir.org.models import Workplace

pytestmark = pytest.mark.django_db

REMOTE = (-1.35, 112.60)
TOWN = (-2.5375, 112.95)


@pytest.fixture
def clock():
    return ManualTime(timezone.now() - timedelta(days=3))


@pytest.fixture
def phone(regency, clock):
    device = regency.enrolled_device(now=clock)
    device.clock = DeviceClock(clock, uptime=timedelta(hours=2))
    return device


def send_at(regency, event, received_at):
    from hadir.checkin.ingest import ingest

    return ingest(event.body, event.headers, "10.0.0.1", received_at)


def test_a_remote_check_in_synced_two_days_later_is_accepted_without_warning(regency, phone, clock):
    contact = send_at(regency, phone.make_event("check_in", *TOWN, 10.0), clock())
    assert contact.status == 201
    clock.advance(hours=1)
    made_at = clock()
    offline = phone.make_event("check_in", *REMOTE, 40.0, queued_offline=True)
    result = send_at(regency, offline, made_at + timedelta(hours=48))
    codes = {r["code"] for r in result.payload["reasons"]}
    assert result.payload["outcome"] == "accepted", codes
    assert abs(timezone.datetime.fromisoformat(result.payload["time_of_record"]) - made_at) < (
        timedelta(seconds=1)
    )


def test_a_town_check_in_queued_for_an_hour_is_flagged(regency, phone, clock):
    send_at(regency, phone.make_event("check_in", *TOWN, 10.0), clock())
    clock.advance(hours=1)
    offline = phone.make_event("check_out", *TOWN, 10.0, queued_offline=True)
    result = send_at(regency, offline, clock() + timedelta(hours=1))
    assert result.payload["outcome"] == "accepted_with_warnings"
    assert "offline_late" in {r["code"] for r in result.payload["reasons"]}


def test_a_back_dated_offline_event_cannot_hide_behind_its_wall_clock(regency, phone, clock):
    send_at(regency, phone.make_event("check_in", *TOWN, 10.0), clock())
    clock.advance(hours=9)  # really made at 16:30-ish, wall clock set back to the morning
    phone.clock.set_wall_offset(timedelta(hours=-8))
    late = phone.make_event("check_in", *TOWN, 10.0, queued_offline=True)
    result = send_at(regency, late, clock() + timedelta(minutes=1))
    recorded = timezone.datetime.fromisoformat(result.payload["time_of_record"])
    assert abs(recorded - clock()) < timedelta(seconds=1)
    assert "clock_tampering" in {r["code"] for r in result.payload["reasons"]} or (
        "device_clock_skew" in {r["code"] for r in result.payload["reasons"]}
    )


def test_the_current_office_code_is_positive_evidence(regency, phone, clock):
    office = Workplace.objects.get(code="DISDIK-KANTOR")
    code = pyotp.TOTP(office.office_secret, interval=office.office_code_step_s).at(clock())
    result = send_at(regency, phone.make_event("check_in", *TOWN, 10.0, office_code=code), clock())
    assert "office_code_valid" in {r["code"] for r in result.payload["reasons"]}


def test_a_photo_of_the_code_relayed_ten_minutes_later_is_invalid(regency, phone, clock):
    office = Workplace.objects.get(code="DISDIK-KANTOR")
    old = pyotp.TOTP(office.office_secret, interval=office.office_code_step_s).at(
        clock() - timedelta(minutes=10)
    )
    result = send_at(regency, phone.make_event("check_in", *TOWN, 10.0, office_code=old), clock())
    assert result.payload["outcome"] == "accepted_with_warnings"
    assert "office_code_invalid" in {r["code"] for r in result.payload["reasons"]}


def test_office_wifi_and_office_network_are_recorded_as_positive_evidence(regency, phone, clock):
    from hadir.checkin.ingest import ingest

    event = phone.make_event("check_in", *TOWN, 10.0, wifi=[("AA:BB:CC:00:00:01", -60)])
    result = ingest(event.body, event.headers, "203.0.113.5", clock())
    codes = {r["code"] for r in result.payload["reasons"]}
    assert {"bssid_match", "workplace_network"} <= codes
