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


RUNG = {"code": "A", "name": "teguran", "level": "ringan", "min_days": 1, "max_days": 3}


@pytest.mark.parametrize(
    ("bad", "field", "indonesian", "english"),
    [
        (
            {"level": "parah"},
            "rungs[0].level",
            "'parah' bukan tingkat hukuman disiplin (pilih salah satu: ringan, sedang, berat)",
            "'parah' is not a sanction level (one of ringan, sedang, berat)",
        ),
        (
            {"min_days": "tiga"},
            "rungs[0].min_days",
            "'tiga' bukan jumlah hari berupa bilangan bulat",
            "'tiga' is not a whole number of days",
        ),
        (
            {"max_days": [6]},
            "rungs[0].max_days",
            "[6] bukan jumlah hari berupa bilangan bulat",
            "[6] is not a whole number of days",
        ),
        (
            {"duration_months": "enam"},
            "rungs[0].duration_months",
            "'enam' bukan jumlah bulan berupa bilangan bulat",
            "'enam' is not a whole number of months",
        ),
    ],
)
def test_a_bad_rung_is_refused_by_its_field_in_the_users_language(bad, field, indonesian, english):
    with pytest.raises(rules.RuleError) as refused:
        rules.parse("ladder_PNS", {"rungs": [{**RUNG, **bad}]})
    assert refused.value.field == field
    with translation.override("id"):
        assert messages.rule_error_text(refused.value) == f"{field}: {indonesian}"
    with translation.override("en"):
        assert messages.rule_error_text(refused.value) == f"{field}: {english}"
    assert str(refused.value) == f"{field}: {english}"  # the pure side's text, for logs


def test_consecutive_days_that_are_not_a_number_are_refused_in_indonesian():
    with pytest.raises(rules.RuleError) as refused:
        rules.parse("ladder_PNS", {"rungs": [RUNG], "consecutive_days": "sepuluh"})
    with translation.override("id"):
        said = messages.rule_error_text(refused.value)
    assert said == "consecutive_days: 'sepuluh' bukan jumlah hari berupa bilangan bulat"


def test_counts_written_as_text_are_still_read_as_before():
    ladder = rules.parse(
        "ladder_PNS",
        {"rungs": [{**RUNG, "min_days": "1", "max_days": None}], "consecutive_days": "5"},
    )
    assert (ladder.rungs[0].min_days, ladder.rungs[0].max_days, ladder.consecutive_days) == (
        1,
        None,
        5,
    )
