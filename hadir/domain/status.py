"""Daily status engine: the codes of one employee's day, the minutes behind them, the evidence.

Decides H, TL1-TL4, PSW1-PSW4, TK, L or a leave code from the planned day, the approved leave
and the attendance records; it never reads the clock or the database. A change after the fact
(leave approved later, a holiday declared later, an event re-judged) is handled by computing
again with the new inputs. Manual corrections are an overlay (`apply_correction`).

Edge cases, as decided:
- Not a working day (`planned is None`) gives L whatever was recorded; leave is not consumed on
  it. A day made a holiday after the fact therefore recomputes to L.
- Full-day leave gives its code and the records are ignored (named in the explanation). DL is
  DL regardless of the records. Several full-day leaves: the first in `LEAVE_CODES` order wins;
  the others are named in the explanation.
- Half-day leave: a morning leave means the check-in is not assessed (no TL, not even TL4 for a
  missing check-in); an afternoon leave means the check-out is not assessed. The other half is
  assessed as usual: codes are the leave code plus the band codes, or plus H. A half-day leave
  with no records at all gives e.g. ("I", "PSW4"), not TK: TK is a whole-day absence. A morning
  and an afternoon leave together cover the day.
- Records rejected by the check-in pipeline (`accepted=False`) are ignored, as if absent, and
  named in the explanation.
- Only records inside the planned day's acceptance windows belong to the day; others belong to
  another day and are not mentioned. A shift ending the next day has windows running into the
  next calendar day, so the caller passes that day's records too.
- Several check-ins: the earliest accepted counts. Several check-outs: the latest accepted. A
  check-out that is not after the counted check-in is ignored.
- An offline record accepted late: `at` is the time of record and is what counts; when it
  reached the server is the pipeline's concern, not this engine's.
- Minutes: times of record are truncated to the minute (the recap shows HH:MM), converted to the
  planned day's time zone. Lateness is the working minutes from the planned start to the
  check-in, early departure the working minutes from the check-out to the planned end; rest
  windows do not count, so a missed day never exceeds its planned working minutes.
- Grace: lateness up to `late_grace_minutes` is not lateness; above it, all minutes count (the
  grace is a threshold, not an allowance). Likewise for leaving early.
- No check-in record: TL4 (the top band), with `policy.missing_record_minutes` late minutes
  (default 0: the engine does not invent minutes it did not observe). Same for check-out/PSW4.
- No check-in and no check-out on a working day without leave: TK, with 0 minutes (a TK day
  already counts as a whole day of absence).
- A day in progress (`status_at` with `now` before the day's last window closes) is provisional:
  "belum presensi" until the start plus grace, then the late band of the minutes so far, never
  TK and never PSW4 before the day is over.
- Explanations are message ids with values (`Explanation.rule`, `.values`): no sentence is
  built here; hadir.attendance.messages says them in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from hadir.domain.schedules import PlannedDay

# Also the precedence between two full-day leaves recorded on one date.
LEAVE_CODES = ("DL", "TB", "CLTN", "CM", "CB", "CS", "S", "CAP", "CT", "CBer", "I")


class EventKind(StrEnum):
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"


class LeavePortion(StrEnum):
    FULL = "full"
    MORNING = "morning"
    AFTERNOON = "afternoon"


class CorrectionError(ValueError):
    """A correction the rules refuse: `code` names the rule (the edge says it in the user's
    language, hadir.attendance.messages), `values` its values, `field` the input at fault."""

    def __init__(self, code: str, /, field: str = "codes", **values: str) -> None:
        self.code, self.field, self.values = code, field, values
        super().__init__(f"{code} {values}" if values else code)


@dataclass(frozen=True)
class AttendanceEvent:
    event_id: str
    kind: EventKind
    at: datetime  # time of record, aware
    accepted: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EventKind(self.kind))
        if self.at.tzinfo is None:
            raise ValueError(f"event {self.event_id}: time of record must carry a time zone")


@dataclass(frozen=True)
class LeaveDay:
    code: str
    portion: LeavePortion = LeavePortion.FULL
    reference: str = ""  # leave request or letter of assignment

    def __post_init__(self) -> None:
        if self.code not in LEAVE_CODES:
            raise ValueError(f"unknown leave code {self.code!r}; expected one of {LEAVE_CODES}")
        object.__setattr__(self, "portion", LeavePortion(self.portion))


@dataclass(frozen=True)
class StatusPolicy:
    late_grace_minutes: int = 0
    early_grace_minutes: int = 0
    band_limits: tuple[int, ...] = (30, 60, 90)  # upper bound of bands 1..3; above is band 4
    missing_record_minutes: int = 0

    @property
    def top_band(self) -> int:
        return len(self.band_limits) + 1


@dataclass(frozen=True)
class Explanation:
    """One reason behind a status: a message id (`rule`) and the values that fill it in. The
    words live at the edge (hadir.attendance.messages), in the user's language."""

    rule: str
    values: Mapping[str, Any] = field(default_factory=dict)
    event_ids: tuple[str, ...] = ()
    decisive: bool = True  # False for records listed only because they were set aside


@dataclass(frozen=True)
class Correction:
    codes: tuple[str, ...]
    reason: str
    author: str
    late_minutes: int | None = None  # None: keep the computed minutes if the band stays
    early_minutes: int | None = None


class Phase(StrEnum):
    """Where a day stands at `now` (see `status_at`)."""

    OVER = "over"  # final: the day's windows have closed (or it is not a working day)
    NOT_YET = "not_yet"  # "belum presensi": no check-in, the start (plus grace) not passed
    RUNNING_LATE = "running_late"  # no check-in yet, the start (plus grace) passed
    AT_WORK = "at_work"  # checked in (or on leave), the day not over yet


@dataclass(frozen=True)
class DayStatus:
    codes: tuple[str, ...]
    late_minutes: int = 0
    early_minutes: int = 0
    explanation: tuple[Explanation, ...] = ()
    original: DayStatus | None = None  # the computed status, when corrected
    correction: Correction | None = None
    phase: Phase = Phase.OVER

    @property
    def final(self) -> bool:
        return self.phase == Phase.OVER

    @property
    def decided_by(self) -> tuple[str, ...]:
        return tuple(i for item in self.explanation if item.decisive for i in item.event_ids)

    @property
    def is_absent(self) -> bool:
        return "TK" in self.codes

    @property
    def is_working_day(self) -> bool:
        return self.codes != ("L",)


BAND_CODES = frozenset(f"{prefix}{n}" for prefix in ("TL", "PSW") for n in range(1, 5))
ALL_CODES = frozenset({"H", "TK", "L", *LEAVE_CODES}) | BAND_CODES
DEFAULT_POLICY = StatusPolicy()


def band(minutes: int, limits: tuple[int, ...]) -> int:
    """1-based band for a positive number of minutes; 0 for none."""
    if minutes <= 0:
        return 0
    return next((n for n, limit in enumerate(limits, 1) if minutes <= limit), len(limits) + 1)


def daily_status(
    planned: PlannedDay | None,
    leave: list[LeaveDay],
    events: list[AttendanceEvent],
    policy: StatusPolicy = DEFAULT_POLICY,
) -> DayStatus:
    if planned is None:
        return DayStatus(("L",), explanation=(Explanation("not_working_day"),))
    full_day = _by_precedence(leave, LeavePortion.FULL)
    if full_day:
        return _leave_status(planned, full_day, events)
    morning = next(iter(_by_precedence(leave, LeavePortion.MORNING)), None)
    afternoon = next(iter(_by_precedence(leave, LeavePortion.AFTERNOON)), None)
    if morning and afternoon:
        return _leave_status(planned, [morning, afternoon], events)
    check_in, check_out, notes = _counted_events(planned, events)
    if not (morning or afternoon or check_in or check_out):
        absent = Explanation("absent")
        return DayStatus(("TK",), explanation=(*notes, absent))
    codes: list[str] = []
    late = early = 0
    if morning:
        notes.append(Explanation("leave_morning", {"code": morning.code}))
    else:
        late, late_code, note = _lateness(planned, check_in, policy)
        codes += [late_code] if late_code else []
        notes.append(note)
    if afternoon:
        notes.append(Explanation("leave_afternoon", {"code": afternoon.code}))
    else:
        early, early_code, note = _early_departure(planned, check_out, policy)
        codes += [early_code] if early_code else []
        notes.append(note)
    leave_codes = [half.code for half in (morning, afternoon) if half]
    return DayStatus((*leave_codes, *(codes or ["H"])), late, early, tuple(notes))


def day_over(planned: PlannedDay | None, now: datetime) -> bool:
    """Whether nothing recorded after `now` can change the day: its last window has closed.
    A day that is not a working day has nothing to wait for."""
    if planned is None:
        return True
    return now > max(planned.check_in_window[1], planned.check_out_window[1])


def status_at(
    planned: PlannedDay | None,
    leave: list[LeaveDay],
    events: list[AttendanceEvent],
    policy: StatusPolicy,
    now: datetime,
) -> DayStatus:
    """The status of a day as it stands at `now`: `daily_status` once the day is over, else a
    provisional status (`final` is False) that never says TK.

    Before the start plus the late grace, without a check-in: no code, phase NOT_YET ("belum
    presensi"). After it, still without a check-in: the late band of the minutes waited so far
    (RUNNING_LATE), which grows as the minutes pass; a check-in fixes it. A check-out already
    recorded is banded as it stands (a later one may still replace it); a missing one is not
    PSW4 yet. Records after `now` are not looked at.
    """
    if day_over(planned, now):
        return daily_status(planned, leave, events, policy)
    known = [event for event in events if event.at <= now]
    full_day = _by_precedence(leave, LeavePortion.FULL)
    morning = next(iter(_by_precedence(leave, LeavePortion.MORNING)), None)
    afternoon = next(iter(_by_precedence(leave, LeavePortion.AFTERNOON)), None)
    if full_day or (morning and afternoon):
        return replace(daily_status(planned, leave, known, policy), phase=Phase.AT_WORK)
    check_in, check_out, notes = _counted_events(planned, known)
    codes: list[str] = []
    late = early = 0
    phase = Phase.AT_WORK
    if morning:
        notes.append(Explanation("leave_morning", {"code": morning.code}))
    elif check_in is not None:
        late, late_code, note = _lateness(planned, check_in, policy)
        codes += [late_code] if late_code else []
        notes.append(note)
    else:
        waited = planned.working_minutes_between(planned.start, _minute_of(now, planned))
        values = {"planned": f"{planned.start:%H:%M}", "minutes": waited}
        if waited <= policy.late_grace_minutes:
            phase = Phase.NOT_YET
            notes.append(Explanation("not_yet", values))
        else:
            phase, late = Phase.RUNNING_LATE, waited
            codes.append(f"TL{band(waited, policy.band_limits)}")
            notes.append(Explanation("running_late", {**values, "code": codes[-1]}))
    if afternoon:
        notes.append(Explanation("leave_afternoon", {"code": afternoon.code}))
    elif check_out is not None:
        early, early_code, note = _early_departure(planned, check_out, policy)
        codes += [early_code] if early_code else []
        notes.append(note)
    leave_codes = [half.code for half in (morning, afternoon) if half]
    present = check_in is not None or morning is not None
    codes = [*leave_codes, *(codes or (["H"] if present else []))]
    return DayStatus(tuple(codes), late, early, tuple(notes), phase=phase)


def apply_correction(status: DayStatus, correction: Correction) -> DayStatus:
    """The corrected status; the computed one stays in `original`, the reason and author too."""
    _check_correction(correction)
    original = status.original or status
    late = correction.late_minutes
    if late is None:
        late = original.late_minutes if _has_band(correction.codes, "TL") else 0
    early = correction.early_minutes
    if early is None:
        early = original.early_minutes if _has_band(correction.codes, "PSW") else 0
    values = {
        "codes": "+".join(correction.codes),
        "author": correction.author,
        "reason": correction.reason,
    }
    note = Explanation("correction", values)
    explanation = (*original.explanation, note)
    return DayStatus(correction.codes, late, early, explanation, original, correction)


def _by_precedence(leave: list[LeaveDay], portion: LeavePortion) -> list[LeaveDay]:
    matching = [item for item in leave if item.portion == portion]
    return sorted(matching, key=lambda item: LEAVE_CODES.index(item.code))


def _leave_status(
    planned: PlannedDay, leave: list[LeaveDay], events: list[AttendanceEvent]
) -> DayStatus:
    codes = tuple(dict.fromkeys(item.code for item in leave))
    if leave[0].portion == LeavePortion.FULL:
        codes = codes[:1]
    notes = [Explanation("leave", {"codes": "+".join(codes)})]
    overridden = [item.code for item in leave if item.code not in codes]
    if overridden:
        notes.append(Explanation("leave_set_aside", {"codes": ", ".join(overridden)}))
    ids = tuple(e.event_id for e in events if planned.accepts(e.kind, e.at))
    if ids:
        notes.append(Explanation("ignored_on_leave", {}, ids, False))
    return DayStatus(codes, explanation=tuple(notes))


def _counted_events(
    planned: PlannedDay, events: list[AttendanceEvent]
) -> tuple[AttendanceEvent | None, AttendanceEvent | None, list[Explanation]]:
    notes: list[Explanation] = []
    rejected = tuple(e.event_id for e in events if not e.accepted)
    if rejected:
        notes.append(Explanation("ignored_rejected", {}, rejected, False))
    mine = sorted(
        (e for e in events if e.accepted and planned.accepts(e.kind, e.at)), key=lambda e: e.at
    )
    check_ins = [e for e in mine if e.kind == EventKind.CHECK_IN]
    check_in = check_ins[0] if check_ins else None
    if len(check_ins) > 1:
        later = tuple(e.event_id for e in check_ins[1:])
        notes.append(Explanation("ignored_later_check_in", {}, later, False))
    check_outs = [e for e in mine if e.kind == EventKind.CHECK_OUT]
    too_early = [e for e in check_outs if check_in and e.at <= check_in.at]
    if too_early:
        ids = tuple(e.event_id for e in too_early)
        notes.append(Explanation("ignored_check_out", {}, ids, False))
    valid_outs = [e for e in check_outs if e not in too_early]
    check_out = valid_outs[-1] if valid_outs else None
    if len(valid_outs) > 1:
        earlier = tuple(e.event_id for e in valid_outs[:-1])
        notes.append(Explanation("ignored_earlier_check_out", {}, earlier, False))
    return check_in, check_out, notes


def _lateness(
    planned: PlannedDay, check_in: AttendanceEvent | None, policy: StatusPolicy
) -> tuple[int, str | None, Explanation]:
    if check_in is None:
        code = f"TL{policy.top_band}"
        explanation = Explanation("no_check_in", {"code": code})
        return policy.missing_record_minutes, code, explanation
    at = _minute_of(check_in.at, planned)
    minutes = planned.working_minutes_between(planned.start, at)
    values = {"at": f"{at:%H:%M}", "planned": f"{planned.start:%H:%M}"}
    return _banded("TL", minutes, policy.late_grace_minutes, policy, check_in.event_id, values)


def _early_departure(
    planned: PlannedDay, check_out: AttendanceEvent | None, policy: StatusPolicy
) -> tuple[int, str | None, Explanation]:
    if check_out is None:
        code = f"PSW{policy.top_band}"
        explanation = Explanation("no_check_out", {"code": code})
        return policy.missing_record_minutes, code, explanation
    at = _minute_of(check_out.at, planned)
    minutes = planned.working_minutes_between(at, planned.end)
    values = {"at": f"{at:%H:%M}", "planned": f"{planned.end:%H:%M}"}
    return _banded("PSW", minutes, policy.early_grace_minutes, policy, check_out.event_id, values)


def _banded(
    prefix: str, minutes: int, grace: int, policy: StatusPolicy, event_id: str, values: dict
) -> tuple[int, str | None, Explanation]:
    """Rules: check_in_on_time / late_within_grace / late, and check_out_on_time /
    early_within_grace / early; values: at, planned, and minutes, grace or code."""
    kind = "late" if prefix == "TL" else "early"
    if minutes == 0:
        rule = "check_in_on_time" if prefix == "TL" else "check_out_on_time"
        return 0, None, Explanation(rule, values, (event_id,))
    if minutes <= grace:
        within = {**values, "minutes": minutes, "grace": grace}
        return 0, None, Explanation(f"{kind}_within_grace", within, (event_id,))
    code = f"{prefix}{band(minutes, policy.band_limits)}"
    banded = {**values, "minutes": minutes, "code": code}
    return minutes, code, Explanation(kind, banded, (event_id,))


def _minute_of(moment: datetime, planned: PlannedDay) -> datetime:
    local = moment.astimezone(planned.start.tzinfo)
    return local.replace(second=0, microsecond=0)


def _has_band(codes: tuple[str, ...], prefix: str) -> bool:
    return any(code in BAND_CODES and code.startswith(prefix) for code in codes)


def _check_correction(correction: Correction) -> None:
    codes = correction.codes
    if not codes:
        raise CorrectionError("no_code")
    unknown = [code for code in codes if code not in ALL_CODES]
    if unknown:
        raise CorrectionError("unknown_codes", codes=", ".join(unknown))
    if len(set(codes)) != len(codes):
        raise CorrectionError("code_twice")
    for prefix in ("TL", "PSW"):
        if sum(code in BAND_CODES and code.startswith(prefix) for code in codes) > 1:
            raise CorrectionError("two_bands", band=prefix)
    alone = [code for code in ("TK", "L") if code in codes]
    if alone and len(codes) > 1:
        raise CorrectionError("not_combinable", code=alone[0])
    if not correction.reason.strip():
        raise CorrectionError("no_reason", field="reason")
    if not correction.author.strip():
        raise CorrectionError("no_author", field="author")
