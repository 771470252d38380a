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
    last_hash: str = GENESIS


def check_head(report: ChainReport, head_hash: str | None, head_length: int | None) -> str | None:
    """The chain head is written with every row; rows removed from the end of the table leave a
    chain that is intact but shorter than the head says. None when they agree."""
    if head_hash is None:
        return None if report.rows == 0 else "the chain head is missing"
    if report.rows != head_length or report.last_hash != head_hash:
        return (
            f"the chain head records {head_length} rows ending in {head_hash[:12]}, the table "
            f"holds {report.rows} ending in {report.last_hash[:12]} (newest rows removed?)"
        )
    return None


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
    return ChainReport(count, None, None, prev)
