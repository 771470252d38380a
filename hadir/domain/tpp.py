"""TPP deductions: what a month of daily statuses costs, in percent of the monthly TPP.

Decides the deduction per day and code, the monthly total and its cap. The table is data (each
regency's Perbup sets its own figures, and may add codes such as a missed apel); the default is
the typical table from the domain reference.

- Every code on a day is charged once: TL2 + PSW1 costs 1% + 0.5%. A missing check-in already
  arrives as TL4 and a missing check-out as PSW4 from the status engine.
- Codes not in the table (H, L, leave codes) cost nothing and make no line.
- A corrected day is charged by its corrected codes.
- The cap applies to the monthly total; the lines stay uncapped so the total can be explained.
- Percentages are Decimal; `TppDeduction.amount` rounds to whole rupiah, half up.

Who is paid TPP, and how much, is regency policy too: the table names the employee types
entitled to it (usually PNS and PPPK, rarely contract staff) and the monthly amount of each
position class (kelas jabatan). An employee's own amount, when one is imported, wins over the
class's. Rupiah are whole numbers: the deduction is rounded once, and the net is the base minus
that rounded deduction, so base = deduction + net holds on every line of a payroll list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from hadir.domain.status import DayStatus

HUNDRED = Decimal(100)
DEFAULT_ENTITLED_TYPES = frozenset({"PNS", "PPPK"})


# What can be wrong with a TPP table, by code; the edge says it in the user's language
# (hadir.attendance.messages.RULE_PROBLEMS, "tpp.<code>"); this English text is for logs.
TABLE_PROBLEMS = {
    "negative_percent": "TPP deduction must not be negative for %(codes)s",
    "cap": "TPP cap %(cap)s%% must be above 0%% and at most 100%%",
    "negative_amount": "TPP amount must not be negative for class %(classes)s",
}


class TppTableError(ValueError):
    """A TPP table that cannot be used: `code` (a key of TABLE_PROBLEMS) and its `values`."""

    def __init__(self, code: str, /, **values: object) -> None:
        self.code = code
        self.values = {key: str(value) for key, value in values.items()}
        super().__init__(TABLE_PROBLEMS[code] % self.values)


@dataclass(frozen=True)
class TppTable:
    percent_by_code: Mapping[str, Decimal]
    cap_percent: Decimal = HUNDRED
    name: str = ""
    entitled_types: frozenset[str] = DEFAULT_ENTITLED_TYPES
    amount_by_class: Mapping[str, int] = field(default_factory=dict)  # kelas jabatan -> Rp

    def __post_init__(self) -> None:
        percents = {code: Decimal(str(value)) for code, value in self.percent_by_code.items()}
        negative = sorted(code for code, value in percents.items() if value < 0)
        if negative:
            raise TppTableError("negative_percent", codes=", ".join(negative))
        cap = Decimal(str(self.cap_percent))
        if not 0 < cap <= HUNDRED:
            raise TppTableError("cap", cap=cap)
        amounts = {str(key): int(value) for key, value in self.amount_by_class.items()}
        below_zero = sorted(key for key, value in amounts.items() if value < 0)
        if below_zero:
            raise TppTableError("negative_amount", classes=", ".join(below_zero))
        object.__setattr__(self, "percent_by_code", percents)
        object.__setattr__(self, "cap_percent", cap)
        object.__setattr__(self, "entitled_types", frozenset(self.entitled_types))
        object.__setattr__(self, "amount_by_class", amounts)

    def percent_for(self, code: str) -> Decimal:
        return self.percent_by_code.get(code, Decimal(0))


DEFAULT_TPP_TABLE = TppTable(
    {
        "TL1": Decimal("0.5"),
        "PSW1": Decimal("0.5"),
        "TL2": Decimal("1"),
        "PSW2": Decimal("1"),
        "TL3": Decimal("1.25"),
        "PSW3": Decimal("1.25"),
        "TL4": Decimal("1.5"),
        "PSW4": Decimal("1.5"),
        "TK": Decimal("3"),
    },
    name="default (domain reference)",
)


@dataclass(frozen=True)
class TppLine:
    day: date
    code: str
    percent: Decimal


@dataclass(frozen=True)
class TppDeduction:
    lines: tuple[TppLine, ...]
    uncapped_percent: Decimal
    percent: Decimal  # what is actually deducted
    cap_percent: Decimal

    @property
    def capped(self) -> bool:
        return self.uncapped_percent > self.percent

    def by_code(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.code] = totals.get(line.code, Decimal(0)) + line.percent
        return totals

    def by_day(self) -> dict[date, Decimal]:
        totals: dict[date, Decimal] = {}
        for line in self.lines:
            totals[line.day] = totals.get(line.day, Decimal(0)) + line.percent
        return totals

    def amount(self, monthly_tpp: Decimal) -> Decimal:
        """The deduction in rupiah for a monthly TPP, rounded to whole rupiah (half up)."""
        return (Decimal(monthly_tpp) * self.percent / HUNDRED).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )


def monthly_deduction(
    day_statuses: Iterable[tuple[date, DayStatus]], table: TppTable = DEFAULT_TPP_TABLE
) -> TppDeduction:
    """Itemised, capped deduction for one calendar month of one employee."""
    ordered = sorted(day_statuses, key=lambda pair: pair[0])
    _check_one_month(ordered)
    lines = tuple(
        TppLine(day, code, table.percent_for(code))
        for day, status in ordered
        for code in status.codes
        if table.percent_for(code) > 0
    )
    total = sum((line.percent for line in lines), Decimal(0))
    return TppDeduction(lines, total, min(total, table.cap_percent), table.cap_percent)


def _check_one_month(ordered: list[tuple[date, DayStatus]]) -> None:
    days = [day for day, _ in ordered]
    if len(set(days)) != len(days):
        repeated = sorted({day for day in days if days.count(day) > 1})
        raise ValueError(f"a day appears twice: {', '.join(map(str, repeated))}")
    months = {(day.year, day.month) for day in days}
    if len(months) > 1:
        raise ValueError(f"statuses span {len(months)} months; pass one calendar month")


# Who is paid TPP, how much, and what the deduction costs in rupiah --------------------------


class NoBase(StrEnum):
    """Why an employee has no TPP amount to deduct from."""

    NOT_ENTITLED = "not_entitled"  # the employee type gets no TPP in this regency
    NO_AMOUNT = "no_amount"  # entitled, but neither an own amount nor a class amount is known


@dataclass(frozen=True)
class TppBase:
    amount: int | None  # whole rupiah a month; None with a reason
    source: str = ""  # "employee" (own amount) or "class" (the position class's amount)
    missing: NoBase | None = None


def monthly_base(
    employee_type: str, own_amount: int | None, position_class: str, table: TppTable
) -> TppBase:
    """The monthly TPP an employee's deduction is taken from."""
    if employee_type not in table.entitled_types:
        return TppBase(None, missing=NoBase.NOT_ENTITLED)
    if own_amount is not None:
        return TppBase(int(own_amount), "employee")
    if position_class and position_class in table.amount_by_class:
        return TppBase(table.amount_by_class[position_class], "class")
    return TppBase(None, missing=NoBase.NO_AMOUNT)


@dataclass(frozen=True)
class TppPay:
    base: int
    percent: Decimal
    deduction: int  # whole rupiah, half up

    @property
    def net(self) -> int:
        return self.base - self.deduction


def tpp_pay(base: int, deduction: TppDeduction) -> TppPay:
    """Base, deducted percent and rupiah of one month: the line a payroll list needs."""
    return TppPay(base, deduction.percent, int(deduction.amount(Decimal(base))))


_AMOUNT_FORMS = (  # (whole part, sen): thousands by dots (Indonesian), by commas, or none
    re.compile(r"(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?"),
    re.compile(r"(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?"),
    re.compile(r"(\d+)(?:[.,](\d{1,2}))?"),
)


def parse_rupiah(text: str) -> int:
    """Whole rupiah from the ways a spreadsheet writes them: 5250000, "Rp 5.250.000",
    "5.250.000,00", "5,250,000". Dots followed by three digits are thousands (TPP amounts have no
    thousandths), so "5.250" is 5,250 rupiah. Sen other than zero are refused: TPP is paid in
    whole rupiah. ValueError when the text is not an amount."""
    cleaned = re.sub(r"^rp\.?", "", text.strip().lower()).replace(" ", "").replace("\u00a0", "")
    cleaned = cleaned.removesuffix(",-")
    for form in _AMOUNT_FORMS:
        match = form.fullmatch(cleaned)
        if match:
            whole, sen = match.groups()
            if sen and int(sen):
                raise ValueError("TPP is paid in whole rupiah")
            return int(whole.replace(".", "").replace(",", ""))
    raise ValueError(f"{text!r} is not an amount in rupiah")
