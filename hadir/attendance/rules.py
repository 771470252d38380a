"""Rules stored as data: their JSON shape, their defaults, and parsing into the pure types.

Every regency edits these in the admin (one `RuleSet` row per key); a key without a row uses the
default below, which comes from the pure modules. Parsing raises `RuleError` naming the field,
so a bad edit is refused in the form instead of failing later in a recap.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from hadir.domain import sanctions
from hadir.domain.sanctions import (
    DEFAULT_LADDERS,
    LADDER_PROBLEMS,
    MINUTES_PER_DAY,
    LadderError,
    SanctionLadder,
    SanctionLevel,
    SanctionRung,
)
from hadir.domain.schedules import (
    WEEKDAY_NAMES,
    DayHours,
    Problem,
    RestWindow,
    ScheduleError,
    WeeklySchedule,
)
from hadir.domain.status import DEFAULT_POLICY, StatusPolicy
from hadir.domain.tpp import (
    DEFAULT_ENTITLED_TYPES,
    DEFAULT_TPP_TABLE,
    TABLE_PROBLEMS,
    TppTable,
    TppTableError,
    parse_rupiah,
)

# What can be wrong with a rule's JSON, by code. The edge says it in the user's language
# (hadir.attendance.messages.RULE_PROBLEMS); this English text is for logs and tests.
# "invalid" carries a pure module's own refusal (TPP table, sanction ladder) as it is.
RULE_PROBLEMS = {
    "band_limits": "three ascending whole minutes, e.g. [30, 60, 90]",
    "percent_by_code": 'an object of code -> percent, e.g. {"TK": "3"}',
    "entitled_types": 'a list of employee types, e.g. ["PNS", "PPPK"]',
    "amount_by_class": 'an object of class -> rupiah, e.g. {"7": 3500000}',
    "not_rupiah": "%(value)s is not an amount in whole rupiah",
    "not_a_number": "%(value)s is not a number",
    "rungs": "a list of rungs, lowest first",
    "missing": "missing %(name)s",
    "unknown_setting": "unknown setting",
    "minutes_per_day": "must be positive (450 = 7.5 hours)",
    "go_live": "a date YYYY-MM-DD, or null",
    "place": "a place name, e.g. Sampit",
    "not_an_object": "must be a JSON object",
    "not_whole_minutes": "must be a whole number, 0 or more",
    "unknown_rule": "unknown rule %(key)s",
    "not_a_level": "%(value)s is not a sanction level (one of %(levels)s)",
    "not_whole_days": "%(value)s is not a whole number of days",
    "not_whole_months": "%(value)s is not a whole number of months",
    "invalid": "%(detail)s",
    **{f"ladder.{code}": text for code, text in LADDER_PROBLEMS.items()},
    **{f"tpp.{code}": text for code, text in TABLE_PROBLEMS.items()},
}


class RuleError(ValueError):
    """A rule the JSON editor refuses: `field` at fault, `code` (a key of RULE_PROBLEMS) and
    its `values`."""

    def __init__(self, field: str, code: str, /, **values: object) -> None:
        self.field, self.code = field, code
        self.values = {key: str(value) for key, value in values.items()}
        super().__init__(f"{field}: {RULE_PROBLEMS[code] % self.values}")


# Weekly hours ---------------------------------------------------------------------------------
# {"monday": {"start": "07:30", "end": "16:00", "rests": [["12:00", "13:00"]]}, "saturday": null}
# A weekday that is missing or null is a day off.


def weekly_to_json(schedule: WeeklySchedule) -> dict[str, Any]:
    return {
        name: None
        if hours is None
        else {
            "start": f"{hours.start:%H:%M}",
            "end": f"{hours.end:%H:%M}",
            "rests": [[f"{r.start:%H:%M}", f"{r.end:%H:%M}"] for r in hours.rests],
        }
        for name, hours in zip(WEEKDAY_NAMES, schedule.days, strict=True)
    }


def weekly_from_json(name: str, data: Any, path: str = "weekly") -> WeeklySchedule:
    """Parse the JSON shape; malformed input raises ScheduleError with field paths."""
    if not isinstance(data, dict):
        raise ScheduleError({path: [Problem("not_an_object")]})
    errors: dict[str, list[Problem]] = {}
    unknown = sorted(set(data) - set(WEEKDAY_NAMES))
    if unknown:
        errors[path] = [Problem("unknown_weekday", names=", ".join(unknown))]
    days = tuple(_day_from_json(data.get(day), f"{path}.{day}", errors) for day in WEEKDAY_NAMES)
    if errors:
        raise ScheduleError(errors)
    return WeeklySchedule(name, days)


def _day_from_json(value: Any, path: str, errors: dict[str, list[Problem]]) -> DayHours | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.setdefault(path, []).append(Problem("day_shape"))
        return None
    start = _clock(value.get("start"), f"{path}.start", errors)
    end = _clock(value.get("end"), f"{path}.end", errors)
    rests = []
    for index, pair in enumerate(value.get("rests") or []):
        rest_path = f"{path}.rests[{index}]"
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            errors.setdefault(rest_path, []).append(Problem("rest_shape"))
            continue
        first, last = (_clock(item, rest_path, errors) for item in pair)
        if first and last:
            rests.append(RestWindow(first, last))
    if start is None or end is None:
        return None
    return DayHours(start, end, tuple(rests))


def _clock(value: Any, path: str, errors: dict[str, list[Problem]]) -> time | None:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        errors.setdefault(path, []).append(Problem("not_a_time", value=repr(value)))
        return None


# Status policy (grace minutes, bands) -------------------------------------------------------


def policy_to_json(policy: StatusPolicy) -> dict[str, Any]:
    return {
        "late_grace_minutes": policy.late_grace_minutes,
        "early_grace_minutes": policy.early_grace_minutes,
        "band_limits": list(policy.band_limits),
        "missing_record_minutes": policy.missing_record_minutes,
    }


def policy_from_json(data: Any) -> StatusPolicy:
    data = _object(data, "status_policy")
    limits = data.get("band_limits", list(DEFAULT_POLICY.band_limits))
    if not (isinstance(limits, list) and len(limits) == 3 and _ascending_ints(limits)):
        # Four bands: the codes TL1-TL4 / PSW1-PSW4 are fixed by the recaps.
        raise RuleError("band_limits", "band_limits")
    return StatusPolicy(
        late_grace_minutes=_minutes(data, "late_grace_minutes", 0),
        early_grace_minutes=_minutes(data, "early_grace_minutes", 0),
        band_limits=tuple(limits),
        missing_record_minutes=_minutes(data, "missing_record_minutes", 0),
    )


def _ascending_ints(values: list) -> bool:
    ints = all(isinstance(v, int) and v > 0 for v in values)
    return ints and all(a < b for a, b in itertools.pairwise(values))


# TPP deduction table ----------------------------------------------------------------------


def tpp_to_json(table: TppTable) -> dict[str, Any]:
    return {
        "name": table.name,
        "cap_percent": str(table.cap_percent),
        "percent_by_code": {code: str(p) for code, p in table.percent_by_code.items()},
        "entitled_types": sorted(table.entitled_types),
        "amount_by_class": dict(table.amount_by_class),
    }


def tpp_from_json(data: Any) -> TppTable:
    data = _object(data, "tpp")
    by_code = data.get("percent_by_code")
    if not isinstance(by_code, dict) or not by_code:
        raise RuleError("percent_by_code", "percent_by_code")
    percents = {
        str(code): _decimal(value, f"percent_by_code.{code}") for code, value in by_code.items()
    }
    cap = _decimal(data.get("cap_percent", "100"), "cap_percent")
    entitled = data.get("entitled_types", sorted(DEFAULT_ENTITLED_TYPES))
    if not isinstance(entitled, list) or not all(isinstance(t, str) for t in entitled):
        raise RuleError("entitled_types", "entitled_types")
    amounts = data.get("amount_by_class", {})
    if not isinstance(amounts, dict):
        raise RuleError("amount_by_class", "amount_by_class")
    by_class = {
        str(key): _rupiah(value, f"amount_by_class.{key}") for key, value in amounts.items()
    }
    try:
        return TppTable(percents, cap, str(data.get("name", "")), frozenset(entitled), by_class)
    except TppTableError as exc:
        raise RuleError("tpp", f"tpp.{exc.code}", **exc.values) from exc
    except ValueError as exc:
        raise RuleError("tpp", "invalid", detail=exc) from exc


def _rupiah(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise RuleError(field, "not_rupiah", value=repr(value))
    try:
        return value if isinstance(value, int) else parse_rupiah(value)
    except ValueError as exc:
        raise RuleError(field, "not_rupiah", value=repr(value)) from exc


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RuleError(field, "not_a_number", value=repr(value)) from exc


# Sanction ladders -------------------------------------------------------------------------


def ladder_to_json(ladder: SanctionLadder) -> dict[str, Any]:
    return {
        "label": ladder.label,
        "consecutive_days": ladder.consecutive_days,
        "consecutive_rung_code": ladder.consecutive_rung_code,
        "rungs": [
            {
                "code": r.code,
                "name": r.name,
                "level": str(r.level),
                "min_days": r.min_days,
                "max_days": r.max_days,
                "duration_months": r.duration_months,
            }
            for r in ladder.rungs
        ],
    }


def ladder_from_json(employee_type: str, data: Any) -> SanctionLadder:
    data = _object(data, "ladder")
    rows = data.get("rungs")
    if not isinstance(rows, list) or not rows:
        raise RuleError("rungs", "rungs")
    rungs = []
    for index, row in enumerate(rows):
        path = f"rungs[{index}]"
        row = _object(row, path)
        try:
            code, name, level, min_days = (row[k] for k in ("code", "name", "level", "min_days"))
        except KeyError as exc:
            raise RuleError(path, "missing", name=exc.args[0]) from exc
        rungs.append(
            SanctionRung(
                code=str(code),
                name=str(name),
                level=_level(level, f"{path}.level"),
                min_days=_whole(min_days, f"{path}.min_days", "not_whole_days"),
                max_days=_whole(row.get("max_days"), f"{path}.max_days", "not_whole_days"),
                duration_months=_whole(
                    row.get("duration_months"), f"{path}.duration_months", "not_whole_months"
                ),
            )
        )
    consecutive = _whole(data.get("consecutive_days", 10), "consecutive_days", "not_whole_days")
    try:
        return SanctionLadder(
            sanctions.EmployeeType(employee_type),
            tuple(rungs),
            consecutive_days=consecutive,
            consecutive_rung_code=data.get("consecutive_rung_code") or None,
            label=str(data.get("label", "")),
        )
    except LadderError as exc:
        raise RuleError("ladder", f"ladder.{exc.code}", **exc.values) from exc
    except (TypeError, ValueError) as exc:
        raise RuleError("ladder", "invalid", detail=exc) from exc


def _level(value: Any, field: str) -> SanctionLevel:
    try:
        return SanctionLevel(value)
    except (TypeError, ValueError) as exc:
        levels = ", ".join(level.value for level in SanctionLevel)
        raise RuleError(field, "not_a_level", value=repr(value), levels=levels) from exc


def _whole(value: Any, field: str, code: str) -> int | None:
    """A count as int() takes it (7, "7", 7.0), or None; anything else is refused by name."""
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise RuleError(field, code, value=repr(value)) from exc


# Leave and discipline figures ---------------------------------------------------------------


@dataclass(frozen=True)
class LeavePolicy:
    annual_days: int = 12  # cuti tahunan per year
    service_months: int = 12  # of continuous service before the first annual leave
    max_carry_over: int = 6  # unused days carried into the next year (12 + 6 = 18)
    sick_days_without_letter: int = 1  # S longer than this needs a doctor's letter attached
    attachment_max_bytes: int = 2 * 1024 * 1024


DEFAULT_LEAVE_POLICY = LeavePolicy()


def leave_from_json(data: Any) -> LeavePolicy:
    data = _object(data, "leave")
    known = asdict(DEFAULT_LEAVE_POLICY)
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise RuleError(unknown[0], "unknown_setting")
    return LeavePolicy(**{name: _minutes(data, name, default) for name, default in known.items()})


def discipline_from_json(data: Any) -> int:
    data = _object(data, "discipline")
    minutes = _minutes(data, "minutes_per_day", MINUTES_PER_DAY)
    if minutes <= 0:
        raise RuleError("minutes_per_day", "minutes_per_day")
    return minutes


# The regency itself -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegencySettings:
    go_live: date | None = None  # attendance counts from this day; None: from each start date
    place: str = ""  # where recaps are signed: "Sampit, 30 November 2026"


DEFAULT_REGENCY = RegencySettings()


def regency_to_json(settings: RegencySettings) -> dict[str, Any]:
    go_live = settings.go_live.isoformat() if settings.go_live else None
    return {"go_live": go_live, "place": settings.place}


def regency_from_json(data: Any) -> RegencySettings:
    data = _object(data, "regency")
    unknown = sorted(set(data) - {"go_live", "place"})
    if unknown:
        raise RuleError(unknown[0], "unknown_setting")
    go_live = data.get("go_live")
    if go_live is not None:
        try:
            go_live = date.fromisoformat(go_live)
        except (TypeError, ValueError) as exc:
            raise RuleError("go_live", "go_live") from exc
    place = data.get("place", "")
    if not isinstance(place, str):
        raise RuleError("place", "place")
    return RegencySettings(go_live, place.strip())


def _object(data: Any, field: str) -> dict:
    if not isinstance(data, dict):
        raise RuleError(field, "not_an_object")
    return data


def _minutes(data: dict, name: str, default: int) -> int:
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RuleError(name, "not_whole_minutes")
    return value


# The keys of the RuleSet table, with their defaults and parsers -----------------------------

LADDER_KEYS = {f"ladder_{kind}": kind for kind in ("PNS", "PPPK", "NON_ASN")}

DEFAULTS: dict[str, Any] = {
    "regency": regency_to_json(DEFAULT_REGENCY),
    "status_policy": policy_to_json(DEFAULT_POLICY),
    "tpp": tpp_to_json(DEFAULT_TPP_TABLE),
    "leave": asdict(DEFAULT_LEAVE_POLICY),
    "discipline": {"minutes_per_day": MINUTES_PER_DAY},
    **{
        key: ladder_to_json(DEFAULT_LADDERS[sanctions.EmployeeType(kind)])
        for key, kind in LADDER_KEYS.items()
    },
}


def parse(key: str, data: Any):
    """The pure object a RuleSet row stands for; RuleError when the row is unusable."""
    if key in LADDER_KEYS:
        return ladder_from_json(LADDER_KEYS[key], data)
    parsers = {
        "regency": regency_from_json,
        "status_policy": policy_from_json,
        "tpp": tpp_from_json,
        "leave": leave_from_json,
        "discipline": discipline_from_json,
    }
    if key not in parsers:
        raise RuleError("key", "unknown_rule", key=repr(key))
    return parsers[key](data)


@dataclass(frozen=True)
class Rules:
    """Every rule in force, parsed: what the services pass to the pure functions."""

    regency: RegencySettings
    policy: StatusPolicy
    tpp: TppTable
    leave: LeavePolicy
    minutes_per_day: int
    ladders: dict[str, SanctionLadder]

    @classmethod
    def from_rows(cls, rows: dict[str, Any]) -> Rules:
        value = {key: parse(key, rows.get(key, default)) for key, default in DEFAULTS.items()}
        return cls(
            regency=value["regency"],
            policy=value["status_policy"],
            tpp=value["tpp"],
            leave=value["leave"],
            minutes_per_day=value["discipline"],
            ladders={kind: value[key] for key, kind in LADDER_KEYS.items()},
        )

    def fingerprint(self) -> str:
        """Changes when a rule that decides a day's status changes (part of the inputs hash)."""
        return repr(policy_to_json(self.policy))
