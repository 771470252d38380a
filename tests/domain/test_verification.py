"""verify_event, rule by rule: each rule has a case where it fires and one where it does not."""

import base64
import ipaddress
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hadir.client import Device, DeviceClock, DeviceKey, ManualTime
from hadir.domain.geo import Geofence
from hadir.domain.office_code import office_code_at
from hadir.domain.reasons import CATALOGUE, make_reason
from hadir.domain.verification import (
    DeviceState,
    EmployeeInfo,
    TierPolicy,
    VerificationPolicy,
    WorkplaceInfo,
    verify_event,
)

T0 = datetime(2025, 3, 3, 0, 30, tzinfo=UTC)  # Monday 07:30 WIB
OFFICE = (-2.2136, 113.9108)  # Palangka Raya
NIP = "198503152010011002"
OTHER_NIP = "199001012015032001"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
OFFICE_NET = ipaddress.ip_network("203.0.113.0/24")


def north(metres: float) -> tuple[float, float]:
    return OFFICE[0] + metres / 110_574.0, OFFICE[1]


class World:
    """One employee, one phone, one workplace (100 m circle), and a settable server clock."""

    def __init__(self, tier: str = "good", algorithm: str = "ed25519", **workplace):
        self.time = ManualTime(T0)
        self.key = DeviceKey.generate(algorithm)
        self.clock = DeviceClock(self.time, tz="Asia/Jakarta")
        self.phone = Device(self.key, NIP, self.clock)
        self.state = DeviceState(1, 10, "active", self.key.spki_b64, self.key.key_id)
        self.employee: EmployeeInfo | None = EmployeeInfo(10, NIP)
        self.workplaces = [
            WorkplaceInfo(
                5,
                "PKM-01",
                "Puskesmas Pahandut",
                Geofence.circle(*OFFICE, 100),
                tier=tier,
                **workplace,
            )
        ]
        self.policy = VerificationPolicy()
        self.challenges: frozenset[str] = frozenset()
        self.remote_addr = "198.51.100.7"

    def event(self, kind="check_in", at=(None, None), accuracy_m=10.0, **kwargs):
        lat, lon = OFFICE if at == (None, None) else at
        return self.phone.make_event(kind, lat, lon, accuracy_m, **kwargs)

    def verify(self, signed, *, body=None, key_id=..., signature=..., **overrides):
        arguments = {
            "body": signed.body if body is None else body,
            "key_id": signed.headers["X-Hadir-Key-Id"] if key_id is ... else key_id,
            "signature_b64": signed.headers["X-Hadir-Signature"] if signature is ... else signature,
            "device": self.state,
            "employee": self.employee,
            "workplaces": self.workplaces,
            "policy": self.policy,
            "received_at": self.time(),
            "remote_addr": self.remote_addr,
            "open_challenge_ids": self.challenges,
        }
        return verify_event(**{**arguments, **overrides})

    def send(self, signed, **kwargs):
        """Verify and, like the endpoint, store the device's next state."""
        verdict = self.verify(signed, **kwargs)
        if verdict.next_device_state is not None:
            self.state = verdict.next_device_state
        return verdict


def codes(verdict, severity=None) -> set[str]:
    return {r.code for r in verdict.reasons if severity in (None, r.severity)}


def reason(verdict, code):
    return next(r for r in verdict.reasons if r.code == code)


@pytest.fixture
def world() -> World:
    return World()


# --- A clean check-in ------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["p256", "ed25519"])
def test_a_clean_check_in_at_the_office_is_accepted(algorithm):
    world = World(algorithm=algorithm)
    verdict = world.send(world.event())
    assert verdict.outcome == "accepted"
    assert verdict.http_status == 201
    assert codes(verdict) == {"inside_geofence", "integrity_not_checked"}
    assert verdict.time_of_record == T0
    assert verdict.workplace_id == 5
    assert verdict.to_dict()["time_of_record_local"] == "2025-03-03T07:30:00+07:00"


def test_every_reason_message_is_indonesian_text_with_a_message_id(world):
    verdict = world.send(world.event(mock=True, at=north(500)))
    for item in verdict.reasons:
        assert item.message == CATALOGUE[item.code].message
        assert item.message_id == f"verify.{item.code}"


def test_received_at_without_a_time_zone_is_a_programming_error(world):
    with pytest.raises(ValueError, match="aware"):
        world.verify(world.event(), received_at=datetime(2025, 3, 3, 7, 30))


# --- Size and syntax -------------------------------------------------------------------------


def test_a_body_over_the_size_limit_is_rejected_with_413(world):
    verdict = world.verify(world.event(extra={"padding": "x" * 17_000}))
    assert (verdict.outcome, verdict.http_status) == ("rejected", 413)
    assert codes(verdict) == {"body_too_large"}


def test_a_body_under_a_raised_size_limit_is_not_too_large(world):
    world.policy = VerificationPolicy(max_body_bytes=64 * 1024)
    assert "body_too_large" not in codes(world.verify(world.event(extra={"pad": "x" * 17_000})))


def test_a_signed_but_malformed_body_is_rejected_with_400_naming_the_fields(world):
    verdict = world.verify(world.event(accuracy_m=0.0, extra={"kind": "nap"}))
    assert verdict.http_status == 400
    fields = {r.detail["field"] for r in verdict.reasons if r.code == "body_invalid"}
    assert fields == {"location.accuracy_m", "kind"}
    assert verdict.body is None


# --- Authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"key_id": None}, "key_missing"),
        ({"key_id": ""}, "key_missing"),
        ({"device": None}, "device_unknown"),
        ({"key_id": "0" * 32}, "device_unknown"),
        ({"signature": None}, "signature_missing"),
        ({"signature": "!!!"}, "signature_invalid"),
    ],
)
def test_authentication_failures_are_rejected_with_401(world, change, code):
    verdict = world.verify(world.event(), **change)
    assert (verdict.outcome, verdict.http_status) == ("rejected", 401)
    assert codes(verdict) == {code}


def test_a_signature_over_different_bytes_is_invalid(world):
    signed = world.event()
    verdict = world.verify(
        signed, body=signed.body.replace(b'"accuracy_m":10.0', b'"accuracy_m":11.0')
    )
    assert codes(verdict) == {"signature_invalid"}


def test_a_truncated_signature_is_invalid(world):
    signed = world.event()
    verdict = world.verify(signed, signature=signed.headers["X-Hadir-Signature"][:40])
    assert codes(verdict) == {"signature_invalid"}


def test_webcrypto_raw_and_android_der_ecdsa_signatures_are_both_accepted():
    world = World(algorithm="p256")
    signed = world.event()
    raw, der = signed.headers["X-Hadir-Signature"], world.key.sign_der(signed.body)
    assert len(base64.b64decode(raw)) == 64
    assert world.verify(signed, signature=raw).outcome == "accepted"
    assert world.verify(signed, signature=der).outcome == "accepted"


def test_a_stored_key_that_cannot_be_loaded_is_reported(world):
    world.state = replace(world.state, public_key_spki_b64="bm90IGEga2V5")
    assert codes(world.verify(world.event())) == {"device_key_unusable"}


def test_an_unauthenticated_body_is_not_examined_further(world):
    signed = world.event(at=north(5_000), mock=True)
    verdict = world.verify(signed, signature=DeviceKey.generate("ed25519").sign(signed.body))
    assert codes(verdict) == {"signature_invalid"}
    assert verdict.workplace_id is None
    assert verdict.body is None


def test_a_forged_malformed_body_reports_both_signature_and_syntax(world):
    verdict = world.verify(world.event(), body=b"{}")
    assert {"signature_invalid", "body_invalid"} <= codes(verdict)
    assert verdict.http_status == 401


# --- Device and employee ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [("pending", "device_pending"), ("revoked", "device_revoked"), ("lost", "device_revoked")],
)
def test_a_device_that_is_not_active_is_rejected_with_403(world, status, code):
    world.state = replace(world.state, status=status)
    verdict = world.verify(world.event())
    assert (verdict.http_status, code in codes(verdict, "hard")) == (403, True)


def test_an_active_device_passes_the_status_check(world):
    assert not codes(world.verify(world.event())) & {"device_pending", "device_revoked"}


def test_a_colleague_using_their_own_phone_for_another_account_is_rejected(world):
    world.phone.employee = OTHER_NIP  # the body claims someone else
    verdict = world.verify(world.event())
    assert "device_employee_mismatch" in codes(verdict, "hard")
    assert verdict.http_status == 403


def test_a_device_bound_to_another_employee_record_is_rejected(world):
    world.employee = EmployeeInfo(11, NIP)
    assert "device_employee_mismatch" in codes(world.verify(world.event()), "hard")


def test_the_employee_identifier_ignores_spaces(world):
    world.employee = EmployeeInfo(10, "19850315 201001 1 002")
    assert "device_employee_mismatch" not in codes(world.verify(world.event()))


def test_an_unknown_employee_is_rejected(world):
    world.employee = None
    assert "employee_unknown" in codes(world.verify(world.event()), "hard")


@pytest.mark.parametrize(("active", "rejected"), [(False, True), (True, False)])
def test_an_inactive_employee_is_rejected(world, active, rejected):
    world.employee = EmployeeInfo(10, NIP, active=active)
    assert ("employee_inactive" in codes(world.verify(world.event()))) is rejected


def test_all_reasons_are_reported_after_a_hard_failure(world):
    world.state = replace(world.state, status="revoked")
    verdict = world.verify(world.event(at=north(900), mock=True))
    assert {"device_revoked", "outside_geofence", "mock_location"} <= codes(verdict)
    assert verdict.next_device_state is None


# --- Sequence and chain ----------------------------------------------------------------------


def test_a_replayed_body_is_rejected_with_409_and_marked_duplicate(world):
    signed = world.event()
    assert world.send(signed).outcome == "accepted"
    verdict = world.send(signed)
    assert (verdict.outcome, verdict.http_status) == ("rejected", 409)
    assert reason(verdict, "sequence_replay").detail["duplicate"] is True


def test_a_new_event_id_with_an_already_used_seq_is_rejected(world):
    world.send(world.event())
    verdict = world.send(world.event(seq=1, prev_hash=None))
    assert reason(verdict, "sequence_replay").detail == {
        "seq": 1,
        "last_seq": 1,
        "duplicate": False,
    }


def test_an_older_event_arriving_after_a_newer_one_is_rejected(world):
    first, second = world.event(), world.event()
    world.send(second)
    assert world.send(first).http_status == 409


def test_consecutive_events_are_not_replays_or_gaps(world):
    world.send(world.event())
    world.time.advance(minutes=1)
    verdict = world.send(world.event())
    assert not codes(verdict) & {"sequence_replay", "sequence_gap", "chain_mismatch"}


def test_a_skipped_seq_warns_of_a_withheld_event(world):
    world.send(world.event())
    world.event()  # made, never sent
    verdict = world.send(world.event())
    assert verdict.outcome == "accepted_with_warnings"
    assert reason(verdict, "sequence_gap").detail["missing"] == 1


def test_a_first_event_above_seq_1_warns_of_a_gap(world):
    assert "sequence_gap" in codes(world.send(world.event(seq=3, prev_hash="0" * 64)))


def test_a_prev_hash_not_matching_the_last_body_breaks_the_chain(world):
    world.send(world.event())
    verdict = world.send(world.event(prev_hash="f" * 64))
    assert "chain_mismatch" in codes(verdict, "soft")


def test_accepted_events_advance_the_device_state(world):
    signed = world.event()
    state = world.send(signed).next_device_state
    assert (state.last_seq, state.last_contact_at) == (1, T0)
    assert state.last_body_hash == world.phone.prev_hash


def test_a_rejected_event_leaves_no_next_state(world):
    world.employee = EmployeeInfo(10, NIP, active=False)
    assert world.verify(world.event()).next_device_state is None


# --- Clocks ----------------------------------------------------------------------------------


def test_a_device_clock_moved_back_between_events_is_flagged(world):
    world.send(world.event())
    world.time.advance(hours=3)
    world.clock.set_wall_offset(timedelta(hours=-2))
    verdict = world.send(world.event())
    assert reason(verdict, "clock_tampering").detail["kind"] == "wall_clock_jump"


def test_ordinary_clock_progress_is_not_tampering(world):
    world.send(world.event())
    world.time.advance(hours=8)
    world.clock.set_wall_offset(timedelta(seconds=20))  # an NTP correction
    assert "clock_tampering" not in codes(world.send(world.event()))


def test_a_monotonic_clock_going_backwards_within_one_boot_is_flagged(world):
    world.send(world.event())
    world.time.advance(minutes=1)
    verdict = world.send(world.event(monotonic_ms=1_000))
    assert reason(verdict, "clock_tampering").detail["kind"] == "monotonic_backwards"


def test_a_monotonic_reset_after_a_reboot_is_not_tampering(world):
    world.send(world.event())
    world.time.advance(minutes=10)
    world.clock.reboot()
    world.time.advance(minutes=1)
    assert "clock_tampering" not in codes(world.send(world.event()))


def test_a_boot_count_going_backwards_is_flagged(world):
    world.send(world.event())
    world.time.advance(minutes=1)
    verdict = world.send(world.event(boot_count=0))
    assert reason(verdict, "clock_tampering").detail["kind"] == "boot_count_backwards"


def test_monotonic_time_running_ahead_of_server_time_is_flagged(world):
    world.send(world.event())
    world.time.advance(minutes=30)
    forged = world.clock.monotonic_ms() + 3 * 3_600_000
    verdict = world.send(world.event(monotonic_ms=forged, device_time=world.clock.wall()))
    kinds = {r.detail["kind"] for r in verdict.reasons if r.code == "clock_tampering"}
    assert "monotonic_vs_server" in kinds


@pytest.mark.parametrize(
    ("offset", "flagged"), [(timedelta(hours=1), True), (timedelta(minutes=-1), False)]
)
def test_an_online_event_with_a_wrong_device_clock_is_flagged(world, offset, flagged):
    world.clock.set_wall_offset(offset)
    verdict = world.send(world.event())
    assert ("device_clock_skew" in codes(verdict, "soft")) is flagged
    assert verdict.time_of_record == T0  # online: the server's time, whatever the phone says


# --- Offline events --------------------------------------------------------------------------


def go_offline_and_return(
    world, *, made_after: timedelta, received_after: timedelta, **event_kwargs
):
    """An online check-in (the time anchor), then an event queued offline and sent later."""
    world.send(world.event())
    world.time.advance(made_after)
    made_at = world.time()
    signed = world.event("check_out", queued_offline=True, **event_kwargs)
    world.time.advance(received_after)
    return made_at, world.send(signed)


def test_an_offline_event_time_is_derived_from_the_monotonic_clock(world):
    world.clock.set_wall_offset(timedelta(minutes=3))  # device clock a bit off: irrelevant
    made_at, verdict = go_offline_and_return(
        world, made_after=timedelta(hours=8), received_after=timedelta(minutes=2)
    )
    assert verdict.derived_time == made_at
    assert verdict.time_of_record == made_at
    assert "offline_time_unverifiable" not in codes(verdict)


def test_an_offline_event_after_a_reboot_falls_back_to_the_device_clock(world):
    world.send(world.event())
    world.time.advance(hours=2)
    world.clock.reboot()
    world.time.advance(minutes=1)
    signed = world.event("check_out", queued_offline=True)
    world.time.advance(minutes=1)
    verdict = world.send(signed)
    assert reason(verdict, "offline_time_unverifiable").detail["why"] == (
        "rebooted_since_last_contact"
    )
    assert verdict.derived_time is None
    assert verdict.time_of_record == signed_device_time(signed)


def signed_device_time(signed) -> datetime:
    return datetime.fromisoformat(signed.data["device_time"])


def test_an_offline_first_event_has_no_anchor_and_is_unverifiable(world):
    verdict = world.send(world.event(queued_offline=True))
    assert reason(verdict, "offline_time_unverifiable").detail["why"] == "no_previous_contact"


def test_a_poor_tier_office_accepts_a_48_hour_old_offline_event_without_warning():
    world = World(tier="poor")
    _, verdict = go_offline_and_return(
        world, made_after=timedelta(hours=1), received_after=timedelta(hours=48)
    )
    assert verdict.outcome == "accepted"
    assert not codes(verdict, "soft")


def test_a_good_tier_office_flags_a_10_minute_old_offline_event():
    world = World(tier="good")
    _, verdict = go_offline_and_return(
        world, made_after=timedelta(hours=1), received_after=timedelta(minutes=10)
    )
    assert verdict.outcome == "accepted_with_warnings"
    assert "offline_late" in codes(verdict, "soft")


def test_a_good_tier_office_does_not_flag_a_2_minute_old_offline_event():
    _, verdict = go_offline_and_return(
        World(tier="good"), made_after=timedelta(hours=1), received_after=timedelta(minutes=2)
    )
    assert "offline_late" not in codes(verdict)


@pytest.mark.parametrize(
    ("tier", "late"), [("good", timedelta(hours=7)), ("poor", timedelta(hours=73))]
)
def test_an_offline_event_past_the_tier_limit_is_rejected(tier, late):
    _, verdict = go_offline_and_return(
        World(tier=tier), made_after=timedelta(hours=1), received_after=late
    )
    assert (verdict.outcome, verdict.http_status) == ("rejected", 422)
    assert "offline_too_late" in codes(verdict, "hard")


def test_an_offline_event_within_the_tier_limit_is_not_too_late():
    _, verdict = go_offline_and_return(
        World(tier="none"), made_after=timedelta(hours=1), received_after=timedelta(hours=71)
    )
    assert "offline_too_late" not in codes(verdict)


def test_an_offline_event_claiming_a_future_time_is_rejected(world):
    world.send(world.event())
    signed = world.event(queued_offline=True, monotonic_ms=world.clock.monotonic_ms() + 3_600_000)
    verdict = world.send(signed)
    assert "event_in_future" in codes(verdict, "hard")


def test_an_offline_event_with_the_device_clock_far_off_the_derived_time_is_flagged(world):
    world.send(world.event())
    world.time.advance(hours=1)
    world.clock.set_wall_offset(timedelta(hours=-1))  # set back to "arrive earlier"
    verdict = world.send(world.event(queued_offline=True))
    assert reason(verdict, "device_clock_skew").detail["against"] == "derived"
    assert verdict.time_of_record == T0 + timedelta(hours=1)  # not back-dated


def test_offline_events_do_not_move_the_time_anchor(world):
    _, verdict = go_offline_and_return(
        world, made_after=timedelta(hours=1), received_after=timedelta(minutes=1)
    )
    assert verdict.next_device_state.last_contact_at == T0
    assert verdict.next_device_state.last_seq == 2


# --- Location --------------------------------------------------------------------------------


def test_a_fix_inside_the_fence_is_recorded_as_evidence(world):
    verdict = world.send(world.event(at=north(50)))
    assert reason(verdict, "inside_geofence").severity == "info"
    assert verdict.geofence_distance_m == pytest.approx(-50, abs=1)


def test_a_fix_just_outside_within_its_accuracy_is_uncertain(world):
    verdict = world.send(world.event(at=north(130), accuracy_m=40.0))
    assert "geofence_uncertain" in codes(verdict, "soft")


def test_a_fix_far_outside_is_flagged_with_the_nearest_workplace_and_distance(world):
    verdict = world.send(world.event(at=north(700)))
    found = reason(verdict, "outside_geofence")
    assert found.severity == "soft"
    assert found.detail["workplace_code"] == "PKM-01"
    assert found.detail["distance_m"] == pytest.approx(600, abs=10)


def test_a_policy_can_reject_fixes_outside_the_geofence(world):
    world.policy = VerificationPolicy(
        tiers={
            "good": TierPolicy(
                max_offline_delay=timedelta(hours=6),
                offline_flag_after=timedelta(minutes=5),
                max_fix_age=timedelta(minutes=5),
                outside_geofence="reject",
            )
        }
    )
    verdict = world.send(world.event(at=north(700)))
    assert reason(verdict, "outside_geofence").severity == "hard"
    assert verdict.http_status == 422


def test_the_workplace_containing_the_fix_is_chosen_among_several(world):
    far = WorkplaceInfo(7, "DINKES", "Dinas Kesehatan", Geofence.circle(-2.20, 113.92, 150))
    world.workplaces = [far, *world.workplaces]
    verdict = world.send(world.event())
    assert verdict.workplace_id == 5


def test_an_employee_without_a_workplace_is_flagged(world):
    world.workplaces = []
    verdict = world.send(world.event())
    assert "no_workplace" in codes(verdict, "soft")
    assert verdict.workplace_id is None


@pytest.mark.parametrize(
    ("age", "flagged"), [(timedelta(minutes=20), True), (timedelta(seconds=30), False)]
)
def test_a_stale_location_fix_is_flagged(world, age, flagged):
    verdict = world.send(world.event(fix_time=world.clock.wall() - age))
    assert ("stale_fix" in codes(verdict)) is flagged


@pytest.mark.parametrize(
    ("ahead", "flagged"), [(timedelta(hours=2), True), (timedelta(seconds=5), False)]
)
def test_a_fix_newer_than_the_device_clock_is_flagged(world, ahead, flagged):
    verdict = world.send(world.event(fix_time=world.clock.wall() + ahead, provider="gps"))
    assert ("fix_in_future" in codes(verdict)) is flagged


@pytest.mark.parametrize(("mock", "flagged"), [(True, True), (False, False)])
def test_a_mock_location_is_flagged(world, mock, flagged):
    assert ("mock_location" in codes(world.send(world.event(mock=mock)), "soft")) is flagged


def test_a_policy_can_reject_mock_locations(world):
    tier = replace(world.policy.tier("good"), mock_location="reject")
    world.policy = VerificationPolicy(tiers={**world.policy.tiers, "good": tier})
    assert world.send(world.event(mock=True)).outcome == "rejected"


# --- Office code, Wi-Fi, network -------------------------------------------------------------


def coded_world(mode: str = "required") -> World:
    return World(office_secret=SECRET, office_code_mode=mode)


def test_a_missing_office_code_is_flagged_where_required():
    world = coded_world()
    assert "office_code_missing" in codes(world.send(world.event()), "soft")


def test_a_missing_office_code_is_fine_where_optional():
    world = coded_world("optional")
    assert not {c for c in codes(world.send(world.event())) if c.startswith("office_code")}


def test_a_wrong_office_code_is_flagged():
    world = coded_world("optional")
    wrong = office_code_at(SECRET, T0 - timedelta(minutes=10))
    assert "office_code_invalid" in codes(world.send(world.event(office_code=wrong)), "soft")


def test_a_current_office_code_is_evidence_of_presence():
    world = coded_world()
    verdict = world.send(world.event(office_code=office_code_at(SECRET, T0)))
    assert reason(verdict, "office_code_valid").detail == {
        "workplace_id": 5,
        "matches_location": True,
    }
    assert verdict.outcome == "accepted"


def test_office_codes_are_ignored_where_switched_off():
    world = coded_world("off")
    assert not {
        c
        for c in codes(world.send(world.event(office_code="000000")))
        if c.startswith("office_code")
    }


def test_an_offline_office_code_is_checked_against_the_derived_time():
    world = coded_world()
    world.send(world.event(office_code=office_code_at(SECRET, T0)))
    world.time.advance(hours=3)
    code = office_code_at(SECRET, world.time())
    signed = world.event("check_out", queued_offline=True, office_code=code)
    world.time.advance(minutes=3)
    assert "office_code_valid" in codes(world.send(signed))


def test_a_code_from_another_of_the_employees_workplaces_counts_for_that_workplace(world):
    other = WorkplaceInfo(
        8,
        "PUSTU",
        "Pustu Menteng",
        Geofence.circle(-2.25, 113.95, 100),
        office_secret=SECRET,
        office_code_mode="optional",
    )
    world.workplaces = [*world.workplaces, other]
    verdict = world.send(world.event(office_code=office_code_at(SECRET, T0)))
    assert reason(verdict, "office_code_valid").detail == {
        "workplace_id": 8,
        "matches_location": False,
    }


def test_a_broken_office_secret_is_reported_as_configuration_not_fraud():
    world = World(office_secret="not base32!", office_code_mode="required")
    verdict = world.send(world.event(office_code="123456"))
    assert "office_code_not_configured" in codes(verdict, "info")
    assert "office_code_invalid" not in codes(verdict)  # unchecked, not wrong


@pytest.mark.parametrize(
    ("seen", "matched"), [("AA:BB:CC:00:11:22", True), ("aa:bb:cc:00:11:99", False)]
)
def test_an_office_wifi_in_range_is_evidence(seen, matched):
    world = World(known_bssids=frozenset({"aa:bb:cc:00:11:22"}))
    verdict = world.send(world.event(wifi=[(seen, -55)]))
    assert ("bssid_match" in codes(verdict, "info")) is matched


@pytest.mark.parametrize(
    ("addr", "matched"),
    [
        ("203.0.113.40", True),
        ("::ffff:203.0.113.40", True),
        ("198.51.100.7", False),
        ("not-an-ip", False),
    ],
)
def test_an_online_event_from_the_office_network_is_evidence(addr, matched):
    world = World(public_networks=(OFFICE_NET,))
    world.remote_addr = addr
    assert ("workplace_network" in codes(world.send(world.event()))) is matched


def test_an_offline_event_uploaded_from_the_office_network_is_not_evidence():
    world = World(public_networks=(OFFICE_NET,))
    world.remote_addr = "203.0.113.40"
    world.send(world.event(queued_offline=True))
    assert "workplace_network" not in codes(world.send(world.event(queued_offline=True)))


# --- Presence checks and integrity -----------------------------------------------------------


@pytest.mark.parametrize(
    ("open_ids", "code"),
    [(frozenset({"ch-1"}), "challenge_answered"), (frozenset({"ch-2"}), "challenge_unknown")],
)
def test_a_presence_check_must_answer_an_open_challenge(world, open_ids, code):
    world.challenges = open_ids
    verdict = world.send(world.event("presence_check", challenge_id="ch-1"))
    assert code in codes(verdict)


def test_without_an_integrity_verifier_the_token_is_recorded_as_not_checked(world):
    verdict = world.send(world.event(integrity_token="opaque"))
    assert reason(verdict, "integrity_not_checked").detail == {"token_present": True}


def test_a_plugged_in_integrity_verifier_contributes_its_reasons(world):
    class Failing:
        def check(self, token, *, event, device, received_at):
            return [make_reason("integrity_failed", "hard", verdict="UNRECOGNIZED")]

    verdict = world.send(world.event(integrity_token="t"), integrity_verifier=Failing())
    assert verdict.outcome == "rejected"
    assert "integrity_not_checked" not in codes(verdict)


# --- HTTP status -----------------------------------------------------------------------------


def test_http_status_prefers_authorisation_over_replay(world):
    world.send(world.event())
    world.state = replace(world.state, status="revoked")
    verdict = world.verify(world.event(seq=1, prev_hash=None))
    assert {"device_revoked", "sequence_replay"} <= codes(verdict)
    assert verdict.http_status == 403


def test_accepted_with_warnings_is_still_201(world):
    verdict = world.send(world.event(mock=True))
    assert (verdict.outcome, verdict.http_status) == ("accepted_with_warnings", 201)
