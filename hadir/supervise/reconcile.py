"""What a spot check found, as a fraud signal: checked in but not seen at the workplace.

Each such employee-day gets the evidence item `spot_check_unseen` (message id rendered by
hadir.fraud.evidence_text) on its DayFlag, strong: a person looked and did not find them. The
analysis replaces the day's flags when it runs again (hadir.fraud.analysis); it announces that
with `day_flags_replaced`, and `reapply` puts the spot checks' findings back.
"""

from __future__ import annotations

from django.utils import timezone

from hadir.fraud.models import DayFlag, Level

CODE = "spot_check_unseen"
SCORE = 1.0  # a person's observation: at least the strong threshold of any policy


def evidence_item(entry) -> dict:
    spot = entry.spot_check
    local = timezone.localtime
    return {
        "code": CODE,
        "tier": spot.workplace.connectivity_tier,
        "contribution": SCORE,
        "day": local(spot.started_at).date().isoformat(),
        "message": CODE,
        "events": [f"#{entry.check_in_record}"] if entry.check_in_record else [],
        "values": {
            "spot_check_id": spot.pk,
            "workplace_id": spot.workplace_id,
            "at": f"{local(spot.started_at):%H:%M}",
            "check_in_at": f"{local(entry.check_in_at):%H:%M}" if entry.check_in_at else "–",
            "checker": spot.checker_name,
        },
    }


def flag_unseen(entry) -> DayFlag:
    item = evidence_item(entry)
    day = timezone.localtime(entry.spot_check.started_at).date()
    flag = DayFlag.objects.filter(employee_id=entry.employee_id, day=day).first()
    if flag is None:
        return DayFlag.objects.create(
            employee_id=entry.employee_id,
            day=day,
            score=SCORE,
            level=Level.STRONG,
            tier=item["tier"],
            codes=[CODE],
            evidence=[item],
        )
    spot_id = item["values"]["spot_check_id"]
    if any((e.get("values") or {}).get("spot_check_id") == spot_id for e in flag.evidence):
        return flag
    flag.evidence = [item, *flag.evidence]
    flag.codes = [CODE, *(c for c in flag.codes if c != CODE)]
    flag.score = max(flag.score, SCORE)
    flag.level = Level.STRONG
    flag.save(update_fields=["evidence", "codes", "score", "level"])
    return flag


def reapply(first, last, **kwargs) -> int:
    """After an analysis replaced the flags of first..last: the spot checks' findings again."""
    from hadir.supervise.models import SpotCheckEntry

    entries = SpotCheckEntry.objects.filter(
        checked_in=True,
        seen=False,
        spot_check__closed_at__isnull=False,
        spot_check__started_at__date__gte=first,
        spot_check__started_at__date__lte=last,
    ).select_related("spot_check__workplace")
    count = 0
    for entry in entries:
        flag_unseen(entry)
        count += 1
    return count
