"""The rate limits' shared table: one count for every process forked from its maker, a fixed
size whatever keys come, and collisions that can only hold a key to less than its rate."""

import multiprocessing
import os

import pytest

from hadir.core.rate_table import ROWS, RateTable
from hadir.domain.ratelimit import Rate

NOW = 1000.0


def admitted(table: RateTable, key: str, rate: Rate, tries: int, limit: int = 0) -> int:
    return sum(table.take(limit, key, rate, NOW) is None for _ in range(tries))


def test_a_key_gets_its_burst_then_the_wait_for_one_token():
    table = RateTable()
    rate = Rate(5, 60.0)
    assert admitted(table, "198.51.100.7", rate, 8) == 5
    assert table.take(0, "198.51.100.7", rate, NOW) == pytest.approx(12.0)
    assert admitted(table, "198.51.100.8", rate, 8) == 5  # another key, its own bucket
    assert admitted(table, "198.51.100.7", rate, 8, limit=1) == 5  # another limit, its own region


def test_whatever_the_collisions_no_key_gets_more_than_its_rate():
    table = RateTable(slot_bits=2)  # 4 cells a row for 200 keys: every cell shared by many
    rate = Rate(3, 3600.0)
    keys = [f"203.0.113.{n}" for n in range(200)]
    counts = dict.fromkeys(keys, 0)
    for _ in range(5):
        for key in keys:
            counts[key] += table.take(0, key, rate, NOW) is None
    assert max(counts.values()) <= 3
    # Each admission drains a key's fuller cell by a token: all the keys together get at most
    # the 8 cells' worth.
    assert sum(counts.values()) <= 3 * ROWS * 4


def test_keys_of_a_full_size_table_do_not_hold_each_other_back():
    table = RateTable()
    rate = Rate(2, 3600.0)
    keys = [f"key-{n}" for n in range(2000)]
    results = [admitted(table, key, rate, 3) for key in keys]
    # Held back only if both of a key's cells were drained by others: at most a few in 2,000
    # (each of 65,536 cells a row; 2,000 keys fill 3% of a row).
    assert results.count(2) >= len(keys) - 2


def test_the_table_never_grows_whatever_keys_are_sent():
    table = RateTable(slot_bits=8)
    size = os.fstat(table._file.fileno()).st_size
    rate = Rate(1, 60.0)
    for n in range(20_000):
        table.take(n % 3, f"2001:db8::{n:x}", rate, NOW)
    assert os.fstat(table._file.fileno()).st_size == size == 3 * ROWS * 256 * 8


def test_clear_fills_every_bucket_again():
    table = RateTable()
    rate = Rate(1, 3600.0)
    assert admitted(table, "k", rate, 2) == 1
    table.clear()
    assert admitted(table, "k", rate, 2) == 1


def _child_takes(table: RateTable, rate: Rate, tries: int, results) -> None:
    results.put(admitted(table, "203.0.113.5", rate, tries))


def _admitted_by_forked_processes(table_for_child, processes: int, rate: Rate) -> int:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    children = [
        context.Process(target=_child_takes, args=(table_for_child(), rate, 30, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    total = sum(results.get(timeout=30) for _ in children)
    for child in children:
        child.join(timeout=30)
    return total


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_processes_forked_after_the_table_is_made_share_one_count():
    rate = Rate(40, 3600.0)
    shared = RateTable()  # made before the fork, as gunicorn's master does
    assert _admitted_by_forked_processes(lambda: shared, 4, rate) == 40
    # A table per process, as the buckets were before: each process gets the whole rate.
    assert _admitted_by_forked_processes(RateTable, 4, rate) == 4 * 30
