#!/usr/bin/env python3
"""Status harian with a regency-month of rows: how fast the admin page opens and searches.

    .venv/bin/python bench/bench_pages.py                      # 15,000 employees x 22 days
    .venv/bin/python bench/bench_pages.py --employees 5000 --fresh
    HADIR_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/hadir_bench \\
        .venv/bin/python bench/bench_pages.py                  # SQLite, then PostgreSQL

Setup (not measured): a database with 40 OPDs, N employees and a status for each of them on
each of the last 22 working days up to today (N x 22 rows: 330,000 for 15,000 employees, a
regency-month), written with bulk_create; today's rows are provisional (final=False: the page
works out their live state, as it does while the day runs) and today's sweep is marked as
done, as a running worker leaves it. The SQLite file is kept in --var (default
/tmp/hadir-bench-pages); it and the PostgreSQL database named by HADIR_BENCH_POSTGRES_URL are
reused when they already hold the same rows, else flushed and filled (never point it at real
data). --fresh rebuilds both.

Measured: a logged-in superadmin's GET of the admin changelist through Django's test client
(middleware, queries, template), median of --repeat runs after one warm-up, wall time and the
process's CPU time (on a busy machine the wall time is mostly waiting for a core), and the
number of SQL queries the page made:

  open           /admin/attendance/dailystatus/ (default filter: today)
  open month     ?day=all (every row of the table)
  search name    ?day=all&q=<part of a name>
  search NIP     ?day=all&q=<a NIP>
  search rare    ?day=all&q=<a part of one employee's name>
  search none    ?day=all&q=<a name nobody has>
  search code    ?day=last_month&q=TK

Targets (issue #9): opening under 1 s, searching under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CODES = (  # a plausible month: mostly present, some late or early, a little of everything else
    ("H", 70), ("TL1", 6), ("TL2", 2), ("TL3", 1), ("TL4", 1), ("PSW1", 3), ("PSW4", 1),
    ("TL1+PSW1", 1), ("TK", 3), ("S", 2), ("I", 2), ("CT", 3), ("DL", 4), ("TB", 1),
)  # fmt: skip
OPDS = 40


def setup_django(var_dir: str) -> None:
    os.environ["HADIR_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    os.environ.setdefault("HADIR_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def working_days(today: date, count: int) -> list[date]:
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5 or day == today:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def build(employees: int, days: list[date], fresh: bool) -> bool:
    """Fills the database unless it already holds these rows; True when it built."""
    from django.core.management import call_command

    from hadir.attendance.models import DailyStatus

    call_command("migrate", verbosity=0)
    wanted = employees * len(days)
    reusable = not fresh and DailyStatus.objects.filter(date=days[-1]).exists()
    if reusable and DailyStatus.objects.count() == wanted:
        DailyStatus.objects.filter(date=days[-1], final=True).update(final=False)  # older sets
        return False
    call_command("flush", interactive=False, verbosity=0)
    _fill(employees, days)
    return True


def _fill(employees: int, days: list[date]) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from hadir.attendance.models import DailyStatus, RefreshMark
    from hadir.org.models import Employee, EmployeeType, Opd, OpdKind

    rng = random.Random(2026)
    opds = Opd.objects.bulk_create(
        Opd(code=f"OPD{n:02d}", name=f"Dinas Bench {n:02d}", kind=OpdKind.DINAS)
        for n in range(OPDS)
    )
    first, last = ("Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Yusuf", "Rina", "Agus"), (
        "Saputra", "Hidayat", "Lestari", "Pratama", "Wahyuni", "Santoso", "Kurniawan", "Rahman",
    )  # fmt: skip
    people = Employee.objects.bulk_create(
        (
            Employee(
                identifier=f"1985{n:08d}201001",  # 18 digits, unique; not a checked NIP
                employee_type=EmployeeType.PNS,
                name=f"{rng.choice(first)} {rng.choice(last)} {n:05d}",
                opd=opds[n % OPDS],
                active_from=date(2020, 1, 1),
            )
            for n in range(employees)
        ),
        batch_size=2000,
    )
    codes, weights = zip(*CODES, strict=True)
    now = timezone.now()
    batch: list[DailyStatus] = []
    for day in days:
        for person in people:
            code = rng.choices(codes, weights)[0]
            late = rng.randint(1, 40) if code.startswith("TL") else 0
            batch.append(
                DailyStatus(
                    employee_id=person.pk,
                    date=day,
                    codes=code,
                    computed_codes=code,
                    final=day != days[-1],
                    late_minutes=late,
                    explanation={},
                    inputs_hash=f"{rng.getrandbits(128):032x}",
                    computed_at=now,
                )
            )
            if len(batch) >= 5000:
                DailyStatus.objects.bulk_create(batch)
                batch.clear()
    DailyStatus.objects.bulk_create(batch)
    RefreshMark.objects.update_or_create(name="sweep", defaults={"at": now + timedelta(days=1)})
    get_user_model().objects.create_superuser("bench", "", "bench-pass-123")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(repeat: int, days: list[date]) -> list[tuple[str, float, float, int]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from hadir.attendance.models import DailyStatus

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    sample = DailyStatus.objects.select_related("employee").filter(date=days[0]).first().employee
    name_part = sample.name.split()[0]  # a first name: one employee in nine has it
    pages = [
        ("open", ""),
        ("open month", "?day=all"),
        ("search name", f"?day=all&q={name_part}"),
        ("search NIP", f"?day=all&q={sample.identifier}"),
        ("search rare", f"?day=all&q={sample.name.split()[-1]}"),  # its number: one employee
        ("search none", "?day=all&q=Zulkarnain"),
        ("search code", "?day=last_month&q=TK"),
    ]
    results = []
    for label, query in pages:
        url = "/admin/attendance/dailystatus/" + query
        queries = []  # counted by a wrapper: the debug log stops growing at 9,000 entries

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        timings, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        label = f"{label} ({query or 'default'})"
        median = statistics.median
        results.append((label, median(timings), median(cpu), len(queries)))
    return results


def run(args) -> None:
    from django.db import connection
    from django.utils import timezone

    days = working_days(timezone.localdate(), args.days)
    started = time.perf_counter()
    built = build(args.employees, days, args.fresh)
    setup = f"built in {time.perf_counter() - started:.0f} s" if built else "reused"
    from hadir.attendance.models import DailyStatus

    total = DailyStatus.objects.count()
    print(f"{connection.vendor}: {total:,} daily statuses, {args.employees:,} employees ({setup})")
    load = os.getloadavg()[0]
    print(f"  load average {load:.1f} on {os.cpu_count()} cores: wall time grows with it, CPU less")
    for label, seconds, cpu, queries in measure(args.repeat, days):
        target = 0.5 if label.startswith("search") else 1.0
        verdict = "ok" if seconds < target else "SLOW"
        print(
            f"  {label:<45} {seconds * 1000:6.0f} ms wall, {cpu * 1000:4.0f} ms CPU, "
            f"{queries:3d} queries (target {target:.1f} s: {verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=15000)
    parser.add_argument("--days", type=int, default=22)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--var", default="/tmp/hadir-bench-pages")
    parser.add_argument("--fresh", action="store_true", help="rebuild the SQLite database")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    Path(args.var).mkdir(parents=True, exist_ok=True)
    if not args.child:
        os.environ.pop("DATABASE_URL", None)  # SQLite first, in --var
        child = [sys.executable, __file__, *sys.argv[1:], "--child"]
        subprocess.run(child, check=True)
        postgres = os.environ.get("HADIR_BENCH_POSTGRES_URL")
        if postgres:
            subprocess.run(child, check=True, env={**os.environ, "DATABASE_URL": postgres})
        return
    setup_django(args.var)
    run(args)


if __name__ == "__main__":
    main()
