"""The schedule and rules editors' refusals: every code the pure side raises has its sentence in
the catalogue, with the same English wording as the pure side's own text (used in logs)."""

import pytest
from django.utils import translation

from hadir.attendance import messages, rules
from hadir.domain import schedules


def test_every_schedule_problem_is_said_through_the_catalogue():
    assert set(messages.SCHEDULE_PROBLEMS) == set(schedules.PROBLEMS)
    with translation.override("en"):
        for code, english in schedules.PROBLEMS.items():
            assert str(messages.SCHEDULE_PROBLEMS[code]) == english


def test_every_rule_problem_is_said_through_the_catalogue():
    assert set(messages.RULE_PROBLEMS) == set(rules.RULE_PROBLEMS) - {"invalid"}
    with translation.override("en"):
        for code, english in messages.RULE_PROBLEMS.items():
            assert str(english) == rules.RULE_PROBLEMS[code]


def test_a_refused_rule_keeps_its_field_and_values():
    with pytest.raises(rules.RuleError) as refused:
        rules.parse("regency", {"go_live": None, "place": 7})
    with translation.override("id"):
        assert messages.rule_error_text(refused.value) == "place: nama tempat, mis. Sampit"
    with pytest.raises(rules.RuleError) as refused:
        rules.parse("leave", {"annual_days": "dua belas"})
    with translation.override("id"):
        said = messages.rule_error_text(refused.value)
    assert said == "annual_days: harus bilangan bulat, 0 atau lebih"


def test_a_refused_ladder_is_said_in_indonesian():
    ladder = {"rungs": [{"code": "A", "name": "teguran", "level": "ringan", "min_days": 0}]}
    with pytest.raises(rules.RuleError) as refused:
        rules.parse("ladder_PNS", ladder)
    assert refused.value.code == "ladder.first_rung"
    with translation.override("id"):
        said = messages.rule_error_text(refused.value)
    assert said == "ladder: tingkat pertama harus dimulai dari 1 hari atau lebih"
