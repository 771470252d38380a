"""One record per flagged employee-day, for `hadir flags` and the API."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from hadir.fraud.models import LEVEL_ORDER, DayFlag, FlagReview

CSV_COLUMNS = (
    "nip",
    "name",
    "opd",
    "date",
    "score",
    "level",
    "codes",
    "evidence",
    "events",
    "review",
)


def flag_records(first: date, last: date, min_level: str = "review", scope=None):
    qs = DayFlag.objects.filter(day__gte=first, day__lte=last).select_related(
        "employee", "employee__opd"
    )
    if scope is not None:
        qs = scope.filter_by_opd(qs, "employee__opd")
    wanted = [lvl for lvl, rank in LEVEL_ORDER.items() if rank >= LEVEL_ORDER[min_level]]
    qs = qs.filter(level__in=wanted).order_by("day", "employee__identifier")
    reviews = latest_reviews(first, last)
    for flag in qs.iterator(chunk_size=2000):
        review = reviews.get((flag.employee_id, flag.day))
        yield {
            "nip": flag.employee.identifier,
            "name": flag.employee.name,
            "opd": flag.employee.opd.code,
            "date": flag.day.isoformat(),
            "score": round(flag.score, 3),
            "level": flag.level,
            "codes": flag.codes,
            "evidence": [e["summary"] for e in flag.evidence],
            "events": sorted({ev for e in flag.evidence for ev in e["events"]}),
            "review": review,
        }


def latest_reviews(first: date, last: date) -> dict:
    latest = {}
    for r in FlagReview.objects.filter(day__gte=first, day__lte=last).order_by("at", "id"):
        latest[(r.employee_id, r.day)] = {
            "decision": r.decision,
            "reason": r.reason,
            "reviewer": r.reviewer,
            "at": r.at.isoformat(),
        }
    return latest


def to_jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def to_csv(records) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow(
            [
                r["nip"],
                r["name"],
                r["opd"],
                r["date"],
                r["score"],
                r["level"],
                " ".join(r["codes"]),
                " | ".join(r["evidence"]),
                " ".join(r["events"]),
                r["review"]["decision"] if r["review"] else "",
            ]
        )
    return out.getvalue()


def precision_on_reviews() -> dict[str, dict]:
    """The detector's own precision, per level, on the flags people have reviewed."""
    flags = {
        (f.employee_id, f.day): f.level
        for f in DayFlag.objects.all().only("employee_id", "day", "level")
    }
    latest = {}
    for r in FlagReview.objects.order_by("at", "id"):
        latest[(r.employee_id, r.day)] = r
    stats: dict[str, dict] = {}
    for key, review in latest.items():
        level = flags.get(key, review.flag_level)
        s = stats.setdefault(level, {"confirmed": 0, "dismissed": 0})
        s[review.decision] += 1
    for s in stats.values():
        reviewed = s["confirmed"] + s["dismissed"]
        s["precision"] = round(s["confirmed"] / reviewed, 3) if reviewed else None
    return stats
