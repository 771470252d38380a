"""What the signals and the scoring may be tuned by: thresholds and the tier weighting table.

Everything a regency might want to change is here, as data. The tier table is the heart of
the "never punish a bad network" promise: facts that a poor network or an indoor phone
produces on their own (a late offline sync, a weak GPS fix, no office code, a fix just outside
the fence) weigh nothing in "poor" and "none" workplaces and count in "good" ones. Facts no
network produces (a mock-location flag, a copied record, one phone for two people) keep most
of their weight everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

# code -> {tier: weight}. A score contribution is weight x severity. Missing code or tier: 1.0.
DEFAULT_TIER_WEIGHTS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        # Not produced by a network: keep most of their weight everywhere.
        "mock_location": {"good": 1.0, "poor": 0.8, "none": 0.8},
        "zero_jitter": {"good": 1.0, "poor": 0.7, "none": 0.7},
        "steady_fix": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "shared_coordinates": {"good": 1.0, "poor": 0.7, "none": 0.7},
        "sequence_replay": {"good": 1.0, "poor": 0.7, "none": 0.7},
        "same_second": {"good": 1.0, "poor": 0.8, "none": 0.8},
        # Phones are shared or lent more where few people have one; still worth a look.
        "shared_device": {"good": 1.0, "poor": 0.6, "none": 0.6},
        "new_device": {"good": 1.0, "poor": 0.5, "none": 0.5},
        # Clocks drift without network time; rough fixes jump; answers get through late.
        "clock_tampering": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "impossible_speed": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "location_flipping": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "checkout_far_away": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "outside_geofence": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "challenge_offsite": {"good": 1.0, "poor": 0.6, "none": 0.6},
        "retry_until_accepted": {"good": 1.0, "poor": 0.5, "none": 0.5},
        "office_code_invalid": {"good": 1.0, "poor": 0.3, "none": 0.3},
        "wifi_mismatch": {"good": 1.0, "poor": 0.3, "none": 0.3},
        # Fewer colleagues scan at a remote office, so its crowd of networks is thinner.
        "foreign_wifi": {"good": 1.0, "poor": 0.5, "none": 0.5},
        # Fewer colleagues scan at a remote office: the crowd that tells home from office is thin.
        "contradiction": {"good": 1.0, "poor": 0.6, "none": 0.6},
        # A shared hotspot at a remote office puts everybody behind one address.
        "same_network_burst": {"good": 1.0, "poor": 0.3, "none": 0.3},
        "bad_record": {"good": 1.0, "poor": 0.5, "none": 0.5},
        # Normal where the network is poor: weigh nothing there.
        "challenge_missed": {"good": 1.0, "poor": 0.1, "none": 0.0},
        "offline_on_good_network": {"good": 1.0, "poor": 0.0, "none": 0.0},
        "geofence_uncertain": {"good": 1.0, "poor": 0.0, "none": 0.0},
        "weak_accuracy": {"good": 1.0, "poor": 0.0, "none": 0.0},
        "office_code_missing": {"good": 1.0, "poor": 0.0, "none": 0.0},
        "sequence_gap": {"good": 1.0, "poor": 0.0, "none": 0.0},
        "no_office_evidence": {"good": 1.0, "poor": 0.0, "none": 0.0},
        # Colleagues behind one remote hotspot arrive together more often.
        "paired_events": {"good": 1.0, "poor": 0.6, "none": 0.6},
        "pending_device_attempts": {"good": 1.0, "poor": 0.8, "none": 0.8},
        # One hand holding several phones is no network's doing; a remote office's few
        # colleagues sharing one hotspot and one boat arrive together more often, though.
        "travelling_together": {"good": 1.0, "poor": 0.7, "none": 0.7},
    }
)


@dataclass(frozen=True)
class SignalPolicy:
    tier_weights: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: DEFAULT_TIER_WEIGHTS
    )
    # A workplace whose tier is unknown is treated as this one (lenient by default: a missing
    # fact must not make an accusation heavier).
    unknown_tier: str = "poor"

    # --- scoring ---
    review_threshold: float = 0.5
    strong_threshold: float = 0.8
    # Month: a code seen on at least this many days adds a pattern score of
    # 1 - prod(1 - factor * day contribution) over those days.
    month_pattern_min_days: int = 3
    month_pattern_factor: float = 0.5
    # A pattern of small signs asks for a review; alone it never makes a month "strong".
    month_pattern_cap: float = 0.75
    # Only days where the code weighs at least this much make a pattern, so that what a remote
    # office's network discounts to almost nothing cannot add up over a month.
    month_pattern_min_contribution: float = 0.1
    # Codes that only corroborate: they never form a monthly pattern on their own (a small
    # office behind one unregistered address bursts together every day; a phone nobody
    # registered is an administration gap as often as someone else's phone).
    # Office Wi-Fi positioning can be as steady as a faked point.
    # Ambient signs of an honest office day (no code scanned, a rough or uncertain fix, the
    # office Wi-Fi not in the scan, a gap in the sequence) make no pattern either: whether a
    # habit of them is unusual is judged against the workplace's peers (no_office_evidence).
    month_pattern_excluded: frozenset[str] = frozenset(
        {
            "same_network_burst",
            "new_device",
            "steady_fix",
            "office_code_missing",
            "weak_accuracy",
            "geofence_uncertain",
            "wifi_mismatch",
            "sequence_gap",
        }
    )
    # Codes with one cause count once a day, at the strongest (code -> family).
    code_families: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {
                "outside_geofence": "rough_fix",
                "geofence_uncertain": "rough_fix",
                "weak_accuracy": "rough_fix",
                # A scan from elsewhere: without the office's registered networks, and without
                # any network the colleagues see.
                "wifi_mismatch": "scan_elsewhere",
                "foreign_wifi": "scan_elsewhere",
                "contradiction": "scan_elsewhere",
            }
        )
    )
    # Codes that tell one story over a month count together as one pattern (left after
    # checking in: a challenge missed one day, answered from home another, a check-out from
    # far away a third).
    month_pattern_families: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(
            {
                "challenge_missed": "away_after_check_in",
                "challenge_offsite": "away_after_check_in",
                "checkout_far_away": "away_after_check_in",
            }
        )
    )
    # A day reaches "review" only when its signs other than the corroborating ones
    # (month_pattern_excluded) weigh at least this much together: ambient signs of an honest
    # office day can bring a real sign to review, never lift a weak one there.
    day_review_min_primary: float = 0.4
    # ...unless this many independent signs (families, each weighing at least
    # compound_min_contribution) fall on the one day: then they compound as they are. Three
    # ambient signs together are an ordinary honest office day now and then; four are not.
    compound_min_families: int = 4
    compound_min_contribution: float = 0.1
    # Month: this many "review" days make the month "strong".
    month_strong_review_days: int = 3

    # contradiction: the fix says office, the same event's Wi-Fi scan or address says home
    contradiction_min_peers: int = 2  # colleagues who scanned inside the workplace
    contradiction_min_days: int = 2  # an own network / address seen on this many days
    contradiction_wifi_severity: float = 0.85
    contradiction_address_severity: float = 0.6
    contradiction_both_severity: float = 0.92
    contradiction_escalated_severity: float = 0.95  # and a challenge missed afterwards
    contradiction_challenge_horizon: timedelta = timedelta(hours=12)

    # --- context (hadir.domain.signals.context) ---
    # Signs no approved absence explains: they stand on every counted day.
    context_kept_codes: frozenset[str] = frozenset(
        {
            "mock_location",
            "clock_tampering",
            "sequence_replay",
            "sequence_gap",
            "shared_device",
            "new_device",
            "pending_device_attempts",
            "bad_record",
            "same_second",
            "retry_until_accepted",
            "zero_jitter",
            "steady_fix",
            "travelling_together",
        }
    )
    # A fix counts as at a DL destination within its radius plus the fix's accuracy, but never
    # more than this much accuracy (a 5 km network position is "anywhere").
    duty_destination_accuracy_cap_m: float = 150.0
    # The radius of a DL destination given as a point only.
    duty_destination_default_radius_m: float = 1_000.0

    # --- records the analysis sets aside ---
    earliest_valid: datetime = datetime(2015, 1, 1, tzinfo=UTC)
    latest_valid: datetime = datetime(2080, 1, 1, tzinfo=UTC)
    # time_of_record may not be later than received_at by more than this.
    max_record_after_receipt: timedelta = timedelta(minutes=5)

    # --- fixes ---
    # Fixes less precise than this are treated as network (cell tower / Wi-Fi) positions, which
    # legitimately repeat the same coordinates for everyone nearby.
    network_fix_accuracy_m: float = 150.0
    coordinate_decimals: int = 7  # "identical" coordinates: equal to ~1 cm

    # mock_location
    mock_accepted_severity: float = 0.85
    mock_rejected_severity: float = 0.4

    # zero_jitter
    zero_jitter_min_repeats: int = 3  # separate fixes with identical coordinates
    zero_jitter_severity: float = 0.6  # at the minimum; +0.05 a fix after that
    zero_jitter_max_severity: float = 0.85
    static_radius_m: float = 0.5  # "never varies": fixes within this of the median point
    static_min_fixes: int = 6
    static_min_days: int = 4
    static_min_share: float = 0.4  # of the employee's usable fixes in the batch

    # steady_fix
    steady_min_fixes: int = 8
    steady_min_days: int = 5
    steady_place_m: float = 200.0  # fixes this near the usual point count
    steady_max_rms_m: float = 3.0
    steady_max_ratio: float = 0.2  # scatter at most this share of the claimed accuracy
    steady_severity: float = 0.4

    # shared_coordinates
    shared_coords_min_employees: int = 3
    shared_coords_min_events: int = 5
    shared_coords_severity: float = 0.6  # at the minimum; +0.1 an employee after that
    shared_coords_max_severity: float = 0.9

    # shared_device / new_device
    shared_device_severity: float = 0.85  # a non-owner's event on a phone used by two that day
    shared_device_owner_severity: float = 0.3  # the owner who lent it
    shared_device_unknown_owner_severity: float = 0.6  # nobody enrolled it: all of them
    device_mismatch_severity: float = 0.6  # ingestion: device enrolled to someone else
    unknown_device_severity: float = 0.35
    unapproved_device_severity: float = 0.3
    device_switch_min_returns: int = 2  # back to a phone used before, after using another
    device_switch_severity: float = 0.4

    # same_network_burst
    burst_window: timedelta = timedelta(seconds=90)
    burst_min_employees: int = 2
    burst_recurring_days: int = 3
    # An address used by more employees than this over the batch is a carrier gateway (mobile
    # CGNAT puts a whole town behind a few addresses), not somebody's home.
    burst_max_address_employees: int = 8
    burst_pair_severity: float = 0.2
    burst_group_severity: float = 0.35  # three or more employees
    burst_recurring_severity: float = 0.45  # the same people, same address, on several days
    burst_spread_m: float = 2_000.0  # mentioned in the evidence when fixes are this far apart

    # impossible_speed
    max_speed_kmh: float = 150.0
    speed_min_distance_m: float = 2_000.0  # after subtracting both fixes' accuracy
    speed_min_interval: timedelta = timedelta(seconds=60)
    speed_severity: float = 0.5
    speed_extreme_severity: float = 0.7  # over three times the maximum speed

    # location_flipping
    offsite_min_m: float = 1_000.0
    offsite_max_accuracy_m: float = 100.0
    flip_cluster_m: float = 300.0
    flip_min_days: int = 3
    flip_severity: float = 0.55

    # clock_tampering
    clock_skew_max: timedelta = timedelta(minutes=10)
    # A skew of whole hours (a wrong time zone setting on the phone) is not tampering.
    clock_whole_hour_tolerance: timedelta = timedelta(minutes=2)
    clock_flagged_severity: float = 0.6  # ingestion's own clock_tampering code
    clock_backdated_severity: float = 0.5  # offline: the phone's clock earlier than derived time
    clock_skew_severity: float = 0.3  # any other skew beyond clock_skew_max

    # offline_on_good_network
    offline_lag_min: timedelta = timedelta(minutes=30)
    # (lag at least, severity), longest first
    offline_lag_severity: tuple[tuple[timedelta, float], ...] = (
        (timedelta(hours=24), 0.6),
        (timedelta(hours=2), 0.5),
        (timedelta(0), 0.3),
    )
    # The phone sent another event online while this one stayed queued: held back.
    offline_held_back_severity: float = 0.7
    offline_held_back_margin: timedelta = timedelta(minutes=5)

    # challenge_missed: one missed, two or more missed, answered after the deadline
    challenge_missed_severity: float = 0.35
    challenge_missed_many_severity: float = 0.5
    challenge_late_severity: float = 0.2
    # challenge_offsite: the answer clearly outside (beyond this and beyond its accuracy),
    # far outside (far_outside_m), or only just outside
    challenge_offsite_clear_m: float = 200.0
    challenge_offsite_severity: float = 0.45
    challenge_offsite_far_severity: float = 0.7
    challenge_offsite_unclear_severity: float = 0.15
    challenge_offsite_unknown_severity: float = 0.4  # judged outside, fix not available

    # checkout_far_away / outside_geofence
    # A check-out this far out, and beyond checkout_accuracy_multiple x its accuracy (a parking
    # lot is nearer; a rough fix is given its whole uncertainty and more).
    checkout_far_m: float = 300.0
    checkout_accuracy_multiple: float = 3.0
    checkout_very_far_m: float = 5_000.0
    checkout_far_severity: float = 0.35
    checkout_very_far_severity: float = 0.45
    checkout_far_recurring_days: int = 3
    checkout_far_recurring_severity: float = 0.5
    far_outside_m: float = 1_000.0
    outside_severity: float = 0.4
    outside_far_severity: float = 0.6
    outside_flagged_severity: float = 0.4
    # A network position (accuracy of network_fix_accuracy_m or worse) that lands outside: a
    # rough fix as often as an absence.
    outside_coarse_severity: float = 0.25  # ingestion said outside, no distance available
    geofence_uncertain_severity: float = 0.15
    # In poor/none tiers a fix must be this many accuracies outside to count as outside.
    poor_tier_accuracy_multiple: float = 2.0

    # weak_accuracy
    weak_accuracy_m: float = 100.0
    weak_accuracy_severity: float = 0.15

    # office codes; wifi_mismatch
    office_code_invalid_severity: float = 0.35
    office_code_invalid_rejected_severity: float = 0.15
    office_code_missing_severity: float = 0.15
    wifi_mismatch_severity: float = 0.3

    # office_code_missing: codes count as "in use" at a workplace when this share of its
    # check-ins carries one (and it has at least the minimum number of check-ins).
    code_in_use_share: float = 0.5
    code_in_use_min_checkins: int = 10

    # no_office_evidence: days inside the fence without office Wi-Fi, network or code, against
    # the workplace's peers (leave-one-out rate, never taken below min_rate).
    no_evidence_min_days: int = 4
    no_evidence_min_peers: int = 2
    no_evidence_min_peer_days: int = 30
    no_evidence_min_rate: float = 0.05
    no_evidence_p_value: float = 1e-3  # chance of so many such days by the peers' habit
    no_evidence_strong_p_value: float = 1e-6
    no_evidence_severity: float = 0.4
    no_evidence_strong_severity: float = 0.45

    # foreign_wifi: days "inside the fence" whose Wi-Fi scans share no network with any scan
    # of a colleague inside the same workplace's fence, against the peers' rate of such days
    # (leave-one-out, never taken below min_rate). A network the employee sees on several such
    # days is a fixed private network (a home router) travelling with the office fixes.
    foreign_wifi_min_days: int = 3
    foreign_wifi_min_peers: int = 2  # colleagues with a scan inside the fence
    foreign_wifi_min_peer_days: int = 20
    foreign_wifi_min_rate: float = 0.05
    foreign_wifi_p_value: float = 1e-3
    # With a fixed private network on foreign_wifi_private_min_days of them, this tail will do.
    foreign_wifi_private_p_value: float = 0.02
    foreign_wifi_private_min_days: int = 3  # the same unshared network on this many days
    foreign_wifi_severity: float = 0.4
    foreign_wifi_private_severity: float = 0.5

    # paired_events: one account's check-in and check-out seconds after the same colleague's,
    # from the same address, in the same order, on at least min_days days
    paired_window: timedelta = timedelta(seconds=120)
    paired_min_days: int = 4
    paired_min_order_share: float = 0.8  # of the days the two were together
    paired_severity: float = 0.55

    # travelling_together (hadir.domain.signals.travelling_together): events of one kind at one
    # workplace this close in time are linked; linked events are "close" (one hand) when their
    # fixes are within cotravel_fix_m or their scans' common access points differ by at most
    # cotravel_rssi_db on average (over at least cotravel_min_common_bssids of them).
    cotravel_window: timedelta = timedelta(seconds=150)
    cotravel_fix_m: float = 6.0
    cotravel_rssi_db: float = 5.0
    cotravel_min_common_bssids: int = 2
    # A pair qualifies with both ends of the day linked on cotravel_min_days days, and on at
    # least cotravel_min_share of the days they arrived together (a carpool leaves apart).
    cotravel_min_days: int = 4
    cotravel_min_share: float = 0.6
    # Close on this share of the linked events: one hand (else timing alone, which needs a
    # steady order: the same one first on cotravel_min_order_share of the links).
    cotravel_close_share: float = 0.6
    cotravel_min_order_share: float = 0.8
    # ...and the days together must be unlikely by chance where colleagues come and go so
    # densely (Poisson tail of the days expected from the workplace's own crowd): one
    # hand's close fixes need less doubt removed than timing alone.
    cotravel_max_chance: float = 1e-3
    cotravel_max_chance_timing: float = 1e-6
    # The share of a workplace's pairs linked at one end of a day, before its own events say
    # otherwise (150 s out of a 25-minute arrival): worth this many pairs of evidence.
    cotravel_density_prior: float = 0.1
    cotravel_density_prior_pairs: float = 45.0
    # Group challenges: two answers within cotravel_answer_window from one spot are "together";
    # answers from fixes over cotravel_apart_m apart or scans over cotravel_rssi_apart_db apart
    # are "apart" (two people: exonerating, on the days the two arrived together).
    cotravel_answer_window: timedelta = timedelta(seconds=120)
    cotravel_apart_m: float = 20.0
    cotravel_rssi_apart_db: float = 8.0
    # Timing and order alone weigh little (enough to ask the set at the same moment); close
    # fixes or scans make a day for review; group answers from one spot make it strong.
    cotravel_timing_severity: float = 0.2
    cotravel_close_severity: float = 0.7
    cotravel_answered_severity: float = 0.9

    # pending_device_attempts: refused device_pending attempts on a day the approved phone
    # sent nothing; on several days; from a handset that is another employee's phone
    pending_severity: float = 0.35
    pending_recurring_days: int = 3
    pending_recurring_severity: float = 0.5
    pending_twin_severity: float = 0.7
    pending_twin_clock_tolerance: timedelta = timedelta(seconds=5)

    # same_second
    same_second_min_days: int = 5
    same_second_tolerance_s: int = 1
    same_second_severity: float = 0.45  # at same_second_min_days; +0.05 a day after that
    same_second_max_severity: float = 0.75

    # retry_until_accepted
    retry_window: timedelta = timedelta(minutes=60)
    retry_min_soft: int = 3
    retry_hard_reasons: frozenset[str] = frozenset(
        {"mock_location", "sequence_replay", "clock_tampering", "device_employee_mismatch"}
    )
    retry_hard_severity: float = 0.6  # accepted after a rejection for one of the hard reasons
    retry_soft_severity: float = 0.35  # accepted after retry_min_soft other rejections

    # sequence_replay / sequence_gap
    sequence_replay_severity: float = 0.7
    sequence_gap_severity: float = 0.15

    # bad_record: a record set aside as unusable; severity by reason (others: the default),
    # halved when the record was rejected anyway. Accuracy 0 and (0, 0) are what fake-GPS apps
    # and broken clients send; a clock in 1970 or 2100 is a reset or a tampered clock.
    bad_record_severity: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "accuracy_not_positive": 0.3,
                "null_island": 0.3,
                "device_time_out_of_range": 0.25,
                "fix_time_out_of_range": 0.2,
                "recorded_after_receipt": 0.25,
                "duplicate_event_id": 0.2,
            }
        )
    )
    bad_record_default_severity: float = 0.1
    bad_record_rejected_factor: float = 0.5

    def weight(self, code: str, tier: str) -> float:
        return float(self.tier_weights.get(code, {}).get(tier, 1.0))

    def level(self, score: float) -> str:
        if score >= self.strong_threshold:
            return "strong"
        if score >= self.review_threshold:
            return "review"
        return "below_review"


DEFAULT_POLICY = SignalPolicy()
