"""Discipline for absence (PP 94/2021): the sanction a year of daily statuses points to.

Decides, for one employee and one calendar year: the TK working days, the longest run of
consecutive working days TK, the late and early minutes converted to days, their equivalent
total, the rung of the sanction ladder it reaches, and the dates behind each figure. It only
recommends: the atasan langsung summons and examines the employee, and a person decides.

Decisions:
- `year_statuses` covers one calendar year and every date from its first to its last, L days
  included; a gap raises ValueError, because a missing date could hide or fake a run.
- A TK day is a day whose codes include TK (corrected codes count).
- Consecutive run: L days (weekends, holidays) neither extend nor break a run; any other day
  (present, late, on leave) breaks it. A day that does not count (None: before go-live, outside
  service, a declared outage; hadir.domain.coverage) also breaks it: the rule needs consecutive
  *working days* of proven absence, and on such a day nothing is known (the employee may well
  have been at work while the system was down). Bridging it would turn "5 TK, 3 days without
  data, 5 TK" into ten days in a row and a dismissal resting on days nobody observed.
- A day that does not count is not TK and carries no minutes.
- Minutes: late + early minutes of the year, divided by `minutes_per_day` (450 = 7.5 h) and
  floored: only whole days count, and the remainder is reported, not rounded up, because a
  sanction must rest on whole days of absence.
- Rung: equivalent days = TK days + minute days, matched against the ladder's ranges. A run of
  `consecutive_days` working days reaches the ladder's consecutive rung (dismissal for PNS)
  whatever the total; when both apply, the higher rung wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from hadir.domain.status import DayStatus

MINUTES_PER_DAY = 450  # 7.5 hours = 1 day of absence


class SanctionLevel(StrEnum):
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


class EmployeeType(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"
    NON_ASN = "NON_ASN"


# What can be wrong with a ladder, by code; the edge says it in the user's language
# (hadir.attendance.messages.RULE_PROBLEMS, "ladder.<code>"); this English text is for logs.
LADDER_PROBLEMS = {
    "consecutive_days": "consecutive days must be at least 1",
    "consecutive_rung": "consecutive rung %(code)s is not a rung",
    "no_rung": "a ladder needs at least one rung",
    "first_rung": "the first rung must start at 1 day or more",
    "open_ended": "only the top rung may be open-ended, not %(code)s",
    "gap": "%(code)s must start at %(days)s days",
    "below_min": "%(code)s: %(max)s days is below %(min)s",
}


class LadderError(ValueError):
    """A ladder that cannot be used: `code` (a key of LADDER_PROBLEMS) and its `values`."""

    def __init__(self, code: str, /, **values: object) -> None:
        self.code = code
        self.values = {key: str(value) for key, value in values.items()}
        super().__init__(LADDER_PROBLEMS[code] % self.values)


@dataclass(frozen=True)
class SanctionRung:
    code: str
    name: str  # Indonesian, as written in a decision letter
    level: SanctionLevel
    min_days: int
    max_days: int | None = None  # None: and above
    duration_months: int | None = None

    def covers(self, days: int) -> bool:
        return days >= self.min_days and (self.max_days is None or days <= self.max_days)


@dataclass(frozen=True)
class SanctionLadder:
    employee_type: EmployeeType
    rungs: tuple[SanctionRung, ...]
    consecutive_days: int | None = 10  # None: no consecutive-days rule
    consecutive_rung_code: str | None = None  # None: the top rung
    label: str = ""

    def __post_init__(self) -> None:
        _check_rungs(self.rungs)
        if self.consecutive_days is not None and self.consecutive_days < 1:
            raise LadderError("consecutive_days")
        codes = [rung.code for rung in self.rungs]
        if self.consecutive_rung_code is not None and self.consecutive_rung_code not in codes:
            raise LadderError("consecutive_rung", code=repr(self.consecutive_rung_code))

    def rung_for(self, days: int) -> SanctionRung | None:
        return next((rung for rung in self.rungs if rung.covers(days)), None)

    @property
    def consecutive_rung(self) -> SanctionRung:
        code = self.consecutive_rung_code or self.rungs[-1].code
        return next(rung for rung in self.rungs if rung.code == code)

    def rank(self, rung: SanctionRung) -> int:
        return self.rungs.index(rung)


def _check_rungs(rungs: tuple[SanctionRung, ...]) -> None:
    if not rungs:
        raise LadderError("no_rung")
    if rungs[0].min_days < 1:
        raise LadderError("first_rung")
    for lower, upper in pairwise(rungs):
        if lower.max_days is None:
            raise LadderError("open_ended", code=lower.code)
        if upper.min_days != lower.max_days + 1:
            raise LadderError("gap", code=upper.code, days=lower.max_days + 1)
    for rung in rungs:
        if rung.max_days is not None and rung.max_days < rung.min_days:
            raise LadderError("below_min", code=rung.code, max=rung.max_days, min=rung.min_days)


def _rung(
    code: str,
    name: str,
    level: SanctionLevel,
    days: tuple[int, int | None],
    months: int | None = None,
) -> SanctionRung:
    return SanctionRung(code, name, level, days[0], days[1], months)


_R, _S, _B = SanctionLevel.RINGAN, SanctionLevel.SEDANG, SanctionLevel.BERAT
_LIGHT = (
    _rung("TEGURAN_LISAN", "teguran lisan", _R, (3, 3)),
    _rung("TEGURAN_TERTULIS", "teguran tertulis", _R, (4, 6)),
    _rung("TIDAK_PUAS", "pernyataan tidak puas secara tertulis", _R, (7, 10)),
)
_TUKIN = "pemotongan tunjangan kinerja sebesar 25% selama"
_PELAKSANA = "menjadi jabatan pelaksana"
_NOT_ASKED = "dengan hormat tidak atas permintaan sendiri"
_MEDIUM = (
    _rung("POTONG_TUKIN_6", f"{_TUKIN} 6 bulan", _S, (11, 13), 6),
    _rung("POTONG_TUKIN_9", f"{_TUKIN} 9 bulan", _S, (14, 16), 9),
    _rung("POTONG_TUKIN_12", f"{_TUKIN} 12 bulan", _S, (17, 20), 12),
)

# PP 94/2021, as in the domain reference.
PNS_LADDER = SanctionLadder(
    EmployeeType.PNS,
    (
        *_LIGHT,
        *_MEDIUM,
        _rung("TURUN_JABATAN", "penurunan jabatan setingkat lebih rendah", _B, (21, 24), 12),
        _rung("BEBAS_JABATAN", f"pembebasan dari jabatan {_PELAKSANA}", _B, (25, 27), 12),
        _rung("PEMBERHENTIAN", f"pemberhentian {_NOT_ASKED}", _B, (28, None)),
    ),
    label="PNS: PP 94/2021",
)

# ASSUMED default, confirm with BKPSDM: PPPK follow the PNS ladder as far as it fits a contract;
# demotion and release from a position do not, so 21 days or more ends the contract.
PPPK_LADDER = SanctionLadder(
    EmployeeType.PPPK,
    (
        *_LIGHT,
        *_MEDIUM,
        _rung(
            "PUTUS_PERJANJIAN", f"pemutusan hubungan perjanjian kerja {_NOT_ASKED}", _B, (21, None)
        ),
    ),
    label="PPPK: assumed default, configurable",
)

# ASSUMED default for tenaga kontrak / honorer, to be replaced by the regency's contract terms:
# warning letters, then termination of the contract.
NON_ASN_LADDER = SanctionLadder(
    EmployeeType.NON_ASN,
    (
        _rung("TEGURAN_LISAN", "teguran lisan", _R, (3, 3)),
        _rung("SP1", "surat peringatan pertama", _R, (4, 6)),
        _rung("SP2", "surat peringatan kedua", _S, (7, 10)),
        _rung("SP3", "surat peringatan ketiga", _S, (11, 13)),
        _rung("PUTUS_KONTRAK", "pemutusan kontrak kerja", _B, (14, None)),
    ),
    label="non-ASN: assumed default, configurable",
)

DEFAULT_LADDERS = {
    ladder.employee_type: ladder for ladder in (PNS_LADDER, PPPK_LADDER, NON_ASN_LADDER)
}


@dataclass(frozen=True)
class MinuteEvidence:
    day: date
    late_minutes: int
    early_minutes: int


@dataclass(frozen=True)
class DisciplineSummary:
    year: int | None
    tk_dates: tuple[date, ...]
    longest_tk_run: tuple[date, ...]  # the TK dates of the longest run, L days left out
    minute_evidence: tuple[MinuteEvidence, ...]
    late_minutes: int
    early_minutes: int
    minutes_per_day: int
    rung: SanctionRung | None
    reached_by: str | None  # "total" or "consecutive"

    @property
    def tk_days(self) -> int:
        return len(self.tk_dates)

    @property
    def total_minutes(self) -> int:
        return self.late_minutes + self.early_minutes

    @property
    def minute_days(self) -> int:
        return self.total_minutes // self.minutes_per_day

    @property
    def remainder_minutes(self) -> int:
        return self.total_minutes % self.minutes_per_day

    @property
    def equivalent_days(self) -> int:
        return self.tk_days + self.minute_days


def discipline_summary(
    year_statuses: Iterable[tuple[date, DayStatus | None]],
    ladder: SanctionLadder = PNS_LADDER,
    minutes_per_day: int = MINUTES_PER_DAY,
) -> DisciplineSummary:
    if minutes_per_day <= 0:
        raise ValueError("minutes per day must be positive")
    ordered = sorted(year_statuses, key=lambda pair: pair[0])
    _check_contiguous_year(ordered)
    tk_dates = tuple(day for day, status in ordered if status is not None and status.is_absent)
    evidence = tuple(
        MinuteEvidence(day, status.late_minutes, status.early_minutes)
        for day, status in ordered
        if status is not None and (status.late_minutes or status.early_minutes)
    )
    late = sum(item.late_minutes for item in evidence)
    early = sum(item.early_minutes for item in evidence)
    run = longest_tk_run(ordered)
    equivalent = len(tk_dates) + (late + early) // minutes_per_day
    rung, reached_by = _reached_rung(ladder, equivalent, len(run))
    year = ordered[0][0].year if ordered else None
    return DisciplineSummary(
        year, tk_dates, run, evidence, late, early, minutes_per_day, rung, reached_by
    )


def longest_tk_run(ordered: list[tuple[date, DayStatus | None]]) -> tuple[date, ...]:
    """The longest run of TK working days; L days in between neither count nor break it, a day
    that does not count (None) breaks it."""
    best: list[date] = []
    current: list[date] = []
    for day, status in ordered:
        if status is None:
            current = []
        elif status.is_absent:
            current.append(day)
            if len(current) > len(best):
                best = list(current)
        elif status.is_working_day:
            current = []
    return tuple(best)


def _reached_rung(
    ladder: SanctionLadder, equivalent_days: int, run_length: int
) -> tuple[SanctionRung | None, str | None]:
    by_total = ladder.rung_for(equivalent_days)
    if ladder.consecutive_days is None or run_length < ladder.consecutive_days:
        return by_total, "total" if by_total else None
    by_run = ladder.consecutive_rung
    if by_total is not None and ladder.rank(by_total) >= ladder.rank(by_run):
        return by_total, "total"
    return by_run, "consecutive"


def _check_contiguous_year(ordered: list[tuple[date, DayStatus | None]]) -> None:
    if not ordered:
        return
    years = {day.year for day, _ in ordered}
    if len(years) > 1:
        raise ValueError(f"statuses span years {sorted(years)}; pass one calendar year")
    for (earlier, _), (later, _) in pairwise(ordered):
        if later == earlier:
            raise ValueError(f"{later} appears twice")
        if later - earlier > timedelta(days=1):
            raise ValueError(f"no status for {earlier + timedelta(days=1)}: pass every date")
