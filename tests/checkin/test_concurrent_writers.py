"""Check-ins written at once from many threads, each in its own database connection and
transaction (no test transaction around them): the writes PostgreSQL receives as a few
batched round trips, with the chain head released before the disk flush, keep one chain in
the order of the rows' ids, store each event once, and judge each phone's events one after
the other."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from hadir.checkin import chain
from hadir.checkin.ingest import ingest
from hadir.checkin.models import ChainHead, Device, EvidenceRecord
from hadir.client import Device as Phone
from hadir.client import DeviceClock, DeviceKey
from tests.checkin.conftest import at_office
from tests.factories import SAMPIT, make_employee, make_opd, make_workplace

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _a_database_like_the_servers():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Threads share an in-memory test database through SQLite's shared cache, whose
        # table locks fail at once instead of waiting; the server's database is a file
        # (tests/security/test_kill.py writes to one from many threads and processes).
        pytest.skip("needs a database file (HADIR_TEST_SQLITE_NAME) on SQLite")


def phones(count: int) -> list[Phone]:
    opd = make_opd()
    office = make_workplace(opd, "DISDIK-KANTOR")
    made = []
    for n in range(count):
        employee = make_employee(opd, [office], identifier=f"PARALEL-{n:03d}")
        key = DeviceKey.generate("ed25519")
        Device.objects.create(
            employee=employee,
            key_id=key.key_id,
            algorithm="ed25519",
            public_key=key.spki_b64,
            status="active",
        )
        made.append(Phone(key, employee.identifier, DeviceClock()))
    return made


def at_once(events, addresses=None) -> list:
    """Ingests the events from one thread each, started together; their results in order."""
    results = [None] * len(events)
    start = threading.Barrier(len(events))

    def send(i, event):
        try:
            start.wait()
            address = addresses[i] if addresses else f"10.0.0.{i + 1}"
            results[i] = ingest(event.body, event.headers, address, timezone.now())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, e)) for i, e in enumerate(events)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def chain_rows() -> list[dict]:
    return list(EvidenceRecord.objects.order_by("id").values(*chain.VERIFIED_FIELDS))


def test_many_phones_at_once_make_one_chain_in_id_order():
    events = [at_office(phone) for phone in phones(12)]
    results = at_once(events)
    assert [r.status for r in results] == [201] * len(events)
    rows = chain_rows()
    assert len(rows) == len(events)
    report = chain.check_chain(rows)
    assert report.problems == []
    head = ChainHead.objects.get(name="evidence")
    assert (head.length, head.last_hash) == (len(rows), report.last_hash)
    call_command("verify_chain")


def test_the_same_event_sent_at_once_from_many_threads_is_stored_once():
    (phone,) = phones(1)
    event = at_office(phone)
    results = at_once([event] * 6)
    assert sorted(r.status for r in results) == [200] * 5 + [201]
    assert {r.record_id for r in results} == {EvidenceRecord.objects.get().id}
    assert sum(r.repeated for r in results) == 5


def test_two_events_with_one_sequence_number_at_once_are_judged_one_after_the_other():
    (phone,) = phones(1)
    original = at_office(phone)
    replay = phone.make_event("check_in", *SAMPIT, 12.0, seq=1, prev_hash=None)
    results = at_once([original, replay])
    # Whichever came first is accepted; the other, judged after it, is a replay.
    assert sorted(r.status for r in results) == [201, 409]
    assert sorted(EvidenceRecord.objects.values_list("outcome", flat=True)) == [
        "accepted",
        "rejected",
    ]
    assert Device.objects.get().last_seq == 1
    assert chain.check_chain(chain_rows()).problems == []
