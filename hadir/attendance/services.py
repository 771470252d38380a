"""Writes: computing daily statuses, and recomputing them when an input changes.

`compute_days` is the one path from inputs to DailyStatus rows. It loads a chunk of employees'
inputs in bulk, asks the pure rules for each day (hadir.domain: planned_workday, daily_status,
apply_correction), and upserts only the days whose inputs changed (`inputs_hash`).

Decisions:
- Days after today are not computed: a future day without records is not TK yet. Today is
  computed and is provisional until recomputed.
- Days that do not count (hadir.domain.coverage: outside the employee's service, before the
  regency's go-live or their OPD's joining date, declared outages) have no row; a row left from
  before (say the go-live date moved) is deleted unless its month is closed.
- The OPD of a day is the one the employee belonged to that day (transfers): its calendar
  overrides and its month closures apply.
- A closed month is frozen: its stored rows are kept as they are; rows it lacks are filled in.
- Time zone: the employee's first workplace's, else the regency's.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import time as clock
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from hadir.attendance import selectors
from hadir.attendance.models import (
    CalendarOverride,
    DailyStatus,
    MonthClosure,
    OpdTransfer,
    Outage,
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
)
from hadir.org.models import Employee

# Bump when the way a status is derived changes, so every stored day is recomputed.
ENGINE_VERSION = "1"
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

    def __init__(self, first: date, last: date) -> None:
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

    @property
    def written(self) -> int:
        return len(self.new) + len(self.changed)


def compute_days(
    employees,
    first: date,
    last: date,
    *,
    today: date | None = None,
    workers: int | None = 1,
    chunk_size: int = selectors.CHUNK,
) -> ComputeResult:
    """Compute and store the statuses of these employees from first to last (through today).

    `workers=None` lets a large run compute chunks of employees in forked worker processes
    (the ATTENDANCE_COMPUTE_WORKERS setting, else the CPU count up to 4) while this process
    writes. Only batch commands ask for it: a web process does not fork. The default is 1.
    """
    started = clock.perf_counter()
    last = min(last, today or selectors.today())
    ids = selectors.employee_ids(employees)
    if last < first or not ids:
        return ComputeResult(len(ids), 0, 0, 0, 0, clock.perf_counter() - started)
    context = _Context(first, last)
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
    policy = context.rules.policy
    for person in people.values():
        calendar_keys: dict[int, tuple] = {}
        stale = []
        for day in days:
            covered = day_coverage(context.coverage, person.coverage, day)
            opd_id = covered.opd_id or person.opd_id
            stored = person.stored.get(day)
            if not covered.counts:
                # No status on a day that does not count; a closed month keeps what it has.
                if stored is not None and not context.frozen(opd_id, day):
                    stale.append(day)
                continue
            result.looked += 1
            if stored is not None and context.frozen(opd_id, day):
                result.frozen += 1
                continue
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
            digest = _inputs_hash(context.salt, plan.key, leave, person.keys[span], correction)
            if digest == stored:
                result.unchanged += 1
                continue
            status = daily_status(plan.planned, list(leave), person.events[span], policy)
            row = _row(context, person.id, day, plan, status, correction, digest)
            (result.new if stored is None else result.changed).append(row)
        if stale:
            result.stale[person.id] = stale
    return result


def _inputs_hash(salt: str, plan_key: str, leave, event_keys: list[str], correction) -> str:
    parts = [salt, plan_key, *event_keys]
    parts += [f"{item.code}/{item.portion}/{item.reference}" for item in leave]
    if correction is not None:
        parts.append(f"correction#{correction.id}")
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()


def _row(context: _Context, employee_id, day, plan: _Plan, status, correction, digest) -> tuple:
    """One DailyStatus row as the values of ROW_FIELDS, adapted for the database."""
    computed = status
    if correction is not None:
        status = apply_correction(
            computed,
            Correction(
                correction.codes,
                correction.reason,
                correction.author,
                correction.late_minutes,
                correction.early_minutes,
            ),
        )
    notes = []
    for item in status.explanation:
        note = {"rule": item.rule, "message": item.message}
        if item.event_ids:
            note["events"] = list(item.event_ids)
        if not item.decisive:
            note["decisive"] = False
        notes.append(note)
    return (
        employee_id,
        context.day_db(day),
        "+".join(status.codes),
        "+".join(computed.codes),
        status.late_minutes,
        status.early_minutes,
        context.ops.adapt_json_value({"plan": plan.summary, "notes": notes}, None),
        correction.id if correction else None,
        digest,
        context.now_db,
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
    first: date, last: date, opd=None, *, today: date | None = None, workers: int | None = 1
) -> ComputeResult:
    """Recompute a date range for the regency or one OPD (unchanged days are not rewritten)."""
    employees = Employee.objects.filter(active_from__lte=last).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=first)
    )
    if opd is not None:
        employees = employees.filter(opd=opd)
    return compute_days(employees, first, last, today=today, workers=workers)


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
        return {"valid_from": [f"an assignment already starts on or after {valid_from}"]}
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


def save_outage(outage: Outage, *, by: str = "") -> ComputeResult:
    """Store a declared outage (new or edited); the days it covers lose their status."""
    before = Outage.objects.filter(pk=outage.pk).first() if outage.pk else None
    outage.full_clean()
    if by and not outage.created_by:
        outage.created_by = by[:150]
    outage.save()
    if before is not None:
        _recompute_outage(before)
    return _recompute_outage(outage)


def delete_outage(outage: Outage) -> ComputeResult:
    outage.delete()
    return _recompute_outage(outage)


def _recompute_outage(outage: Outage) -> ComputeResult:
    employees = outage_employees(outage).filter(active_from__lte=outage.last_day)
    return compute_days(employees, outage.first_day, outage.last_day)


def set_go_live(day: date | None, *, by: str = "") -> int:
    """Set the regency's go-live date (the `regency` rule) and drop the statuses before it."""
    from hadir.attendance import rules
    from hadir.attendance.models import RuleKey, RuleSet

    current = selectors.current_rules().regency
    value = rules.regency_to_json(rules.RegencySettings(day, current.place))
    RuleSet.objects.update_or_create(
        key=RuleKey.REGENCY,
        defaults={"value": value, "updated_by": by[:150], "updated_at": timezone.now()},
    )
    return apply_go_live(current.go_live, day)


def apply_go_live(old: date | None, new: date | None) -> int:
    """After the regency's go-live date changed: statuses before the new date are deleted
    (closed months keep theirs). Days that start to count when the date moves earlier are
    computed by the next recompute (returns how many rows were deleted)."""
    if new is None or (old is not None and new <= old):
        return 0
    rows = DailyStatus.objects.filter(date__lt=new)
    if old is not None:
        rows = rows.filter(date__gte=old)
    for opd_id, month in selectors.closed_months(date.min, new):
        frozen = rows.filter(date__gte=month, date__lte=selectors.month_end(month))
        if opd_id is not None:
            frozen = frozen.filter(employee__opd_id=opd_id)
        rows = rows.exclude(pk__in=frozen.values("pk"))
    deleted, _ = rows.delete()
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
        return {"reason" if "reason" in str(exc) else "codes": [str(exc)]}
    if day > (today or selectors.today()):
        return {"date": ["a day in the future cannot be corrected"]}
    if not employee.is_active_on(day):
        return {"date": [f"{employee} is not active on {day}"]}
    month = selectors.closed_month_of(employee.opd_id, [day])
    if month is not None:
        return {"date": [f"{month:%Y-%m} is closed; reopen it first"]}
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
    """Overlay a person's decision on a day; the evidence and the computed status stay."""
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
        return {"month": [f"{first:%Y-%m} has not ended yet"]}
    scope = Q(opd__isnull=True) | Q(opd=opd) if opd is not None else Q(opd__isnull=True)
    if MonthClosure.objects.filter(month=first).filter(scope).exists():
        return {"month": [f"{first:%Y-%m} is already closed"]}
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
