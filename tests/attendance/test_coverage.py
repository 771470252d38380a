"""When attendance counts, end to end: go-live, OPD joining, transfers and outages decide which
days have a status; the recap marks the others, TPP and discipline skip them."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from hadir.attendance import discipline, selectors, services
from hadir.attendance.models import DailyStatus, DisciplineRecommendation, OpdTransfer, Outage
from hadir.attendance.recap import month_recap, opd_section, write_recap_csv
from hadir.attendance.recap_xlsx import write_recap_xlsx
from hadir.attendance.services import compute_days
from hadir.attendance.tpp_report import month_tpp
from hadir.domain.coverage import NotCounted
from tests.attendance.conftest import workday

pytestmark = pytest.mark.django_db
OCT, OCT_END = date(2026, 10, 1), date(2026, 10, 31)


def oct(day: int) -> date:
    return date(2026, 10, day)


def days_with_status(employee, first=OCT, last=OCT_END) -> list[int]:
    rows = DailyStatus.objects.filter(employee=employee, date__range=(first, last))
    return sorted(rows.values_list("date__day", flat=True))


def test_days_before_the_regency_goes_live_have_no_status(regency):
    services.set_go_live(oct(15))
    compute_days([regency.employee], OCT, OCT_END)
    assert days_with_status(regency.employee) == list(range(15, 32))


def test_moving_the_go_live_date_later_removes_the_statuses_before_it(regency):
    compute_days([regency.employee], OCT, OCT_END)
    assert len(days_with_status(regency.employee)) == 31
    removed = services.set_go_live(oct(12))
    assert removed == 11  # 1-11 October
    assert days_with_status(regency.employee) == list(range(12, 32))


def test_an_opd_that_joins_later_counts_from_its_joining_day(regency):
    regency.opd.attendance_from = oct(20)
    regency.opd.save()
    compute_days([regency.employee], OCT, OCT_END)
    assert days_with_status(regency.employee) == list(range(20, 32))


def test_a_declared_outage_removes_its_days_and_gives_them_back_when_deleted(regency):
    e = regency.employee
    compute_days([e], OCT, OCT_END)
    outage = Outage(first_day=oct(6), last_day=oct(7), reason="server mati", opd=regency.opd)
    services.save_outage(outage, by="user:bkpsdm")
    assert 5 in days_with_status(e)
    assert 6 not in days_with_status(e)
    assert 7 not in days_with_status(e)
    assert 8 in days_with_status(e)
    assert outage.created_by == "user:bkpsdm"
    services.delete_outage(outage)
    assert 6 in days_with_status(e)
    assert 7 in days_with_status(e)


def test_an_outage_of_another_workplace_leaves_the_day_alone(regency):
    _opd, office = regency.other_opd()
    services.save_outage(Outage(first_day=oct(6), last_day=oct(6), reason="x", workplace=office))
    compute_days([regency.employee], OCT, oct(7))
    assert 6 in days_with_status(regency.employee)


def test_an_outage_needs_a_reason_and_a_sane_period(regency):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as problem:
        services.save_outage(Outage(first_day=oct(6), last_day=oct(5), reason=" "))
    assert set(problem.value.message_dict) == {"last_day", "reason"}
    assert not Outage.objects.exists()


# Transfers ------------------------------------------------------------------------------------


def test_a_back_dated_transfer_moves_the_days_from_its_first_day(regency):
    e = regency.employee
    dinkes, _ = regency.other_opd()
    dinkes.attendance_from = oct(14)  # the new OPD joined later
    dinkes.save()
    compute_days([e], OCT, OCT_END)
    transfer = services.transfer_employee(e, dinkes, oct(12), reference="SK 800/12", today=OCT_END)
    e.refresh_from_db()
    assert (e.opd_id, transfer.from_opd_id, transfer.to_opd_id) == (
        dinkes.pk,
        regency.opd.pk,
        dinkes.pk,
    )
    # Up to the 11th: Disdik's days; 12-13 in Dinkes before it joined; from the 14th, Dinkes'.
    assert days_with_status(e) == [*range(1, 12), *range(14, 32)]
    facts = selectors.employee_coverages([e.pk])[e.pk]
    assert (facts.opd_on(oct(11)), facts.opd_on(oct(12))) == (regency.opd.pk, dinkes.pk)


def test_the_recap_shows_a_transferred_employee_in_both_opds(regency):
    e = regency.employee
    dinkes, _ = regency.other_opd()
    services.transfer_employee(e, dinkes, oct(12), today=OCT_END)
    compute_days([e], OCT, OCT_END)
    before = next(
        line for line in opd_section(regency.opd, OCT, OCT_END).lines if line.employee_id == e.pk
    )
    after = next(
        line for line in opd_section(dinkes, OCT, OCT_END).lines if line.employee_id == e.pk
    )
    assert (before.codes[9], before.codes[12], before.codes[31]) == ("TK", "/", "/")
    assert (after.codes[9], after.codes[12]) == ("/", "TK")
    assert before.totals["TK"] == 7
    assert after.totals["TK"] == 15


def test_editing_an_employees_opd_records_a_transfer_from_today(regency):
    e = regency.employee
    dinkes, _ = regency.other_opd()
    e.opd = dinkes
    e.save()
    transfer = OpdTransfer.objects.get(employee=e)
    assert (transfer.from_opd_id, transfer.to_opd_id) == (regency.opd.pk, dinkes.pk)
    assert transfer.effective_on == selectors.today()
    e.name = "Budi S."
    e.save()  # no OPD change, no transfer
    assert OpdTransfer.objects.filter(employee=e).count() == 1


@pytest.mark.parametrize(
    ("day", "opd", "field"),
    [
        (date(2099, 1, 1), "other", "effective_on"),  # the future
        (date(2019, 12, 31), "other", "effective_on"),  # before the employee started
        (oct(12), "same", "to_opd"),  # no move at all
    ],
)
def test_a_wrong_transfer_is_refused(regency, day, opd, field):
    dinkes, _ = regency.other_opd()
    target = dinkes if opd == "other" else regency.opd
    with pytest.raises(services.AttendanceError) as problem:
        services.transfer_employee(regency.employee, target, day)
    assert set(problem.value.errors) == {field}
    assert not OpdTransfer.objects.exists()


# Exports, TPP and discipline -------------------------------------------------------------------


def test_the_recap_marks_days_that_do_not_count_and_says_why(regency, tmp_path):
    services.set_go_live(oct(5))
    services.save_outage(Outage(first_day=oct(20), last_day=oct(20), reason="banjir"))
    services.recompute(OCT, OCT_END)
    section = opd_section(regency.opd, OCT, OCT_END)
    budi = next(line for line in section.lines if line.employee_id == regency.employee.pk)
    assert [budi.codes[n] for n in (4, 5, 20)] == ["×", "TK", "×"]
    assert budi.not_counted[20].reason == NotCounted.OUTAGE
    assert budi.totals["TK"] == 22 - 2 - 1  # October's working days, without 1-2 and 20
    out = io.StringIO()
    write_recap_csv(month_recap(OCT, regency.opd), out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["NIP"] == budi.identifier]
    by_day = {r["Tanggal"]: r for r in rows}
    assert by_day["2026-10-04"]["Status"] == ""
    assert "sebelum presensi Hadir berlaku" in by_day["2026-10-04"]["Tidak dihitung"]
    assert by_day["2026-10-20"]["Tidak dihitung"] == "gangguan sistem yang dinyatakan: banjir"
    path = tmp_path / "recap.xlsx"
    with path.open("wb") as handle:
        write_recap_xlsx(month_recap(OCT, regency.opd), handle)
    sheet = load_workbook(path).active
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(text.startswith("× tidak dihitung") for text in texts)


def test_tpp_skips_days_that_do_not_count(regency):
    services.set_go_live(oct(26))  # 26-30 October: five TK days
    services.recompute(OCT, OCT_END)
    _, rows = month_tpp(OCT, regency.opd)
    budi = next(row for row in rows if row.identifier == regency.employee.identifier)
    assert {line.day.day for line in budi.deduction.lines} == {26, 27, 28, 29, 30}
    assert budi.deduction.percent == 15


def test_discipline_counts_only_days_that_count(regency):
    e = regency.employee
    for day in range(1, 32):
        if oct(day).weekday() < 5:
            workday(regency.head, oct(day))
            workday(regency.boss, oct(day))
    services.set_go_live(oct(19))  # Budi is TK every day; only 19-30 October count: 10 days
    results = discipline.refresh(2026, today=date(2026, 11, 1))
    budi = next(item for item in results if item.employee_id == e.pk)
    assert budi.summary.tk_days == 10
    assert len(budi.summary.longest_tk_run) == 10
    assert budi.summary.rung.code == "PEMBERHENTIAN"
    assert not [item for item in results if item.employee_id != e.pk and item.summary.rung]


def test_a_declared_outage_breaks_a_consecutive_run(regency):
    services.set_go_live(oct(5))
    services.save_outage(Outage(first_day=oct(12), last_day=oct(12), reason="server mati"))
    results = discipline.refresh(2026, today=date(2026, 10, 17))
    budi = next(item for item in results if item.employee_id == regency.employee.pk)
    # 5-9 and 13-16 October: nine TK days, never ten in a row.
    assert (budi.summary.tk_days, len(budi.summary.longest_tk_run)) == (9, 5)
    assert budi.summary.reached_by == "total"


def test_a_refresh_supersedes_wrong_recommendations_and_keeps_them(regency):
    e = regency.employee
    discipline.refresh(2026, today=date(2026, 10, 31))  # everyone TK all October: dismissal
    wrong = DisciplineRecommendation.objects.get(employee=e)
    assert wrong.rung_code == "PEMBERHENTIAN"
    services.set_go_live(oct(28))  # the regency started on the 28th: 28-30 October count
    discipline.refresh(2026, today=date(2026, 10, 31))
    current = DisciplineRecommendation.objects.get(employee=e, superseded_at__isnull=True)
    assert (current.tk_days, current.rung_code) == (3, "TEGURAN_LISAN")
    wrong.refresh_from_db()
    assert wrong.superseded_at is not None
    assert wrong.rung_code == "PEMBERHENTIAN"
    # The same figures again: nothing superseded, nothing added.
    discipline.refresh(2026, today=date(2026, 10, 31))
    assert DisciplineRecommendation.objects.filter(employee=e).count() == 2


def test_a_recommendation_that_no_longer_applies_is_superseded(regency):
    discipline.refresh(2026, today=date(2026, 10, 31))
    services.set_go_live(date(2026, 11, 1))
    discipline.refresh(2026, today=date(2026, 10, 31))
    assert not DisciplineRecommendation.objects.filter(superseded_at__isnull=True).exists()
    assert DisciplineRecommendation.objects.filter(superseded_at__isnull=False).count() == 3


def test_counted_days_tells_other_apps_which_days_count(regency):
    services.set_go_live(oct(29))
    services.save_outage(Outage(first_day=oct(30), last_day=oct(30), reason="x", opd=regency.opd))
    later = regency.contract_worker()
    later.active_from = oct(31)
    later.save()
    days = selectors.counted_days([regency.employee, later], oct(27), OCT_END)
    assert days[regency.employee.pk] == [oct(29), oct(31)]
    assert days[later.pk] == [oct(31)]
