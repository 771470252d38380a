#!/usr/bin/env python3
"""Morning peak: a regency's 10,000 check-ins of one morning, compressed into the shortest
time the server holds with p99 under 200 ms and no errors. Prints, per rate tried, the rate
reached, latencies and errors.

    .venv/bin/python bench/bench_peak.py [--checkins 10000] [--rates 50 100 150 200 300]
        [--workers 4] [--threads 2] [--clients 64] [--per-office 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hadir_bench .venv/bin/python bench/...

The server is `hadir serve` (gunicorn) as deployed, with its default rate limits: each
simulated office sends from its own address (X-Forwarded-For through the trusted local proxy
address, as behind the README's nginx), `--per-office` employees each. The check-ins are
signed beforehand and sent open-loop: the i-th leaves at i / rate seconds, whatever happened
to the ones before, so a server falling behind shows as latency (measured from the moment a
check-in was due, queueing in the client included) rather than as a slower schedule. Each
rate uses fresh devices. Rates go up until one fails the target. SQLite runs in a fresh
temporary directory; a PostgreSQL database named in DATABASE_URL is emptied (flush) first,
so never point it at real data.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_checkin import free_port, make_devices, setup_django, stored_rows

TARGET_P99_S = 0.200


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    hadir = str(Path(sys.executable).with_name("hadir"))
    server = subprocess.Popen(
        [hadir, "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        env={**os.environ, "HADIR_LOG_LEVEL": "ERROR"},  # the rate limits as configured
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/time")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def office_address(index: int, per_office: int) -> str:
    office = index // per_office
    return f"10.{office // 250}.{office % 250}.{1 + index % per_office % 250}"


def run_rate(port: int, events, rate: float, clients: int, per_office: int) -> dict:
    due = queue.Queue()
    for i, event in enumerate(events):
        due.put((i, event))
    results, lock = [], threading.Lock()
    start = time.perf_counter() + 0.5

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            try:
                i, event = due.get_nowait()
            except queue.Empty:
                break
            scheduled = start + i / rate
            wait = scheduled - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            sent = time.perf_counter()
            headers = {
                "Content-Type": "application/json",
                "X-Forwarded-For": office_address(i, per_office),
                **event.headers,
            }
            try:
                conn.request("POST", "/api/v1/events", body=event.body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            done = time.perf_counter()
            mine.append((done - scheduled, done - sent, status))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    response = [r[0] for r in results]
    service = [r[1] for r in results]
    statuses: dict[int, int] = {}
    for _, _, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "rate": rate,
        "reached": len(results) / elapsed,
        "elapsed": elapsed,
        "p50": percentile(response, 50),
        "p95": percentile(response, 95),
        "p99": percentile(response, 99),
        "max": max(response),
        "service_p99": percentile(service, 99),
        "statuses": statuses,
        "errors": sum(n for s, n in statuses.items() if s != 201),
    }


def percentile(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--rates", type=float, nargs="+", default=[50, 100, 150, 200, 300])
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--per-office", type=int, default=100)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="hadir-peak-")
    setup_django(var_dir)
    from django.db import connection

    print(
        f"database: {connection.vendor}; {args.checkins} check-ins per run; "
        f"{args.workers} workers x {args.threads} threads; {args.clients} client threads; "
        f"{args.per_office} employees per office address; cores: {os.cpu_count()}"
    )
    port = free_port()
    best = None
    for rate in sorted(args.rates):
        devices = make_devices(args.checkins)
        events = [d.make_event("check_in", -2.5375, 112.95, 12.0) for d in devices]
        connection.close()
        server = start_server(port, args.workers, args.threads)
        try:
            before = stored_rows()
            result = run_rate(port, events, rate, args.clients, args.per_office)
            result["stored"] = stored_rows() - before
        finally:
            server.terminate()
            server.wait(timeout=30)
        held = result["p99"] < TARGET_P99_S and result["errors"] == 0
        print(
            f"rate {rate:.0f}/s: reached {result['reached']:.0f}/s in {result['elapsed']:.1f} s; "
            f"latency from due time p50 {result['p50'] * 1000:.0f} ms, "
            f"p95 {result['p95'] * 1000:.0f} ms, p99 {result['p99'] * 1000:.0f} ms, "
            f"max {result['max'] * 1000:.0f} ms (server p99 {result['service_p99'] * 1000:.0f} "
            f"ms); errors {result['errors']}; statuses {result['statuses']}; "
            f"stored {result['stored']}; {'held' if held else 'NOT held'}"
        )
        if not held:
            break
        best = result
    if best is None:
        print(f"no rate tried held p99 < {TARGET_P99_S * 1000:.0f} ms without errors")
    else:
        print(
            f"morning peak: {args.checkins} check-ins in {args.checkins / best['rate']:.0f} s "
            f"({best['rate']:.0f}/s) with p99 {best['p99'] * 1000:.0f} ms and no errors"
        )


if __name__ == "__main__":
    main()
