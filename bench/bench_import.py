#!/usr/bin/env python3
"""Validating a regency-sized master-data file (100,000 employees), streaming.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--repeat 3]

A fresh SQLite database in a temporary HADIR_VAR_DIR gets the example OPDs, units and
workplaces (docs/examples); an employee CSV of --rows rows is written and validated --repeat
times. Prints wall seconds per run and the peak resident memory. Target: 100,000 rows in
under 30 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        os.environ["HADIR_VAR_DIR"] = var_dir
        os.environ["DATABASE_URL"] = ""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
        import django

        django.setup()
        import datetime as dt

        from django.core.management import call_command

        from hadir.org.importer import Source, import_master
        from hadir.org.importer.validate import validate
        from tests.org import test_import_large as large

        call_command("migrate", verbosity=0)
        examples = ROOT / "docs" / "examples"
        kinds = ("opd", "unit", "workplace", "employee")
        assert import_master(
            [Source.from_path(examples / f"{k}.csv") for k in kinds], actor="bench"
        ).ok
        large.ROWS = args.rows
        path = Path(var_dir) / "employee.csv"
        large.write_employees(path)
        for run in range(1, args.repeat + 1):
            started = time.perf_counter()
            plan, log = validate([Source.from_path(path)], today=dt.date(2025, 6, 2))
            elapsed = time.perf_counter() - started
            if log:
                print("\n".join(log.lines()[:5]), file=sys.stderr)
                return 1
            print(f"run {run}: {plan.rows['employee']:,} rows validated in {elapsed:.1f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory: {peak:.0f} MiB (target: {args.rows:,} rows under 30 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
