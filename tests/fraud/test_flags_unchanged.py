"""The batch gives the same flags as the recorded run: a guard for speed work on the loader,
the signals and the scoring, which must never change a result.

A 120-employee demo regency lives 8 simulated days (seed 1) through the real pipeline; the
analysis over them must give exactly the hits (employee, day, code, severity), the excused hits,
the day flags (employee, day, codes, level, score) and the month flags recorded in
tests/fraud/data/flags_seed1.json. Only the signals recorded there run, so a new signal does not
change this test (it has tests of its own). A deliberate change of a signal or of the scoring
re-records the file, reviewed in the diff:

    HADIR_FLAGS_RECORD=1 .venv/bin/python -m pytest tests/fraud/test_flags_unchanged.py

The simulated challenges depend on the employees' database ids and on the secret key, so the
fixture starts every id sequence at the same place (the rows are rolled back at the end) and
fixes the key.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from hadir.domain.signals import runner
from hadir.fraud import analysis
from hadir.org.models import Employee
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history
from tests.fixed_ids import restart_id_sequences

RECORDED = Path(__file__).parent / "data" / "flags_seed1.json"
FIRST, LAST = date(2025, 10, 1), date(2025, 10, 10)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fingerprint(django_db_setup, django_db_blocker):
    # The simulated challenges hang on the secret key too (a checkout generates its own).
    secret = override_settings(SECRET_KEY="hadir-test-flags-unchanged")
    with secret, django_db_blocker.unblock(), transaction.atomic():
        restart_id_sequences()
        build_demo(seed=2026, employees=120, password="demo-pass-4321")
        build_history(2026, 2025, 10, sim_seed=1, days=8)
        names = dict(Employee.objects.values_list("pk", "identifier"))
        recorded = json.loads(RECORDED.read_text()) if RECORDED.exists() else None
        codes = set(recorded["signals"]) if recorded else {m.CODE for m in runner.REGISTRY}
        signals = tuple(m for m in runner.REGISTRY if m.CODE in codes)
        result = runner.run(analysis.load_input(FIRST, LAST), signals=signals)
        transaction.set_rollback(True)
    return recorded, _fingerprint(result, names, signals)


def _fingerprint(result, names, signals) -> dict:
    def who(employee_id):
        return names.get(employee_id, f"?{employee_id}")

    return {
        "signals": sorted(m.CODE for m in signals),
        "analysed": result.analysed,
        "set_aside": dict(sorted(result.set_aside_counts.items())),
        "hits": sorted(
            [who(h.employee_id), h.day.isoformat(), h.code, round(h.severity, 9)]
            for h in result.hits
        ),
        "excused": sorted(
            [who(x.hit.employee_id), x.hit.day.isoformat(), x.hit.code, x.reason]
            for x in result.excused
        ),
        "days": sorted(
            [who(d.employee_id), d.day.isoformat(), sorted(d.codes), d.level, round(d.score, 9)]
            for d in result.days
        ),
        "months": sorted(
            [who(m.employee_id), m.month, m.level, round(m.score, 9), m.review_days, m.strong_days]
            for m in result.months
        ),
    }


def test_the_batch_gives_exactly_the_recorded_flags(fingerprint):
    recorded, now = fingerprint
    if os.environ.get("HADIR_FLAGS_RECORD") or recorded is None:
        RECORDED.parent.mkdir(exist_ok=True)
        RECORDED.write_text(json.dumps(now, indent=0, ensure_ascii=False) + "\n")
        pytest.skip(f"recorded {RECORDED.name}: review the diff")
    assert now["signals"] == recorded["signals"]
    assert now["analysed"] == recorded["analysed"]
    assert now["set_aside"] == recorded["set_aside"]
    assert now["hits"] == recorded["hits"]
    assert now["excused"] == recorded["excused"]
    assert now["days"] == recorded["days"]
    assert now["months"] == recorded["months"]


def test_the_recorded_run_has_flags_worth_guarding(fingerprint):
    _, now = fingerprint
    levels = {level for _, _, _, level, _ in now["days"]}
    assert {"review", "strong"} & levels
    assert len({code for _, _, code, _ in now["hits"]}) >= 8
