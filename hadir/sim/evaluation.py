"""How well the fraud detector does on a labelled simulated month: precision and recall per
practice and overall, at employee-day and employee-month level, and the false flags among
honest remote-office employees. Pure: labels and flags in, a table out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

FLAGGED = {"review", "strong"}


@dataclass(frozen=True)
class Labels:
    practice: dict[int, str]  # employee id -> practice ("honest_*" or a cheating practice)
    cheat_days: frozenset[tuple[int, date]]  # employee-days on which the employee cheated
    remote: frozenset[int]  # employees whose main workplace has a poor or none tier

    def is_cheater(self, employee_id: int) -> bool:
        return not self.practice.get(employee_id, "honest").startswith("honest")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Report:
    day: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    month: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    remote_honest: int = 0
    remote_honest_flagged_review: int = 0
    remote_honest_flagged_strong: int = 0
    flags_without_events: int = 0

    def overall(self, level: str) -> Counts:
        table = self.day if level == "day" else self.month
        total = Counts()
        for counts in table.values():
            total.tp, total.fp, total.fn = (
                total.tp + counts.tp,
                total.fp + counts.fp,
                total.fn + counts.fn,
            )
        return total


def evaluate(
    labels: Labels,
    day_levels: dict[tuple[int, date], str],
    month_levels: dict[int, str],
    flags_without_events: int = 0,
) -> Report:
    """day_levels: (employee, day) -> level of its flag; month_levels: employee -> level of the
    month's flag. A flag at "review" or "strong" counts as an accusation."""
    report = Report(flags_without_events=flags_without_events)
    flagged_days = {key for key, level in day_levels.items() if level in FLAGGED}
    for key in labels.cheat_days | flagged_days:
        employee_id = key[0]
        practice = labels.practice.get(employee_id, "honest_unknown")
        bucket = practice if key in labels.cheat_days else "honest (false flags)"
        if key in labels.cheat_days and key in flagged_days:
            report.day[bucket].tp += 1
        elif key in labels.cheat_days:
            report.day[bucket].fn += 1
        else:
            # A flag on a cheater's honest day is still a false accusation for that day.
            report.day[bucket].fp += 1
    for employee_id, practice in labels.practice.items():
        flagged = month_levels.get(employee_id) in FLAGGED
        cheated = labels.is_cheater(employee_id) and any(
            e == employee_id for e, _ in labels.cheat_days
        )
        bucket = practice if cheated else "honest (false flags)"
        if cheated and flagged:
            report.month[bucket].tp += 1
        elif cheated:
            report.month[bucket].fn += 1
        elif flagged:
            report.month[bucket].fp += 1
        if employee_id in labels.remote and not labels.is_cheater(employee_id):
            report.remote_honest += 1
            level = month_levels.get(employee_id)
            report.remote_honest_flagged_review += level == "review"
            report.remote_honest_flagged_strong += level == "strong"
    return report


def _fmt(value: float | None) -> str:
    return "  –  " if value is None else f"{value:5.3f}"


def format_report(report: Report, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(
        f"{'practice':28} {'day P':>6} {'day R':>6} {'(tp/fp/fn)':>14}   "
        f"{'month P':>7} {'month R':>7} {'(tp/fp/fn)':>12}"
    )
    practices = sorted(
        set(report.day) | set(report.month), key=lambda p: (p.startswith("honest"), p)
    )
    for practice in practices:
        d, m = report.day.get(practice, Counts()), report.month.get(practice, Counts())
        lines.append(
            f"{practice:28} {_fmt(d.precision):>6} {_fmt(d.recall):>6} "
            f"{f'{d.tp}/{d.fp}/{d.fn}':>14}   {_fmt(m.precision):>7} "
            f"{_fmt(m.recall):>7} {f'{m.tp}/{m.fp}/{m.fn}':>12}"
        )
    d, m = report.overall("day"), report.overall("month")
    lines.append(
        f"{'OVERALL':28} {_fmt(d.precision):>6} {_fmt(d.recall):>6} "
        f"{f'{d.tp}/{d.fp}/{d.fn}':>14}   {_fmt(m.precision):>7} "
        f"{_fmt(m.recall):>7} {f'{m.tp}/{m.fp}/{m.fn}':>12}"
    )
    lines.append(
        f"honest remote-office employees: {report.remote_honest}; month flagged "
        f"for review: {report.remote_honest_flagged_review}, strong: "
        f"{report.remote_honest_flagged_strong}"
    )
    lines.append(f"flags without named events: {report.flags_without_events}")
    return "\n".join(lines)


# --- Over several seeds: per-practice figures with their spread, and the threshold curve ----

CURVE = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def seed_summary(
    labels: Labels,
    day_levels: dict[tuple[int, date], str],
    month_scores: dict[int, float],
    review_threshold: float = 0.5,
) -> dict:
    """One seed's figures as plain data (JSON): per practice, the employees, those who cheated
    and those whose month was flagged (at review_threshold), the cheating days caught and
    missed; and every employee's month score with whether they cheated (for the curve)."""
    cheated = {e for e, _ in labels.cheat_days}
    flagged_days = {key for key, level in day_levels.items() if level in FLAGGED}
    practices: dict[str, dict[str, int]] = defaultdict(
        lambda: {"employees": 0, "cheated": 0, "flagged": 0, "days": 0, "days_caught": 0}
    )
    scores = []
    for employee_id, practice in labels.practice.items():
        row = practices[practice]
        is_cheater = labels.is_cheater(employee_id) and employee_id in cheated
        score = month_scores.get(employee_id, 0.0)
        row["employees"] += 1
        row["cheated"] += is_cheater
        row["flagged"] += score >= review_threshold
        scores.append([round(score, 4), is_cheater])
    for key in labels.cheat_days:
        row = practices[labels.practice.get(key[0], "honest_unknown")]
        row["days"] += 1
        row["days_caught"] += key in flagged_days
    honest_days_flagged = sum(1 for key in flagged_days if key not in labels.cheat_days)
    return {
        "practices": {k: dict(v) for k, v in practices.items()},
        "scores": scores,
        "honest_days_flagged": honest_days_flagged,
    }


def _curve_point(scores: list, threshold: float) -> tuple[float | None, float | None]:
    tp = sum(1 for s, c in scores if c and s >= threshold)
    fp = sum(1 for s, c in scores if not c and s >= threshold)
    fn = sum(1 for s, c in scores if c and s < threshold)
    return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def _spread(values: list[float]) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    mean = sum(values) / len(values)
    return f"{mean:.3f} [{min(values):.3f}–{max(values):.3f}]"


def format_seeds(summaries: list[dict], review_threshold: float = 0.5) -> str:
    """Per practice over the seeds: month recall (cheaters) or month false-flag rate (honest
    practices), day recall, each as mean [min-max]; overall month precision and recall; and
    the threshold curve (month precision and recall at each score level, pooled and per seed)."""
    names = sorted(
        {p for s in summaries for p in s["practices"]}, key=lambda p: (p.startswith("honest"), p)
    )
    lines = [
        f"{len(summaries)} seeds; month flagged at score >= {review_threshold}",
        f"{'practice':24} {'employees':>9}  {'month recall / false-flag rate':>34}  "
        f"{'day recall':>22}",
    ]
    for name in names:
        rows = [s["practices"][name] for s in summaries if name in s["practices"]]
        employees = sum(r["employees"] for r in rows)
        if name.startswith("honest"):
            month = [r["flagged"] / r["employees"] for r in rows if r["employees"]]
            day = []
            kind = "false flags"
        else:
            month = [r["flagged"] / r["cheated"] for r in rows if r["cheated"]]
            day = [r["days_caught"] / r["days"] for r in rows if r["days"]]
            kind = "recall"
        lines.append(
            f"{name:24} {employees:>9}  {kind:>11} {_spread(month):>22}  {_spread(day):>22}"
        )
    precision = [_curve_point(s["scores"], review_threshold)[0] for s in summaries]
    recall = [_curve_point(s["scores"], review_threshold)[1] for s in summaries]
    lines.append(f"{'OVERALL month precision':34} {_spread(precision)}")
    lines.append(f"{'OVERALL month recall':34} {_spread(recall)}")
    lines.append(
        "honest employee-days flagged per seed: "
        + ", ".join(str(s["honest_days_flagged"]) for s in summaries)
    )
    lines.append("threshold curve (month): score >= t: precision / recall, pooled [per-seed range]")
    pooled = [pair for s in summaries for pair in s["scores"]]
    for t in CURVE:
        p, r = _curve_point(pooled, t)
        per_seed = [_curve_point(s["scores"], t) for s in summaries]
        lines.append(
            f"  t={t:.1f}: P {_fmt(p)} [{_range([x for x, _ in per_seed])}]  "
            f"R {_fmt(r)} [{_range([y for _, y in per_seed])}]"
        )
    return "\n".join(lines)


def _range(values: list) -> str:
    values = [v for v in values if v is not None]
    return f"{min(values):.3f}–{max(values):.3f}" if values else "–"
