#!/usr/bin/env python3
"""The fraud detector's own evaluation: a labelled simulated month through the real pipeline
and the batch job, scored against the labels.

    .venv/bin/python bench/bench_fraud_eval.py [--seed 1] [--employees 1000] [--month 2026-10]
    .venv/bin/python bench/bench_fraud_eval.py --seeds 1 2 3

For each seed: a fresh SQLite database with the demo regency, a month of check-ins from the
simulator (every request through hadir.checkin.ingest, the same path as `hadir replay`), then
`hadir analyze` over the month, then precision and recall per practice and overall, at
employee-day and employee-month level, and the flags on honest remote-office employees.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PLAN_SEED = 2026


def setup(var_dir: str) -> None:
    os.environ["HADIR_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/eval.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def labels_for(sim, plan):
    from hadir.org.models import Employee
    from hadir.sim.evaluation import Labels

    ids = dict(Employee.objects.values_list("identifier", "pk"))
    tiers = {w.code: w.tier for w in plan.workplaces}
    remote = frozenset(
        ids[e.identifier] for e in plan.employees if tiers[e.workplace_codes[0]] in ("poor", "none")
    )
    cheat_days = frozenset(
        (ids[identifier], day)
        for identifier, days in sim.day_labels.items()
        for day, practice in days.items()
        if practice
    )
    practice = {ids[identifier]: label for identifier, label in sim.labels.items()}
    return Labels(practice=practice, cheat_days=cheat_days, remote=remote)


def run_seed(seed: int, employees: int, year: int, month: int) -> str:
    from django.core.management import call_command

    from hadir.fraud.models import DayFlag, MonthFlag
    from hadir.sim.demo import build_demo
    from hadir.sim.evaluation import evaluate, format_report
    from hadir.sim.history import build_history
    from hadir.sim.regency import plan_regency

    started = time.perf_counter()
    build_demo(seed=PLAN_SEED, employees=employees, password="hadir-eval-2026")
    sim, counts = build_history(PLAN_SEED, year, month, sim_seed=seed)
    loaded = time.perf_counter() - started
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    started = time.perf_counter()
    call_command(
        "analyze",
        "--from",
        first.isoformat(),
        "--to",
        last.isoformat(),
        verbosity=0,
        stdout=io.StringIO(),
    )
    analysed = time.perf_counter() - started
    plan = plan_regency(PLAN_SEED, employees)
    day_levels = {(f.employee_id, f.day): f.level for f in DayFlag.objects.all()}
    month_levels = dict(
        MonthFlag.objects.filter(month=f"{year:04d}-{month:02d}").values_list(
            "employee_id", "level"
        )
    )
    without_events = sum(
        1
        for f in DayFlag.objects.filter(level__in=["review", "strong"])
        if any(not e["events"] for e in f.evidence)
    )
    report = evaluate(labels_for(sim, plan), day_levels, month_levels, without_events)
    title = (
        f"seed {seed}: {employees} employees, {year}-{month:02d}, "
        f"{len(sim.requests)} requests ({counts}); simulate+load {loaded:.0f} s, "
        f"analyze {analysed:.1f} s"
    )
    return format_report(report, title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--month", default="2026-10", help="YYYY-MM")
    args = parser.parse_args()
    year, month = (int(x) for x in args.month.split("-"))
    if len(args.seeds) > 1:
        # Each seed in its own process and database.
        import subprocess

        for seed in args.seeds:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--seeds",
                    str(seed),
                    "--employees",
                    str(args.employees),
                    "--month",
                    args.month,
                ],
                check=True,
            )
        return
    setup(tempfile.mkdtemp(prefix="hadir-eval-"))
    print(run_seed(args.seeds[0], args.employees, year, month), flush=True)


if __name__ == "__main__":
    main()
