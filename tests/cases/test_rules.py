"""The discipline case's steps and deadlines, and letter templates: pure rules, no database."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.discipline_cases import (
    DEFAULT_POLICY,
    Action,
    CasePolicy,
    CaseRuleError,
    Decision,
    Stage,
    add_working_days,
    check_summons,
    days_overdue,
    due_date,
    is_overdue,
    needs_escalation,
    next_stage,
    working_days_between,
)
from hadir.domain.letters import (
    LetterTemplateError,
    fill,
    letter_number,
    paragraphs,
    placeholders,
    unknown_placeholders,
)

WIB = ZoneInfo("Asia/Jakarta")
MON = date(2026, 11, 2)  # a Monday
NONE: frozenset[date] = frozenset()


@pytest.mark.parametrize(
    ("start", "count", "off", "expected"),
    [
        (MON, 0, NONE, MON),
        (MON, 1, NONE, date(2026, 11, 3)),
        (MON, 5, NONE, date(2026, 11, 9)),  # over a weekend
        (date(2026, 11, 6), 1, NONE, date(2026, 11, 9)),  # Friday -> Monday
        (date(2026, 11, 7), 1, NONE, date(2026, 11, 9)),  # from a Saturday
        (MON, 1, frozenset({date(2026, 11, 3)}), date(2026, 11, 4)),  # a holiday skipped
        (MON, 7, NONE, date(2026, 11, 11)),
    ],
)
def test_working_days_skip_weekends_and_off_days(start, count, off, expected):
    assert add_working_days(start, count, off) == expected
    assert working_days_between(start, expected, off) == count


def test_a_six_day_week_policy_counts_saturdays():
    six_days = CasePolicy(weekend=(6,))
    assert add_working_days(date(2026, 11, 6), 1, NONE, six_days) == date(2026, 11, 7)


@pytest.mark.parametrize(
    ("stage", "action", "decision", "expected"),
    [
        (Stage.OPENED, Action.SUMMON, None, Stage.SUMMONED_1),
        (Stage.SUMMONED_1, Action.EXAMINE, None, Stage.EXAMINED),
        (Stage.SUMMONED_1, Action.MISSED, None, Stage.MISSED_1),
        (Stage.MISSED_1, Action.SUMMON, None, Stage.SUMMONED_2),
        (Stage.SUMMONED_2, Action.EXAMINE, None, Stage.EXAMINED),
        (Stage.SUMMONED_2, Action.MISSED, None, Stage.EXAMINED),  # decided on the evidence
        (Stage.EXAMINED, Action.DECIDE, Decision.TEGURAN_TERTULIS, Stage.DECIDED),
        (Stage.EXAMINED, Action.DECIDE, Decision.TEGURAN_LISAN, Stage.DECIDED),
        (Stage.EXAMINED, Action.DECIDE, Decision.TIDAK_PUAS, Stage.DECIDED),
        (Stage.EXAMINED, Action.DECIDE, Decision.REFERRAL, Stage.CLOSED),
        (Stage.EXAMINED, Action.DECIDE, Decision.NOT_PROVEN, Stage.CLOSED),
        (Stage.DECIDED, Action.DELIVER, None, Stage.CLOSED),
    ],
)
def test_the_steps_of_a_case(stage, action, decision, expected):
    assert next_stage(stage, action, decision) is expected


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (Stage.OPENED, Action.EXAMINE),  # no examination without a summons
        (Stage.OPENED, Action.DECIDE),  # no sanction without summons and examination
        (Stage.SUMMONED_1, Action.DECIDE),
        (Stage.MISSED_1, Action.DECIDE),  # one missed examination needs a second summons
        (Stage.EXAMINED, Action.SUMMON),
        (Stage.DECIDED, Action.DECIDE),
        (Stage.CLOSED, Action.DELIVER),
    ],
)
def test_steps_out_of_order_are_refused(stage, action):
    with pytest.raises(CaseRuleError) as error:
        next_stage(stage, action, Decision.TEGURAN_LISAN)
    assert error.value.code == "action_not_allowed"


def test_a_decision_needs_its_content():
    with pytest.raises(CaseRuleError) as error:
        next_stage(Stage.EXAMINED, Action.DECIDE, None)
    assert error.value.code == "decision_missing"


def test_a_summons_leaves_seven_working_days_before_the_examination():
    check_summons(MON, date(2026, 11, 11), NONE)  # exactly 7 working days
    with pytest.raises(CaseRuleError) as error:
        check_summons(MON, date(2026, 11, 10), NONE)
    assert error.value.code == "summons_notice"
    assert error.value.values["earliest"] == date(2026, 11, 11)


def test_a_holiday_pushes_the_earliest_examination_back():
    with pytest.raises(CaseRuleError):
        check_summons(MON, date(2026, 11, 11), frozenset({date(2026, 11, 4)}))


def test_an_examination_on_a_weekend_is_refused():
    with pytest.raises(CaseRuleError) as error:
        check_summons(MON, date(2026, 11, 14), NONE)
    assert error.value.code == "examination_not_working_day"


@pytest.mark.parametrize(
    ("stage", "since", "exam", "expected"),
    [
        (Stage.OPENED, MON, None, date(2026, 11, 11)),  # summon within 7 working days
        (Stage.SUMMONED_1, MON, date(2026, 11, 11), date(2026, 11, 13)),  # exam + 2
        (Stage.MISSED_1, date(2026, 11, 11), None, date(2026, 11, 20)),  # second summons
        (Stage.EXAMINED, MON, None, date(2026, 11, 20)),  # decide within 14
        (Stage.DECIDED, MON, None, date(2026, 11, 11)),  # deliver within 7
        (Stage.CLOSED, MON, None, None),
    ],
)
def test_each_stage_has_its_due_date(stage, since, exam, expected):
    assert due_date(stage, since, NONE, DEFAULT_POLICY, exam) == expected


def test_a_summoned_case_needs_its_examination_date():
    with pytest.raises(CaseRuleError):
        due_date(Stage.SUMMONED_1, MON, NONE)


def test_periods_are_policy():
    assert due_date(Stage.OPENED, MON, NONE, CasePolicy(summon_within=1)) == date(2026, 11, 3)
    with pytest.raises(ValueError):
        CasePolicy(decide_within=-1)


@pytest.mark.parametrize(
    ("now", "overdue", "days"),
    [
        (datetime(2026, 11, 11, 16, 59, tzinfo=UTC), False, 0),  # 23:59 WIB on the due day
        (datetime(2026, 11, 11, 17, 0, tzinfo=UTC), True, 1),  # 00:00 WIB the day after
        (datetime(2026, 11, 10, 9, 0, tzinfo=UTC), False, 0),
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), True, 9),
    ],
)
def test_overdue_is_judged_on_the_regency_date(now, overdue, days):
    due = date(2026, 11, 11)
    assert is_overdue(due, now, WIB) is overdue
    assert days_overdue(due, now, WIB) == days


def test_a_closed_case_is_never_overdue():
    assert not is_overdue(None, datetime(2030, 1, 1, tzinfo=UTC), WIB)


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        is_overdue(MON, datetime(2026, 11, 20), WIB)


def test_escalation_happens_once_per_missed_due_date():
    late = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    due = date(2026, 11, 11)
    assert needs_escalation(due, None, late, WIB)
    assert not needs_escalation(due, due, late, WIB)  # already escalated for it
    assert needs_escalation(due, date(2026, 11, 2), late, WIB)  # a later stage missed too
    assert not needs_escalation(date(2026, 11, 25), None, late, WIB)  # not yet due


def test_letter_templates_fill_their_placeholders_and_show_unknown_ones():
    text = "Sdr. {nama}, NIP {nip}, hadir pada {tanggal}. {{tetap}}"
    assert placeholders(text) == ["nama", "nip", "tanggal"]
    assert fill(text, {"nama": "Budi", "nip": "1", "tanggal": "1 Mei"}) == (
        "Sdr. Budi, NIP 1, hadir pada 1 Mei. {tetap}"
    )
    assert fill("{nama} {salah}", {"nama": "Budi"}) == "Budi {salah}"
    assert unknown_placeholders("{nama} {salah}", ["nama"]) == ["salah"]


@pytest.mark.parametrize("text", ["{nama", "{nama!r}", "{nama:>5}", "{0}", "{a.b}"])
def test_malformed_placeholders_are_refused(text):
    with pytest.raises(LetterTemplateError):
        placeholders(text)


def test_paragraphs_split_at_blank_lines():
    assert paragraphs("satu\ndua\n\n\ntiga\r\n\r\nempat ") == ["satu\ndua", "tiga", "empat"]


def test_letter_numbers_follow_the_pattern():
    assert letter_number("800.1.6/{seq}/{opd}/{year}", seq=7, year=2026, opd="DISDIK") == (
        "800.1.6/007/DISDIK/2026"
    )
    with pytest.raises(LetterTemplateError):
        letter_number("{nomor}/{year}", seq=1, year=2026, opd="X")
