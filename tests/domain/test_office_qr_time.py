"""A scanned office QR dates an offline event when no boot clock can (a web app's case), and a
typed code may only confirm the time the phone claims. Both ways, in the pure core."""

from datetime import UTC, datetime, timedelta

import pytest

from hadir.client import Device, DeviceClock
from hadir.domain.office_code import (
    QR_MAC_BYTES,
    OfficeQr,
    office_code_at,
    office_qr_authentic,
    office_qr_fits,
    office_qr_text,
    office_step,
    parse_office_qr,
)
from hadir.domain.reasons import CATALOGUE
from tests.domain.test_verification import NIP, SECRET, T0, World, codes, reason

OTHER_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


# --- The QR text -----------------------------------------------------------------------------


def test_the_qr_names_the_workplace_and_the_step_with_a_96_bit_mac():
    text = office_qr_text(SECRET, "PKM-01", T0)
    qr = parse_office_qr(text)
    assert qr == OfficeQr("PKM-01", office_step(T0), qr.mac)
    assert len(bytes.fromhex(qr.mac)) == QR_MAC_BYTES >= 8
    assert qr.step_start(15) <= T0 < qr.step_start(15) + timedelta(seconds=15)
    assert office_qr_authentic(SECRET, qr)


@pytest.mark.parametrize(
    "forged",
    [
        lambda qr: OfficeQr(qr.workplace_code, qr.step - 40, qr.mac),  # back-dated step
        lambda qr: OfficeQr("PKM-02", qr.step, qr.mac),  # another office
        lambda qr: OfficeQr(qr.workplace_code, qr.step, "0" * 24),
    ],
)
def test_a_qr_altered_in_step_workplace_or_mac_is_not_authentic(forged):
    qr = parse_office_qr(office_qr_text(SECRET, "PKM-01", T0))
    assert not office_qr_authentic(SECRET, forged(qr))


def test_another_workplaces_secret_does_not_authenticate_the_qr():
    qr = parse_office_qr(office_qr_text(SECRET, "PKM-01", T0))
    assert not office_qr_authentic(OTHER_SECRET, qr)


@pytest.mark.parametrize(
    "text",
    [None, "", "hadir:oc:PKM-01:123456", "hadir:oq1:PKM-01:12:abc", "hadir:oq1::1:" + "a" * 24],
)
def test_text_that_is_not_an_office_qr_parses_to_nothing(text):
    assert parse_office_qr(text) is None


@pytest.mark.parametrize(
    ("seconds_after_step", "fits"),
    [(-31, False), (-29, True), (0, True), (14, True), (15 + 120, True), (15 + 121, False)],
)
def test_an_event_fits_a_qr_from_just_before_it_but_not_one_kept_for_long(seconds_after_step, fits):
    qr = parse_office_qr(office_qr_text(SECRET, "PKM-01", T0))
    at = qr.step_start(15) + timedelta(seconds=seconds_after_step)
    assert office_qr_fits(qr, at, 15, timedelta(minutes=2), ahead_steps=2) is fits


def test_the_new_reasons_are_in_the_catalogue_with_their_severity():
    assert CATALOGUE["offline_time_from_office_qr"].severity == "info"
    assert CATALOGUE["offline_time_confirmed_by_office_code"].severity == "info"
    assert CATALOGUE["office_qr_time_mismatch"].severity == "soft"


# --- A web app: no boot clock ----------------------------------------------------------------


def web_world(**workplace) -> World:
    """A browser: boot_count unknown, so no offline time is ever derived."""
    world = World(office_secret=SECRET, office_code_mode="optional", **workplace)
    world.clock = DeviceClock(world.time, boot_count=None, tz="Asia/Jakarta")
    world.phone = Device(world.key, NIP, world.clock)
    return world


def offline_after(world, *, wall_offset=timedelta(0), sent_after=timedelta(hours=5), **kwargs):
    """An online check-in, then, four hours later, an offline event sent `sent_after` later."""
    world.send(world.event())
    world.time.advance(hours=4)
    made_at = world.time()
    world.clock.set_wall_offset(wall_offset)
    signed = world.event("check_out", queued_offline=True, **kwargs)
    world.time.advance(sent_after)
    return made_at, world.send(signed)


def test_without_a_boot_clock_and_without_office_evidence_the_time_is_unverifiable():
    world = web_world()
    made_at, verdict = offline_after(world)
    assert "offline_time_unverifiable" in codes(verdict, "soft")
    assert verdict.time_of_record == made_at  # the phone's claim, taken with a warning


def test_a_scanned_qr_gives_the_time_of_record_its_step_start():
    world = web_world()
    scanned = office_qr_text(SECRET, "PKM-01", T0 + timedelta(hours=4))
    # The phone's clock says 09:00 while it was 11:30: the QR, not the claim, dates the event.
    made_at, verdict = offline_after(world, wall_offset=-timedelta(hours=2.5), office_qr=scanned)
    step_start = parse_office_qr(scanned).step_start(15)
    assert verdict.time_of_record == step_start
    assert made_at - timedelta(seconds=15) < step_start <= made_at
    assert verdict.derived_time is None
    assert reason(verdict, "offline_time_from_office_qr").detail == {
        "workplace_id": 5,
        "step_start": step_start.isoformat(),
        "why_no_monotonic": "no_boot_count",
    }
    assert "offline_time_unverifiable" not in codes(verdict)
    assert reason(verdict, "office_code_valid").detail["via"] == "qr"
    assert reason(verdict, "device_clock_skew").detail["against"] == "office_qr"


def test_a_qr_time_needs_the_qr_to_be_authentic():
    world = web_world()
    qr = parse_office_qr(office_qr_text(SECRET, "PKM-01", T0 + timedelta(hours=4)))
    back_dated = f"hadir:oq1:PKM-01:{qr.step - 600}:{qr.mac}"
    made_at, verdict = offline_after(world, office_qr=back_dated)
    assert "offline_time_from_office_qr" not in codes(verdict)
    assert "offline_time_unverifiable" in codes(verdict)
    assert reason(verdict, "office_code_invalid").detail["why"] == "mac"
    assert verdict.time_of_record == made_at


def test_a_qr_of_an_office_that_is_not_the_employees_proves_nothing():
    world = web_world()
    foreign = office_qr_text(SECRET, "SDN-07", T0 + timedelta(hours=4))
    _, verdict = offline_after(world, office_qr=foreign)
    assert reason(verdict, "office_code_invalid").detail["why"] == "not_own_workplace"
    assert "offline_time_unverifiable" in codes(verdict)


def test_a_qr_time_still_answers_to_the_tiers_delay_limit():
    world = web_world()
    scanned = office_qr_text(SECRET, "PKM-01", T0 + timedelta(hours=4))
    _, verdict = offline_after(world, office_qr=scanned, sent_after=timedelta(hours=7))
    assert "offline_too_late" in codes(verdict, "hard")  # good tier: 6 hours at most


def test_a_typed_code_confirms_the_claimed_time_when_it_matches_it():
    world = web_world()
    code = office_code_at(SECRET, T0 + timedelta(hours=4))
    made_at, verdict = offline_after(world, office_code=code)
    assert "offline_time_confirmed_by_office_code" in codes(verdict, "info")
    assert "offline_time_unverifiable" not in codes(verdict)
    assert verdict.time_of_record == made_at
    assert "office_code_valid" in codes(verdict)


def test_a_typed_code_never_establishes_a_time_the_phone_did_not_claim():
    """The code of 11:30 typed into an event that claims 09:00: the server does not search the
    steps for the code's time, so nothing is confirmed and nothing is moved."""
    world = web_world()
    code = office_code_at(SECRET, T0 + timedelta(hours=4))
    made_at, verdict = offline_after(world, wall_offset=-timedelta(hours=2.5), office_code=code)
    assert "offline_time_confirmed_by_office_code" not in codes(verdict)
    assert "offline_time_unverifiable" in codes(verdict, "soft")
    assert verdict.time_of_record == made_at - timedelta(hours=2.5)  # the claim, flagged
    assert "office_code_invalid" in codes(verdict)


# --- A phone with a boot clock: both proofs ---------------------------------------------------


def android_offline(world, qr_at: datetime):
    world.send(world.event())
    world.time.advance(hours=4)
    made_at = world.time()
    signed = world.event(
        "check_out", queued_offline=True, office_qr=office_qr_text(SECRET, "PKM-01", qr_at)
    )
    world.time.advance(hours=1)
    return made_at, world.send(signed)


def test_with_a_boot_clock_the_monotonic_time_stays_the_time_of_record_and_a_fitting_qr_agrees():
    world = World(office_secret=SECRET, office_code_mode="optional")
    made_at, verdict = android_offline(world, qr_at=T0 + timedelta(hours=4))
    assert verdict.time_of_record == verdict.derived_time == made_at
    assert "offline_time_from_office_qr" not in codes(verdict)
    assert "office_qr_time_mismatch" not in codes(verdict)
    assert reason(verdict, "office_code_valid").detail["via"] == "qr"


@pytest.mark.parametrize(("qr_minutes_before", "warned"), [(3, False), (6, True)])
def test_a_qr_and_the_boot_clock_disagreeing_beyond_the_tiers_skew_warn(qr_minutes_before, warned):
    world = World(office_secret=SECRET, office_code_mode="optional")  # good tier: 5 minutes
    qr_at = T0 + timedelta(hours=4, minutes=-qr_minutes_before)
    made_at, verdict = android_offline(world, qr_at=qr_at)
    assert verdict.time_of_record == made_at
    assert ("office_qr_time_mismatch" in codes(verdict, "soft")) is warned
    # Older than the two minutes a scan stays good for: no evidence of place either way.
    assert reason(verdict, "office_code_invalid").detail["why"] == "other_time"


# --- Online: the QR is evidence of place at the receipt ---------------------------------------


@pytest.mark.parametrize(
    ("scanned_before", "valid"), [(timedelta(0), True), (timedelta(hours=1), False)]
)
def test_an_online_event_with_a_fresh_qr_is_evidence_and_a_stale_one_is_not(scanned_before, valid):
    world = World(office_secret=SECRET, office_code_mode="required")
    text = office_qr_text(SECRET, "PKM-01", T0 - scanned_before)
    verdict = world.send(world.event(office_qr=text))
    assert ("office_code_valid" in codes(verdict)) is valid
    assert ("office_code_invalid" in codes(verdict)) is not valid
    assert verdict.time_of_record == T0
    assert "office_code_missing" not in codes(verdict)


def test_a_qr_of_an_office_with_codes_switched_off_is_ignored():
    world = World(office_secret=SECRET, office_code_mode="off")
    verdict = world.send(world.event(office_qr=office_qr_text(SECRET, "PKM-01", T0)))
    assert not {c for c in codes(verdict) if c.startswith("office")}


def test_the_reference_client_leaves_office_qr_out_unless_given():
    world = World()
    assert "office_qr" not in world.event().data
    text = office_qr_text(SECRET, "PKM-01", datetime(2025, 3, 3, tzinfo=UTC))
    assert world.event(office_qr=text).data["office_qr"] == text
