#!/usr/bin/env python3
"""Check-in throughput: HTTP through the real server, the pipeline alone, and the raw insert
ceiling of the same database. Prints the figures and their ratios.

    .venv/bin/python bench/bench_checkin.py [--devices 1500] [--clients 16] [--workers 3]
        [--wrk-connections 4 8 16] [--wrk-seconds 6]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hadir_bench .venv/bin/python bench/...

The server is `hadir serve` (gunicorn) as deployed. With wrk installed (Debian: apt-get install
wrk) it drives the load from C, each request a fresh device's signed check-in, and the rows
stored are counted so an answered repeat is never mistaken for a check-in. SQLite runs in a
fresh temporary directory; a PostgreSQL database named in DATABASE_URL is
emptied (flush) first, so never point it at real data.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["HADIR_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not os.environ.get("DATABASE_URL", "").startswith("sqlite") and os.environ.get(
        "DATABASE_URL"
    ):
        call_command("flush", interactive=False, verbosity=0)


def make_devices(count: int):
    """`count` employees of one office, each with an active phone, written in bulk (the bench
    needs thousands; enrolling one by one through the API is tested elsewhere)."""
    from django.db import transaction
    from django.utils import timezone

    from hadir.checkin.models import Device as DeviceRow
    from hadir.checkin.models import DeviceStatus
    from hadir.client import Device, DeviceClock, DeviceKey
    from hadir.domain import signing
    from hadir.domain.geo import Geofence
    from hadir.org.models import Employee, Opd, Workplace

    now = timezone.now()
    start = Employee.objects.count()
    with transaction.atomic():
        opd, _ = Opd.objects.get_or_create(
            code="BENCH", defaults={"name": "Bench OPD", "kind": "dinas"}
        )
        office, _ = Workplace.objects.get_or_create(
            code="BENCH-1",
            defaults={
                "opd": opd,
                "name": "Bench office",
                "geofence": Geofence.circle(-2.5375, 112.95, 100).to_dict(),
                "connectivity_tier": "good",
            },
        )
        employees = Employee.objects.bulk_create(
            Employee(
                identifier=f"BENCH-{start + i:06d}",
                employee_type="NON_ASN",
                name=f"Pegawai {start + i}",
                opd=opd,
                active_from=timezone.localdate() - timedelta(days=400),
            )
            for i in range(count)
        )
        Employee.workplaces.through.objects.bulk_create(
            Employee.workplaces.through(employee_id=e.pk, workplace_id=office.pk) for e in employees
        )
        keys = [DeviceKey.generate("p256") for _ in employees]
        DeviceRow.objects.bulk_create(
            DeviceRow(
                employee=e,
                key_id=signing.key_id_for_b64(k.spki_b64),
                algorithm="p256",
                public_key=k.spki_b64,
                description={"model": "bench"},
                enrolled_at=now,
                status=DeviceStatus.ACTIVE,
            )
            for e, k in zip(employees, keys, strict=True)
        )
    return [Device(k, e.identifier, DeviceClock()) for e, k in zip(employees, keys, strict=True)]


def signed_events(devices, per_device: int):
    """Per device, its events in order (each device's sequence must arrive in order)."""
    kinds = ["check_in", "presence_check", "check_out"]
    return [
        [
            d.make_event(
                kinds[i % 3],
                -2.5375,
                112.95,
                12.0,
                challenge_id="c" if kinds[i % 3] == "presence_check" else None,
            )
            for i in range(per_device)
        ]
        for d in devices
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    hadir = str(Path(sys.executable).with_name("hadir"))
    server = subprocess.Popen(
        [hadir, "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        # Every request comes from this one address: the per-address limit is for callers,
        # not for a load generator standing in for thousands of phones.
        env={**os.environ, "HADIR_LOG_LEVEL": "ERROR", "HADIR_EVENTS_RATE_ADDRESS": "off"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/time")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def http_run(port: int, streams, clients: int):
    latencies, statuses, lock = [], {}, threading.Lock()
    buckets = [streams[i::clients] for i in range(clients)]

    def client(bucket):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, seen = [], {}
        # Interleave the client's devices: one event of each in turn, as phones would.
        for round_ in zip(*bucket, strict=False) if bucket else []:
            for event in round_:
                started = time.perf_counter()
                conn.request(
                    "POST",
                    "/api/v1/events",
                    body=event.body,
                    headers={"Content-Type": "application/json", **event.headers},
                )
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                seen[response.status] = seen.get(response.status, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in seen.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=client, args=(b,)) for b in buckets]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, statuses


def pipeline_run(streams):
    from django.utils import timezone

    from hadir.checkin.ingest import ingest

    events = [e for round_ in zip(*streams, strict=False) for e in round_]
    started = time.perf_counter()
    outcomes = {}
    for event in events:
        result = ingest(event.body, event.headers, "127.0.0.1", timezone.now())
        outcomes[result.status] = outcomes.get(result.status, 0) + 1
    return len(events), time.perf_counter() - started, outcomes


def raw_insert_run(count: int, offset: int = 0):
    """The ceiling: rows equivalent to the pipeline's (copies of the last evidence row it
    stored, every column, the same sizes), inserted from Python by the same means the pipeline
    writes with (the driver's cursor, one BEGIN IMMEDIATE ... COMMIT per row, as every check-in
    is committed before it is acknowledged), without verifying anything."""
    import hashlib

    from django.utils import timezone

    from hadir.checkin import store
    from hadir.checkin.models import EvidenceRecord

    template = EvidenceRecord.objects.order_by("-id").values().first()
    del template["id"]
    started = time.perf_counter()
    for i in range(offset, offset + count):
        digest = hashlib.sha256(f"raw{i}".encode()).hexdigest()
        row = {
            **template,
            "received_at": timezone.now(),
            "event_id": f"raw{i}",
            "dedupe_key": f"raw:{i}",
            "body_hash": digest,
            "prev_hash": digest,
            "row_hash": digest,
            "source": "raw",
        }
        with store.write_transaction() as writer:
            writer.run([store.insert_evidence_statement(row)], commit=True)
    return count, time.perf_counter() - started


WRK_SCRIPT = """
local events = dofile("%(data)s")
local counter = 0
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
function init(args)
  step = tonumber(args[1])
  i = first + 1
end
function request()
  local e = events[i]
  if e == nil then
    e = events[1]  -- ran out of fresh events: a repeat, answered from the idempotency path
  end
  i = i + step
  return wrk.format("POST", "/api/v1/events", {["Content-Type"] = "application/json",
    ["X-Hadir-Key-Id"] = e[1], ["X-Hadir-Signature"] = e[2]}, e[3])
end
"""


def wrk_run(port: int, events, connections: int, seconds: int, threads: int = 2) -> str:
    """Closed-loop load from wrk (C, one OS thread per core): each event a fresh device's
    first check-in, so the order of arrival does not matter."""
    work = Path(tempfile.mkdtemp(prefix="hadir-wrk-"))
    lines = ["return {"]
    for event in events:
        body = event.body.decode()
        lines.append(
            f'{{"{event.headers["X-Hadir-Key-Id"]}", '
            f'"{event.headers["X-Hadir-Signature"]}", [==[{body}]==]}},'
        )
    lines.append("}")
    (work / "events.lua").write_text("\n".join(lines))
    (work / "script.lua").write_text(WRK_SCRIPT % {"data": work / "events.lua"})
    result = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-s",
            str(work / "script.lua"),
            f"http://127.0.0.1:{port}/",
            "--",
            str(threads),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def wrk_summary(output: str) -> str:
    wanted = []
    for line in output.splitlines():
        text = line.strip()
        if text.startswith(("50%", "99%", "Requests/sec", "Non-2xx")) or "requests in" in text:
            wanted.append(text)
    return "; ".join(wanted)


def stored_rows() -> int:
    from django.db import connection

    from hadir.checkin.models import EvidenceRecord

    count = EvidenceRecord.objects.count()
    connection.close()
    return count


def percentile(values, q):
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1500)
    parser.add_argument("--events-per-device", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--wrk-devices",
        type=int,
        default=10000,
        help="fresh single-check-in devices for each wrk run (more than it can send)",
    )
    parser.add_argument(
        "--wrk-connections", type=int, nargs="+", default=[4, 8, 16], help="one wrk run each"
    )
    parser.add_argument("--wrk-seconds", type=int, default=6)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="hadir-bench-")
    setup_django(var_dir)
    from django.db import connection

    print(
        f"database: {connection.vendor}; devices: {args.devices}; "
        f"events per device: {args.events_per_device}; cores: {os.cpu_count()}"
    )
    use_wrk = shutil.which("wrk") is not None
    wrk_runs = args.wrk_connections if use_wrk else []
    devices = make_devices(args.devices * 2 + args.wrk_devices * len(wrk_runs))
    http_streams = signed_events(devices[: args.devices], args.events_per_device)
    pipeline_streams = signed_events(
        devices[args.devices : args.devices * 2], args.events_per_device
    )
    wrk_pool = [
        d.make_event("check_in", -2.5375, 112.95, 12.0) for d in devices[args.devices * 2 :]
    ]
    connection.close()

    port = free_port()
    server = start_server(port, args.workers, args.threads)
    try:
        elapsed, latencies, statuses = http_run(port, http_streams, args.clients)
        wrk_results = []
        for i, connections in enumerate(wrk_runs):
            pool = wrk_pool[i * args.wrk_devices : (i + 1) * args.wrk_devices]
            stored = stored_rows()
            output = wrk_run(port, pool, connections=connections, seconds=args.wrk_seconds)
            wrk_results.append((connections, output, stored_rows() - stored))
    finally:
        server.terminate()
        server.wait(timeout=20)
    http_rate = len(latencies) / elapsed
    print(
        f"HTTP, Python clients: {len(latencies)} signed check-ins in {elapsed:.1f} s = "
        f"{http_rate:.0f}/s with {args.clients} concurrent clients, {args.workers} workers "
        f"x {args.threads} threads; p50 {percentile(latencies, 50) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 99) * 1000:.1f} ms; statuses {statuses}"
    )
    for connections, output, stored in wrk_results:
        print(f"HTTP, wrk, {connections} connections: {wrk_summary(output)}; {stored} stored")
    if not use_wrk:
        print("wrk not installed (apt-get install wrk): Python-client figures only")

    # Alternate the two, a sixth of the events at a time, so that a drift in the disk's fsync
    # time (WAL checkpoints, the page cache) weighs on both alike.
    count = seconds = raw_count = raw_seconds = 0
    outcomes = {}
    for part in range(6):
        n, took, answers = pipeline_run(pipeline_streams[part::6])
        count, seconds = count + n, seconds + took
        for status, times in answers.items():
            outcomes[status] = outcomes.get(status, 0) + times
        n, took = raw_insert_run(n, offset=raw_count)
        raw_count, raw_seconds = raw_count + n, raw_seconds + took
    pipeline_rate = count / seconds
    print(
        f"pipeline (in-process, one thread): {count} events in {seconds:.1f} s = "
        f"{pipeline_rate:.0f}/s; statuses {outcomes}"
    )
    raw_rate = raw_count / raw_seconds
    print(f"raw insert of equivalent rows (one commit per row, one thread): {raw_rate:.0f} rows/s")
    print(
        f"ratios: pipeline / raw = {pipeline_rate / raw_rate:.3f}; "
        f"HTTP / pipeline = {http_rate / pipeline_rate:.2f}; HTTP / raw = "
        f"{http_rate / raw_rate:.2f}"
    )


if __name__ == "__main__":
    main()
