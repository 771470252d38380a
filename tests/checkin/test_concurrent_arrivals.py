"""Events are verified before the writer lock is taken; whatever arrived meanwhile from the same
phone must still be judged against, as if the events had been handled one after the other."""

import contextlib

import pytest
from django.utils import timezone

from hadir.checkin import ingest as ingest_module
from hadir.checkin.ingest import ingest
from hadir.checkin.models import EvidenceRecord
from tests.checkin.conftest import at_office
from tests.factories import SAMPIT

pytestmark = pytest.mark.django_db


def arriving_meanwhile(monkeypatch, other_event):
    """The next ingest finds `other_event` stored by the time it takes the writer lock."""
    real_lock, done = ingest_module.writer_lock, []

    @contextlib.contextmanager
    def lock():
        if not done:
            done.append(True)
            ingest(other_event.body, other_event.headers, "10.0.0.2", timezone.now())
        with real_lock():
            yield

    @contextlib.contextmanager
    def busy():
        yield False  # as if another process were writing: verify first, then queue

    monkeypatch.setattr(ingest_module, "writer_lock", lock)
    monkeypatch.setattr(ingest_module, "writer_lock_if_free", busy)


def test_the_same_event_arriving_twice_at_once_is_stored_once(monkeypatch, regency, device):
    event = at_office(device)
    arriving_meanwhile(monkeypatch, event)
    result = ingest(event.body, event.headers, "10.0.0.1", timezone.now())
    assert result.repeated
    assert result.status == 200
    assert EvidenceRecord.objects.count() == 1


def test_a_replay_racing_the_original_is_judged_after_it(monkeypatch, regency, device):
    original = at_office(device)
    replay = device.make_event("check_in", *SAMPIT, 12.0, seq=1, prev_hash=None)
    arriving_meanwhile(monkeypatch, original)
    result = ingest(replay.body, replay.headers, "10.0.0.1", timezone.now())
    assert result.status == 409
    assert "sequence_replay" in {r["code"] for r in result.payload["reasons"]}
    assert list(EvidenceRecord.objects.order_by("id").values_list("outcome", flat=True)) == [
        "accepted",
        "rejected",
    ]
    assert regency.employee.devices.get().last_seq == 1
