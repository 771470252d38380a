"""The evaluation's question for phones that travel together, on one small seed through the real
pipeline (simulator, ingestion, group challenges, analysis): with travelling_together the carried
phones are caught on more of their days and months than without it, and the honest carpools,
who ride in together and sometimes home together, are not flagged."""

from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from hadir.domain.signals import runner, travelling_together
from hadir.fraud.analysis import load_input
from hadir.org.models import Employee
from hadir.sim.behaviours import HONEST_CARPOOL, PHONE_CARRIER
from hadir.sim.demo import build_demo
from hadir.sim.history import build_history
from hadir.sim.month import BehaviourMix
from tests.fixed_ids import restart_id_sequences

SEED = 2026
FIRST, LAST = date(2025, 10, 1), date(2025, 10, 31)
FLAGGED = ("review", "strong")
# Carriers and carpools only (and more of them than a regency has), over 14 working days.
MIX = BehaviourMix(
    cheating_share=0.08,
    cheating_weights={PHONE_CARRIER: 1.0},
    min_per_practice=8,
    cheat_days=(0.5, 0.9),
    carpool_share=0.3,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def outcome(django_db_setup, django_db_blocker):
    # Which employees the simulated challenges ask hangs on their ids and the secret key: both
    # fixed, so every clone and both databases run the same month.
    secret = override_settings(SECRET_KEY="hadir-test-cotravel")
    with secret, django_db_blocker.unblock(), transaction.atomic():
        restart_id_sequences()
        build_demo(seed=SEED, employees=120, password="demo-pass-4321")
        sim, _ = build_history(SEED, 2025, 10, days=14, mix=MIX, record_duties=True)
        ids = dict(Employee.objects.values_list("identifier", "pk"))
        inp = load_input(FIRST, LAST)
        with_it = runner.run(inp, workers=1)
        others = tuple(m for m in runner.REGISTRY if m is not travelling_together)
        without = runner.run(inp, signals=others, workers=1)
        transaction.set_rollback(True)
    practice = {ids[e]: label for e, label in sim.labels.items()}
    cheat_days = {
        (ids[e], day) for e, days in sim.day_labels.items() for day, label in days.items() if label
    }
    return sim, practice, cheat_days, with_it, without


def _months(result) -> set[int]:
    return {m.employee_id for m in result.months if m.level in FLAGGED}


def _days(result) -> set[tuple[int, date]]:
    return {(d.employee_id, d.day) for d in result.days if d.level in FLAGGED}


def test_carried_phones_are_caught_more_often_with_the_signal(outcome):
    sim, practice, cheat_days, with_it, without = outcome
    carried = {e for e, label in practice.items() if label == PHONE_CARRIER}
    days = {key for key in cheat_days if key[0] in carried}
    enough = {e for e in carried if sum(k[0] == e for k in days) >= 4}
    assert len(enough) >= 4
    assert sim.groups  # the suspected sets were asked at one moment
    caught_with, caught_without = _months(with_it) & enough, _months(without) & enough
    assert len(caught_with) >= len(caught_without)
    assert len(caught_with) >= 0.75 * len(enough)
    days_with, days_without = _days(with_it) & days, _days(without) & days
    assert len(days_with) > len(days_without)
    hits = [h for h in with_it.hits if h.code == travelling_together.CODE]
    assert {h.employee_id for h in hits} <= carried | {
        e for e, label in practice.items() if label == "buddy_punching"
    }


def test_honest_carpools_are_not_flagged(outcome):
    sim, practice, _, with_it, _ = outcome
    riders = {e for e, label in practice.items() if label == HONEST_CARPOOL}
    assert len(riders) >= 3
    assert not _months(with_it) & riders
    assert not _days(with_it) & {(e, d) for e in riders for d in sim.days}
    strong = [
        h
        for h in with_it.hits
        if h.code == travelling_together.CODE and h.employee_id in riders and h.severity > 0.2
    ]
    assert strong == []
