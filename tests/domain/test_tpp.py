from datetime import date, timedelta
from decimal import Decimal

import pytest

from hadir.domain.status import Correction, DayStatus, apply_correction
from hadir.domain.tpp import (
    DEFAULT_TPP_TABLE,
    NoBase,
    TppBase,
    TppLine,
    TppTable,
    monthly_base,
    monthly_deduction,
    parse_rupiah,
    tpp_pay,
)


def day(n: int) -> date:
    return date(2025, 7, n)


def working_days_of_july() -> list[date]:
    days = (date(2025, 7, 1) + timedelta(days=n) for n in range(31))
    return [d for d in days if d.weekday() < 5]


@pytest.mark.parametrize(
    ("code", "percent"),
    [
        ("TL1", "0.5"),
        ("PSW1", "0.5"),
        ("TL2", "1"),
        ("PSW2", "1"),
        ("TL3", "1.25"),
        ("PSW3", "1.25"),
        ("TL4", "1.5"),
        ("PSW4", "1.5"),
        ("TK", "3"),
        ("H", "0"),
        ("L", "0"),
        ("CT", "0"),
        ("DL", "0"),
    ],
)
def test_the_default_table_charges_each_code(code, percent):
    deduction = monthly_deduction([(day(7), DayStatus((code,)))])
    assert deduction.percent == Decimal(percent)


def test_a_late_and_early_day_is_charged_for_both_bands():
    deduction = monthly_deduction([(day(7), DayStatus(("TL2", "PSW1")))])
    assert deduction.lines == (
        TppLine(day(7), "TL2", Decimal("1")),
        TppLine(day(7), "PSW1", Decimal("0.5")),
    )
    assert deduction.percent == Decimal("1.5")


def test_a_month_is_itemised_by_day_and_by_code():
    month = [
        (day(8), DayStatus(("TK",))),
        (day(7), DayStatus(("TK",))),
        (day(9), DayStatus(("TL1",))),
        (day(10), DayStatus(("H",))),
        (day(11), DayStatus(("I", "PSW4"))),
        (day(12), DayStatus(("L",))),
    ]
    deduction = monthly_deduction(month)
    assert [(line.day.day, line.code) for line in deduction.lines] == [
        (7, "TK"),
        (8, "TK"),
        (9, "TL1"),
        (11, "PSW4"),
    ]
    assert deduction.by_code() == {
        "TK": Decimal("6"),
        "TL1": Decimal("0.5"),
        "PSW4": Decimal("1.5"),
    }
    assert deduction.by_day()[day(8)] == Decimal("3")
    assert (deduction.percent, deduction.capped) == (Decimal("8.0"), False)


def test_a_month_absent_every_working_day_costs_69_percent_under_the_default_table():
    month = [(d, DayStatus(("TK",))) for d in working_days_of_july()]
    deduction = monthly_deduction(month)
    assert (len(month), deduction.percent, deduction.capped) == (23, Decimal("69"), False)


def test_the_monthly_deduction_is_capped_at_100_percent():
    strict = TppTable({"TK": Decimal("5"), "TL4": Decimal("2")})
    month = [(d, DayStatus(("TK",))) for d in working_days_of_july()]
    deduction = monthly_deduction(month, strict)
    assert deduction.uncapped_percent == Decimal("115")
    assert (deduction.percent, deduction.capped) == (Decimal("100"), True)
    assert deduction.amount(Decimal("3500000")) == Decimal("3500000")
    assert len(deduction.lines) == 23


def test_a_regency_cap_below_100_percent_is_honoured():
    table = TppTable({"TK": Decimal("3")}, cap_percent=Decimal("50"))
    month = [(d, DayStatus(("TK",))) for d in working_days_of_july()]
    assert monthly_deduction(month, table).percent == Decimal("50")


def test_another_regencys_figures_are_just_data():
    other = TppTable({"TL4": Decimal("2"), "TK": Decimal("4"), "APEL": Decimal("0.5")})
    month = [(day(7), DayStatus(("TL4",))), (day(8), DayStatus(("TK",)))]
    month.append((day(9), DayStatus(("H", "APEL"))))
    assert monthly_deduction(month, other).percent == Decimal("6.5")


def test_the_amount_is_rounded_to_whole_rupiah_half_up():
    month = [(day(7), DayStatus(("TK",))), (day(8), DayStatus(("TK",)))]
    month.append((day(9), DayStatus(("TL1",))))
    deduction = monthly_deduction(month)
    assert deduction.percent == Decimal("6.5")
    assert deduction.amount(Decimal("1234567")) == Decimal("80247")


def test_a_corrected_day_is_charged_by_its_corrected_codes():
    corrected = apply_correction(DayStatus(("TK",)), Correction(("S",), "doctor's letter", "admin"))
    assert monthly_deduction([(day(7), corrected)]).percent == Decimal("0")


def test_an_empty_month_costs_nothing():
    deduction = monthly_deduction([])
    assert (deduction.lines, deduction.percent) == ((), Decimal("0"))


@pytest.mark.parametrize(
    ("statuses", "message"),
    [
        ([(day(31), DayStatus(("TK",))), (date(2025, 8, 1), DayStatus(("TK",)))], "span 2 months"),
        ([(day(7), DayStatus(("TK",))), (day(7), DayStatus(("H",)))], "appears twice"),
    ],
)
def test_statuses_must_be_one_month_without_repeats(statuses, message):
    with pytest.raises(ValueError, match=message):
        monthly_deduction(statuses)


@pytest.mark.parametrize(
    ("table_args", "message"),
    [
        (({"TK": Decimal("-1")},), "must not be negative for TK"),
        (({"TK": Decimal("3")}, Decimal("0")), "above 0% and at most 100%"),
        (({"TK": Decimal("3")}, Decimal("101")), "above 0% and at most 100%"),
    ],
)
def test_an_impossible_table_is_refused(table_args, message):
    with pytest.raises(ValueError, match=message):
        TppTable(*table_args)


def test_the_default_table_keeps_exact_decimals():
    assert DEFAULT_TPP_TABLE.percent_for("TL3") == Decimal("1.25")
    assert isinstance(DEFAULT_TPP_TABLE.percent_for("TK"), Decimal)


# Who is paid, how much, and the deduction in rupiah ---------------------------------------

CLASSES = TppTable(DEFAULT_TPP_TABLE.percent_by_code, amount_by_class={"7": 3_500_000})


@pytest.mark.parametrize(
    ("employee_type", "own", "position_class", "expected"),
    [
        ("PNS", None, "7", TppBase(3_500_000, "class")),
        ("PPPK", None, "7", TppBase(3_500_000, "class")),
        ("PNS", 4_100_000, "7", TppBase(4_100_000, "employee")),  # own amount wins
        ("PNS", 0, "7", TppBase(0, "employee")),  # an own zero is an amount, not a gap
        ("PNS", None, "9", TppBase(None, missing=NoBase.NO_AMOUNT)),  # class without amount
        ("PNS", None, "", TppBase(None, missing=NoBase.NO_AMOUNT)),
        ("NON_ASN", 2_000_000, "7", TppBase(None, missing=NoBase.NOT_ENTITLED)),
    ],
)
def test_the_monthly_base_comes_from_the_employee_then_the_class(
    employee_type, own, position_class, expected
):
    assert monthly_base(employee_type, own, position_class, CLASSES) == expected


def test_who_is_entitled_is_data():
    everyone = TppTable({"TK": Decimal("3")}, entitled_types={"PNS", "PPPK", "NON_ASN"})
    assert monthly_base("NON_ASN", 1_500_000, "", everyone) == TppBase(1_500_000, "employee")
    pns_only = TppTable({"TK": Decimal("3")}, entitled_types={"PNS"})
    assert monthly_base("PPPK", 1_500_000, "", pns_only).missing == NoBase.NOT_ENTITLED


@pytest.mark.parametrize(
    ("base", "codes", "percent", "deduction", "net"),
    [
        (3_500_000, ["TK"], "3", 105_000, 3_395_000),
        (3_500_000, ["TL1"], "0.5", 17_500, 3_482_500),
        (1_234_567, ["TK", "TK", "TL1"], "6.5", 80_247, 1_154_320),  # 80246.855 -> 80247
        (1_000_001, ["TL1"], "0.5", 5_000, 995_001),  # 5000.005 -> 5000
        (1_000_100, ["TL1"], "0.5", 5_001, 995_099),  # 5000.5 half up -> 5001
        (2_750_000, ["TL3"], "1.25", 34_375, 2_715_625),
        (0, ["TK"], "3", 0, 0),
    ],
)
def test_the_deduction_in_rupiah_is_rounded_once_and_the_net_adds_up(
    base, codes, percent, deduction, net
):
    month = [(day(7 + n), DayStatus((code,))) for n, code in enumerate(codes)]
    pay = tpp_pay(base, monthly_deduction(month))
    assert (pay.percent, pay.deduction, pay.net) == (Decimal(percent), deduction, net)
    assert pay.deduction + pay.net == pay.base
    assert isinstance(pay.deduction, int)


def test_a_capped_month_deducts_the_whole_base_and_no_more():
    strict = TppTable({"TK": Decimal("5")})
    month = [(d, DayStatus(("TK",))) for d in working_days_of_july()]
    pay = tpp_pay(3_333_333, monthly_deduction(month, strict))
    assert (pay.deduction, pay.net) == (3_333_333, 0)


def test_a_negative_class_amount_is_refused():
    with pytest.raises(ValueError, match="negative for class 7"):
        TppTable({"TK": Decimal("3")}, amount_by_class={"7": -1})


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("5250000", 5_250_000),
        ("Rp 5.250.000", 5_250_000),
        ("Rp5.250.000,-", 5_250_000),
        ("5.250.000,00", 5_250_000),
        ("5,250,000", 5_250_000),
        ("5,250,000.00", 5_250_000),
        ("5.250", 5_250),  # a dot before three digits is a thousands separator
        ("5250000.0", 5_250_000),
        ("rp. 750.000", 750_000),
        ("0", 0),
    ],
)
def test_rupiah_are_read_as_spreadsheets_write_them(text, rupiah):
    assert parse_rupiah(text) == rupiah


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5.250.000,50", "whole rupiah"),
        ("1250.5", "whole rupiah"),
        ("-5000", "not an amount"),
        ("5.25.000", "not an amount"),
        ("lima juta", "not an amount"),
        ("", "not an amount"),
    ],
)
def test_what_is_not_an_amount_in_whole_rupiah_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_rupiah(text)
