#!/usr/bin/env python3
"""A month of a regency: computing every daily status, and writing the XLSX recap.

    .venv/bin/python bench/bench_month.py [--employees 10000] [--month 2026-10]
    .venv/bin/python bench/bench_month.py --employees 2500,5000,10000   # how it grows

For each size: a fresh SQLite database in a temporary HADIR_VAR_DIR gets the simulated regency
(hadir.sim) and a month of evidence rows written directly with bulk_create (about 22 working days
x 2 events x N; the hash chain is filled with unique dummy values, since this measures the month,
not the chain). Then each measured phase runs in its own process, so its peak memory is its own:

  compute    compute_days for every employee, the whole month (nothing stored before)
  recompute  the same again with nothing changed (inputs_hash says skip)
  xlsx       the regency-wide XLSX recap (one sheet per OPD) of the stored month

Figures printed: wall seconds and peak resident memory (ru_maxrss) per phase.
Target: 10,000 employees under 30 s and 1 GiB per phase.
A PostgreSQL DATABASE_URL is flushed first: never point it at real data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PHASES = ("compute", "recompute", "xlsx")


def setup_django(var_dir: str) -> None:
    os.environ["HADIR_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()


def peak_mib(who=resource.RUSAGE_SELF) -> float:
    # ru_maxrss is KiB on Linux (bytes on macOS); for RUSAGE_CHILDREN, the largest child.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / 2**20


def cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


# Setup (not measured) -------------------------------------------------------------------------


def build(employees: int, month: str, seed: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
    from hadir.sim.demo import build_demo

    started = time.perf_counter()
    build_demo(seed=seed, employees=employees, password="bench-pass-123")
    regency_s = time.perf_counter() - started
    started = time.perf_counter()
    events, working_days = insert_month_of_evidence(month, seed)
    return {
        "regency_s": round(regency_s, 1),
        "evidence_s": round(time.perf_counter() - started, 1),
        "events": events,
        "working_days": working_days,
    }


def insert_month_of_evidence(month: str, seed: int) -> tuple[int, int]:
    """Two events per employee per working day; about 1 in 12 late, 1 in 30 leaving early,
    1 in 50 absent, 1 in 80 without a check-out, and a few rejected records."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db import connection, transaction

    from hadir.attendance.selectors import days_between, parse_month
    from hadir.checkin.models import EvidenceRecord
    from hadir.domain.calendar import WorkCalendar
    from hadir.org.models import Employee

    first, last = parse_month(month)
    calendar = WorkCalendar.for_years([first.year])
    days = [d for d in days_between(first, last) if d.weekday() < 5 and not calendar.is_holiday(d)]
    tz = ZoneInfo(settings.TIME_ZONE)
    rng = random.Random(seed)
    ids = list(Employee.objects.values_list("pk", flat=True))
    received = connection.ops.adapt_datetimefield_value(datetime.now(tz))
    fixed = {  # the same for every row; the chain columns get unique dummy values below
        "received_at": received,
        "remote_addr": "10.0.0.1",
        "headers": "{}",
        "body": b"{}",
        "body_size": 2,
        "http_status": 200,
        "reasons": "[]",
        "workplace_network": False,
        "challenge_id": "",
        "source": "bench",
    }
    varying = (
        "body_hash",
        "event_id",
        "kind",
        "employee_id",
        "outcome",
        "time_of_record",
        "prev_hash",
        "row_hash",
    )
    columns = [*fixed, *varying]
    table = connection.ops.quote_name(EvidenceRecord._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    constant = list(fixed.values())
    serial = 0
    batch: list[list] = []

    def add(employee_id: int, kind: str, when: datetime, outcome: str = "accepted") -> None:
        nonlocal serial
        serial += 1
        digest = f"{serial:064x}"
        when = connection.ops.adapt_datetimefield_value(when)
        batch.append(
            [
                *constant,
                digest,
                f"bench-{serial}",
                kind,
                employee_id,
                outcome,
                when,
                f"{serial - 1:064x}",
                digest,
            ]
        )

    with transaction.atomic(), connection.cursor() as cursor:
        for day in days:
            start = datetime(day.year, day.month, day.day, 7, 30, tzinfo=tz)
            end = start.replace(hour=16, minute=30 if day.weekday() == 4 else 0)
            for employee_id in ids:
                roll = rng.random()
                if roll < 0.02:
                    continue  # absent
                late = rng.randint(1, 120) if roll < 0.10 else -rng.randint(0, 40)
                add(
                    employee_id,
                    "check_in",
                    start + timedelta(minutes=late, seconds=rng.randint(0, 59)),
                )
                if rng.random() < 0.0125:
                    continue  # forgot to check out
                early = rng.randint(1, 100) if rng.random() < 0.033 else -rng.randint(0, 50)
                add(employee_id, "check_out", end - timedelta(minutes=early))
                if rng.random() < 0.005:
                    add(employee_id, "check_in", start, outcome="rejected")
            cursor.executemany(sql, batch)
            batch.clear()
    return serial, len(days)


# Measured phases ------------------------------------------------------------------------------


def run_phase(phase: str, month: str, out_dir: str) -> dict:
    from hadir.attendance.selectors import parse_month
    from hadir.attendance.services import compute_days
    from hadir.org.models import Employee

    first, last = parse_month(month)
    started, cpu = time.perf_counter(), cpu_seconds()
    figures: dict = {}
    if phase in ("compute", "recompute"):
        result = compute_days(Employee.objects.all(), first, last, today=last, workers=None)
        figures = {"days": result.days, "written": result.written, "unchanged": result.unchanged}
    elif phase == "xlsx":
        from hadir.attendance.recap import month_recap
        from hadir.attendance.recap_xlsx import write_recap_xlsx

        path = Path(out_dir) / "recap.xlsx"
        with path.open("wb") as handle:
            sheets = write_recap_xlsx(month_recap(first), handle)
        figures = {"sheets": sheets, "bytes": path.stat().st_size}
    figures.update(
        seconds=round(time.perf_counter() - started, 2),
        cpu_s=round(cpu_seconds() - cpu, 1),
        peak_mib=round(peak_mib()),
        worker_peak_mib=round(peak_mib(resource.RUSAGE_CHILDREN)),
    )
    return figures


def subprocess_phase(phase: str, var_dir: str, args) -> dict:
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--var-dir",
        var_dir,
        "--month",
        args.month,
        "--seed",
        str(args.seed),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def bench_size(employees: int, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="hadir-bench-month-") as var_dir:
        setup = subprocess_phase_setup(employees, var_dir, args)
        row = {"employees": employees, **setup}
        for phase in PHASES:
            row[phase] = subprocess_phase(phase, var_dir, args)
        return row


def subprocess_phase_setup(employees: int, var_dir: str, args) -> dict:
    command = [
        sys.executable,
        __file__,
        "--phase",
        "setup",
        "--var-dir",
        var_dir,
        "--employees",
        str(employees),
        "--month",
        args.month,
        "--seed",
        str(args.seed),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(rows: list[dict]) -> None:
    print(f"{'employees':>9} {'events':>8}  {'phase':<9} {'seconds':>8} {'peak MiB':>9}  detail")
    for row in rows:
        for phase in PHASES:
            figures = dict(row[phase])
            seconds, peak = figures.pop("seconds"), figures.pop("peak_mib")
            detail = ", ".join(f"{k} {v}" for k, v in figures.items())
            print(
                f"{row['employees']:>9} {row['events']:>8}  {phase:<9} {seconds:>8.2f} "
                f"{peak:>9}  {detail}"
            )
        print(
            f"{'':>9} {'':>8}  (setup: regency {row['regency_s']} s, evidence "
            f"{row['evidence_s']} s, {row['working_days']} working days)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", default="10000", help="a number, or several: 2500,5000")
    parser.add_argument("--month", default="2026-10", help="YYYY-MM (a month in the past)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--phase", choices=("setup", *PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        setup_django(args.var_dir)
        if args.phase == "setup":
            figures = build(int(args.employees), args.month, args.seed)
        else:
            figures = run_phase(args.phase, args.month, args.var_dir)
        print(json.dumps(figures))
        return 0
    sizes = [int(n) for n in args.employees.split(",")]
    rows = []
    for size in sizes:
        rows.append(bench_size(size, args))
        print(f"done: {size} employees", file=sys.stderr)
    print(
        f"Month {args.month}; database: "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}"
    )
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
