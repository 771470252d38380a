"""Working-day calendar: which dates are holidays, and which off-days are worked.

Decides only "is this date a holiday (and which one)" and "is this normally-off date declared a
working day". Whether a given employee works that day is decided in `schedules.planned_workday`.

Sources, in order of precedence:
1. the administrator's override table (decree changes, regional holidays, replacement working
   days). Entries apply in list order, so a later entry for the same date wins;
2. the `holidays` package: national holidays (category PUBLIC) and cuti bersama (category
   GOVERNMENT). Islamic and Chinese-calendar dates beyond the current year are estimates; the
   package marks them "(perkiraan)" and `HolidayInfo.estimated` carries that flag.

A calendar covers the years it was built for; asking about another year raises `CalendarError`
rather than silently answering "working day".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import holidays

ESTIMATED_MARKER = "(perkiraan)"
MONDAY = 0


class CalendarError(ValueError):
    """A question the calendar cannot answer, or an override it cannot apply."""


class HolidayKind(StrEnum):
    NATIONAL = "national"
    CUTI_BERSAMA = "cuti_bersama"
    REGIONAL = "regional"


class OverrideAction(StrEnum):
    ADD_HOLIDAY = "add_holiday"
    CANCEL_HOLIDAY = "cancel_holiday"
    MARK_WORKING = "mark_working"


@dataclass(frozen=True)
class HolidayInfo:
    day: date
    name: str
    kind: HolidayKind
    source: str  # "holidays-package" or "override"
    estimated: bool = False
    reference: str = ""  # decree number for overrides


@dataclass(frozen=True)
class CalendarOverride:
    """One row of the administrator-editable table.

    `works_like_weekday` (0 = Monday) says whose hours apply when MARK_WORKING turns a normally-off
    day (a Saturday, say) into a working day.
    """

    day: date
    action: OverrideAction
    name: str = ""
    kind: HolidayKind = HolidayKind.REGIONAL
    reference: str = ""
    works_like_weekday: int = MONDAY


@dataclass(frozen=True)
class WorkCalendar:
    years: frozenset[int]
    holiday_by_day: Mapping[date, HolidayInfo] = field(default_factory=dict)
    extra_working_days: Mapping[date, int] = field(default_factory=dict)  # day -> works-like
    unused_overrides: tuple[CalendarOverride, ...] = ()  # cancellations that matched nothing

    @classmethod
    def for_years(
        cls,
        years: Iterable[int],
        overrides: Iterable[CalendarOverride] = (),
        *,
        include_cuti_bersama: bool = True,
    ) -> WorkCalendar:
        year_set = frozenset(years)
        if not year_set:
            raise CalendarError("a calendar needs at least one year")
        base = package_holidays(year_set, include_cuti_bersama=include_cuti_bersama)
        return cls.from_entries(year_set, base, overrides)

    @classmethod
    def from_entries(
        cls,
        years: Iterable[int],
        base: Iterable[HolidayInfo],
        overrides: Iterable[CalendarOverride] = (),
    ) -> WorkCalendar:
        """Build from explicit holidays (tests, or a snapshot stored in the database)."""
        year_set = frozenset(years)
        table = {info.day: info for info in base if info.day.year in year_set}
        extra: dict[date, int] = {}
        unused: list[CalendarOverride] = []
        for override in overrides:
            if override.day.year in year_set:
                _apply_override(override, table, extra, unused)
        return cls(year_set, table, extra, tuple(unused))

    def is_holiday(self, day: date) -> HolidayInfo | None:
        self._check_year(day)
        return self.holiday_by_day.get(day)

    def working_as(self, day: date) -> int | None:
        """Weekday whose hours apply on a normally-off day declared working, else None."""
        self._check_year(day)
        return self.extra_working_days.get(day)

    def holidays_between(self, first: date, last: date) -> list[HolidayInfo]:
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [info for day in days if (info := self.is_holiday(day)) is not None]

    def _check_year(self, day: date) -> None:
        if day.year not in self.years:
            covered = ", ".join(str(year) for year in sorted(self.years))
            raise CalendarError(f"{day} is outside this calendar (years {covered})")


def package_holidays(years: Iterable[int], *, include_cuti_bersama: bool) -> list[HolidayInfo]:
    """National holidays, then cuti bersama on dates not already a national holiday."""
    year_list = sorted(years)
    found = _from_package(year_list, holidays.PUBLIC, HolidayKind.NATIONAL)
    if include_cuti_bersama:
        taken = {info.day for info in found}
        government = _from_package(year_list, holidays.GOVERNMENT, HolidayKind.CUTI_BERSAMA)
        found += [info for info in government if info.day not in taken]
    return sorted(found, key=lambda info: info.day)


def _from_package(years: list[int], category: str, kind: HolidayKind) -> list[HolidayInfo]:
    table = holidays.country_holidays("ID", years=years, categories=(category,), language="id")
    return [
        HolidayInfo(day, name, kind, "holidays-package", estimated=ESTIMATED_MARKER in name)
        for day, name in table.items()
    ]


def _apply_override(
    override: CalendarOverride,
    table: dict[date, HolidayInfo],
    extra: dict[date, int],
    unused: list[CalendarOverride],
) -> None:
    day = override.day
    if override.action == OverrideAction.ADD_HOLIDAY:
        if not override.name.strip():
            raise CalendarError(f"the holiday added on {day} needs a name")
        table[day] = HolidayInfo(
            day, override.name, override.kind, "override", reference=override.reference
        )
        extra.pop(day, None)
    elif override.action == OverrideAction.CANCEL_HOLIDAY:
        if table.pop(day, None) is None:
            unused.append(override)
    elif override.action == OverrideAction.MARK_WORKING:
        if not 0 <= override.works_like_weekday <= 6:
            raise CalendarError(f"works-like weekday for {day} must be 0 (Monday) to 6 (Sunday)")
        table.pop(day, None)
        extra[day] = override.works_like_weekday
    else:  # pragma: no cover - StrEnum exhausts the cases
        raise CalendarError(f"unknown override action {override.action!r}")
