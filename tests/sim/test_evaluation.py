from datetime import date

from hadir.sim.evaluation import Labels, evaluate, format_report

D1, D2, D3 = date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)
LABELS = Labels(
    practice={1: "honest_town", 2: "fake_gps_naive", 3: "check_in_and_leave", 4: "honest_remote"},
    cheat_days=frozenset({(2, D1), (2, D2), (3, D1)}),
    remote=frozenset({4}),
)


def test_precision_and_recall_per_practice_and_overall():
    day_levels = {(2, D1): "strong", (2, D2): "review", (3, D1): "below_review", (1, D3): "review"}
    month_levels = {2: "strong", 3: "below_review", 1: "review"}
    report = evaluate(LABELS, day_levels, month_levels)
    assert (report.day["fake_gps_naive"].tp, report.day["fake_gps_naive"].fn) == (2, 0)
    assert report.day["check_in_and_leave"].recall == 0.0
    assert report.day["honest (false flags)"].fp == 1
    overall = report.overall("day")
    assert (overall.tp, overall.fp, overall.fn) == (2, 1, 1)
    assert overall.precision == 2 / 3
    month = report.overall("month")
    assert (month.tp, month.fp, month.fn) == (1, 1, 1)


def test_honest_remote_employees_flagged_are_counted_by_level():
    report = evaluate(LABELS, {}, {4: "review"})
    assert report.remote_honest == 1
    assert report.remote_honest_flagged_review == 1
    assert report.remote_honest_flagged_strong == 0
    assert "honest remote-office employees: 1" in format_report(report)
