"""Retention of location details: after the configured period (LOCATION_RETENTION_DAYS, two
years by default) a check-in's coordinates, accuracy, fix time, distance from the geofence
and signed body (which holds the coordinates too) are removed; what was decided (outcome,
reasons, times, workplace) stays, and so does the chain: a version 2 row hash covers the
location through its digest, and the body through its hash, both kept. Every removal is
logged in the audit log with the range of records it touched.

Location is personal data (UU 27/2022): keeping it longer than the purpose needs is not
allowed; the attendance outcome is kept as long as personnel records are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from hadir.checkin.chain import LOCATION_FIELDS
from hadir.checkin.models import EvidenceRecord
from hadir.org.models import AuditAction, AuditEntry

logger = logging.getLogger("hadir.checkin")
BATCH = 1000
REMOVED = (*LOCATION_FIELDS, "body")


@dataclass(frozen=True)
class Removal:
    count: int
    before: datetime
    first_id: int | None = None
    last_id: int | None = None


def remove_old_locations(now: datetime, keep_days: int, actor: str) -> Removal:
    before = now - timedelta(days=keep_days)
    due = EvidenceRecord.objects.filter(received_at__lt=before, location_removed_at__isnull=True)
    count, first_id, last_id = 0, None, None
    while ids := list(due.order_by("id").values_list("id", flat=True)[:BATCH]):
        with transaction.atomic():
            count += EvidenceRecord.objects.filter(id__in=ids).update(
                **dict.fromkeys(LOCATION_FIELDS), body=b"", location_removed_at=now
            )
        first_id = ids[0] if first_id is None else first_id
        last_id = ids[-1]
    removal = Removal(count, before, first_id, last_id)
    if count:
        _log(removal, actor)
    return removal


def _log(removal: Removal, actor: str) -> None:
    summary = (
        f"locations of {removal.count} records received before {removal.before:%Y-%m-%d} "
        f"removed (ids {removal.first_id} to {removal.last_id})"
    )
    logger.info(summary)
    AuditEntry.objects.create(
        actor=actor,
        action=AuditAction.DELETE,
        model="checkin.EvidenceRecord",
        object_pk="",
        object_repr=summary[:300],
        before=None,
        after={
            "removed": list(REMOVED),
            "count": removal.count,
            "received_before": removal.before.isoformat(),
            "first_id": removal.first_id,
            "last_id": removal.last_id,
        },
    )
