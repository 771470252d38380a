"""The hash chain over the evidence store: how a row's hash is made, and checking the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "received_at",
    "remote_addr",
    "headers",
    "body_hash",
    "body_size",
    "event_id",
    "kind",
    "device_id",
    "employee_id",
    "outcome",
    "http_status",
    "reasons",
    "time_of_record",
    "workplace_id",
    "source",
)


def _plain(value):
    # Datetimes in UTC, so a row hashes the same before saving and after reading it back.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def row_hash(prev_hash: str, fields: dict) -> str:
    content = {name: _plain(fields.get(name)) for name in CHAINED_FIELDS}
    payload = prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_bad_id: int | None
    problem: str | None


def check_chain(rows) -> ChainReport:
    """rows: iterable of dicts in id order, each with id, prev_hash, row_hash, body and the
    CHAINED_FIELDS. Stops at the first row that does not fit."""
    prev, count = GENESIS, 0
    for row in rows:
        count += 1
        if row["prev_hash"] != prev:
            return ChainReport(
                count,
                row["id"],
                "prev_hash does not match the row before (a row was deleted or inserted)",
            )
        if hashlib.sha256(bytes(row["body"])).hexdigest() != row["body_hash"]:
            return ChainReport(count, row["id"], "body does not match its hash (body edited)")
        if row_hash(prev, row) != row["row_hash"]:
            return ChainReport(count, row["id"], "row content does not match its hash (edited)")
        prev = row["row_hash"]
    return ChainReport(count, None, None)
