"""When a day counts for an employee: go-live, OPD joining, service, transfers, outages."""

from datetime import date

import pytest

from hadir.domain.coverage import (
    EmployeeCoverage,
    NotCounted,
    OpdSpell,
    Outage,
    RegencyCoverage,
    Transfer,
    counted_days,
    coverage_between,
    day_coverage,
    opd_spells,
)

DINAS, KECAMATAN, PUSKESMAS = 1, 2, 3
OFFICE, BRANCH = 10, 11
NOV = date(2026, 11, 1)


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


def employee(
    since=date(2020, 1, 1), until=None, transfers=(), opd=DINAS, workplaces=(OFFICE,)
) -> EmployeeCoverage:
    return EmployeeCoverage(since, until, opd_spells(opd, transfers), frozenset(workplaces))


REGENCY = RegencyCoverage(
    go_live=d(2),
    opd_joined={KECAMATAN: d(16)},
    outages=(
        Outage(d(9), d(10), "server down", outage_id=1),
        Outage(d(20), d(20), "listrik padam", opd_id=PUSKESMAS, outage_id=2),
        Outage(d(23), d(24), "jaringan kantor cabang putus", workplace_id=BRANCH, outage_id=3),
    ),
)


@pytest.mark.parametrize(
    ("facts", "day", "reason"),
    [
        # The regency's go-live date: its first day counts, the day before does not.
        (employee(), d(1), NotCounted.BEFORE_GO_LIVE),
        (employee(), d(2), None),
        # Service period: first and last day count, the days around them do not.
        (employee(since=d(5)), d(4), NotCounted.OUTSIDE_SERVICE),
        (employee(since=d(5)), d(5), None),
        (employee(until=d(27)), d(27), None),
        (employee(until=d(27)), d(28), NotCounted.OUTSIDE_SERVICE),
        # Outside service wins over every other reason (the most lasting fact).
        (employee(since=d(5)), d(1), NotCounted.OUTSIDE_SERVICE),
        # An OPD joining later: its first day counts.
        (employee(opd=KECAMATAN), d(15), NotCounted.OPD_NOT_JOINED),
        (employee(opd=KECAMATAN), d(16), None),
        # A regency-wide outage: both edges covered, the days around it not.
        (employee(), d(8), None),
        (employee(), d(9), NotCounted.OUTAGE),
        (employee(), d(10), NotCounted.OUTAGE),
        (employee(), d(11), None),
        # An OPD's outage covers its employees only.
        (employee(opd=PUSKESMAS), d(20), NotCounted.OUTAGE),
        (employee(opd=DINAS), d(20), None),
        # A workplace's outage covers whoever works there, even with another office too.
        (employee(workplaces=(OFFICE, BRANCH)), d(23), NotCounted.OUTAGE),
        (employee(workplaces=(OFFICE,)), d(23), None),
        # Before go-live is named before an outage on the same day.
        (employee(), d(1, 10), NotCounted.BEFORE_GO_LIVE),
    ],
)
def test_whether_a_day_counts(facts, day, reason):
    assert day_coverage(REGENCY, facts, day).reason == reason
    assert day_coverage(REGENCY, facts, day).counts is (reason is None)


def test_the_reason_carries_the_values_to_say_it():
    before = day_coverage(REGENCY, employee(), d(1))
    assert before.values == {"since": d(2)}
    outage = day_coverage(REGENCY, employee(), d(9))
    assert outage.values == {"reason": "server down", "first": d(9), "last": d(10)}
    outside = day_coverage(REGENCY, employee(since=d(5), until=d(27)), d(4))
    assert outside.values == {"since": d(5), "until": d(27)}


def test_no_go_live_date_means_every_day_of_service_counts():
    assert day_coverage(RegencyCoverage(), employee(), date(2021, 1, 4)).counts


# Transfers ------------------------------------------------------------------------------------

TO_KECAMATAN = Transfer(d(12), DINAS, KECAMATAN)
TO_PUSKESMAS = Transfer(d(19), KECAMATAN, PUSKESMAS)


def test_without_transfers_the_current_opd_holds_for_every_day():
    assert opd_spells(DINAS, []) == (OpdSpell(DINAS, date.min),)


def test_transfers_make_spells_and_the_transfer_day_belongs_to_the_new_opd():
    spells = opd_spells(PUSKESMAS, [TO_PUSKESMAS, TO_KECAMATAN])  # any order
    assert spells == (
        OpdSpell(DINAS, date.min, d(11)),
        OpdSpell(KECAMATAN, d(12), d(18)),
        OpdSpell(PUSKESMAS, d(19)),
    )
    facts = EmployeeCoverage(date(2020, 1, 1), None, spells)
    assert [facts.opd_on(day) for day in (d(11), d(12), d(18), d(19))] == [
        DINAS,
        KECAMATAN,
        KECAMATAN,
        PUSKESMAS,
    ]


def test_two_transfers_on_one_day_make_one_move():
    corrected = [Transfer(d(12), DINAS, PUSKESMAS), Transfer(d(12), PUSKESMAS, KECAMATAN)]
    assert opd_spells(KECAMATAN, corrected) == (
        OpdSpell(DINAS, date.min, d(11)),
        OpdSpell(KECAMATAN, d(12)),
    )


def test_a_day_counts_by_the_opd_the_employee_was_in_that_day():
    moved = employee(transfers=[TO_KECAMATAN, TO_PUSKESMAS], opd=PUSKESMAS)
    # In Dinas (joined with the regency) the 11th counts; from the 12th the employee is in the
    # kecamatan, which joins on the 16th; from the 19th in the puskesmas, down on the 20th.
    reasons = {item.day.day: item.reason for item in coverage_between(REGENCY, moved, d(11), d(21))}
    assert reasons == {
        11: None,
        12: NotCounted.OPD_NOT_JOINED,
        15: NotCounted.OPD_NOT_JOINED,
        16: None,
        17: None,
        18: None,
        19: None,
        20: NotCounted.OUTAGE,
        21: None,
        13: NotCounted.OPD_NOT_JOINED,
        14: NotCounted.OPD_NOT_JOINED,
    }
    assert day_coverage(REGENCY, moved, d(12)).opd_id == KECAMATAN


def test_an_outage_of_the_old_opd_does_not_follow_the_employee():
    regency = RegencyCoverage(outages=(Outage(d(12), d(13), "PLN", opd_id=DINAS),))
    moved = employee(transfers=[TO_KECAMATAN], opd=KECAMATAN)
    assert day_coverage(regency, moved, d(12)).counts
    stayed = employee()
    assert not day_coverage(regency, stayed, d(12)).counts


# Periods --------------------------------------------------------------------------------------


def test_a_half_covered_month_counts_only_its_covered_half():
    regency = RegencyCoverage(go_live=d(16))
    days = counted_days(regency, employee(), NOV, d(30))
    assert days[0] == d(16)
    assert days[-1] == d(30)
    assert len(days) == 15


def test_a_month_with_a_late_start_an_outage_and_an_early_end():
    facts = employee(since=d(3), until=d(26))
    days = counted_days(REGENCY, facts, NOV, d(30))
    assert days[0] == d(3)
    assert days[-1] == d(26)
    assert d(9) not in days
    assert d(10) not in days
    assert len(days) == 24 - 2


def test_an_outage_is_a_sane_period():
    with pytest.raises(ValueError, match="before it starts"):
        Outage(d(10), d(9))
    with pytest.raises(ValueError, match="not both"):
        Outage(d(9), d(9), opd_id=DINAS, workplace_id=OFFICE)
