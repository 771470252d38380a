"""One record per flagged employee-day, for `hadir flags` and the API.

Texts (levels, signal names, evidence sentences, review decisions) are rendered in the active
language (Indonesian by default) through hadir.fraud.evidence_text; the machine-readable codes
stay beside them (`level`, `codes`, each evidence item's `code`, `message` and `values`), so a
program never has to parse a sentence.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from itertools import islice

from django.utils.translation import gettext_lazy as _

from hadir.fraud.evidence_text import evidence_text, names_for, signal_label
from hadir.fraud.models import LEVEL_ORDER, DayFlag, Decision, FlagReview, Level

CHUNK = 2000

# (header, how to get the cell from a record). The CSV is for people with a spreadsheet: texts
# only; the machine-readable codes are in the JSON lines export.
CSV_COLUMNS = (
    (_("NIP"), lambda r: r["nip"]),
    (_("name"), lambda r: r["name"]),
    (_("OPD"), lambda r: r["opd"]),
    (_("date"), lambda r: r["date"]),
    (_("score"), lambda r: r["score"]),
    (_("level"), lambda r: r["level_label"]),
    (_("signals"), lambda r: "; ".join(r["signals"])),
    (_("evidence"), lambda r: " | ".join(e["text"] for e in r["evidence"])),
    (_("events"), lambda r: " ".join(r["events"])),
    (_("review"), lambda r: r["review"]["decision_label"] if r["review"] else ""),
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
    flags = qs.iterator(chunk_size=CHUNK)
    while chunk := list(islice(flags, CHUNK)):
        names = names_for(e for flag in chunk for e in flag.evidence)
        for flag in chunk:
            yield flag_record(flag, reviews.get((flag.employee_id, flag.day)), names)


def flag_record(flag: DayFlag, review: dict | None, names) -> dict:
    return {
        "nip": flag.employee.identifier,
        "name": flag.employee.name,
        "opd": flag.employee.opd.code,
        "date": flag.day.isoformat(),
        "score": round(flag.score, 3),
        "level": flag.level,
        "level_label": str(Level(flag.level).label),
        "codes": flag.codes,
        "signals": [signal_label(code) for code in flag.codes],
        "evidence": [
            {
                "code": e["code"],
                "signal": signal_label(e["code"]),
                "contribution": e["contribution"],
                "text": evidence_text(e, names),
                "message": e.get("message", ""),
                "values": e.get("values", {}),
                "events": e["events"],
            }
            for e in flag.evidence
        ],
        "events": sorted({ev for e in flag.evidence for ev in e["events"]}),
        "review": review,
    }


def latest_reviews(first: date, last: date) -> dict:
    latest = {}
    for r in FlagReview.objects.filter(day__gte=first, day__lte=last).order_by("at", "id"):
        latest[(r.employee_id, r.day)] = {
            "decision": r.decision,
            "decision_label": str(Decision(r.decision).label),
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
    writer.writerow([str(header) for header, _cell in CSV_COLUMNS])
    for r in records:
        writer.writerow([cell(r) for _header, cell in CSV_COLUMNS])
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
