#!/usr/bin/env python3
"""The fraud signals over a synthetic regency-month, without the database.

    .venv/bin/python bench/bench_signals.py [--employees 10000]

Prints the time per step; the target is a 10,000-employee month (440,000 observations) in under
60 s on this 2-core machine (the database side is measured by bench/bench_fraud_eval.py).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hadir.domain.signals import runner
from hadir.sim.synthetic_observations import batch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    args = parser.parse_args()
    started = time.perf_counter()
    inp = batch(args.employees)
    built = time.perf_counter() - started
    started = time.perf_counter()
    result = runner.run(inp)
    elapsed = time.perf_counter() - started
    print(
        f"{args.employees} employees, {len(inp.observations)} observations (built in {built:.1f} s)"
    )
    print(
        f"signals + scoring: {elapsed:.1f} s; flagged days: {len(result.flagged_days())}; "
        f"errors: {result.signal_errors or 'none'}"
    )
    slowest = sorted(result.seconds.items(), key=lambda kv: -kv[1])[:6]
    print("slowest steps: " + ", ".join(f"{k} {v:.1f} s" for k, v in slowest))


if __name__ == "__main__":
    main()
