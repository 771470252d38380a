"""Spot checks (sidak / apel): start one at a workplace, mark who is seen, close and reconcile.

Starting lists the employees in the checker's scope who belong to the workplace or checked in
there today, each with whether they are checked in there at this moment (their latest accepted
record of the day is a check-in at this workplace). Closing reconciles: each employee checked
in but not seen gets a flag of its own (hadir.supervise.reconcile); those seen but not checked
in are listed on the spot check.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hadir.checkin.models import EvidenceRecord
from hadir.supervise.access import Viewer
from hadir.supervise.models import SpotCheck, SpotCheckEntry
from hadir.supervise.reconcile import flag_unseen

PRESENCE = ("accepted", "accepted_with_warnings")


class SpotCheckError(Exception):
    pass


def checked_in_at(workplace, employee_ids, now: datetime) -> dict[int, tuple[datetime, int]]:
    """employee id -> (time, record id) of the check-in that has them at this workplace now."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        EvidenceRecord.objects.filter(
            employee_id__in=employee_ids,
            kind__in=("check_in", "check_out"),
            outcome__in=PRESENCE,
            time_of_record__gte=start,
            time_of_record__lte=now,
        )
        .order_by("employee_id", "time_of_record", "id")
        .values_list("employee_id", "kind", "workplace_id", "time_of_record", "id")
    )
    latest: dict[int, tuple] = {}
    for employee_id, kind, workplace_id, at, record_id in rows:
        latest[employee_id] = (kind, workplace_id, at, record_id)
    return {
        pk: (at, record_id)
        for pk, (kind, workplace_id, at, record_id) in latest.items()
        if kind == "check_in" and workplace_id == workplace.pk
    }


@transaction.atomic
def start(viewer: Viewer, workplace, kind: str, now: datetime | None = None) -> SpotCheck:
    if not viewer.acting_workplaces().filter(pk=workplace.pk).exists():
        raise SpotCheckError("not allowed")
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    here_today = EvidenceRecord.objects.filter(
        workplace=workplace, time_of_record__gte=today, time_of_record__lte=now
    ).values("employee_id")
    people = list(
        viewer.employees()
        .filter(Q(workplaces=workplace) | Q(pk__in=here_today))
        .filter(active_from__lte=day)
        .exclude(active_to__lt=day)
        .distinct()
        .values_list("pk", flat=True)
    )
    present = checked_in_at(workplace, people, now)
    user = viewer.user
    spot = SpotCheck.objects.create(
        workplace=workplace,
        opd_id=workplace.opd_id,
        kind=kind,
        started_at=now,
        started_by=user,
        checker_name=(user.get_full_name() or user.get_username())[:200],
    )
    SpotCheckEntry.objects.bulk_create(
        SpotCheckEntry(
            spot_check=spot,
            employee_id=pk,
            checked_in=pk in present,
            check_in_at=present[pk][0] if pk in present else None,
            check_in_record=present[pk][1] if pk in present else None,
        )
        for pk in people
    )
    return spot


def mark(entry: SpotCheckEntry, seen: bool, now: datetime | None = None) -> SpotCheckEntry:
    if not entry.spot_check.is_open:
        raise SpotCheckError("closed")
    entry.seen = seen
    entry.marked_at = now or timezone.now()
    entry.save(update_fields=["seen", "marked_at"])
    return entry


@transaction.atomic
def close(spot: SpotCheck, photo=None, note: str = "", now: datetime | None = None) -> int:
    """Reconcile: a flag for each employee checked in but not seen. Returns how many."""
    if not spot.is_open:
        raise SpotCheckError("closed")
    spot.closed_at = now or timezone.now()
    if photo is not None:
        spot.sheet_photo = photo
    spot.note = note.strip()
    spot.save()
    unseen = [e for e in spot.entries.select_related("employee") if e.unseen]
    for entry in unseen:
        flag_unseen(entry)
    return len(unseen)
