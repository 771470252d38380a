"""Writes: computing daily statuses, and recomputing them when an input changes.

`compute_days` is the one path from inputs to DailyStatus rows. It loads a chunk of employees'
inputs in bulk, asks the pure rules for each day (hadir.domain: planned_workday, daily_status,
apply_correction), and upserts only the days whose inputs changed (`inputs_hash`).

Decisions:
- Days after today are not computed: a future day without records is not TK yet. A day whose
  windows have not closed at `now` (today, or a night shift's) is stored provisional (`final`
  False) with its status at `now` (hadir.domain.status.status_at: "belum presensi", then the
  running late band, never TK); it is rewritten when its phase or codes change, and made final
  by the first computation after its windows close (the worker's sweep, hadir.attendance.refresh).
- Days that do not count (hadir.domain.coverage: outside the employee's service, before the
  regency's go-live or their OPD's joining date, declared outages) have no row; a row left from
  before (say the go-live date moved) is deleted unless its month is closed.
- The OPD of a day is the one the employee belonged to that day (transfers): its calendar
  overrides and its month closures apply.
- A closed month is frozen: its stored rows keep their status; rows it lacks are filled in. If
  its inputs change afterwards, the row only records what they say now (`pending_codes`); a
  correction recorded after closing is the one thing that changes a frozen status.
- Time zone: the employee's first workplace's, else the regency's.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time as clock
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from hadir.attendance import selectors
from hadir.attendance.messages import correction_error_text, day_text
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    MonthClosure,
    OpdTransfer,
    Outage,
    RecomputeReason,
    RecomputeRequest,
    ScheduleAssignment,
    ShiftRosterEntry,
    StatusCorrection,
    WorkSchedule,
    split_codes,
)
from hadir.attendance.selectors import (
    CalendarBook,
    EmployeeInputs,
    ScheduleBook,
    calendar_years,
    days_between,
    with_roster,
)
from hadir.domain.coverage import day_coverage
from hadir.domain.schedules import PlannedDay, planned_workday
from hadir.domain.status import (
    Correction,
    CorrectionError,
    DayStatus,
    apply_correction,
    daily_status,
    status_at,
)
from hadir.org.models import Employee

# Bump when the way a status is derived changes, so every stored day is recomputed.
ENGINE_VERSION = "2"
WRITE_BATCH = 2000
ROWS_PER_STATEMENT = 500  # 5,000 parameters: far below PostgreSQL's 65,535
NOTHING = slice(0, 0)
ROW_FIELDS = (
    "employee",
    "date",
    "codes",
    "computed_codes",
    "late_minutes",
    "early_minutes",
    "explanation",
    "correction",
    "inputs_hash",
    "computed_at",
    "final",
    "pending_codes",
)


class AttendanceError(ValueError):
    """A write the rules refuse; `errors` maps a field to its messages (like ValidationError)."""

    def __init__(self, errors: dict[str, list[str]] | str) -> None:
        self.errors = {"__all__": [errors]} if isinstance(errors, str) else errors
        flat = (f"{f}: {m}" for f, ms in self.errors.items() for m in ms)
        super().__init__("; ".join(flat))


@dataclass(frozen=True)
class ComputeResult:
    employees: int
    days: int  # employee-days looked at
    written: int  # rows inserted or updated
    unchanged: int  # inputs unchanged since the stored row
    frozen: int  # kept because their month is closed
    seconds: float


# Computing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """A planned day as the loop needs it, computed once per schedule, calendar, zone and date."""

    planned: PlannedDay | None
    key: str  # its part of the inputs hash
    since: datetime | None  # records from here to `until` belong to the day
    until: datetime | None
    summary: dict | None  # its part of the explanation


OFF = _Plan(None, "off", None, None, None)


class _Context:
    """What every employee of a computation shares: calendars, schedules, rules, closures."""

    def __init__(self, first: date, last: date, now: datetime) -> None:
        self.now = now
        self.calendars = CalendarBook(calendar_years(first, last))
        self.schedules = ScheduleBook.load()
        self.rules = selectors.current_rules()
        self.closed = selectors.closed_months(first, last)
        self.coverage = selectors.regency_coverage(first, last, self.rules)
        self.salt = f"{ENGINE_VERSION}|{self.rules.fingerprint()}"
        self.ops = connection.ops  # `connection` is a proxy: look it up once, not per row
        self.now_db = self.ops.adapt_datetimefield_value(timezone.now())
        self._plans: dict[tuple, _Plan] = {}
        self._days_db: dict[date, object] = {}

    def frozen(self, opd_id: int, day: date) -> bool:
        month = day.replace(day=1)
        return (None, month) in self.closed or (opd_id, month) in self.closed

    def day_db(self, day: date):
        if day not in self._days_db:
            self._days_db[day] = self.ops.adapt_datefield_value(day)
        return self._days_db[day]

    def plan(self, person: EmployeeInputs, calendar_key: tuple, day: date) -> _Plan:
        schedule_id = person.schedule_on(day, self.schedules.default_id)
        roster = schedule_id in self.schedules.roster_ids
        key = (schedule_id, calendar_key, person.zone, day, person.id if roster else None)
        plan = self._plans.get(key)
        if plan is None:
            schedule = with_roster(self.schedules, schedule_id, person.shifts)
            calendar = self.calendars.calendar(calendar_key)
            planned = planned_workday(schedule, calendar, day, ZoneInfo(person.zone))
            plan = self._plans[key] = _plan_of(planned)
        return plan


def _plan_of(planned: PlannedDay | None) -> _Plan:
    if planned is None:
        return OFF
    check_in, check_out = planned.check_in_window, planned.check_out_window
    summary = {
        "start": planned.start.isoformat(),
        "end": planned.end.isoformat(),
        "source": planned.source,
    }
    since, until = min(check_in[0], check_out[0]), max(check_in[1], check_out[1])
    return _Plan(planned, repr(planned), since, until, summary)


@dataclass
class _ChunkResult:
    new: list[tuple]  # DailyStatus values in ROW_FIELDS order, for days without a row yet
    changed: list[tuple]  # ... for days whose stored row is out of date
    stale: dict[int, list[date]]  # rows to delete: days the employee is not active on
    looked: int
    unchanged: int
    frozen: int
    frozen_updates: list[tuple[int, date, dict]] = field(default_factory=list)

    @property
    def written(self) -> int:
        return len(self.new) + len(self.changed)


def compute_days(
    employees,
    first: date,
    last: date,
    *,
    now: datetime | None = None,
    today: date | None = None,
    workers: int | None = 1,
    chunk_size: int = selectors.CHUNK,
) -> ComputeResult:
    """Compute and store the statuses of these employees from first to last (through today).

    `now` (default: the clock) decides which days are over; `today` alone (tests, commands)
    means "as if at the end of that day". `workers=None` lets a large run compute chunks of
    employees in forked worker processes (the ATTENDANCE_COMPUTE_WORKERS setting, else the CPU
    count up to 4) while this process writes. Only batch commands ask for it: a web process
    does not fork. The default is 1.
    """
    started = clock.perf_counter()
    now = _now(now, today)
    last = min(last, timezone.localtime(now).date())
    ids = selectors.employee_ids(employees)
    if last < first or not ids:
        return ComputeResult(len(ids), 0, 0, 0, 0, clock.perf_counter() - started)
    context = _Context(first, last, now)
    chunks = [ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)]
    looked = written = unchanged = frozen = 0
    with _collector_paused():
        for result in _results(context, chunks, first, last, _worker_count(workers, chunks)):
            _write(result)
            looked += result.looked
            written += result.written
            unchanged += result.unchanged
            frozen += result.frozen
    return ComputeResult(
        len(ids), looked, written, unchanged, frozen, clock.perf_counter() - started
    )


def _now(now: datetime | None, today: date | None) -> datetime:
    if now is not None:
        return now
    clock_now = timezone.now()
    if today is None or today >= timezone.localtime(clock_now).date():
        return clock_now  # the real today is never treated as over before it is
    # The end of a past `today`: every window of that day has closed (a night shift's excepted).
    return datetime.combine(today, time.max, ZoneInfo(settings.TIME_ZONE))


@contextmanager
def _collector_paused():
    # The cyclic garbage collector would walk the hundreds of thousands of loaded events over
    # and over while nothing here makes reference cycles; it runs once at the end instead.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _worker_count(requested: int | None, chunks: list) -> int:
    wanted = requested or getattr(settings, "ATTENDANCE_COMPUTE_WORKERS", None)
    wanted = int(wanted or min(4, os.cpu_count() or 1))
    usable = (
        len(chunks) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        # A worker opens its own connection: not possible inside a transaction, nor to an
        # in-memory SQLite database (the test database) that only this process can see.
        and not connection.in_atomic_block
        and not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    )
    return min(wanted, len(chunks)) if usable else 1


_SHARED: dict[str, object] = {}


def _results(context: _Context, chunks, first: date, last: date, workers: int):
    if workers <= 1:
        for chunk in chunks:
            yield _compute_chunk(context, chunk, first, last)
        return
    # Forked workers inherit the context (calendars, schedules, rules) without pickling it and
    # open their own database connections; only chunks of ids go out and rows come back.
    _SHARED["context"] = context
    connections.close_all()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_compute_in_worker, [(chunk, first, last) for chunk in chunks])
    finally:
        _SHARED.clear()


def _compute_in_worker(job) -> _ChunkResult:
    chunk, first, last = job
    return _compute_chunk(_SHARED["context"], chunk, first, last)


def _compute_chunk(context: _Context, ids: list[int], first: date, last: date) -> _ChunkResult:
    people = selectors.load_chunk(ids, first, last)
    result = _ChunkResult([], [], {}, 0, 0, 0)
    days = days_between(first, last)
    frozen_work: list[tuple] = []
    for person in people.values():
        calendar_keys: dict[int, tuple] = {}
        stale = []
        for day in days:
            covered = day_coverage(context.coverage, person.coverage, day)
            opd_id = covered.opd_id or person.opd_id
            stored = person.stored.get(day)
            frozen = stored is not None and context.frozen(opd_id, day)
            if not covered.counts:
                # No status on a day that does not count; a closed month keeps what it has.
                if stored is not None and not frozen:
                    stale.append(day)
                continue
            result.looked += 1
            calendar_key = calendar_keys.get(opd_id)
            if calendar_key is None:
                calendar_key = calendar_keys[opd_id] = context.calendars.key_for(
                    opd_id, person.workplace_ids
                )
            plan = context.plan(person, calendar_key, day)
            span = (
                NOTHING if plan.planned is None else person.events_between(plan.since, plan.until)
            )
            leave = person.leave.get(day, ())
            correction = person.corrections.get(day)
            over = plan.planned is None or context.now > plan.until
            status = None
            if over:
                digest = _inputs_hash(context.salt, plan.key, leave, person.keys[span], correction)
            else:
                status = status_at(
                    plan.planned,
                    list(leave),
                    person.events[span],
                    context.rules.policy,
                    context.now,
                )
                live = f"live:{status.phase}:{'+'.join(status.codes)}"
                digest = _inputs_hash(
                    context.salt, plan.key, leave, person.keys[span], correction, live
                )
            if frozen:
                result.frozen += 1
                if digest != stored[0] or _correction_id(correction) != stored[1]:
                    frozen_work.append((person, day, plan, span, leave, correction, digest))
                continue
            if stored is not None and digest == stored[0]:
                result.unchanged += 1
                continue
            if status is None:
                status = daily_status(
                    plan.planned, list(leave), person.events[span], context.rules.policy
                )
            row = _row(context, person.id, day, plan, status, correction, digest)
            (result.new if stored is None else result.changed).append(row)
        if stale:
            result.stale[person.id] = stale
    if frozen_work:
        result.frozen_updates = _frozen_updates(context, frozen_work)
    return result


def _correction_id(correction) -> int | None:
    return correction.id if correction is not None else None


def _frozen_updates(context: _Context, work: list[tuple]) -> list[tuple[int, date, dict]]:
    """Closed-month days whose inputs or corrections changed since they were frozen.

    A correction newer than the row is applied onto the frozen computed status (the only way
    it changes). Otherwise the status stays and `pending_codes` says what the inputs give now
    (empty when it agrees with the frozen status), for an auditor to see and a person to act on.
    """
    keys = [(person.id, day) for person, day, *_ in work]
    rows = {
        (row.employee_id, row.date): row
        for row in DailyStatus.objects.filter(
            employee_id__in={pk for pk, _ in keys}, date__in={day for _, day in keys}
        )
    }
    updates = []
    for person, day, plan, span, leave, correction, _digest in work:
        row = rows.get((person.id, day))
        if row is None:
            continue
        if correction is not None and correction.id != row.correction_id:
            frozen = DayStatus(split_codes(row.computed_codes), row.late_minutes, row.early_minutes)
            status = apply_correction(frozen, _pure_correction(correction))
            notes = [*row.explanation.get("notes", ()), *_notes(status.explanation[-1:])]
            changes = {
                "codes": "+".join(status.codes),
                "late_minutes": status.late_minutes,
                "early_minutes": status.early_minutes,
                "correction_id": correction.id,
                "explanation": {**row.explanation, "notes": notes},
                "pending_codes": "",
            }
            updates.append((person.id, day, changes))
            continue
        status = daily_status(plan.planned, list(leave), person.events[span], context.rules.policy)
        if correction is not None:
            status = apply_correction(status, _pure_correction(correction))
        now_says = "+".join(status.codes)
        pending = "" if now_says == row.codes else now_says
        if pending != row.pending_codes:
            updates.append((person.id, day, {"pending_codes": pending}))
    return updates


def _inputs_hash(
    salt: str, plan_key: str, leave, event_keys: list[str], correction, live: str = ""
) -> str:
    parts = [salt, plan_key, *event_keys]
    parts += [f"{item.code}/{item.portion}/{item.reference}" for item in leave]
    if correction is not None:
        parts.append(f"correction#{correction.id}")
    if live:
        parts.append(live)
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def _pure_correction(correction) -> Correction:
    return Correction(
        correction.codes,
        correction.reason,
        correction.author,
        correction.late_minutes,
        correction.early_minutes,
    )


def _notes(explanation) -> list[dict]:
    notes = []
    for item in explanation:
        note = {"rule": item.rule}
        if item.values:
            note["values"] = dict(item.values)
        if item.event_ids:
            note["events"] = list(item.event_ids)
        if not item.decisive:
            note["decisive"] = False
        notes.append(note)
    return notes


def _row(context: _Context, employee_id, day, plan: _Plan, status, correction, digest) -> tuple:
    """One DailyStatus row as the values of ROW_FIELDS, adapted for the database."""
    computed = status
    if correction is not None:
        status = apply_correction(computed, _pure_correction(correction))
    explanation = {"plan": plan.summary, "notes": _notes(status.explanation)}
    return (
        employee_id,
        context.day_db(day),
        "+".join(status.codes),
        "+".join(computed.codes),
        status.late_minutes,
        status.early_minutes,
        context.ops.adapt_json_value(explanation, None),
        correction.id if correction else None,
        digest,
        context.now_db,
        computed.final,
        "",
    )


@cache
def _upsert_sql(rows: int = 1) -> str:
    # Plain SQL: the ORM's bulk_create spends most of its time building model instances and
    # per-value SQL; this statement is the same on SQLite (3.24+) and PostgreSQL.
    table = connection.ops.quote_name(DailyStatus._meta.db_table)
    columns = [DailyStatus._meta.get_field(name).column for name in ROW_FIELDS]
    quoted = [connection.ops.quote_name(column) for column in columns]
    updates = ", ".join(f"{c} = excluded.{c}" for c in quoted[2:])
    values = ", ".join([f"({', '.join(['%s'] * len(quoted))})"] * rows)
    return (
        f"INSERT INTO {table} ({', '.join(quoted)}) VALUES {values} "
        f"ON CONFLICT ({quoted[0]}, {quoted[1]}) DO UPDATE SET {updates}"
    )


def _write(result: _ChunkResult) -> None:
    with transaction.atomic():
        for employee_id, days in result.stale.items():
            DailyStatus.objects.filter(employee_id=employee_id, date__in=days).delete()
        for employee_id, day, changes in result.frozen_updates:
            DailyStatus.objects.filter(employee_id=employee_id, date=day).update(**changes)
        if connection.vendor == "postgresql" and result.new:
            try:
                with transaction.atomic():
                    _copy(result.new)
            except IntegrityError:  # someone stored some of these days meanwhile: upsert them
                _upsert(result.new)
        else:
            _upsert(result.new)
        _upsert(result.changed)


def _upsert(rows: list[tuple]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # in-process: one statement per row is cheap
            for start in range(0, len(rows), WRITE_BATCH):
                cursor.executemany(_upsert_sql(), rows[start : start + WRITE_BATCH])
            return
        # A server round trip per row would dominate: many rows per statement instead.
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            batch = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(_upsert_sql(len(batch)), [value for row in batch for value in row])


def _copy(rows: list[tuple]) -> None:
    """PostgreSQL's COPY: new rows go in several times faster than through INSERT."""
    table = connection.ops.quote_name(DailyStatus._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(DailyStatus._meta.get_field(name).column) for name in ROW_FIELDS
    )
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


# Recomputing when an input changes -------------------------------------------------------


def recompute(
    first: date,
    last: date,
    opd=None,
    *,
    today: date | None = None,
    now: datetime | None = None,
    workers: int | None = 1,
) -> ComputeResult:
    """Recompute a date range for the regency or one OPD (unchanged days are not rewritten)."""
    employees = Employee.objects.filter(active_from__lte=last).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=first)
    )
    if opd is not None:
        employees = employees.filter(opd=opd)
    return compute_days(employees, first, last, today=today, now=now, workers=workers)


# Changes with many days: queued for the worker (hadir.attendance.refresh) -----------------


def open_period_start(today: date | None = None) -> date:
    """Where a change of schedules or rules starts to apply: the first day of last month (older
    months keep their statuses unless recomputed by hand; closed months are frozen anyway)."""
    today = today or selectors.today()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def request_recompute(
    reason: str,
    first: date,
    last: date,
    *,
    opd=None,
    workplace=None,
    schedule=None,
    by: str = "",
) -> RecomputeRequest | None:
    """Queue a recomputation (returned), or None when the range holds no day up to today."""
    last = min(last, selectors.today())
    if last < first:
        return None
    return RecomputeRequest.objects.create(
        reason=reason,
        first_day=first,
        last_day=last,
        opd=opd,
        workplace=workplace,
        schedule=schedule,
        requested_by=by[:150],
    )


SYNC_LIMIT = 5000  # employee-days recomputed inside a web request (about a second); more: queued


@dataclass(frozen=True)
class Recomputation:
    """What a change did: recomputed now (`result`) or queued for the worker (`queued`)."""

    result: ComputeResult | None = None
    queued: RecomputeRequest | None = None


def recompute_or_queue(
    reason: str, first: date, last: date, *, by: str = "", **scope
) -> Recomputation:
    """Recompute the days of a change now when they are few, else queue them for the worker.
    `scope`: opd=, workplace= or schedule= (none: the regency)."""
    last = min(last, selectors.today())
    if last < first:
        return Recomputation()
    probe = RecomputeRequest(reason=reason, first_day=first, last_day=last, **scope)
    employees = request_employees(probe)
    if employees.count() * ((last - first).days + 1) <= SYNC_LIMIT:
        return Recomputation(result=compute_days(employees, first, last))
    return Recomputation(queued=request_recompute(reason, first, last, by=by, **scope))


def request_employees(request: RecomputeRequest):
    employees = Employee.objects.filter(active_from__lte=request.last_day).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=request.first_day)
    )
    if request.workplace_id:
        return employees.filter(workplaces=request.workplace_id)
    if request.opd_id:
        moved = OpdTransfer.objects.filter(
            Q(from_opd=request.opd_id) | Q(to_opd=request.opd_id)
        ).values("employee_id")
        return employees.filter(Q(opd_id=request.opd_id) | Q(pk__in=moved))
    if request.schedule_id and not request.schedule.is_default:
        assigned = ScheduleAssignment.objects.filter(schedule_id=request.schedule_id)
        return employees.filter(pk__in=assigned.values("employee_id"))
    return employees


def run_recompute_request(request: RecomputeRequest, *, now=None) -> ComputeResult:
    employees = request_employees(request)
    return compute_days(employees, request.first_day, request.last_day, now=now, workers=None)


def employees_affected_by(override: CalendarOverride):
    employees = Employee.objects.all()
    if override.workplace_id:
        return employees.filter(workplaces=override.workplace_id)
    if override.opd_id:
        return employees.filter(opd_id=override.opd_id)
    return employees


def save_calendar_override(override: CalendarOverride, *, by: str = "") -> ComputeResult:
    """Store an override (new or edited) and recompute the days it touches."""
    before = None
    if override.pk:
        before = CalendarOverride.objects.filter(pk=override.pk).first()
    override.full_clean()
    if by and not override.created_by:
        override.created_by = by[:150]
    override.save()
    if before is not None and (before.date, before.opd_id, before.workplace_id) != (
        override.date,
        override.opd_id,
        override.workplace_id,
    ):
        _recompute_override_day(before)
    return _recompute_override_day(override)


def delete_calendar_override(override: CalendarOverride) -> ComputeResult:
    override.delete()
    return _recompute_override_day(override)


def _recompute_override_day(override: CalendarOverride) -> ComputeResult:
    employees = employees_affected_by(override).filter(active_from__lte=override.date)
    return compute_days(employees, override.date, override.date)


def assign_schedule(
    employee: Employee, schedule: WorkSchedule, valid_from: date, *, by: str = ""
) -> ScheduleAssignment:
    """Start a schedule on a date; the open assignment is closed the day before, not edited."""
    with transaction.atomic():
        errors = assignment_errors(employee, valid_from)
        if errors:
            raise AttendanceError(errors)
        ScheduleAssignment.objects.filter(employee=employee, valid_from__lt=valid_from).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        ).update(valid_to=valid_from - timedelta(days=1))
        assignment = ScheduleAssignment.objects.create(
            employee=employee, schedule=schedule, valid_from=valid_from, created_by=by[:150]
        )
    compute_days([employee.pk], valid_from, selectors.today())
    return assignment


def assignment_errors(employee: Employee, valid_from: date) -> dict[str, list[str]]:
    later = ScheduleAssignment.objects.filter(employee=employee, valid_from__gte=valid_from)
    if later.exists():
        message = gettext("An assignment already starts on or after %(day)s.")
        return {"valid_from": [message % {"day": day_text(valid_from)}]}
    return {}


def save_shift(entry: ShiftRosterEntry) -> ShiftRosterEntry:
    """Validate a shift against its neighbours, store it, recompute its day."""
    previous_date = None
    if entry.pk:
        previous_date = (
            ShiftRosterEntry.objects.filter(pk=entry.pk).values_list("date", flat=True).first()
        )
    entry.full_clean(exclude=["date"])
    entry.save()
    days = sorted({entry.date, previous_date or entry.date})
    compute_days([entry.employee_id], days[0], days[-1])
    return entry


# When attendance counts: transfers, outages, go-live -------------------------------------


def transfer_errors(
    employee: Employee, to_opd, effective_on: date, *, today: date | None = None
) -> dict[str, list[str]]:
    today = today or selectors.today()
    if effective_on > today:
        return {"effective_on": [gettext("a transfer is recorded on or after its first day")]}
    if effective_on <= employee.active_from:
        return {
            "effective_on": [
                gettext("the employee starts on %(day)s") % {"day": employee.active_from}
            ]
        }
    later = OpdTransfer.objects.filter(employee=employee, effective_on__gt=effective_on)
    if later.exists():
        return {"effective_on": [gettext("a later transfer is already recorded")]}
    spells = selectors.employee_coverages([employee.pk])[employee.pk]
    if spells.opd_on(effective_on - timedelta(days=1)) == getattr(to_opd, "pk", to_opd):
        return {"to_opd": [gettext("the employee already belongs to this OPD")]}
    return {}


def transfer_employee(
    employee: Employee,
    to_opd,
    effective_on: date,
    *,
    reference: str = "",
    by: str = "",
    today: date | None = None,
) -> OpdTransfer:
    """Move an employee to another OPD from a date (today or earlier), keeping the history: the
    days before stay with the old OPD, the days from `effective_on` count for the new one."""
    today = today or selectors.today()
    with transaction.atomic():
        errors = transfer_errors(employee, to_opd, effective_on, today=today)
        if errors:
            raise AttendanceError(errors)
        facts = selectors.employee_coverages([employee.pk])[employee.pk]
        transfer = OpdTransfer.objects.create(
            employee=employee,
            from_opd_id=facts.opd_on(effective_on - timedelta(days=1)),
            to_opd=to_opd,
            effective_on=effective_on,
            reference=reference.strip()[:200],
            created_by=by[:150],
        )
        employee.opd = to_opd
        employee._transfer_recorded = True  # the signal below must not record it twice
        employee.save(update_fields=["opd"])
    compute_days([employee.pk], effective_on, today, today=today)
    return transfer


def record_transfer_on_opd_change(employee: Employee, previous_opd_id: int) -> None:
    """An employee's OPD edited directly (admin, import): the move counts from today."""
    if getattr(employee, "_transfer_recorded", False) or previous_opd_id == employee.opd_id:
        return
    from hadir.org.audit import current_actor

    today = selectors.today()
    OpdTransfer.objects.create(
        employee=employee,
        from_opd_id=previous_opd_id,
        to_opd_id=employee.opd_id,
        effective_on=max(today, employee.active_from),
        created_by=current_actor()[:150],
    )


def outage_employees(outage: Outage):
    employees = Employee.objects.all()
    if outage.workplace_id:
        return employees.filter(workplaces=outage.workplace_id)
    if outage.opd_id:
        moved = OpdTransfer.objects.filter(
            Q(from_opd=outage.opd_id) | Q(to_opd=outage.opd_id)
        ).values("employee_id")
        return employees.filter(Q(opd_id=outage.opd_id) | Q(pk__in=moved))
    return employees


def save_outage(outage: Outage, *, by: str = "") -> Recomputation:
    """Store a declared outage (new or edited); the days it covers lose their status."""
    before = Outage.objects.filter(pk=outage.pk).first() if outage.pk else None
    outage.full_clean()
    if by and not outage.created_by:
        outage.created_by = by[:150]
    outage.save()
    if before is not None:
        _recompute_outage(before, by)
    return _recompute_outage(outage, by)


def delete_outage(outage: Outage, *, by: str = "") -> Recomputation:
    outage.delete()
    return _recompute_outage(outage, by)


def _recompute_outage(outage: Outage, by: str) -> Recomputation:
    return recompute_or_queue(
        RecomputeReason.OUTAGE,
        outage.first_day,
        outage.last_day,
        by=by,
        opd=outage.opd,
        workplace=outage.workplace,
    )


def apply_opd_joined(opd, old: date | None, new: date | None, *, by: str = "") -> Recomputation:
    """After an OPD's joining date changed: its employees' statuses before the new date are
    deleted (closed months keep theirs), and the days between the two dates recomputed."""
    if new is not None and (old is None or new > old):
        rows = DailyStatus.objects.filter(employee__opd=opd, date__lt=new)
        if old is not None:
            rows = rows.filter(date__gte=old)
        _without_frozen(rows, new).delete()
    bounds = [day for day in (old, new) if day is not None]
    first = min([*bounds, open_period_start()])
    last = max(bounds) - timedelta(days=1)
    return recompute_or_queue(RecomputeReason.OPD_JOINED, first, last, by=by, opd=opd)


def _without_frozen(rows, before: date):
    for opd_id, month in selectors.closed_months(date.min, before):
        frozen = rows.filter(date__gte=month, date__lte=selectors.month_end(month))
        if opd_id is not None:
            frozen = frozen.filter(employee__opd_id=opd_id)
        rows = rows.exclude(pk__in=frozen.values("pk"))
    return rows


def set_go_live(day: date | None, *, by: str = "") -> int:
    """Set the regency's go-live date (the `regency` rule): statuses before it are dropped, and
    days that start to count (an earlier date) are recomputed or queued."""
    from hadir.attendance import rules
    from hadir.attendance.models import RuleKey, RuleSet

    current = selectors.current_rules().regency
    value = rules.regency_to_json(rules.RegencySettings(day, current.place))
    RuleSet.objects.update_or_create(
        key=RuleKey.REGENCY,
        defaults={"value": value, "updated_by": by[:150], "updated_at": timezone.now()},
    )
    return apply_go_live(current.go_live, day, by=by)


def apply_go_live(old: date | None, new: date | None, *, by: str = "") -> int:
    """After the regency's go-live date changed: statuses before the new date are deleted
    (closed months keep theirs); returns how many. Days that start to count when the date moves
    earlier are recomputed (from the new date, or the open period when it was removed)."""
    if old is not None and (new is None or new < old):
        first = new if new is not None else open_period_start()
        recompute_or_queue(RecomputeReason.GO_LIVE, first, old - timedelta(days=1), by=by)
    if new is None or (old is not None and new <= old):
        return 0
    rows = DailyStatus.objects.filter(date__lt=new)
    if old is not None:
        rows = rows.filter(date__gte=old)
    deleted, _ = _without_frozen(rows, new).delete()
    return deleted


# Corrections ----------------------------------------------------------------------------------


def correction_errors(
    employee: Employee,
    day: date,
    codes: tuple[str, ...],
    reason: str,
    author_name: str,
    late_minutes: int | None = None,
    early_minutes: int | None = None,
    *,
    today: date | None = None,
) -> dict[str, list[str]]:
    """Why this correction cannot be recorded, by field; empty when it can."""
    try:
        apply_correction(
            DayStatus(("TK",)),
            Correction(codes, reason, author_name, late_minutes, early_minutes),
        )
    except CorrectionError as exc:
        return {exc.field: [correction_error_text(exc)]}
    if day > (today or selectors.today()):
        return {"date": [gettext("A day in the future cannot be corrected.")]}
    if not employee.is_active_on(day):
        message = gettext("%(employee)s is not active on %(day)s.")
        return {"date": [message % {"employee": employee, "day": day_text(day)}]}
    return {}


def record_correction(
    employee: Employee,
    day: date,
    codes: str | tuple[str, ...],
    reason: str,
    author,
    *,
    late_minutes: int | None = None,
    early_minutes: int | None = None,
    today: date | None = None,
) -> StatusCorrection:
    """Overlay a person's decision on a day; the evidence and the computed status stay. In a
    closed month this is the one way the frozen status changes: the correction is marked
    `after_closure`, so an auditor sees what changed after closing, why and by whom."""
    code_tuple = split_codes(codes) if isinstance(codes, str) else tuple(codes)
    author_name = _name_of(author)
    errors = correction_errors(
        employee, day, code_tuple, reason, author_name, late_minutes, early_minutes, today=today
    )
    if errors:
        raise AttendanceError(errors)
    correction = StatusCorrection.objects.create(
        employee=employee,
        date=day,
        codes="+".join(code_tuple),
        late_minutes=late_minutes,
        early_minutes=early_minutes,
        reason=reason.strip(),
        author=author if getattr(author, "pk", None) else None,
        author_name=author_name[:150],
        after_closure=selectors.closed_month_of(employee.opd_id, [day]) is not None,
    )
    compute_days([employee.pk], day, day, today=today)
    return correction


def _name_of(actor) -> str:
    if isinstance(actor, str):
        return actor
    return f"user:{actor.get_username()}" if actor is not None else ""


# Closing a month ------------------------------------------------------------------------------


def closure_errors(month: date, opd=None, *, today: date | None = None) -> dict:
    first, last = month.replace(day=1), selectors.month_end(month)
    if last >= (today or selectors.today()):
        return {"month": [gettext("%(month)s has not ended yet.") % {"month": f"{first:%Y-%m}"}]}
    scope = Q(opd__isnull=True) | Q(opd=opd) if opd is not None else Q(opd__isnull=True)
    if MonthClosure.objects.filter(month=first).filter(scope).exists():
        return {"month": [gettext("%(month)s is already closed.") % {"month": f"{first:%Y-%m}"}]}
    return {}


def close_month(
    month: date, opd=None, *, by=None, today: date | None = None, workers: int | None = 1
) -> MonthClosure:
    """Compute the month once more, then freeze it (for one OPD, or the regency)."""
    errors = closure_errors(month, opd, today=today)
    if errors:
        raise AttendanceError(errors)
    first, last = month.replace(day=1), selectors.month_end(month)
    recompute(first, last, opd, today=today, workers=workers)
    return MonthClosure.objects.create(
        opd=opd,
        month=first,
        closed_by=by if getattr(by, "pk", None) else None,
        closed_by_name=_name_of(by)[:150],
    )
