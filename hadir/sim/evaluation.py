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
