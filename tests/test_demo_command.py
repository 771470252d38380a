"""`hadir demo` says which sizes it builds instead of failing halfway with a traceback."""

import pytest
from django.core.management import CommandError, call_command

from hadir.core.management.commands.demo import minimum_employees
from hadir.sim.regency import plan_regency


def test_it_refuses_a_regency_too_small_for_its_opds_with_the_accepted_range():
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--employees", "60", "--no-serve")
    assert str(minimum_employees()) in str(refused.value)
    assert "20000" in str(refused.value)


def test_it_plans_a_regency_of_the_smallest_size_it_accepts():
    plan = plan_regency(seed=1, employees=minimum_employees())
    assert len(plan.employees) == minimum_employees()
