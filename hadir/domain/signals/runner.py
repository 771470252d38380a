"""Run every signal over a batch and score the result.

Bad records never stop a run: before any signal sees the batch, records with impossible values
are set aside with their reasons (counted per reason, and reported as weak `bad_record`
evidence). A signal that fails on the clean batch is not hidden either: its error is returned in
`signal_errors` and the other signals still run.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing as mp
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from zoneinfo import ZoneInfo

from hadir.domain.signals import (
    bad_record,
    challenge_missed,
    challenge_offsite,
    checkout_far_away,
    clock_tampering,
    context,
    contradiction,
    foreign_wifi,
    geofence_uncertain,
    impossible_speed,
    location_flipping,
    mock_location,
    new_device,
    no_office_evidence,
    office_code_invalid,
    office_code_missing,
    offline_on_good_network,
    outside_geofence,
    paired_events,
    pending_device_attempts,
    retry_until_accepted,
    same_network_burst,
    same_second,
    sequence_gap,
    sequence_replay,
    shared_coordinates,
    shared_device,
    steady_fix,
    travelling_together,
    weak_accuracy,
    wifi_mismatch,
    zero_jitter,
)
from hadir.domain.signals.bad_record import SetAside
from hadir.domain.signals.base import (
    TIERS,
    AnalysisInput,
    ChallengeFacts,
    DeviceFacts,
    SignalHit,
    WorkplaceFacts,
)
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy
from hadir.domain.signals.scoring import DayFlag, MonthFlag, flags, month_flags

# Every signal that reads the clean batch, in report order. bad_record is not here: the runner
# feeds it the records it set aside.
REGISTRY: tuple[ModuleType, ...] = (
    mock_location,
    zero_jitter,
    steady_fix,
    shared_coordinates,
    shared_device,
    new_device,
    same_network_burst,
    paired_events,
    travelling_together,
    pending_device_attempts,
    impossible_speed,
    location_flipping,
    clock_tampering,
    offline_on_good_network,
    sequence_replay,
    sequence_gap,
    challenge_missed,
    challenge_offsite,
    checkout_far_away,
    outside_geofence,
    geofence_uncertain,
    weak_accuracy,
    office_code_invalid,
    office_code_missing,
    wifi_mismatch,
    no_office_evidence,
    foreign_wifi,
    contradiction,
    same_second,
    retry_until_accepted,
)
CATALOGUE: dict[str, str] = {m.CODE: m.DESCRIPTION for m in (*REGISTRY, bad_record)}


@dataclass(frozen=True)
class RunResult:
    hits: tuple[SignalHit, ...]
    days: tuple[DayFlag, ...]  # every employee-day with hits, highest score first
    months: tuple[MonthFlag, ...]  # every employee-month with hits, highest score first
    analysed: int  # observations the signals read
    set_aside: tuple[SetAside, ...]
    set_aside_counts: dict[str, int]  # reason -> records set aside for it
    signal_errors: dict[str, str]  # code -> error, for signals that failed
    seconds: dict[str, float]  # time spent per step
    # Hits the day's context excused or held back (approved absence, day off, ...): not scored.
    excused: tuple[context.Excused, ...] = ()

    def flagged_days(self, level: str = "review") -> list[DayFlag]:
        wanted = {"review": ("review", "strong"), "strong": ("strong",)}[level]
        return [d for d in self.days if d.level in wanted]

    def flagged_months(self, level: str = "review") -> list[MonthFlag]:
        wanted = {"review": ("review", "strong"), "strong": ("strong",)}[level]
        return [m for m in self.months if m.level in wanted]


def run(
    inp: AnalysisInput,
    policy: SignalPolicy = DEFAULT_POLICY,
    *,
    signals: Sequence[ModuleType] = REGISTRY,
    timer: Callable[[], float] = time.perf_counter,
    workers: int = 1,
    costs: Mapping[str, float] | None = None,
) -> RunResult:
    """costs: seconds each signal took before (a previous run's `seconds`), so that with
    several workers the costliest start first and the workers finish together; the result
    does not depend on it."""
    # The run builds millions of small objects that live until it ends; the cyclic garbage
    # collector would rescan them over and over (a third of the run time on a regency-month).
    # Nothing here makes reference cycles worth collecting mid-run.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(inp, policy, signals, timer, workers, costs or {})
    finally:
        if enabled:
            gc.enable()


def _run(inp, policy, signals, timer, workers, costs) -> RunResult:
    seconds: dict[str, float] = {}
    started = timer()
    ZoneInfo(inp.tz_default)  # a wrong default zone is a configuration error: fail loudly
    clean, set_aside = clean_input(inp, policy)
    seconds["validate"] = timer() - started

    hits: list[SignalHit] = []
    errors: dict[str, str] = {}
    for code, found, error, took in _detect_all(clean, policy, signals, timer, workers, costs):
        hits.extend(found)
        if error:
            errors[code] = error
        seconds[code] = took
    started = timer()
    hits.extend(bad_record.hits_for(clean, policy, set_aside))
    hits, excused = context.apply(hits, clean, clean.day_context, policy)
    seconds["context"] = timer() - started
    started = timer()
    day_flags = flags(hits, policy, inp=clean)
    months = month_flags(day_flags, policy)
    seconds["scoring"] = timer() - started

    counts = Counter(reason for record in set_aside for reason in record.reasons)
    return RunResult(
        hits=tuple(hits),
        days=tuple(day_flags),
        months=tuple(months),
        analysed=len(clean.observations),
        set_aside=tuple(set_aside),
        set_aside_counts=dict(counts),
        signal_errors=errors,
        seconds=seconds,
        excused=tuple(excused),
    )


def _detect(module, inp, policy, timer) -> tuple[str, list[SignalHit], str | None, float]:
    started = timer()
    try:
        found, error = module.detect(inp, policy), None
    except Exception as exc:  # reported in signal_errors, never silently dropped
        found, error = [], f"{type(exc).__name__}: {exc}"
    return module.CODE, found, error, timer() - started


_forked: tuple | None = None  # what forked workers read: (input, policy, signals, timer)


def _detect_forked(index: int):
    inp, policy, signals, timer = _forked
    return _detect(signals[index], inp, policy, timer)


def _detect_all(inp, policy, signals, timer, workers, costs) -> list[tuple]:
    """Every signal's (code, hits, error, seconds), in the order of `signals`.

    The signals are independent pure functions of one input, so with workers > 1 they run in
    that many forked processes, which share the input copy-on-write instead of pickling it.
    Each worker takes the next signal when it is free, the costliest first (by `costs`):
    started last, one long signal would keep one worker busy after the other had finished.
    Where the platform cannot fork, they run one after the other.
    """
    if workers <= 1 or len(signals) < 2 or "fork" not in mp.get_all_start_methods():
        return [_detect(module, inp, policy, timer) for module in signals]
    global _forked
    inp.warm_up()  # the shared groupings, built once before the fork rather than per worker
    _forked = (inp, policy, tuple(signals), timer)
    order = sorted(range(len(signals)), key=lambda i: -costs.get(signals[i].CODE, 0.0))
    try:
        with mp.get_context("fork").Pool(min(workers, len(signals))) as pool:
            found = dict(zip(order, pool.map(_detect_forked, order, chunksize=1), strict=True))
    finally:
        _forked = None
    return [found[i] for i in range(len(signals))]


def clean_input(inp: AnalysisInput, policy: SignalPolicy) -> tuple[AnalysisInput, list[SetAside]]:
    """The input without unusable records, and those records with their reasons."""
    usable, set_aside = bad_record.set_aside(inp.observations, policy)
    workplaces = {}
    for key, place in inp.workplaces.items():
        reasons = _workplace_problems(place)
        if reasons:
            set_aside.append(SetAside(place, reasons))
        else:
            workplaces[key] = place
    challenges = []
    for ch in inp.challenges:
        reasons = _challenge_problems(ch, policy)
        if reasons:
            set_aside.append(SetAside(ch, reasons))
        else:
            challenges.append(ch)
    devices = {}
    for key, device in inp.devices.items():
        reasons = _device_problems(device, policy)
        if reasons:
            set_aside.append(SetAside(device, reasons))
        else:
            devices[key] = device
    clean = dataclasses.replace(
        inp,
        observations=tuple(usable),
        workplaces=workplaces,
        challenges=tuple(challenges),
        devices=devices,
    )
    if not set_aside:
        # The clean input holds all the input held: the groupings the input has cached already
        # (the batch job builds them to find the days it needs the context of) still hold, and
        # building them again would cost a regency-month seconds.
        fields = {f.name for f in dataclasses.fields(inp)}
        clean.__dict__.update((k, v) for k, v in vars(inp).items() if k not in fields)
    return clean, set_aside


def _workplace_problems(place: WorkplaceFacts) -> tuple[str, ...]:
    reasons = []
    try:
        if place.tier not in TIERS:
            reasons.append("workplace_unknown_tier")
        ZoneInfo(place.tz)
    except Exception:
        reasons.append("workplace_unknown_time_zone")
    return tuple(reasons)


def _challenge_problems(ch: ChallengeFacts, policy: SignalPolicy) -> tuple[str, ...]:
    try:
        reasons = [
            f"challenge_{name}_{problem}"
            for name in ("issued_at", "deadline")
            if (problem := bad_record._time_problem(getattr(ch, name), policy))
        ]
        if not bad_record._is_int(ch.employee_id):
            reasons.append("challenge_no_employee")
        if not isinstance(ch.challenge_id, str) or not ch.challenge_id:
            reasons.append("challenge_no_id")
        return tuple(reasons)
    except Exception:
        return ("challenge_unreadable",)


def _device_problems(device: DeviceFacts, policy: SignalPolicy) -> tuple[str, ...]:
    try:
        problem = bad_record._time_problem(device.enrolled_at, policy)
        return (f"device_enrolled_at_{problem}",) if problem else ()
    except Exception:
        return ("device_unreadable",)
