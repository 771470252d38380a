#!/usr/bin/env python3
"""The fraud detector's own evaluation: a labelled simulated month through the real pipeline
and the batch job, scored against the labels.

    .venv/bin/python bench/bench_fraud_eval.py [--seed 1] [--employees 1000] [--month 2026-10]
    .venv/bin/python bench/bench_fraud_eval.py --seeds 1 2 3
    .venv/bin/python bench/bench_fraud_eval.py --seed 1 --keep /tmp/eval-1 --explain
    .venv/bin/python bench/bench_fraud_eval.py --seed 1 --keep /tmp/eval-1 --profile /tmp/a.pstats
    HADIR_EVAL_NO_WIFI=1 .venv/bin/python bench/bench_fraud_eval.py --seeds 1 2 --keep /tmp/e

For each seed: a fresh SQLite database with the demo regency, a month of check-ins from the
simulator (every request through hadir.checkin.ingest, the same path as `hadir replay`), then
`hadir analyze` over the month, then precision and recall per practice and overall, at
employee-day and employee-month level, and the flags on honest remote-office employees.

The figures are reproducible: the server's secret key (hence the challenge secret) and the
workplaces' office-code secrets are derived from the seed, so one seed gives one month.
`--keep DIR` keeps the database and the labels in DIR; run again with the same DIR and only
the analysis is redone (for tuning the signals without simulating the month again, or timing
the analysis alone). The analysis is reported as wall time and as CPU time (this process and its
signal workers: independent of what else the machine runs). `--profile FILE` runs the analysis
in one process under cProfile, writes the statistics to FILE and prints the costliest calls.
With HADIR_EVAL_NO_WIFI=1 the analysis reads no Wi-Fi scans (what a browser-only client leaves).
With HADIR_EVAL_WITHOUT=code[,code...] the analysis runs without those signals (what a signal
adds: run once with it, then again with --keep and without it).
With --seeds, each seed's figures are written as JSON and the spread over the seeds is printed
with the month threshold curve (hadir.sim.evaluation.format_seeds).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import pickle
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PLAN_SEED = 2026


def setup(var_dir: str, seed: int) -> None:
    os.environ["HADIR_VAR_DIR"] = var_dir
    os.environ["HADIR_SECRET_KEY"] = _derived(f"secret-key:{seed}")
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/eval.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _derived(name: str) -> str:
    """A secret for the evaluation only: derived from the seed, so a seed is reproducible."""
    digest = hashlib.sha256(f"hadir-eval:{name}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def fix_office_secrets(seed: int) -> None:
    from hadir.org.models import Workplace

    for pk, code in Workplace.objects.values_list("pk", "code"):
        Workplace.objects.filter(pk=pk).update(office_secret=_derived(f"office:{seed}:{code}"))


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


def simulate(seed: int, employees: int, year: int, month: int) -> tuple:
    from hadir.sim.demo import build_demo
    from hadir.sim.history import build_history
    from hadir.sim.regency import plan_regency

    started = time.perf_counter()
    build_demo(seed=PLAN_SEED, employees=employees, password="hadir-eval-2026")
    fix_office_secrets(seed)
    sim, counts = build_history(PLAN_SEED, year, month, sim_seed=seed, record_duties=True)
    loaded = time.perf_counter() - started
    labels = labels_for(sim, plan_regency(PLAN_SEED, employees))
    head = (
        f"seed {seed}: {employees} employees, {year}-{month:02d}, "
        f"{len(sim.requests)} requests ({counts}); simulate+load {loaded:.0f} s"
    )
    return labels, head


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the signal workers)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def analyse(first: date, last: date, workers: int, profile: Path | None) -> tuple[float, float]:
    """Run `hadir analyze` over the range: (wall seconds, CPU seconds)."""
    from django.core.management import call_command

    args = ["analyze", "--from", first.isoformat(), "--to", last.isoformat()]
    args += ["--workers", str(1 if profile else workers)]
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu = time.perf_counter(), cpu_seconds()
    call_command(*args, verbosity=0, stdout=io.StringIO())
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if profiler is not None:
        import pstats

        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(str(profile)).sort_stats("tottime").print_stats(30)
    return wall, cpu


def run_seed(
    seed: int,
    employees: int,
    year: int,
    month: int,
    keep: Path | None,
    explain: bool,
    summary_path: Path | None = None,
    workers: int | None = None,
    profile: Path | None = None,
) -> str:

    from hadir.fraud.models import DayFlag, MonthFlag
    from hadir.sim.evaluation import evaluate, format_report

    saved = keep / "labels.pickle" if keep else None
    if saved is not None and saved.exists():
        labels, head = pickle.loads(saved.read_bytes())
    else:
        labels, head = simulate(seed, employees, year, month)
        if saved is not None:
            saved.write_bytes(pickle.dumps((labels, head)))
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if os.environ.get("HADIR_EVAL_NO_WIFI"):
        without_wifi_scans()
    if os.environ.get("HADIR_EVAL_WITHOUT"):
        without_signals(os.environ["HADIR_EVAL_WITHOUT"].split(","))
    # The tests run with one process; the bench with every core unless told.
    analysed, cpu = analyse(first, last, workers or os.cpu_count() or 1, profile)
    day_levels = {(f.employee_id, f.day): f.level for f in DayFlag.objects.all()}
    month_flags = {
        f.employee_id: f for f in MonthFlag.objects.filter(month=f"{year:04d}-{month:02d}")
    }
    month_levels = {e: f.level for e, f in month_flags.items()}
    without_events = sum(
        1
        for f in DayFlag.objects.filter(level__in=["review", "strong"])
        if any(not e["events"] for e in f.evidence)
    )
    report = evaluate(labels, day_levels, month_levels, without_events)
    text = format_report(report, f"{head}, analyze {analysed:.1f} s (CPU {cpu:.1f} s)")
    if summary_path is not None:
        from hadir.sim.evaluation import seed_summary

        scores = {e: f.score for e, f in month_flags.items()}
        summary = seed_summary(labels, day_levels, scores)
        summary.update(
            seed=seed, analyse_seconds=round(analysed, 1), analyse_cpu_seconds=round(cpu, 1)
        )
        summary_path.write_text(json.dumps(summary))
    if explain:
        text += "\n" + explain_months(labels, month_flags)
    return text


def without_wifi_scans() -> None:
    """Analyse as if every client were a browser (no Wi-Fi scan): the scans and the office
    BSSID match are dropped from what the signals read. (An approximation: ingestion's own
    verdicts, made with the scans, stay as they were.)"""
    import dataclasses

    from hadir.fraud import analysis

    read = analysis._observation

    def blind(row):
        return dataclasses.replace(read(row), wifi=(), bssid_match=None)

    analysis._observation = blind


def without_signals(codes: list[str]) -> None:
    """Analyse without the signals of these codes (the runner's default registry, narrowed)."""
    from hadir.domain.signals import runner

    unknown = set(codes) - {m.CODE for m in runner.REGISTRY}
    if unknown:
        raise SystemExit(f"HADIR_EVAL_WITHOUT: no such signal {sorted(unknown)}")
    narrowed = tuple(m for m in runner.REGISTRY if m.CODE not in codes)
    runner.run.__kwdefaults__["signals"] = narrowed


def explain_months(labels, month_flags) -> str:
    """The cheating months missed and the honest months flagged, with what was seen."""
    from hadir.fraud.analysis import _home_workplaces
    from hadir.org.models import Workplace
    from hadir.sim.evaluation import FLAGGED

    cheaters = {e for e, _ in labels.cheat_days}
    workplaces = Workplace.objects.in_bulk()
    places = {e: workplaces.get(w) for e, w in _home_workplaces().items()}
    lines = []
    for employee_id, practice in sorted(labels.practice.items(), key=lambda kv: kv[1]):
        flag = month_flags.get(employee_id)
        flagged = flag is not None and flag.level in FLAGGED
        cheated = labels.is_cheater(employee_id) and employee_id in cheaters
        if cheated == flagged:
            continue
        w = places.get(employee_id)
        where = (
            f"{w.code} {w.connectivity_tier} bssids={len(w.known_bssids or [])} "
            f"nets={len(w.public_networks or [])} code={w.office_code_mode}"
            if w
            else "?"
        )
        days = sum(1 for e, _ in labels.cheat_days if e == employee_id)
        seen = (
            f"score {flag.score:.2f} patterns {flag.patterns} codes "
            + ", ".join(f"{e['code']}:{e['contribution']:.2f}" for e in flag.evidence[:6])
            if flag
            else "no flag"
        )
        kind = "MISSED" if cheated else "FALSE"
        lines.append(f"{kind} {practice} emp {employee_id} ({days} days) at {where}: {seen}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--seed", type=int, dest="seeds", nargs=1)
    parser.add_argument("--month", default="2026-10", help="YYYY-MM")
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the database in this folder")
    parser.add_argument("--explain", action="store_true", help="list the months judged wrong")
    parser.add_argument("--summary", type=Path, help="write this seed's figures as JSON here")
    parser.add_argument(
        "--workers", type=int, help="processes for the signals (default: every core)"
    )
    parser.add_argument(
        "--profile", type=Path, help="profile the analysis (one process) into this file"
    )
    args = parser.parse_args()
    year, month = (int(x) for x in args.month.split("-"))
    if len(args.seeds) > 1:
        # Each seed in its own process and database; then the spread over the seeds.
        import subprocess

        from hadir.sim.evaluation import format_seeds

        folder = Path(tempfile.mkdtemp(prefix="hadir-eval-seeds-"))
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
                    *(["--keep", str(args.keep / f"seed-{seed}")] if args.keep else []),
                    *(["--explain"] if args.explain else []),
                    *(["--workers", str(args.workers)] if args.workers else []),
                    "--summary",
                    str(folder / f"seed-{seed}.json"),
                ],
                check=True,
            )
        summaries = [json.loads((folder / f"seed-{s}.json").read_text()) for s in args.seeds]
        print(format_seeds(summaries), flush=True)
        return
    seed = args.seeds[0]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    setup(str(args.keep) if args.keep else tempfile.mkdtemp(prefix="hadir-eval-"), seed)
    text = run_seed(
        seed,
        args.employees,
        year,
        month,
        args.keep,
        args.explain,
        args.summary,
        args.workers,
        args.profile,
    )
    print(text, flush=True)


if __name__ == "__main__":
    main()
