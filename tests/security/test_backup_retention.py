# ruff: noqa: F811 - the check-in fixtures, imported
"""Retention: location details older than the period are removed, outcomes stay, the chain and
its checkpoints still verify, the removal is in the audit log; a location removed early is
reported by verify-chain."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from hadir.checkin import checkpoints
from hadir.checkin.ingest import ingest
from hadir.checkin.models import EvidenceRecord
from hadir.checkin.retention import remove_old_locations
from hadir.jobs.registry import JobContext, discover, get
from hadir.org.models import AuditEntry
from tests.checkin.conftest import at_office, device, regency  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
YEAR = timedelta(days=365)


@pytest.fixture(autouse=True)
def checkpoint_files(settings, tmp_path):
    settings.CHAIN_CHECKPOINT_KEY_FILE = str(tmp_path / "checkpoint_key.pem")
    settings.CHAIN_CHECKPOINT_LOG = str(tmp_path / "checkpoints.jsonl")
    checkpoints.private_key.cache_clear()
    yield tmp_path
    checkpoints.private_key.cache_clear()


def three_records(regency, device, first_age=timedelta(0)):
    """Three check-ins; the first received `first_age` ago (an old record, as stored then)."""
    first = at_office(device)
    ingest(first.body, first.headers, "10.0.0.1", timezone.now() - first_age)
    for kind in ("check_out", "check_in"):
        assert regency.http.send(at_office(device, kind))[0] == 201
    return list(EvidenceRecord.objects.order_by("id"))


def test_old_locations_go_the_outcomes_and_the_chain_stay(regency, device, checkpoint_files):
    old, _, recent = three_records(regency, device)
    checkpoints.write_checkpoint(timezone.now())
    later = timezone.now() + 3 * YEAR  # the retention job, three years on
    removal = remove_old_locations(later, keep_days=730, actor="test")
    assert removal.count == 3
    assert remove_old_locations(later, keep_days=730, actor="test").count == 0
    gone = EvidenceRecord.objects.get(pk=old.pk)
    assert (gone.lat, gone.lon, gone.accuracy_m, bytes(gone.body)) == (None, None, None, b"")
    assert (gone.outcome, gone.reasons, gone.body_hash) == (old.outcome, old.reasons, old.body_hash)
    assert recent.lat is not None  # as it was read before
    call_command("verify_chain", "--checkpoints", str(checkpoint_files / "checkpoints.jsonl"))


def test_only_records_older_than_the_period_lose_their_location(regency, device):
    old, middle, recent = three_records(regency, device, first_age=3 * YEAR)
    removal = remove_old_locations(timezone.now(), keep_days=730, actor="test")
    assert (removal.count, removal.first_id, removal.last_id) == (1, old.pk, old.pk)
    kept = EvidenceRecord.objects.filter(location_removed_at__isnull=True)
    assert set(kept.values_list("id", flat=True)) == {middle.pk, recent.pk}
    call_command("verify_chain")


def test_the_job_logs_what_it_removed(regency, device):
    old, *_ = three_records(regency, device, first_age=3 * YEAR)
    discover()
    spec = get("remove_old_locations")
    now = timezone.now()
    result = spec.func(
        JobContext(
            now=now,
            tz=timezone.get_default_timezone(),
            scheduled_for=now,
            last_success=None,
            options=spec.options,
        )
    )
    assert result.values["count"] == 1
    entry = AuditEntry.objects.get(model="checkin.EvidenceRecord")
    assert entry.actor == "job:remove_old_locations"
    assert (entry.after["first_id"], entry.after["count"]) == (old.pk, 1)
    assert "lat" in entry.after["removed"]


def test_a_location_removed_early_is_reported(regency, device):
    _, middle, _ = three_records(regency, device)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE checkin_evidencerecord SET lat = NULL, lon = NULL, location_removed_at = %s "
            "WHERE id = %s",
            [timezone.now(), middle.pk],
        )
    with pytest.raises(CommandError, match="lokasi dihapus sebelum masa retensi berakhir"):
        call_command("verify_chain")


def test_a_removed_rows_outcome_is_still_covered(regency, device):
    old, *_ = three_records(regency, device)
    remove_old_locations(timezone.now() + 3 * YEAR, keep_days=730, actor="test")
    flipped = "rejected" if old.outcome != "rejected" else "accepted"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE checkin_evidencerecord SET outcome = %s WHERE id = %s", [flipped, old.pk]
        )
    with pytest.raises(CommandError, match=f"baris bukti {old.pk} "):
        call_command("verify_chain")
