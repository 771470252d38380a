"""Leave: every refusal names its field and stores nothing; decisions recompute the days."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hadir.attendance import leave as service
from hadir.attendance.models import DailyStatus, LeaveRequest, LeaveStatus, MonthClosure
from hadir.attendance.services import AttendanceError, compute_days
from tests.attendance.conftest import workday
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def ask(regency, **fields):
    values = {
        "kind": "I",
        "first_day": date(2026, 10, 5),
        "last_day": date(2026, 10, 5),
        "reason": "urusan keluarga",
        "requested_by": regency.user,
    }
    values.update(fields)
    return service.request_leave(regency.employee, **values)


def status_on(employee, day):
    return DailyStatus.objects.get(employee=employee, date=day).codes


def refused(regency, field, **fields):
    with pytest.raises(AttendanceError) as caught:
        ask(regency, **fields)
    assert field in caught.value.errors, caught.value.errors
    return caught.value.errors[field][0]


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("last_day", {"first_day": date(2026, 10, 6), "last_day": date(2026, 10, 5)}),
        ("kind", {"kind": "XX"}),
        ("portion", {"portion": "morning", "last_day": date(2026, 10, 6)}),
        ("assignment_letter", {"kind": "DL", "destination": "Palangka Raya"}),
        ("destination", {"kind": "DL", "assignment_letter": "094/123/DISDIK/2026"}),
        ("attachment", {"kind": "S", "last_day": date(2026, 10, 7)}),
        ("attachment", {"kind": "S", "attachment": SimpleUploadedFile("surat.pdf", b"GIF89a")}),
        (
            "attachment",
            {
                "kind": "S",
                "attachment": SimpleUploadedFile("surat.pdf", PDF + b"0" * (2 * 1024 * 1024)),
            },
        ),
        ("first_day", {"first_day": date(2026, 10, 3), "last_day": date(2026, 10, 4)}),
    ],
    ids=[
        "end-before-start",
        "unknown-kind",
        "half-day-range",
        "dl-without-letter",
        "dl-without-destination",
        "long-sickness-without-letter",
        "not-pdf-or-jpeg",
        "too-large",
        "weekend-only",
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_stored(regency, field, fields):
    refused(regency, field, **fields)
    assert not LeaveRequest.objects.exists()


def test_the_attachment_type_is_read_from_its_bytes_not_its_name(regency):
    leave = ask(
        regency,
        kind="S",
        last_day=date(2026, 10, 7),
        attachment=SimpleUploadedFile("scan.png", JPEG),
    )
    assert leave.attachment.name.endswith(".jpg")
    with pytest.raises(AttendanceError):
        ask(
            regency,
            kind="S",
            first_day=date(2026, 10, 12),
            last_day=date(2026, 10, 14),
            attachment=SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>"),
        )


def test_an_overlapping_request_is_refused(regency):
    ask(regency, first_day=date(2026, 10, 5), last_day=date(2026, 10, 7))
    message = refused(regency, "first_day", first_day=date(2026, 10, 7), last_day=date(2026, 10, 8))
    assert "tumpang tindih" in message
    assert LeaveRequest.objects.count() == 1


def test_a_morning_and_an_afternoon_on_one_day_may_both_stand(regency):
    ask(regency, portion="morning")
    ask(regency, kind="S", portion="afternoon")
    refused(regency, "first_day", portion="afternoon")


def test_a_rejected_request_does_not_block_a_new_one(regency):
    leave = ask(regency)
    service.decide_leave(
        leave, approve=False, by=regency.boss_user, now=timezone.now(), reason="tidak ada bukti"
    )
    assert ask(regency).status == LeaveStatus.PENDING


def test_leave_in_a_closed_month_shows_on_the_frozen_day_without_changing_it(regency):
    day = date(2026, 10, 5)
    compute_days([regency.employee], day, day)
    MonthClosure.objects.create(month=date(2026, 10, 1))
    leave = ask(regency, kind="S")
    service.decide_leave(leave, approve=True, by=regency.boss_user, now=timezone.now())
    row = DailyStatus.objects.get(employee=regency.employee, date=day)
    assert (row.codes, row.pending_codes) == ("TK", "S")


def test_annual_leave_needs_a_year_of_service(regency):
    regency.employee.active_from = date(2026, 1, 15)
    regency.employee.save()
    assert "15 Januari 2027" in refused(regency, "kind", kind="CT")


def test_annual_leave_counts_working_days_and_the_carry_over(regency):
    # 2025: 8 of 12 days taken, so 4 are carried into 2026 (at most 6): 16 days in 2026.
    taken = ask(regency, kind="CT", first_day=date(2025, 3, 3), last_day=date(2025, 3, 12))
    service.decide_leave(taken, approve=True, by=regency.boss_user, now=timezone.now())
    ten = ask(regency, kind="CT", first_day=date(2026, 10, 5), last_day=date(2026, 10, 16))
    assert ten.status == LeaveStatus.PENDING  # 10 working days over 12 calendar days
    message = refused(
        regency, "last_day", kind="CT", first_day=date(2026, 10, 19), last_day=date(2026, 10, 27)
    )
    assert "Meminta 7 hari kerja" in message
    assert "sisanya 6 hari" in message
    assert (
        ask(regency, kind="CT", first_day=date(2026, 10, 19), last_day=date(2026, 10, 26)).status
        == LeaveStatus.PENDING
    )


def test_the_carry_over_is_capped_at_six_days(regency):
    remaining = service.selectors.annual_leave_balance(
        regency.employee, 2026, service.selectors.current_rules().leave
    )
    assert (remaining.entitlement, remaining.carried_over, remaining.remaining) == (12, 6, 18)


def test_leave_approved_after_the_fact_changes_the_day(regency):
    e, day = regency.employee, date(2026, 10, 5)
    compute_days([e], day, day)
    assert status_on(e, day) == "TK"
    leave = ask(regency, kind="S")
    assert status_on(e, day) == "TK"  # pending leave changes nothing
    service.decide_leave(leave, approve=True, by=regency.boss_user, now=timezone.now())
    assert status_on(e, day) == "S"
    service.decide_leave(
        leave, approve=False, by=regency.boss_user, now=timezone.now(), reason="surat palsu"
    )
    assert status_on(e, day) == "TK"
    leave.refresh_from_db()
    assert (leave.status, leave.decision_reason) == (LeaveStatus.REJECTED, "surat palsu")


def test_a_half_day_leave_leaves_the_other_half_assessed(regency):
    e, day = regency.employee, date(2026, 10, 5)
    workday(e, day, "12:55", None)
    leave = ask(regency, portion="morning")
    service.decide_leave(leave, approve=True, by=regency.admin, now=timezone.now())
    assert status_on(e, day) == "I+PSW4"


def test_only_the_atasan_or_an_admin_decides_and_never_for_themselves(regency):
    leave = ask(regency)
    with pytest.raises(PermissionDenied):
        service.decide_leave(leave, approve=True, by=regency.user, now=timezone.now())
    other_opd_admin = make_user("admin_dinkes", role="admin_opd", opd=regency.other_opd()[0])
    with pytest.raises(PermissionDenied):
        service.decide_leave(leave, approve=True, by=other_opd_admin, now=timezone.now())
    service.decide_leave(leave, approve=True, by=regency.opd_admin, now=timezone.now())
    with pytest.raises(AttendanceError) as caught:
        service.decide_leave(leave, approve=True, by=regency.boss_user, now=timezone.now())
    assert "status" in caught.value.errors


def test_a_rejection_needs_a_reason(regency):
    leave = ask(regency)
    with pytest.raises(AttendanceError) as caught:
        service.decide_leave(
            leave, approve=False, by=regency.boss_user, now=timezone.now(), reason=" "
        )
    assert "reason" in caught.value.errors
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_an_admin_records_leave_on_the_employees_behalf(regency):
    e, day = regency.employee, date(2026, 10, 6)
    compute_days([e], day, day)
    leave = service.request_leave(
        e,
        kind="DL",
        first_day=day,
        last_day=day,
        assignment_letter="094/55/DISDIK/2026",
        destination="Palangka Raya",
        requested_by=regency.opd_admin,
        on_behalf=True,
    )
    assert leave.recorded_on_behalf
    assert leave.status == LeaveStatus.APPROVED
    assert status_on(e, day) == "DL"
    with pytest.raises(PermissionDenied):
        service.request_leave(
            e, kind="I", first_day=day, last_day=day, requested_by=regency.boss_user, on_behalf=True
        )


def test_the_employee_cancels_a_pending_request(regency):
    leave = ask(regency)
    service.cancel_leave(leave, by=regency.user, now=timezone.now())
    assert leave.status == LeaveStatus.CANCELLED
    assert ask(regency).status == LeaveStatus.PENDING
