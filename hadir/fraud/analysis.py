"""The batch job: stored evidence in, flags out, through the pure signals in hadir.domain.signals.

Idempotent: the flags of the analysed range are replaced as a whole, and the same evidence
gives the same flags. Reviews are never touched. Events are named by their evidence record
("#123") so a reviewer can open each one in the admin.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import json
import os
import queue
import threading
import time as time_module
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.dispatch import Signal
from django.utils import timezone

from hadir.checkin.models import Device, EvidenceRecord, PresenceChallenge
from hadir.checkin.store import aware_utc
from hadir.domain.signals import base, runner
from hadir.fraud.context import day_contexts
from hadir.fraud.models import AnalysisRun, ChallengeGroupMember, DayFlag, MonthFlag
from hadir.org.models import Employee, Workplace

# Sent (first, last) inside the transaction that replaced the day flags of that range, so that
# findings kept elsewhere (spot checks, hadir.supervise) can be put back on them.
day_flags_replaced = Signal()

OBSERVATION_FIELDS = (
    "id",
    "employee_id",
    "device_id",
    "kind",
    "time_of_record",
    "received_at",
    "device_time",
    "monotonic_ms",
    "boot_count",
    "seq",
    "lat",
    "lon",
    "accuracy_m",
    "mock",
    "fix_time",
    "queued_offline",
    "office_code_valid",
    "bssid_match",
    "workplace_network",
    "remote_addr",
    "workplace_id",
    "geofence_distance_m",
    "outcome",
    "reasons",
    "challenge_id",
    "body",
)
APPROVED_STATUSES = ("active", "revoked")
# History-based signals look back this far before the first analysed day.
CONTEXT_DAYS = 14


def event_name(record_id: int) -> str:
    return f"#{record_id}"


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (
        datetime.combine(first, time.min, tz),
        datetime.combine(last + timedelta(days=1), time.min, tz),
    )


_OBSERVATION_NAMES = tuple(f.name for f in dataclasses.fields(base.Observation))
_new_object = object.__new__


def _observation(row: tuple) -> base.Observation:
    """One row of _evidence_rows (OBSERVATION_FIELDS, in order) as the signals see it."""
    (
        record_id,
        employee_id,
        device_id,
        kind,
        time_of_record,
        received_at,
        device_time,
        monotonic_ms,
        boot_count,
        seq,
        lat,
        lon,
        accuracy_m,
        mock,
        fix_time,
        queued_offline,
        office_code_valid,
        bssid_match,
        workplace_network,
        remote_addr,
        workplace_id,
        geofence_distance_m,
        outcome,
        reasons,
        challenge_id,
        body,
    ) = row
    received_at = _utc(received_at)
    # Filled in directly rather than through the frozen dataclass's __init__, which sets each
    # of the 26 fields through object.__setattr__: for the ~450,000 events of a regency-month
    # that alone took seconds. Same fields, same values: equal and hashed alike.
    observation = _new_object(base.Observation)
    observation.__dict__.update(
        zip(
            _OBSERVATION_NAMES,
            (
                f"#{record_id}",  # event_name
                employee_id,
                device_id,
                kind,
                _utc(time_of_record) or received_at,
                received_at,
                _utc(device_time),
                monotonic_ms,
                boot_count,
                seq,
                lat,
                lon,
                accuracy_m,
                bool(mock),
                _utc(fix_time),
                bool(queued_offline),
                None if office_code_valid is None else bool(office_code_valid),
                None if bssid_match is None else bool(bssid_match),
                bool(workplace_network),
                remote_addr,
                workplace_id,
                geofence_distance_m,
                outcome,
                _reason_codes(reasons),
                challenge_id or None,
                wifi_scan(body),
            ),
            strict=True,
        )
    )
    return observation


def _utc(value) -> datetime | None:
    """A datetime column's value as _evidence_rows reads it, made aware: on SQLite the text of
    the naive UTC value with "+00:00" appended (parsed in one step, far cheaper than parsing
    and then replacing the zone), on PostgreSQL an aware datetime."""
    if value is None:
        return None
    if value.__class__ is str:
        return datetime.fromisoformat(value)
    return aware_utc(value)


_reason_sets: dict[str, frozenset[str]] = {}


def _reason_codes(codes: str | None) -> frozenset[str]:
    """The codes of the stored reasons, as _evidence_rows reads them: the database picks them
    out of the JSON list, space-separated (see _read_in_the_database). A regency-month holds a
    few hundred distinct combinations among its ~450,000 events: each becomes one set."""
    if not codes:
        return frozenset()
    found = _reason_sets.get(codes)
    if found is None:
        if len(_reason_sets) > 10_000:  # combinations are few; never let odd data grow it
            _reason_sets.clear()
        found = _reason_sets[codes] = frozenset(codes.split())
    return found


def wifi_scan(body) -> tuple[tuple[str, int], ...]:
    """The (BSSID, RSSI) pairs of the signed body's Wi-Fi scan; empty when there is none or
    the body cannot be read (a bad body is ingestion's business, never the batch job's)."""
    if body is None:
        return ()
    body = bytes(body)
    key = body.find(b'"wifi"')
    if key < 0 or b'"bssid"' not in body:  # most bodies: no scan, nothing to parse
        return ()
    try:
        # Only the list is parsed (its entries hold no brackets); the whole body if that fails.
        start = body.index(b"[", key)
        try:
            entries = json.loads(body[start : body.index(b"]", start) + 1])
        except ValueError:
            entries = json.loads(body).get("wifi") or ()
        return tuple((str(e["bssid"]).lower(), int(e["rssi"])) for e in entries)
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()


def load_input(first: date, last: date) -> base.AnalysisInput:
    start, end = _bounds(first - timedelta(days=CONTEXT_DAYS), last)
    observations = [_observation(row) for row in _evidence_rows(start, end)]
    workplaces = {}
    for w in Workplace.objects.all():
        fence = w.fence()
        workplaces[w.pk] = base.WorkplaceFacts(
            w.pk, w.connectivity_tier, fence.centre_lat, fence.centre_lon, w.zone()
        )
    answers = dict(
        EvidenceRecord.objects.filter(answers__isnull=False).values_list(
            "id", "geofence_distance_m"
        )
    )
    groups = dict(
        ChallengeGroupMember.objects.filter(
            challenge__issued_at__gte=start, challenge__issued_at__lt=end
        ).values_list("challenge__challenge_id", "group__group_id")
    )
    # Plain values, not model instances: a regency-month has tens of thousands of each.
    challenges = [
        base.ChallengeFacts(
            challenge_id=challenge_id,
            employee_id=employee_id,
            issued_at=issued_at,
            deadline=deadline,
            answered_event_id=event_name(answered_by) if answered_by else None,
            answer_inside=None
            if answered_by is None or answers.get(answered_by) is None
            else answers[answered_by] <= 0,
            group_id=groups.get(challenge_id),
        )
        for challenge_id, employee_id, issued_at, deadline, answered_by in (
            PresenceChallenge.objects.filter(issued_at__gte=start, issued_at__lt=end).values_list(
                "challenge_id", "employee_id", "issued_at", "deadline", "answered_by_id"
            )
        )
    ]
    # A revoked device was approved before it was revoked (a replaced phone): its earlier
    # events came from an approved device. Pending and rejected ones never were.
    devices = {
        pk: base.DeviceFacts(pk, employee_id, enrolled_at, approved=status in APPROVED_STATUSES)
        for pk, employee_id, enrolled_at, status in Device.objects.values_list(
            "pk", "employee_id", "enrolled_at", "status"
        )
    }
    home = _home_workplaces()
    contexts: dict = {}
    inp = base.AnalysisInput(
        observations=observations,
        workplaces=workplaces,
        challenges=challenges,
        devices=devices,
        employee_home_workplace=home,
        tz_default=settings.TIME_ZONE,
        day_context=contexts,
    )
    # Filled in place, so the groupings the input has cached while finding the days stay.
    contexts.update(day_contexts(analysed_days(inp)))
    return inp


def analysed_days(inp: base.AnalysisInput) -> set[tuple[int, date]]:
    """The employee-days that have events or challenges: the only ones a hit can fall on."""
    wanted = set(inp.by_employee_day)
    for ch in inp.challenges:
        zone = inp.zone_for(None, ch.employee_id)
        wanted.add((ch.employee_id, ch.issued_at.astimezone(zone).date()))
    return wanted


def _evidence_rows(start: datetime, end: datetime) -> Iterator[tuple]:
    """OBSERVATION_FIELDS of the evidence received in [start, end), in id order."""
    return _read_ahead(lambda: _evidence_batches(start, end))


def _evidence_batches(start: datetime, end: datetime) -> Iterator[list[tuple]]:
    """_evidence_rows, a batch at a time.

    Plain SQL, as in hadir.checkin.store: for the ~450,000 rows of a regency-month the ORM's
    per-value converters (aware datetimes, JSON) cost more than all the signals together. The
    database gives the body only when it holds a Wi-Fi scan (wifi_scan reads nothing else
    from it: the other bodies are never copied out), the reasons' codes rather than the whole
    list with its messages and details, and on SQLite the times as text, parsed in _observation
    without Django's converter.
    """
    ops = connection.ops
    column = {
        name: ops.quote_name(EvidenceRecord._meta.get_field(name).column)
        for name in OBSERVATION_FIELDS
    }
    selected = dict(column)
    selected.update(_read_in_the_database(connection.vendor, column))
    table = ops.quote_name(EvidenceRecord._meta.db_table)
    received = [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)]
    with connection.cursor() as cursor:
        # The ids of the range first (from the received_at index), then the rows in id order
        # along the primary key: asked for the range and the order at once, SQLite read the
        # range by its index and sorted every row, bodies and all, before giving the first one
        # (5 s for a regency-month). The received_at condition stays: ids and receipt times
        # rise together only roughly.
        cursor.execute(
            f"SELECT min({column['id']}), max({column['id']}) FROM {table} "
            f"WHERE {column['received_at']} >= %s AND {column['received_at']} < %s",
            received,
        )
        low, high = cursor.fetchone()
        if low is None:
            return
        not_by_index = "+" if connection.vendor == "sqlite" else ""  # SQLite: use the key
        cursor.execute(
            f"SELECT {', '.join(selected.values())} FROM {table} "
            f"WHERE {column['id']} BETWEEN %s AND %s "
            f"AND {not_by_index}{column['received_at']} >= %s "
            f"AND {not_by_index}{column['received_at']} < %s "
            f"AND {column['employee_id']} IS NOT NULL AND {column['kind']} > %s "
            f"ORDER BY {column['id']}",
            [low, high, *received, ""],
        )
        while rows := cursor.fetchmany(10000):
            yield rows


def _read_ahead(batches: Callable[[], Iterator[list]]) -> Iterator:
    """The rows of batches(), read by a second thread on its own connection while this one
    turns them into observations: the database works with the interpreter lock released
    (SQLite's steps, PostgreSQL's network), so on two cores the reading costs the load about
    half its time. Inside a transaction (the tests) another connection could not see its rows:
    then they are read here, one batch after the other."""
    if connection.in_atomic_block:
        for batch in batches():
            yield from batch
        return
    ready: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in batches():
                while not stop.is_set():
                    try:
                        ready.put(batch, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(None)
        except BaseException as error:  # handed to the reader's caller, never lost
            ready.put(error)
        finally:
            connections.close_all()  # this thread's own connections

    reader = threading.Thread(target=read, name="hadir-analysis-read", daemon=True)
    reader.start()
    try:
        while (batch := ready.get()) is not None:
            if isinstance(batch, BaseException):
                raise batch
            yield from batch
    finally:
        stop.set()
        reader.join()


DATETIME_FIELDS = ("time_of_record", "received_at", "device_time", "fix_time")


def _read_in_the_database(vendor: str, column: dict[str, str]) -> dict[str, str]:
    """SQL for the columns the database reads faster than Python, by vendor (SQLite and
    PostgreSQL, the two Hadir runs on)."""
    body, reasons = column["body"], column["reasons"]
    if vendor == "sqlite":
        return {
            "body": f"CASE WHEN instr({body}, CAST('\"bssid\"' AS BLOB)) > 0 THEN {body} END",
            "reasons": f"(SELECT group_concat(json_extract(value, '$.code'), ' ') "
            f"FROM json_each({reasons}))",
            **{
                name: f"CAST({column[name]} AS TEXT) || '+00:00'"  # NULL stays NULL
                for name in DATETIME_FIELDS
            },
        }
    if vendor == "postgresql":
        return {
            "body": f"CASE WHEN position(convert_to('\"bssid\"', 'UTF8') in {body}) > 0 "
            f"THEN {body} END",
            "reasons": f"CASE WHEN jsonb_typeof({reasons}) = 'array' THEN (SELECT "
            f"string_agg(r->>'code', ' ') FROM jsonb_array_elements({reasons}) AS r) END",
        }
    raise NotImplementedError(f"the analysis reads SQLite or PostgreSQL, not {vendor}")


def _home_workplaces() -> dict[int, int | None]:
    through = Employee.workplaces.through
    home: dict[int, int | None] = {}
    for employee_id, workplace_id in through.objects.order_by("id").values_list(
        "employee_id", "workplace_id"
    ):
        home.setdefault(employee_id, workplace_id)
    return home


def _evidence_json(ranked) -> list[dict]:
    return [
        {
            "code": r.code,
            "tier": r.tier,
            "contribution": round(r.contribution, 4),
            "day": r.day.isoformat(),
            "message": r.evidence.message,
            "events": list(r.evidence.event_ids),
            "values": _plain(r.evidence.values),
        }
        for r in ranked
    ]


def _excused_json(items) -> dict[tuple[int, date], list[dict]]:
    """The hits the day's context excused or held back, per employee-day, shown beside the
    counted evidence (the reason as `excused`, the leave request as `reference`)."""
    result: dict[tuple[int, date], list[dict]] = defaultdict(list)
    for item in items:
        hit = item.hit
        result[(hit.employee_id, hit.day)].append(
            {
                "code": hit.code,
                "contribution": 0,
                "day": hit.day.isoformat(),
                "message": hit.evidence.message,
                "events": list(hit.evidence.event_ids),
                "values": _plain(hit.evidence.values),
                "excused": item.reason,
                "reference": item.reference,
            }
        )
    return result


def _plain(value):
    cls = value.__class__
    if cls is str or cls is int or cls is float or cls is bool or value is None:
        return value  # most values of a regency-month's evidence: nothing to convert
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def default_workers() -> int:
    try:
        return max(1, int(os.environ.get("HADIR_ANALYSIS_WORKERS", "1")))
    except ValueError:
        return 1


def analyse(
    first: date, last: date, workers: int | None = None
) -> tuple[AnalysisRun, runner.RunResult]:
    """workers: processes for the signals (default: HADIR_ANALYSIS_WORKERS, else one: a forked
    worker inside a process with threads or open connections can deadlock, so more processes
    are asked for explicitly, as bench/bench_fraud_eval.py does)."""
    if last < first:
        raise ValueError("the range ends before it starts")
    # As in runner.run: the load builds millions of small objects that live until the flags
    # are stored, and the cyclic collector would rescan them again and again (a fifth of the
    # load's time on a regency-month); nothing here makes cycles worth collecting meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _analyse(first, last, workers if workers is not None else default_workers())
    finally:
        if enabled:
            gc.enable()


def _analyse(first: date, last: date, workers: int) -> tuple[AnalysisRun, runner.RunResult]:
    run = AnalysisRun.objects.create(first_day=first, last_day=last)
    started = time_module.perf_counter()
    inp = load_input(first, last)
    loaded = time_module.perf_counter() - started
    result = runner.run(inp, workers=workers, costs=_last_costs(run))
    del inp
    started = time_module.perf_counter()
    days = [d for d in result.days if first <= d.day <= last]
    months = {f"{d.day:%Y-%m}" for d in days} | {
        f"{first.year:04d}-{m:02d}" for m in range(first.month, first.month + 1)
    }
    excused = _excused_json(result.excused)
    with transaction.atomic():
        DayFlag.objects.filter(day__gte=first, day__lte=last).delete()
        _insert(
            DayFlag,
            ("employee", "day", "score", "level", "tier", "codes", "evidence", "excused", "run"),
            (
                (
                    d.employee_id,
                    d.day,
                    d.score,
                    d.level,
                    d.tier,
                    list(d.codes),
                    _evidence_json(d.evidence),
                    excused.get((d.employee_id, d.day), []),
                    run.pk,
                )
                for d in days
            ),
        )
        analysed_months = [m for m in result.months if m.month in months]
        MonthFlag.objects.filter(month__in=[m.month for m in analysed_months]).delete()
        _insert(
            MonthFlag,
            (
                "employee",
                "month",
                "score",
                "level",
                "review_days",
                "strong_days",
                "patterns",
                "evidence",
                "run",
            ),
            (
                (
                    m.employee_id,
                    m.month,
                    m.score,
                    m.level,
                    m.review_days,
                    m.strong_days,
                    m.patterns,
                    _evidence_json(m.evidence),
                    run.pk,
                )
                for m in analysed_months
            ),
        )
        run.analysed = result.analysed
        run.set_aside = result.set_aside_counts
        run.signal_errors = result.signal_errors
        seconds = {"load": loaded, **result.seconds, "store": time_module.perf_counter() - started}
        run.seconds = {k: round(v, 3) for k, v in seconds.items()}
        run.finished_at = timezone.now()
        run.save()
        day_flags_replaced.send(sender=AnalysisRun, first=first, last=last)
    return run, result


def _insert(model, names: tuple[str, ...], rows) -> None:
    """INSERT the rows (values in the order of `names`, model field names) with one prepared
    statement. bulk_create builds a model instance per row and, on SQLite, a statement per 99
    rows: for the ~40,000 day flags of a regency-month that cost seconds."""
    fields = [model._meta.get_field(name) for name in names]
    ops = connection.ops
    sql = (
        f"INSERT INTO {ops.quote_name(model._meta.db_table)} "
        f"({', '.join(ops.quote_name(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    prepare = [field.get_db_prep_save for field in fields]
    prepared = (
        [to_db(value, connection) for to_db, value in zip(prepare, row, strict=True)]
        for row in rows
    )
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(prepared, 5000)):
            cursor.executemany(sql, batch)


def _last_costs(run: AnalysisRun) -> dict[str, float]:
    """What each step took in the last finished run: the signals' order for the workers."""
    last = (
        AnalysisRun.objects.exclude(pk=run.pk)
        .filter(finished_at__isnull=False)
        .order_by("-pk")
        .values_list("seconds", flat=True)
        .first()
    )
    if not isinstance(last, dict):
        return {}
    return {k: v for k, v in last.items() if isinstance(v, int | float)}


def level_counts() -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for level in DayFlag.objects.values_list("level", flat=True):
        counts[level] += 1
    return dict(counts)
