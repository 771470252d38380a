"""A correction is an overlay: the evidence and the computed status stay, the latest one wins."""

from datetime import date

import pytest

from hadir.attendance.messages import note_text
from hadir.attendance.models import DailyStatus, MonthClosure, StatusCorrection
from hadir.attendance.services import AttendanceError, compute_days, record_correction
from hadir.checkin.models import EvidenceRecord
from tests.attendance.conftest import workday

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 5)


def evidence_snapshot():
    return list(
        EvidenceRecord.objects.order_by("id").values_list(
            "id", "row_hash", "kind", "time_of_record", "outcome"
        )
    )


def test_a_correction_overlays_without_touching_the_evidence(regency):
    e = regency.employee
    workday(e, DAY, "09:40", "16:05")  # TL4: the lift broke down, says the atasan
    compute_days([e], DAY, DAY)
    before = evidence_snapshot()
    correction = record_correction(e, DAY, "H", "lift rusak, dikonfirmasi atasan", regency.admin)
    row = DailyStatus.objects.get(employee=e, date=DAY)
    assert (row.codes, row.computed_codes, row.late_minutes) == ("H", "TL4", 0)
    assert row.correction_id == correction.pk
    notes = [note_text(n) for n in row.explanation["notes"]]
    assert any("dikoreksi menjadi H oleh user:bkpsdm" in m for m in notes)
    assert any("09:40" in m for m in notes)  # the computed reasoning is kept
    assert evidence_snapshot() == before
    compute_days([e], DAY, DAY)  # a recompute keeps the overlay
    assert DailyStatus.objects.get(employee=e, date=DAY).codes == "H"


def test_the_latest_correction_wins_and_the_history_stays(regency):
    e = regency.employee
    record_correction(e, DAY, "S", "surat dokter menyusul", regency.admin)
    record_correction(
        e,
        DAY,
        ("TL1", "PSW1"),
        "surat dokter tidak ada",
        regency.opd_admin,
        late_minutes=12,
        early_minutes=5,
    )
    row = DailyStatus.objects.get(employee=e, date=DAY)
    assert (row.codes, row.late_minutes, row.early_minutes) == ("TL1+PSW1", 12, 5)
    assert StatusCorrection.objects.filter(employee=e, date=DAY).count() == 2


@pytest.mark.parametrize(
    ("codes", "reason", "day", "field"),
    [
        ("XX", "salah ketik", DAY, "codes"),
        ("TK+H", "tidak mungkin", DAY, "codes"),
        ("TL1+TL2", "dua band", DAY, "codes"),
        ("H", "  ", DAY, "reason"),
        ("H", "masa depan", date(2026, 12, 1), "date"),
    ],
)
def test_a_bad_correction_is_refused(regency, codes, reason, day, field):
    with pytest.raises(AttendanceError) as caught:
        record_correction(
            regency.employee, day, codes, reason, regency.admin, today=date(2026, 11, 28)
        )
    assert field in caught.value.errors
    assert not StatusCorrection.objects.exists()


def test_a_closed_month_changes_only_by_a_correction_recorded_after_closing(regency):
    e = regency.employee
    compute_days([e], DAY, DAY)
    MonthClosure.objects.create(month=date(2026, 10, 1), opd=regency.opd)
    # Evidence or leave arriving after closing: the frozen status stays, the change is shown.
    workday(e, DAY, "07:20", "16:05")
    compute_days([e], DAY, DAY)
    row = DailyStatus.objects.get(employee=e, date=DAY)
    assert (row.codes, row.pending_codes) == ("TK", "H")
    # A correction, with its reason and author, is what changes it; it is marked as such.
    correction = record_correction(e, DAY, "H", "presensi offline masuk terlambat", regency.admin)
    assert correction.after_closure
    row.refresh_from_db()
    assert (row.codes, row.computed_codes, row.pending_codes) == ("H", "TK", "")
    assert row.correction_id == correction.pk
    assert note_text(row.explanation["notes"][-1]).startswith("dikoreksi menjadi H")
    compute_days([e], DAY, DAY)  # nothing else moves it
    row.refresh_from_db()
    assert (row.codes, row.pending_codes) == ("H", "")


def test_a_correction_in_an_open_month_is_not_marked_after_closing(regency):
    correction = record_correction(regency.employee, DAY, "S", "sakit", regency.admin)
    assert not correction.after_closure
