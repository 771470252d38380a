#!/usr/bin/env python3
"""One check-in's path through the pipeline, counted: statements and round trips per event,
how many of them run while the evidence chain is locked, the Python CPU time per event, the
database server's CPU time per event (PostgreSQL: the backend process's, read from /proc),
and how long the chain stays locked. These figures hardly depend on the machine's load,
unlike the latencies of bench_peak.py.

    .venv/bin/python bench/bench_event_path.py [--events 2000] [--threads 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hadir_bench .venv/bin/python bench/...

Every event is a fresh device's check-in, ingested in this process the way the server's
events endpoint does (`ingest`, front door included), one after another; then as many again
from several threads at once, which shows how long the chain head is held. SQLite runs in a fresh
temporary directory; a PostgreSQL database named in DATABASE_URL is emptied (flush) first,
so never point it at real data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_checkin import make_devices, setup_django


class Tally:
    """Statements and round trips seen on the connection, and how long the chain head stays
    locked: from the round trip that locks it to the end of the one that commits."""

    def __init__(self):
        self.statements = 0
        self.round_trips = 0
        self.in_lock = 0
        self.locked_at: float | None = None
        self.holds: list[float] = []

    def seen(self, sql: str) -> None:
        # Several statements in one execute (PostgreSQL) are one round trip.
        texts = [t.strip().upper() for t in sql.split("; ")]
        self.round_trips += 1
        self.statements += len(texts)
        if self.locked_at is None and any(
            t.startswith("BEGIN IMMEDIATE")  # SQLite: the database's write lock
            or ("CHECKIN_CHAINHEAD" in t and "FOR UPDATE" in t)
            for t in texts
        ):
            self.locked_at = time.perf_counter()
        if self.locked_at is not None:
            self.in_lock += 1

    def ended(self, sql: str) -> None:
        texts = [t.strip().upper() for t in sql.split("; ")]
        if self.locked_at is not None and any(t.startswith(("COMMIT", "ROLLBACK")) for t in texts):
            self.holds.append(time.perf_counter() - self.locked_at)
            self.locked_at = None


def watch_postgresql(raw, tally: Tally) -> None:
    class Counting(raw.cursor_factory):
        def execute(self, query, params=None, **kwargs):
            sql = query if isinstance(query, str) else str(query)
            tally.seen(sql)
            try:
                return super().execute(query, params, **kwargs)
            finally:
                tally.ended(sql)

    raw.cursor_factory = Counting


def watch_sqlite(raw, tally: Tally) -> None:
    def trace(sql):
        tally.seen(sql)
        tally.ended(sql)

    raw.set_trace_callback(trace)


def backend_cpu_s(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument(
        "--threads", type=int, default=8, help="then as many from this many threads (0: not)"
    )
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="hadir-path-"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from hadir.checkin.ingest import ingest
    from hadir.checkin.models import EvidenceRecord

    devices = make_devices(args.events)
    events = [d.make_event("check_in", -2.5375, 112.95, 12.0) for d in devices]
    warm = make_devices(50)
    for device in warm:  # caches, prepared statements, first connection
        event = device.make_event("check_in", -2.5375, 112.95, 12.0)
        ingest(event.body, event.headers, "10.255.0.1", timezone.now(), front_door=True)
    connection.ensure_connection()
    tally = Tally()
    backend = None
    if connection.vendor == "postgresql":
        watch_postgresql(connection.connection, tally)
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = cur.fetchone()[0]
    else:
        watch_sqlite(connection.connection, tally)
    before_rows = EvidenceRecord.objects.count()
    statuses: dict[int, int] = {}
    walls = []
    cpu0, db0 = time.process_time(), backend_cpu_s(backend)
    with CaptureQueriesContext(connection) as orm:
        for i, event in enumerate(events):
            address = f"10.{i // 62500}.{i // 250 % 250}.{1 + i % 250}"  # one phone each
            started = time.perf_counter()
            result = ingest(event.body, event.headers, address, timezone.now(), front_door=True)
            walls.append(time.perf_counter() - started)
            statuses[result.status] = statuses.get(result.status, 0) + 1
    cpu = time.process_time() - cpu0
    db_cpu = backend_cpu_s(backend) - db0
    stored = EvidenceRecord.objects.count() - before_rows
    n = len(events)
    holds = sorted(tally.holds)
    print(
        f"database: {connection.vendor}; {n} fresh devices' check-ins, one at a time, "
        f"in-process (ingest with the front door); cores: {os.cpu_count()}; "
        f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"statuses {statuses}; stored {stored}")
    print(
        f"per event: {tally.statements / n:.2f} statements (BEGIN and COMMIT included; through "
        f"Django's ORM: {len(orm.captured_queries) / n:.2f}) in {tally.round_trips / n:.2f} "
        f"round trips, {tally.in_lock / n:.2f} of them from locking the chain to the commit"
    )
    print(
        f"CPU per event: Python {cpu / n * 1000:.2f} ms"
        + (f", PostgreSQL backend {db_cpu / n * 1000:.2f} ms" if backend else "")
    )
    print(
        f"wall per event: median {statistics.median(walls) * 1000:.2f} ms; from sending the "
        f"round trip that locks the chain head to the end of the one that commits: median "
        f"{statistics.median(holds) * 1000:.2f} ms, p99 {holds[int(len(holds) * 0.99)] * 1000:.2f}"
        " ms (on PostgreSQL the head is released before the disk flush that this includes)"
        if holds
        else "chain lock not seen"
    )
    if args.threads:
        concurrent(args.threads, n)


def concurrent(threads: int, count: int) -> None:
    """The same kind of check-ins from `threads` threads at once, each with its own database
    connection: how many a second one process stores, the chain head taken in turn."""
    import threading

    from django.db import connection
    from django.utils import timezone

    from hadir.checkin.ingest import ingest

    events = [d.make_event("check_in", -2.5375, 112.95, 12.0) for d in make_devices(count)]
    connection.close()
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def work(first: int) -> None:
        try:
            for i in range(first, count, threads):
                event, address = events[i], f"10.200.{i // 250 % 250}.{1 + i % 250}"
                now = timezone.now()
                result = ingest(event.body, event.headers, address, now, front_door=True)
                with lock:
                    statuses[result.status] = statuses.get(result.status, 0) + 1
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    print(
        f"{count} check-ins from {threads} threads of one process: {count / elapsed:.0f}/s; "
        f"statuses {statuses}; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
