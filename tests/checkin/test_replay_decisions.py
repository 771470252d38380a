"""`hadir replay` makes an archive's device and leave decisions at their archived time."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hadir.attendance import leave as leave_service
from hadir.attendance.models import LeaveRequest, LeaveStatus
from hadir.attendance.services import AttendanceError
from hadir.checkin import devices as device_service
from hadir.checkin.models import Device as DeviceRow
from hadir.checkin.models import EvidenceRecord
from hadir.client import Device, DeviceKey
from hadir.org.models import AuditAction, AuditEntry
from tests.checkin.conftest import PASSWORD, at_office
from tests.checkin.test_chain_and_replay import archive_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(regency, device):
    """Three days ago Budi enrolled a second phone, which waits for his atasan."""
    enrolled = timezone.now() - timedelta(days=3)
    token = regency.http.login(regency.employee.identifier, PASSWORD)
    key = DeviceKey.generate()
    answer = regency.http.enrol(token, key, {"model": "New phone"})
    assert answer["status"] == "pending"
    DeviceRow.objects.filter(status="active").update(enrolled_at=enrolled - timedelta(days=30))
    DeviceRow.objects.filter(pk=answer["device_id"]).update(enrolled_at=enrolled)
    row = DeviceRow.objects.get(pk=answer["device_id"])
    return row, Device(key, regency.employee.identifier), enrolled


def device_line(row, at, by, decision="approve", **extra):
    return json.dumps(
        {
            "type": "device_decision",
            "at": at.isoformat(),
            "by": by,
            "key_id": row.key_id,
            "decision": decision,
            **extra,
        }
    )


def leave_line(leave, at, by, decision="approve", **extra):
    return json.dumps(
        {
            "type": "leave_decision",
            "at": at.isoformat(),
            "by": by,
            "leave_id": leave.pk,
            "decision": decision,
            **extra,
        }
    )


def write(tmp_path, lines):
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def boss(regency):
    return regency.boss.user.get_username()


def pending_leave(regency, requested_at):
    leave = LeaveRequest.objects.create(
        employee=regency.employee,
        kind="I",
        first_day=date(2026, 10, 5),
        last_day=date(2026, 10, 5),
        reason="urusan keluarga",
        requested_by=regency.user,
    )
    LeaveRequest.objects.filter(pk=leave.pk).update(requested_at=requested_at)
    leave.refresh_from_db()
    return leave


def test_an_archived_approval_is_made_at_its_archived_time_between_the_events(
    tmp_path, regency, device, archived, capsys
):
    row, new_phone, enrolled = archived
    approved_at = enrolled + timedelta(hours=2)
    path = write(
        tmp_path,
        [
            archive_line(at_office(new_phone), approved_at - timedelta(minutes=30)),
            device_line(row, approved_at, boss(regency)),
            archive_line(at_office(new_phone), approved_at + timedelta(minutes=30)),
        ],
    )
    out = tmp_path / "verdicts.jsonl"
    call_command("replay", str(path), "--verdicts", str(out))

    row.refresh_from_db()
    assert (row.status, row.decided_at, row.decided_by) == (
        "active",
        approved_at,
        f"user:{boss(regency)}",
    )
    old = DeviceRow.objects.exclude(pk=row.pk).get()
    assert (old.status, old.revoked_at) == ("revoked", approved_at)
    before, decision, after = [json.loads(v) for v in out.read_text().splitlines()]
    assert "device_pending" in before["reasons"]
    assert decision == {
        "line": 2,
        "type": "device_decision",
        "at": approved_at.isoformat(),
        "by": boss(regency),
        "device_id": row.pk,
        "outcome": "approved",
        "repeated": False,
    }
    assert after["outcome"] in ("accepted", "accepted_with_warnings")  # the archived clock
    assert "device_pending" not in after["reasons"]
    note = AuditEntry.objects.get(action=AuditAction.REPLAY)
    assert note.actor.startswith("cli:replay")
    assert (note.model, note.object_pk) == ("checkin.Device", str(row.pk))
    assert note.after["decided_at"] == approved_at.isoformat()
    assert (note.after["archive"], note.after["line"]) == ("archive.jsonl", 2)
    assert note.at > approved_at  # when it was replayed, not when it was decided
    assert "; keputusan dijalankan: 1, sudah dijalankan: 0\n" in capsys.readouterr().out


def test_replaying_the_archive_again_makes_no_decision_twice(tmp_path, regency, archived, capsys):
    row, _, enrolled = archived
    path = write(tmp_path, [device_line(row, enrolled + timedelta(hours=1), boss(regency))])
    call_command("replay", str(path))
    call_command("replay", str(path))
    assert "; keputusan dijalankan: 0, sudah dijalankan: 1\n" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action=AuditAction.REPLAY).count() == 1


def test_an_archived_rejection_keeps_its_reason_and_time(tmp_path, regency, archived):
    row, _, enrolled = archived
    at = enrolled + timedelta(minutes=5)
    path = write(tmp_path, [device_line(row, at, boss(regency), "reject", reason="bukan HP-nya")])
    call_command("replay", str(path))
    row.refresh_from_db()
    assert (row.status, row.decided_at, row.revoke_reason) == ("rejected", at, "bukan HP-nya")
    assert DeviceRow.objects.filter(status="active").count() == 1


def test_an_archived_leave_decision_carries_its_time_and_decider(tmp_path, regency):
    requested = timezone.now() - timedelta(days=10)
    leave = pending_leave(regency, requested)
    decided = requested + timedelta(days=1, hours=3)
    call_command("replay", str(write(tmp_path, [leave_line(leave, decided, boss(regency))])))
    leave.refresh_from_db()
    assert (leave.status, leave.decided_at, leave.decided_by) == (
        LeaveStatus.APPROVED,
        decided,
        regency.boss.user,
    )
    note = AuditEntry.objects.get(action=AuditAction.REPLAY)
    assert (note.model, note.before, note.after["status"]) == (
        "attendance.LeaveRequest",
        {"status": "pending"},
        "approved",
    )


def test_decisions_from_standard_input_are_checked_and_made(regency, archived, monkeypatch):
    row, _, enrolled = archived
    line = device_line(row, enrolled + timedelta(hours=1), boss(regency))
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    call_command("replay", "-")
    row.refresh_from_db()
    assert row.status == "active"


def refuses(tmp_path, lines, *messages):
    """The archive is refused as a whole: a clear error naming the line, nothing stored."""
    path = write(tmp_path, lines)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="ditolak; tidak ada yang diputar ulang"):
        call_command("replay", str(path), stderr=stderr)
    for message in messages:
        assert message in stderr.getvalue()
    assert EvidenceRecord.objects.filter(source="replay").count() == 0
    assert not AuditEntry.objects.filter(action=AuditAction.REPLAY).exists()


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (timedelta(minutes=-1), "lebih awal dari pendaftaran perangkat"),
        (timedelta(days=4), "ada di masa depan (sekarang "),
    ],
)
def test_a_device_decision_before_the_enrolment_or_in_the_future_is_refused(
    tmp_path, regency, archived, shift, message
):
    row, new_phone, enrolled = archived
    lines = [
        archive_line(at_office(new_phone), enrolled + timedelta(minutes=1)),
        device_line(row, enrolled + shift, boss(regency)),
    ]
    refuses(tmp_path, lines, f"baris 2: waktu keputusan {(enrolled + shift).isoformat()} ", message)
    row.refresh_from_db()
    assert (row.status, row.decided_at) == ("pending", None)


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (timedelta(seconds=-1), "lebih awal dari pengajuan cuti/izin"),
        (timedelta(days=11), "ada di masa depan (sekarang "),
    ],
)
def test_a_leave_decision_before_the_request_or_in_the_future_is_refused(
    tmp_path, regency, shift, message
):
    requested = timezone.now() - timedelta(days=10)
    leave = pending_leave(regency, requested)
    refuses(tmp_path, [leave_line(leave, requested + shift, boss(regency))], message)
    leave.refresh_from_db()
    assert (leave.status, leave.decided_at) == (LeaveStatus.PENDING, None)


def test_decisions_that_cannot_be_made_are_refused_with_their_line(tmp_path, regency, archived):
    row, _, enrolled = archived
    at = enrolled + timedelta(hours=1)
    requested = timezone.now() - timedelta(days=10)
    leave = pending_leave(regency, requested)
    lines = [
        device_line(row, at, regency.user.get_username()),  # his own phone
        device_line(row, at, "nobody"),
        json.dumps({"type": "device_decision", "at": "2026-11-02T07:00:00", "by": "x"}),
        leave_line(leave, requested + timedelta(hours=1), boss(regency), "reject"),
        json.dumps({"type": "overtime", "at": at.isoformat()}),
    ]
    path = write(tmp_path, lines)
    stderr = io.StringIO()
    with pytest.raises(
        CommandError, match=r"^5 baris keputusan ditolak; tidak ada yang diputar ulang$"
    ):
        call_command("replay", str(path), stderr=stderr)
    errors = stderr.getvalue()
    assert "baris 1: 198503152010011002 tidak berwenang memutuskan perangkat ini" in errors
    assert "baris 2: sudah diputuskan pada baris 1" in errors
    assert "baris 3: device_decision memerlukan key_id, decision" in errors
    assert "baris 4: penolakan cuti/izin memerlukan alasan" in errors
    assert "baris 5: jenis 'overtime' tidak dikenal (salah satu dari event, " in errors


def test_the_services_refuse_a_decision_before_the_thing_decided(regency, archived):
    row, _, enrolled = archived
    with pytest.raises(device_service.DeviceError) as error:
        device_service.approve_device(row, "user:x", enrolled - timedelta(seconds=1))
    assert (error.value.status, error.value.field) == (422, "decided_at")
    leave = pending_leave(regency, timezone.now() - timedelta(days=1))
    with pytest.raises(AttendanceError) as refused:
        leave_service.decide_leave(
            leave, approve=True, by=regency.boss.user, now=leave.requested_at - timedelta(hours=1)
        )
    assert "decided_at" in refused.value.errors
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
