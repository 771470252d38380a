"""Verification policy: every tolerance the event checks use, as data with defaults.

Tiers describe a workplace's connectivity. In town ("good") an event queued offline for more
than a few minutes is unusual and worth a look; at a remote office ("poor", "none") events
routinely arrive days later and that is normal, not suspicious.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

WARN, REJECT = "warn", "reject"
TIERS = ("good", "poor", "none")


@dataclass(frozen=True)
class TierPolicy:
    max_offline_delay: timedelta  # received later than this after the event: rejected
    offline_flag_after: timedelta  # received later than this: accepted with a warning
    max_fix_age: timedelta  # location fix older than this at event time: warning
    outside_geofence: str = WARN  # "warn" or "reject"
    mock_location: str = WARN  # "warn" or "reject"
    accuracy_credit_m: float = 100.0  # a fix this close to the fence counts as "uncertain"
    max_clock_skew: timedelta = timedelta(minutes=5)  # device wall clock vs server/derived time


def default_tiers() -> dict[str, TierPolicy]:
    return {
        "good": TierPolicy(
            max_offline_delay=timedelta(hours=6),
            offline_flag_after=timedelta(minutes=5),
            max_fix_age=timedelta(minutes=5),
            accuracy_credit_m=50.0,
            max_clock_skew=timedelta(minutes=5),
        ),
        "poor": TierPolicy(
            max_offline_delay=timedelta(hours=72),
            offline_flag_after=timedelta(hours=72),
            max_fix_age=timedelta(minutes=15),
            accuracy_credit_m=100.0,
            max_clock_skew=timedelta(minutes=15),
        ),
        "none": TierPolicy(
            max_offline_delay=timedelta(hours=72),
            offline_flag_after=timedelta(hours=72),
            max_fix_age=timedelta(minutes=15),
            accuracy_credit_m=150.0,
            max_clock_skew=timedelta(minutes=15),
        ),
    }


@dataclass(frozen=True)
class VerificationPolicy:
    tiers: dict[str, TierPolicy] = field(default_factory=default_tiers)
    default_tier: str = "good"  # for an employee with no workplace, or an unknown tier name
    max_body_bytes: int = 16 * 1024
    # An event (derived or device time) this far after the server received it is impossible.
    max_future: timedelta = timedelta(minutes=2)
    # A location fix time this far after the device's own event time.
    fix_future_tolerance: timedelta = timedelta(minutes=2)
    # Device wall clock vs monotonic clock between two events of one boot: NTP corrections
    # are seconds; a person changing the clock moves it minutes or hours.
    clock_jump_tolerance: timedelta = timedelta(minutes=2)
    # Extra tolerance per elapsed second for crystal drift over long gaps (1 ms/s = 86 s/day).
    clock_drift_rate: float = 0.001
    # Monotonic clock vs server clock between two online contacts of one boot; wider than
    # clock_jump_tolerance because upload latency on a poor network enters the comparison.
    anchor_tolerance: timedelta = timedelta(minutes=5)
    office_code_digits: int = 6
    office_code_drift_steps: int = 2  # online: time of record is when the server received it
    offline_office_code_drift_steps: int = 4  # offline: derived time carries upload latency
    # A scanned office QR is evidence for an event made at most this long after its step:
    # the employee scans, then presses the button; a QR kept longer says nothing of now.
    office_qr_max_age: timedelta = timedelta(minutes=2)

    def tier(self, name: str | None) -> TierPolicy:
        return self.tiers.get(name or "", self.tiers[self.default_tier])

    def clock_tolerance_s(self, base: timedelta, elapsed_s: float) -> float:
        return base.total_seconds() + self.clock_drift_rate * abs(elapsed_s)
