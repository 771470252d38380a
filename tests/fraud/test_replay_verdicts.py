"""`hadir replay --verdicts FILE`: an auditor replaying an archive gets each line's verdict."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from hadir.checkin.models import EvidenceRecord
from tests.checkin.conftest import at_office
from tests.checkin.test_chain_and_replay import archive_line

pytestmark = pytest.mark.django_db


def test_each_line_gets_its_verdict_with_the_record_it_made(tmp_path, regency, device):
    now = timezone.now()
    check_in = archive_line(at_office(device, "check_in"), now)
    mocked = archive_line(at_office(device, "check_out", mock=True), now)
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join([check_in, "not json", mocked, check_in]) + "\n")
    out = tmp_path / "verdicts.jsonl"
    with pytest.raises(CommandError, match=r"^1 baris tidak dapat dibaca atau dijalankan$"):
        call_command("replay", str(path), "--verdicts", str(out))
    verdicts = [json.loads(line) for line in out.read_text().splitlines()]
    assert [v["line"] for v in verdicts] == [1, 2, 3, 4]
    first, unreadable, second, again = verdicts
    records = list(EvidenceRecord.objects.order_by("id"))
    assert first["record_id"] == records[0].pk
    assert first["outcome"] == records[0].outcome
    assert first["event_id"] == records[0].event_id
    assert unreadable["outcome"] == "unreadable"
    assert unreadable["error"].startswith("line 2: not JSON (")  # English: programs read it
    assert second["record_id"] == records[1].pk
    assert "mock_location" in second["reasons"]
    assert again["repeated"] is True
    assert again["record_id"] == records[0].pk
