"""The demo regency's flag reviews and cases: confirmed and dismissed flags, a summoned case and
an overdue, escalated one, in the first showcase OPD."""

import pytest

from hadir.cases.demo import seed_demo_cases
from hadir.cases.models import DisciplineCase, Letter
from hadir.fraud.models import DayFlag, FlagReview, Level
from hadir.org.models import Employee, Role, RoleKind
from hadir.sim.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_reviews_and_cases_once():
    build_demo(seed=2026, employees=84, password="hadir-demo-2026")
    opd = Role.objects.filter(kind=RoleKind.OPD_HEAD).first().opd
    people = list(Employee.objects.filter(opd=opd, headed_opds__isnull=True).order_by("pk")[:5])
    for score, person in enumerate(people):
        DayFlag.objects.create(
            employee=person,
            day="2026-11-10",
            score=0.5 + score / 10,
            level=Level.STRONG,
            tier="good",
            codes=["outside_geofence"],
            evidence=[],
        )

    told = seed_demo_cases()

    decisions = sorted(FlagReview.objects.values_list("decision", flat=True))
    assert decisions == ["confirmed", "confirmed", "dismissed"]
    cases = list(DisciplineCase.objects.order_by("opened_at"))
    assert len(cases) == 2
    overdue, summoned = cases
    assert overdue.escalated_for == overdue.due_on
    assert summoned.stage == "summoned_1"
    assert summoned.flag_review.decision == "confirmed"
    assert Letter.objects.get().kind == "summons_1"
    assert "/pantau/kasus/" in told
    assert seed_demo_cases() == ""  # idempotent
    assert DisciplineCase.objects.count() == 2
