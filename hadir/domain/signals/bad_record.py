"""Records the analysis cannot use: they are set aside with their reasons, counted, and (being
odd in themselves) reported as weak evidence.

Accuracy 0 or below, coordinates (0, 0), NaN or infinite numbers, naive or absurd timestamps
(1970, 2100), a record time after its receipt, a repeated event id. The runner sets these aside
before any signal runs, so no signal ever sees them; `detect` gives the same hits for use on its
own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from hadir.domain.signals.base import (
    KINDS,
    VERDICTS,
    AnalysisInput,
    Evidence,
    Observation,
    SignalHit,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "bad_record"
DESCRIPTION = "A record with impossible values (accuracy 0, coordinates 0,0, clock in 1970...)."
MESSAGES = (CODE,)


@dataclass(frozen=True)
class SetAside:
    record: object  # an Observation, or a ChallengeFacts / WorkplaceFacts / DeviceFacts
    reasons: tuple[str, ...]

    @property
    def record_id(self) -> object:
        for name in ("event_id", "challenge_id", "workplace_id", "device_id"):
            if hasattr(self.record, name):
                return getattr(self.record, name)
        return None


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    return hits_for(inp, policy, set_aside(inp.observations, policy)[1])


def set_aside(
    observations: Iterable[Observation], policy: SignalPolicy
) -> tuple[list[Observation], list[SetAside]]:
    """(usable observations, set-aside records with their reasons)."""
    usable, rejected, seen = [], [], set()
    for o in observations:
        reasons = problems(o, policy)
        if not reasons:
            if o.event_id in seen:
                reasons = ("duplicate_event_id",)
            else:
                seen.add(o.event_id)
        if reasons:
            rejected.append(SetAside(o, reasons))
        else:
            usable.append(o)
    return usable, rejected


def problems(o: Observation, policy: SignalPolicy) -> tuple[str, ...]:
    try:
        if _plainly_fine(o, policy):
            return ()
        return tuple(dict.fromkeys(_problems(o, policy)))
    except Exception:  # a record so broken that checking it fails is unreadable, not a crash
        return ("unreadable",)


_INTS = ("monotonic_ms", "boot_count", "seq", "device_id", "workplace_id")


def _plainly_fine(o: Observation, policy: SignalPolicy) -> bool:
    """The fast path for the common, honest record (a regency-month has 440,000 of them):
    True only when every check of _problems would pass. Years strictly between the bounds'
    years need no exact comparison."""
    low, high = policy.earliest_valid.year, policy.latest_valid.year
    t, r = o.time_of_record, o.received_at
    if not (
        type(t) is datetime
        and type(r) is datetime
        and t.utcoffset() is not None
        and r.utcoffset() is not None
        and low < t.year < high
        and low < r.year < high
        and t <= r + policy.max_record_after_receipt
    ):
        return False
    for extra in (o.device_time, o.fix_time):
        if extra is not None and not (
            type(extra) is datetime and extra.utcoffset() is not None and low < extra.year < high
        ):
            return False
    lat, lon, accuracy, distance = o.lat, o.lon, o.accuracy_m, o.geofence_distance_m
    if lat is not None or lon is not None:
        if not (type(lat) is float or type(lat) is int) or not (
            type(lon) is float or type(lon) is int
        ):
            return False
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or (lat == 0 and lon == 0):
            return False
    if accuracy is not None and not (type(accuracy) in (float, int) and 0 < accuracy < math.inf):
        return False
    if distance is not None and not (
        type(distance) in (float, int) and -math.inf < distance < math.inf
    ):
        return False
    if type(o.employee_id) is not int or type(o.event_id) is not str or not o.event_id:
        return False
    if o.kind not in KINDS or o.verdict not in VERDICTS or type(o.reason_codes) is not frozenset:
        return False
    for name in _INTS:
        value = getattr(o, name)
        if value is not None and (type(value) is not int or value < 0):
            return False
    return True


def _problems(o: Observation, policy: SignalPolicy) -> Iterator[str]:
    if not isinstance(o.event_id, str) or not o.event_id:
        yield "no_event_id"
    if not _is_int(o.employee_id):
        yield "no_employee"
    if o.kind not in KINDS:
        yield "unknown_kind"
    if o.verdict not in VERDICTS:
        yield "unknown_verdict"
    if not isinstance(o.reason_codes, frozenset | set):
        yield "unreadable_reason_codes"
    for name, required in (
        ("time_of_record", True),
        ("received_at", True),
        ("device_time", False),
        ("fix_time", False),
    ):
        value = getattr(o, name)
        if value is None and not required:
            continue
        problem = _time_problem(value, policy)
        if problem:
            yield f"{name}_{problem}"
    if (
        _time_problem(o.time_of_record, policy) is None
        and _time_problem(o.received_at, policy) is None
        and o.time_of_record > o.received_at + policy.max_record_after_receipt
    ):
        yield "recorded_after_receipt"
    yield from _fix_problems(o)
    for name in _INTS:
        value = getattr(o, name)
        if value is not None and (not _is_int(value) or value < 0):
            yield f"{name}_invalid"


def _fix_problems(o: Observation) -> Iterator[str]:
    if (o.lat is None) != (o.lon is None):
        yield "half_coordinates"
    elif o.lat is not None:
        if not (_is_finite(o.lat) and _is_finite(o.lon)):
            yield "coordinates_nan"
        elif o.lat == 0 and o.lon == 0:
            yield "null_island"
        elif not (-90 <= o.lat <= 90 and -180 <= o.lon <= 180):
            yield "coordinates_out_of_range"
    if o.accuracy_m is not None:
        if not _is_finite(o.accuracy_m):
            yield "accuracy_nan"
        elif o.accuracy_m <= 0:
            yield "accuracy_not_positive"
    if o.geofence_distance_m is not None and not _is_finite(o.geofence_distance_m):
        yield "distance_nan"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _time_problem(value: object, policy: SignalPolicy) -> str | None:
    if not isinstance(value, datetime):
        return "missing"
    if value.tzinfo is None or value.utcoffset() is None:
        return "without_timezone"
    if not policy.earliest_valid <= value <= policy.latest_valid:
        return "out_of_range"
    return None


def hits_for(
    inp: AnalysisInput, policy: SignalPolicy, records: Iterable[SetAside]
) -> list[SignalHit]:
    found: dict = {}
    for record in records:
        hit = _hit(inp, policy, record)
        if hit is not None:
            key = (hit.employee_id, hit.day)
            if key not in found or found[key].severity < hit.severity:
                found[key] = hit
    return list(found.values())


def _hit(inp: AnalysisInput, policy: SignalPolicy, record: SetAside) -> SignalHit | None:
    o = record.record
    if not isinstance(o, Observation):
        return None
    try:
        if not _is_int(o.employee_id) or not isinstance(o.event_id, str) or not o.event_id:
            return None  # nobody (or no event) to attach it to: counted, not reported
        moment = next(
            (t for t in (o.received_at, o.time_of_record) if _time_problem(t, policy) is None),
            None,
        )
        if moment is None:
            return None
        workplace = o.workplace_id if _is_int(o.workplace_id) else None
        local = moment.astimezone(inp.zone_for(workplace, o.employee_id))
        severity = max(
            policy.bad_record_severity.get(r, policy.bad_record_default_severity)
            for r in record.reasons
        )
        if o.verdict == "rejected":
            severity *= policy.bad_record_rejected_factor
        values = {
            "kind": o.kind,
            "event": o.event_id,
            "received": f"{local:%Y-%m-%d %H:%M}",
            "verdict": o.verdict,
            "reasons": list(record.reasons),
            "details": _details(o),
        }
        return SignalHit(
            CODE, o.employee_id, local.date(), severity, Evidence(CODE, (o.event_id,), values)
        )
    except Exception:  # reporting must not fail on a record already known to be broken
        return None


def _details(o: Observation) -> str:
    """The raw fields as the record has them (a record's own data, not a sentence)."""
    names = ("lat", "lon", "accuracy_m", "device_time", "fix_time", "time_of_record")
    return ", ".join(f"{name}={getattr(o, name, None)!s}" for name in names)
