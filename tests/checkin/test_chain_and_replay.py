"""The evidence store's hash chain catches edits; `hadir replay` is idempotent."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from hadir.checkin.models import EvidenceRecord
from tests.checkin.conftest import at_office

pytestmark = pytest.mark.django_db


def send_three(regency, device):
    for kind in ("check_in", "presence_check", "check_out"):
        regency.http.send(
            at_office(device, kind)
            if kind != "presence_check"
            else at_office(device, kind, challenge_id="none")
        )


def test_an_intact_chain_verifies(regency, device, capsys):
    send_three(regency, device)
    call_command("verify_chain")
    assert "rantai utuh: 3 baris" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("UPDATE checkin_evidencerecord SET outcome = 'accepted' WHERE id = %s", "diubah"),
        ("UPDATE checkin_evidencerecord SET received_at = received_at WHERE id = %s", None),
        ("DELETE FROM checkin_evidencerecord WHERE id = %s", "dihapus"),
    ],
)
def test_an_edited_or_deleted_row_breaks_the_chain_at_that_row(regency, device, sql, problem):
    send_three(regency, device)
    middle = EvidenceRecord.objects.order_by("id")[1]
    if "outcome" in sql:
        sql = sql.replace(
            "'accepted'", "'rejected'" if middle.outcome != "rejected" else "'accepted'"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [middle.pk])
    if problem is None:  # a no-op write changes nothing
        call_command("verify_chain")
        return
    with pytest.raises(CommandError) as error:
        call_command("verify_chain")
    expected_row = middle.pk if problem == "diubah" else middle.pk + 1
    assert f"baris bukti {expected_row} " in str(error.value)
    assert problem in str(error.value)


def test_removing_the_newest_rows_is_caught_by_the_chain_head(regency, device):
    send_three(regency, device)
    newest = EvidenceRecord.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkin_evidencerecord WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError) as error:
        call_command("verify_chain")
    assert "rantai rusak di ujungnya: kepala rantai mencatat 3 baris" in str(error.value)
    assert "tabel berisi 2 yang berakhir di" in str(error.value)


def test_a_missing_chain_head_with_rows_is_caught(regency, device):
    send_three(regency, device)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM checkin_chainhead")
    with pytest.raises(CommandError, match="rantai rusak di ujungnya: kepala rantai tidak ada"):
        call_command("verify_chain")


def archive_line(event, received_at):
    return json.dumps(
        {
            "received_at": received_at.isoformat(),
            "remote_addr": "10.1.2.3",
            "headers": event.headers,
            "body": event.body.decode(),
        }
    )


def test_replay_runs_archived_requests_once(tmp_path, regency, device, capsys):
    start = timezone.now() - timedelta(days=2)
    lines = [
        archive_line(at_office(device, "check_in"), start),
        archive_line(at_office(device, "check_out"), start + timedelta(hours=8)),
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("\n".join(lines) + "\n")
    call_command("replay", str(path))
    stored = capsys.readouterr().out  # the outcomes by their Indonesian labels
    assert re.match(r"disimpan 2 \((diterima|diterima dengan peringatan|ditolak): [12]", stored)
    call_command("replay", str(path))
    said = "disimpan 0 (tidak ada yang baru); sudah tersimpan: 2; baris tak terbaca: 0"
    assert said in capsys.readouterr().out
    records = list(EvidenceRecord.objects.order_by("id"))
    assert [r.source for r in records] == ["replay", "replay"]
    assert records[0].time_of_record == start


def test_replay_reports_unreadable_lines_and_keeps_the_good_ones(tmp_path, regency, device):
    good = archive_line(at_office(device), timezone.now())
    path = tmp_path / "mixed.jsonl"
    path.write_text("not json\n" + good + "\n" + '{"received_at": "yesterday"}\n')
    with pytest.raises(CommandError, match=r"^2 baris tidak dapat dibaca atau dijalankan$"):
        call_command("replay", str(path))
    assert EvidenceRecord.objects.count() == 1


def test_replay_of_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match=r"tidak dapat membaca /nonexistent/file\.jsonl: "):
        call_command("replay", "/nonexistent/file.jsonl")
