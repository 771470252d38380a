"""Background work that keeps daily statuses current without anyone running a command.

Plain functions: the worker (`hadir worker`) runs them on its schedule through the jobs
registered in hadir.attendance.jobs; by hand, `hadir refresh-statuses` runs them all and
`hadir recompute --pending` the queue.

- `refresh_statuses`: today and yesterday for every employee (today's live state stored, and
  yesterday made final once its windows have closed), plus any older day that new evidence
  touched (an offline check-in synced late). New evidence is found by its row id: the evidence
  table is append-only and its rows are written one at a time under the chain's lock, so ids
  arrive in order and a mark (the last id looked at) is enough. The check-in path itself is
  not touched: it stays as fast as it is.
- `process_recompute_requests`: the queued recomputations (outages, go-live and joining
  dates, schedules, rules): changes whose days are too many for a web request.

Both are idempotent: a day whose inputs did not change is not rewritten (inputs_hash).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from hadir.attendance import selectors, services
from hadir.attendance.models import RecomputeRequest, RefreshMark
from hadir.checkin.models import EvidenceRecord

EVIDENCE_BATCH = 20000
STALE_SWEEP = timedelta(minutes=10)  # a page showing today refreshes it when older than this
RECLAIM_AFTER = timedelta(hours=1)  # a claimed request not done by then is claimed again


def refresh_statuses(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    touched = recompute_new_evidence(now)
    swept = sweep_recent(now)
    return {"evidence_days": touched, **swept}


def sweep_recent(now: datetime | None = None, *, days: int = 2) -> dict[str, int]:
    """Compute today and the day before for every employee at `now`."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first = today - timedelta(days=days - 1)
    result = services.recompute(first, today, now=now)
    RefreshMark.objects.update_or_create(name="sweep", defaults={"at": now})
    return {"days": result.days, "written": result.written}


def sweep_if_stale(now: datetime | None = None) -> bool:
    """Compute today if no sweep ran lately (no worker yet): what a page showing today calls."""
    now = now or timezone.now()
    mark = RefreshMark.objects.filter(name="sweep").values_list("at", flat=True).first()
    if mark is not None and now - mark < STALE_SWEEP:
        return False
    sweep_recent(now, days=1)
    return True


def recompute_new_evidence(now: datetime | None = None) -> int:
    """The days of the check-ins stored since the last look; returns employee-days computed."""
    now = now or timezone.now()
    mark, created = RefreshMark.objects.get_or_create(name="evidence")
    if created:  # first run: start from here; the sweep covers today and yesterday
        mark.last_id = EvidenceRecord.objects.aggregate(last=Max("id"))["last"] or 0
        mark.at = now
        mark.save()
        return 0
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localtime(now).date()
    looked = 0
    while True:
        rows = list(
            EvidenceRecord.objects.filter(id__gt=mark.last_id, employee__isnull=False)
            .filter(kind__in=selectors.EVENT_KINDS)
            .order_by("id")
            .values_list("id", "employee_id", "time_of_record")[:EVIDENCE_BATCH]
        )
        if not rows:
            return looked
        by_range: dict[tuple[date, date], set[int]] = defaultdict(set)
        spans: dict[int, tuple[date, date]] = {}
        for _, employee_id, at in rows:
            if at is None:
                continue
            day = at.astimezone(zone).date()
            first = day - timedelta(days=1)  # a night shift's check-out belongs to the day before
            earlier, later = spans.get(employee_id, (first, day))
            spans[employee_id] = (min(earlier, first), max(later, day))
        for employee_id, (first, last) in spans.items():
            by_range[(first, min(last, today))].add(employee_id)
        for (first, last), ids in by_range.items():
            if first <= last:
                looked += services.compute_days(sorted(ids), first, last, now=now).days
        mark.last_id = rows[-1][0]
        mark.at = now
        mark.save(update_fields=["last_id", "at"])


def process_recompute_requests(now: datetime | None = None, *, limit: int = 20) -> int:
    """Do the queued recomputations, oldest first; returns how many were done.

    A request is claimed with a conditional update (healthchecks' way), so two workers never do
    the same one; one claimed by a worker that died is claimed again after `RECLAIM_AFTER`. A
    failure releases the claim and is raised, for the job runner to log and retry.
    """
    done = 0
    stale = timezone.now() - RECLAIM_AFTER
    waiting = RecomputeRequest.objects.filter(done_at__isnull=True).filter(
        Q(started_at__isnull=True) | Q(started_at__lt=stale)
    )
    for request in waiting.order_by("id")[:limit]:
        claimed_at = timezone.now()
        claimed = (
            RecomputeRequest.objects.filter(pk=request.pk, done_at__isnull=True)
            .filter(Q(started_at__isnull=True) | Q(started_at__lt=stale))
            .update(started_at=claimed_at)
        )
        if not claimed:
            continue
        try:
            result = services.run_recompute_request(request, now=now)
        except Exception:
            RecomputeRequest.objects.filter(pk=request.pk).update(started_at=None)
            raise
        RecomputeRequest.objects.filter(pk=request.pk).update(
            done_at=timezone.now(),
            result={
                "employees": result.employees,
                "days": result.days,
                "written": result.written,
                "seconds": round(result.seconds, 1),
            },
        )
        done += 1
    return done
