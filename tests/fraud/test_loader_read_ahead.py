"""The batch reads the evidence on a second thread (its own connection) while it builds the
observations: the same rows in the same order as reading them in line, errors passed on, and
no thread left behind when the reading stops early. Transactional tests: inside the test's
transaction the loader reads in line, since another connection could not see the rows."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from hadir.fraud import analysis
from tests.fraud.test_analysis import HOME, MONDAY, OFFICE, phone_for, week_of_check_ins

pytestmark = pytest.mark.django_db(transaction=True)


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "hadir-analysis-read"]


def test_the_read_ahead_gives_the_rows_read_in_line(regency):
    device, clock = phone_for(regency, MONDAY - timedelta(hours=1))
    week_of_check_ins(device, clock, OFFICE)
    week_of_check_ins(device, clock, HOME)
    start, end = analysis._bounds(MONDAY.date() - timedelta(days=1), MONDAY.date() + timedelta(9))
    assert not connection.in_atomic_block  # so the second thread reads
    in_line = [row for batch in analysis._evidence_batches(start, end) for row in batch]
    assert len(in_line) >= 10
    assert list(analysis._evidence_rows(start, end)) == in_line
    inp = analysis.load_input(MONDAY.date(), MONDAY.date() + timedelta(days=6))
    assert [o.event_id for o in inp.observations] == [f"#{row[0]}" for row in in_line]
    assert _readers() == []


def test_an_error_while_reading_reaches_the_caller():
    def batches():
        yield [(1,), (2,)]
        raise RuntimeError("disk gone")

    rows = analysis._read_ahead(batches)
    assert next(rows) == (1,)
    with pytest.raises(RuntimeError, match="disk gone"):
        list(rows)
    assert _readers() == []


def test_stopping_early_leaves_no_reader_behind():
    produced = []

    def endless():
        while True:
            produced.append(1)
            yield [(len(produced),)] * 1000

    rows = analysis._read_ahead(endless)
    assert next(rows) == (1,)
    rows.close()
    assert _readers() == []
    assert len(produced) <= 8  # the queue holds a few batches; the reader stopped there
