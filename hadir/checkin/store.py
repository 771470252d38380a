"""The ingestion hot path's reads and writes, in plain SQL on the driver's own cursor.

Why not the ORM here: on this project's 2-core reference machine, building an ORM query costs
about 1 ms and going through Django's cursor wrapper about 0.03 ms a statement, while the
driver itself answers in 0.02 ms; every check-in runs about ten statements. Everything else
in Hadir uses the ORM. Table and column names come from the models' metadata, and values are
adapted as Django would adapt them, so the models stay the one definition of the schema and
the SQL runs unchanged on SQLite and PostgreSQL.

A check-in's write (Writer, write_transaction) is its own transaction, or a savepoint inside a
caller's (tests, batch replays). On PostgreSQL its statements go in three round trips, and
the chain head, which every check-in must take in turn, is held for the last two only and
released before the disk flush that the answer still waits for (Writer.run): on a 2-core
machine this took the check-ins one process writes with 8 threads from 124/s to over 300/s
(bench/bench_event_path.py counts statements, round trips and CPU per event).
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from functools import cache

from django.db import connection, transaction

from hadir.checkin.models import ChainHead, Device, EvidenceRecord, PresenceChallenge
from hadir.org.models import Employee, Workplace


@contextlib.contextmanager
def cursor():
    """The driver's cursor on Django's connection (the same connection and transaction)."""
    connection.ensure_connection()
    raw = connection.connection.cursor()
    try:
        yield raw
    except connection.Database.Error:
        _mark_errors_occurred()
        raise
    finally:
        raw.close()


def _mark_errors_occurred() -> None:
    # Django checks a connection that met an error at the end of the request and drops it when
    # it is unusable; errors raised by the driver's own cursor bypass Django's wrapper, so they
    # are reported here. Without this, a connection the database cut during an outage stays in
    # its thread and fails every later check-in on it.
    connection.errors_occurred = True


class Writer:
    """One write transaction's statements, sent in as few round trips as the connection allows.

    On PostgreSQL each round trip is a wait for another process (and, on a busy machine, for a
    core), and the statements run while the chain head is locked hold up every other check-in:
    `run` sends its statements as one message (psycopg's client-side binding, which Django uses,
    allows several statements in one execute), with BEGIN before the first and COMMIT after the
    last. Everywhere else (SQLite, or inside a caller's transaction) it runs them one by one.
    """

    def __init__(self, cur, *, own: bool, begun: bool):
        self.cursor = cur
        self.own = own  # the transaction is this writer's (not a caller's savepoint)
        self.begun = begun
        self.committed = False
        self.batched = own and connection.vendor == "postgresql"

    def run(self, statements, *, commit: bool = False, durable_by=None) -> list:
        """Runs (sql, params) statements in order, committing after them when `commit` (and the
        transaction is ours). Returns each statement's rows (None for a statement without).

        durable_by: with `commit` on PostgreSQL, a statement that locks a row (and so writes
        to the write-ahead log) that nobody else holds. The transaction then commits without
        waiting for the disk (its locks, the chain head's among them, are released at once),
        and a second transaction, that statement alone, commits as usual: it waits until the
        log is on disk up to its own commit, which is after the first one's, since the log is
        written and flushed in order. Both run in the same round trip, so the answer comes
        back only once the first commit is durable, as with a plain COMMIT; but the next
        check-in need not wait for the disk to take the chain head (flushes of concurrent
        commits are then shared, as PostgreSQL groups them). A transaction that wrote no log
        would not wait for the disk: hence a row lock, not just any statement."""
        if self.committed:
            raise RuntimeError("the transaction is already committed")
        if not self.batched:
            results = []
            for sql, params in statements:
                self.cursor.execute(_sql(sql), params)
                results.append(self.cursor.fetchall() if self.cursor.description else None)
            if commit and self.own:
                self.cursor.execute("COMMIT")
                self.committed = True
            return results
        texts, values = [] if self.begun else ["BEGIN"], []
        for sql, params in statements:
            texts.append(sql)
            values.extend(params)
        if commit and durable_by is not None:
            sql, params = durable_by
            texts += ["SET LOCAL synchronous_commit TO OFF", "COMMIT", "BEGIN", sql, "COMMIT"]
            values.extend(params)
        elif commit:
            texts.append("COMMIT")
        self.begun = True  # a failure below leaves a transaction to roll back
        self.cursor.execute("; ".join(texts), values)
        self.committed = commit
        results = []
        while True:  # rownumber: None for a statement without rows (cheaper than description)
            results.append(self.cursor.fetchall() if self.cursor.rownumber is not None else None)
            if not self.cursor.nextset():
                break
        first = 0 if texts[0] != "BEGIN" else 1
        return results[first : first + len(statements)]


@contextlib.contextmanager
def write_transaction():
    """A Writer in a transaction of its own, committed when the block ends without error (if
    its statements did not commit already).

    SQLite's BEGIN IMMEDIATE takes the write lock at once rather than at the first write.
    Django's atomic() would do the same with more bookkeeping than the whole insert costs;
    inside a caller's transaction (tests, batch replays) it is a savepoint through atomic().
    """
    if connection.in_atomic_block:
        with transaction.atomic(), cursor() as cur:
            yield Writer(cur, own=False, begun=True)
        return
    connection.ensure_connection()
    cur = connection.connection.cursor()
    writer = Writer(cur, own=True, begun=False)
    try:
        if connection.vendor == "sqlite":
            cur.execute("BEGIN IMMEDIATE")
            writer.begun = True
        yield writer
        if writer.begun and not writer.committed:
            cur.execute("COMMIT")
            writer.committed = True
    except BaseException as error:
        if isinstance(error, connection.Database.Error):
            _mark_errors_occurred()
        if writer.begun and not writer.committed:
            try:
                cur.execute("ROLLBACK")
            except Exception:
                connection.close()  # a connection that cannot roll back is not reused
        raise
    finally:
        with contextlib.suppress(Exception):  # closed with its connection above
            cur.close()


@cache
def _sql(text: str) -> str:
    # sqlite3 takes qmark parameters; Django's wrapper would convert them on every call.
    return text.replace("%s", "?") if connection.vendor == "sqlite" else text


@cache
def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _columns(model, names: tuple[str, ...]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(n).column) for n in names]


def aware_utc(value) -> datetime | None:
    """A datetime column's value as read by a plain cursor, made aware: SQLite keeps naive UTC
    (as text, or parsed by Django's converter), PostgreSQL answers aware datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (naive UTC, str())."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime in the evidence store")
        value = value.astimezone(UTC)
    return str(value.replace(tzinfo=None))


@cache
def _adapter(model, name: str):
    field = model._meta.get_field(name)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return sqlite_datetime if connection.vendor == "sqlite" else None
    if kind == "JSONField":
        if connection.vendor == "sqlite":  # what Django's SQLite backend stores
            return lambda value: json.dumps(value, cls=field.encoder)
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    return None


def _adapt(model, name: str, value):
    adapter = _adapter(model, name)
    return value if value is None or adapter is None else adapter(value)


def _one(cur, sql: str, params) -> tuple | None:
    cur.execute(_sql(sql), params)
    return cur.fetchone()


def _execute(cur, sql: str, params) -> None:
    cur.execute(_sql(sql), params)


# The chain head ---------------------------------------------------------------------------


def lock_chain_head(writer: Writer, genesis: str, before=()) -> str:
    """The last hash of the evidence chain, locked until the transaction ends; `before`:
    statements to run first, in the same round trip."""
    suffix = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = (f"SELECT last_hash FROM {_table(ChainHead)} WHERE name = %s{suffix}", ["evidence"])
    rows = writer.run([*before, select])[-1]
    if not rows:
        insert = (
            f"INSERT INTO {_table(ChainHead)} (name, last_hash, length) VALUES (%s, %s, 0)"
            " ON CONFLICT (name) DO NOTHING",
            ["evidence", genesis],
        )
        rows = writer.run([insert, select])[-1]
    return rows[0][0]


def append_to_chain(writer: Writer, fields: dict, then=(), *, commit: bool) -> int:
    """Inserts the evidence row (its row_hash the chain's new head) and advances the head, then
    runs `then` (statements that may use the new row's id as their first parameter); commits
    after them when `commit`, all in one round trip. Returns the row's id."""
    insert = insert_evidence_statement(fields)
    advance = (
        f"UPDATE {_table(ChainHead)} SET last_hash = %s, length = length + 1 WHERE name = %s",
        [fields["row_hash"], "evidence"],
    )
    # Nobody else locks a row just appended (see Writer.run).
    durable_by = (
        f"SELECT id FROM {_table(EvidenceRecord)} WHERE row_hash = %s FOR KEY SHARE",
        [fields["row_hash"]],
    )
    if not then:
        return writer.run([insert, advance], commit=commit, durable_by=durable_by)[0][0][0]
    record_id = writer.run([insert, advance])[0][0][0]
    then = [(sql, [record_id, *params]) for sql, params in then]
    writer.run(then, commit=commit, durable_by=durable_by)
    return record_id


# Devices, employees, workplaces -------------------------------------------------------------

DEVICE_FIELDS = (
    "id",
    "employee_id",
    "status",
    "public_key",
    "key_id",
    "last_seq",
    "last_body_hash",
    "last_device_time",
    "last_monotonic_ms",
    "last_boot_count",
    "last_contact_at",
    "last_contact_monotonic_ms",
    "last_contact_boot_count",
)
EARLIER_FIELDS = (
    "id",
    "body_hash",
    "http_status",
    "outcome",
    "event_id",
    "time_of_record",
    "workplace_id",
    "reasons",
)
DEVICE_TIMES = {"last_device_time", "last_contact_at"}
EMPLOYEE_FIELDS = ("id", "identifier", "active_from", "active_to")


def dedupe_key(device_id: int, event_id: str) -> str:
    """What makes an event a repeat: the same device and event id (unique in the store)."""
    return f"{device_id}:{event_id}"


@cache
def _device_sql() -> str:
    d = ", ".join(f"d.{c}" for c in _columns(Device, DEVICE_FIELDS))
    e = ", ".join(f"e.{c}" for c in _columns(Employee, EMPLOYEE_FIELDS))
    r = ", ".join(f"r.{c}" for c in _columns(EvidenceRecord, EARLIER_FIELDS))
    (key,) = _columns(EvidenceRecord, ("dedupe_key",))
    # The earlier record of the same event, if any, in the same statement (see dedupe_key).
    return (
        f"SELECT {d}, {e}, {r} FROM {_table(Device)} d JOIN {_table(Employee)} e "
        f"ON e.id = d.employee_id LEFT JOIN {_table(EvidenceRecord)} r "
        f"ON r.{key} = CAST(d.id AS TEXT) || ':' || %s WHERE d.key_id = %s"
    )


def device_with_employee(cur, key_id: str, event_id: str | None):
    """(device, employee, the earlier record of event_id from this device or None), or None
    for an unknown key id."""
    return device_from_row(_one(cur, _device_sql(), [event_id, key_id]))


def locked_device_with_employee(writer: Writer, key_id: str, event_id: str | None):
    """device_with_employee, read after locking the device's row until the transaction ends
    (PostgreSQL; SQLite's write lock covers every row): events from one phone are written one
    after the other, each seeing what the one before stored. The lock and the read are two
    statements in one round trip; the read, a statement of its own, sees what was committed
    while it waited for the lock."""
    read = (_device_sql(), [event_id, key_id])
    if not connection.features.has_select_for_update:
        return device_from_row(next(iter(writer.run([read])[0]), None))
    lock = (f"SELECT id FROM {_table(Device)} WHERE key_id = %s FOR UPDATE", [key_id])
    rows = writer.run([lock, read])[1]
    return device_from_row(rows[0] if rows else None)


def device_from_row(row: tuple | None):
    if row is None:
        return None
    ends = len(DEVICE_FIELDS), len(DEVICE_FIELDS) + len(EMPLOYEE_FIELDS)
    device = dict(zip(DEVICE_FIELDS, row[: ends[0]], strict=True))
    for name in DEVICE_TIMES:
        device[name] = aware_utc(device[name])
    employee = dict(zip(EMPLOYEE_FIELDS, row[ends[0] : ends[1]], strict=True))
    for name in ("active_from", "active_to"):
        if isinstance(employee[name], str):
            employee[name] = datetime.fromisoformat(employee[name]).date()
    earlier = _earlier(row[ends[1] :]) if row[ends[1]] is not None else None
    return device, employee, earlier


WORKPLACE_FIELDS = (
    "id",
    "code",
    "name",
    "geofence",
    "connectivity_tier",
    "time_zone",
    "known_bssids",
    "public_networks",
    "office_secret",
    "office_code_mode",
    "office_code_step_s",
)


@cache
def _workplaces_sql() -> str:
    through = Employee.workplaces.through
    # JSON columns as text, as SQLite keeps them: PostgreSQL's driver would parse them into
    # (unhashable) dicts and lists, and the row could not be remembered (ingest._place).
    json_columns = {"geofence", "known_bssids", "public_networks"}
    cols = ", ".join(
        f"CAST(w.{c} AS TEXT)" if name in json_columns else f"w.{c}"
        for name, c in zip(WORKPLACE_FIELDS, _columns(Workplace, WORKPLACE_FIELDS), strict=True)
    )
    return (
        f"SELECT {cols} FROM {_table(Workplace)} w JOIN {_table(through)} ew "
        "ON ew.workplace_id = w.id WHERE ew.employee_id = %s AND w.active = %s ORDER BY w.id"
    )


def workplace_rows(cur, employee_id: int) -> list[tuple]:
    """The employee's active workplaces as rows of WORKPLACE_FIELDS (see workplace_from_row)."""
    cur.execute(_sql(_workplaces_sql()), [employee_id, True])
    return cur.fetchall()


def workplace_from_row(row: tuple) -> dict:
    place = dict(zip(WORKPLACE_FIELDS, row, strict=True))
    for name in ("geofence", "known_bssids", "public_networks"):
        place[name] = _json(place[name])
    return place


def workplaces_of(cur, employee_id: int) -> list[dict]:
    return [workplace_from_row(row) for row in workplace_rows(cur, employee_id)]


def open_challenge_ids(cur, employee_id: int, at: datetime) -> frozenset[str]:
    when = _adapt(PresenceChallenge, "issued_at", at)
    _execute(
        cur,
        f"SELECT challenge_id FROM {_table(PresenceChallenge)} WHERE "
        "employee_id = %s AND issued_at <= %s AND deadline >= %s AND "
        "answered_by_id IS NULL",
        [employee_id, when, when],
    )
    return frozenset(row[0] for row in cur.fetchall())


def answer_challenge_statement(challenge_id: str, employee_id: int) -> tuple[str, list]:
    """For append_to_chain's `then`: the new record's id comes first."""
    return (
        f"UPDATE {_table(PresenceChallenge)} SET answered_by_id = %s WHERE "
        "challenge_id = %s AND employee_id = %s AND answered_by_id IS NULL",
        [challenge_id, employee_id],
    )


DEVICE_STATE_FIELDS = (
    "last_seq",
    "last_body_hash",
    "last_device_time",
    "last_monotonic_ms",
    "last_boot_count",
    "last_contact_at",
    "last_contact_monotonic_ms",
    "last_contact_boot_count",
)


@cache
def _device_state_sql() -> str:
    sets = ", ".join(f"{c} = %s" for c in _columns(Device, DEVICE_STATE_FIELDS))
    return f"UPDATE {_table(Device)} SET {sets} WHERE id = %s"


def device_state_statement(device_id: int, state: dict) -> tuple[str, list]:
    values = [_adapt(Device, n, state[n]) for n in DEVICE_STATE_FIELDS]
    return _device_state_sql(), [*values, device_id]


# Evidence ---------------------------------------------------------------------------------


def _earlier(row: tuple) -> dict:
    record = dict(zip(EARLIER_FIELDS, row, strict=True))
    record["time_of_record"] = aware_utc(record["time_of_record"])
    record["reasons"] = _json(record["reasons"])
    return record


@cache
def _insert_sql(names: tuple[str, ...]) -> str:
    cols = ", ".join(_columns(EvidenceRecord, names))
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {_table(EvidenceRecord)} ({cols}) VALUES ({marks}) RETURNING id"


@cache
def _adapters(model, names: tuple[str, ...]) -> tuple:
    return tuple(_adapter(model, n) for n in names)


def insert_evidence_statement(fields: dict) -> tuple[str, list]:
    names = tuple(fields)
    values = [
        value if adapt is None or value is None else adapt(value)
        for adapt, value in zip(_adapters(EvidenceRecord, names), fields.values(), strict=True)
    ]
    return _insert_sql(names), values


def workplace_code(cur, workplace_id: int) -> str | None:
    row = _one(cur, f"SELECT code FROM {_table(Workplace)} WHERE id = %s", [workplace_id])
    return row[0] if row else None
