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


def test_a_seed_summary_counts_per_practice_and_keeps_the_scores_for_the_curve():
    from hadir.sim.evaluation import seed_summary

    day_levels = {(2, D1): "strong", (3, D1): "below_review", (1, D3): "review"}
    summary = seed_summary(LABELS, day_levels, {1: 0.55, 2: 0.9, 3: 0.3})
    naive = summary["practices"]["fake_gps_naive"]
    assert (naive["cheated"], naive["flagged"], naive["days"], naive["days_caught"]) == (1, 1, 2, 1)
    assert summary["practices"]["honest_town"]["flagged"] == 1
    assert summary["honest_days_flagged"] == 1
    assert sorted(summary["scores"]) == [[0.0, False], [0.3, True], [0.55, False], [0.9, True]]


def test_the_seeds_table_gives_spread_and_the_threshold_curve():
    from hadir.sim.evaluation import format_seeds, seed_summary

    one = seed_summary(LABELS, {}, {1: 0.55, 2: 0.9, 3: 0.3})
    two = seed_summary(LABELS, {}, {1: 0.2, 2: 0.9, 3: 0.7})
    text = format_seeds([one, two])
    assert "2 seeds" in text
    assert "check_in_and_leave" in text
    assert "0.500 [0.000–1.000]" in text  # check_in_and_leave: missed once, caught once
    # At 0.5 the pooled months: tp 3 (2 twice, 3 once), fp 1 (1 once), fn 1.
    assert "t=0.5: P 0.750" in text
    assert "R 0.750" in text
