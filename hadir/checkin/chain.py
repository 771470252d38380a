"""The hash chain over the evidence store: how a row's hash is made, and checking the chain.

Version 2 (every row written since December 2026) hashes every stored column that a decision
reads: the outcome and reasons, the times, the device's counters, the positive evidence
(office code, Wi-Fi, network), and the location through `location_digest`, a hash of the
location columns. Retention may later remove the location columns and the body of an old row
(`location_removed_at`): the digest, inside the row hash, still proves what they were.

Version 1 rows (written before) hashed fewer columns; their others are re-derived from the
signed body when verified, so an edit of a v1 row's lat, lon, mock, seq ... is seen too.

The chain proves nothing against someone who can rewrite the database and re-hash every row
after an edit; signed checkpoints (hadir.checkin.checkpoints) held outside the database do.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

GENESIS = "0" * 64
CURRENT_VERSION = 2
CHAINED_FIELDS = (  # version 1
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
LOCATION_FIELDS = ("lat", "lon", "accuracy_m", "fix_time", "geofence_distance_m")
CHAINED_FIELDS_V2 = (
    *CHAINED_FIELDS,
    "hash_version",
    "dedupe_key",
    "derived_time",
    "mock",
    "queued_offline",
    "seq",
    "device_time",
    "monotonic_ms",
    "boot_count",
    "office_code_valid",
    "bssid_match",
    "workplace_network",
    "challenge_id",
    "location_digest",
)
FIELDS_OF_VERSION = {1: CHAINED_FIELDS, 2: CHAINED_FIELDS_V2}
UNAUTHENTICATED_CODES = {
    "key_missing",
    "signature_missing",
    "device_unknown",
    "device_key_unusable",
    "signature_invalid",
    "body_too_large",
}
# What verify-chain reads of each row.
VERIFIED_FIELDS = (
    "id",
    "prev_hash",
    "row_hash",
    "body",
    "location_removed_at",
    *CHAINED_FIELDS_V2,
    *LOCATION_FIELDS,
)


def _plain(value):
    # Datetimes in UTC, so a row hashes the same before saving and after reading it back.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _digest(content: dict) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def location_digest(fields: dict) -> str:
    return _digest({name: _plain(fields.get(name)) for name in LOCATION_FIELDS})


def row_hash(prev_hash: str, fields: dict) -> str:
    version = fields.get("hash_version") or 1
    content = {name: _plain(fields.get(name)) for name in FIELDS_OF_VERSION[version]}
    payload = prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


# What verify-chain can find, by code. It says them in the operator's language
# (hadir.checkin.messages.CHAIN_PROBLEMS); this English text is for logs and tests.
PROBLEMS = {
    "prev_hash": "prev_hash does not match the row before (a row was deleted or inserted)",
    "unknown_version": "unknown hash version %(version)s",
    "downgraded": "hash version %(version)s after version %(newest)s (downgraded)",
    "removed_early": "location removed before the retention period ended",
    "body_edited": "body does not match its hash (body edited)",
    "location_edited": "location does not match its digest (location edited)",
    "row_edited": "row content does not match its hash (edited)",
    "column_drift": "%(column)s differs from the signed body (edited)",
    "no_signature": "no signature of its device to check (row made up?)",
    "device_key": "its device's public key is unusable",
    "not_signed": "body not signed by its device's key (row made up?)",
    "head_missing": "the chain head is missing",
    "head_differs": (
        "the chain head records %(length)s rows ending in %(head)s, the table holds %(rows)s "
        "ending in %(last)s (newest rows removed?)"
    ),
    "not_a_checkpoint": "not a checkpoint",
    "checkpoint_signature": "signature not valid for this key",
    "checkpoint_length": "no chain length",
    "checkpoint_beyond": "signed at %(length)s rows, the chain has %(rows)s",
    "checkpoint_rehashed": (
        "row %(length)s of the chain no longer has the signed hash %(head)s (history re-hashed)"
    ),
}


class ProblemText(str):
    """One problem found: `code` (a key of PROBLEMS) and its `values`, which verify-chain says
    in the operator's language; as a string, the English sentence."""

    code: str
    values: dict[str, str]

    def __new__(cls, code: str, /, **values: object) -> ProblemText:
        texts = {key: str(value) for key, value in values.items()}
        problem = super().__new__(cls, PROBLEMS[code] % texts)
        problem.code, problem.values = code, texts
        return problem


@dataclass(frozen=True)
class Problem:
    row_id: int
    position: int
    text: str  # a ProblemText


@dataclass
class ChainReport:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    last_hash: str = GENESIS
    hashes_at: dict = field(default_factory=dict)  # position -> row_hash, when asked for

    @property
    def first_bad_id(self) -> int | None:
        return self.problems[0].row_id if self.problems else None

    @property
    def problem(self) -> str | None:
        return self.problems[0].text if self.problems else None


def check_head(report: ChainReport, head_hash: str | None, head_length: int | None) -> str | None:
    """The chain head is written with every row; rows removed from the end of the table leave a
    chain that is intact but shorter than the head says. None when they agree."""
    if head_hash is None:
        return None if report.rows == 0 else ProblemText("head_missing")
    if report.rows != head_length or report.last_hash != head_hash:
        return ProblemText(
            "head_differs",
            length=head_length,
            head=head_hash[:12],
            rows=report.rows,
            last=report.last_hash[:12],
        )
    return None


def check_chain(
    rows,
    keep_positions: frozenset[int] = frozenset(),
    retention: timedelta | None = None,
    device_keys: dict | None = None,
) -> ChainReport:
    """rows: iterable of dicts in id order with VERIFIED_FIELDS. Every row that does not fit is
    reported; after a broken row, checking goes on from that row's stored hash, so one edit is
    one problem. keep_positions: positions (1-based) whose hashes the report keeps (to compare
    with checkpoints). retention: a location removed sooner after receipt is reported.
    device_keys: device id -> public key (SPKI, base64); each authenticated row's signature is
    then checked again, so a row made up by someone without the phone's key is reported even
    when the whole chain was re-hashed around it."""
    report, prev, version = ChainReport(), GENESIS, 1
    for row in rows:
        report.rows += 1
        problems = row_problems(row, prev, version, retention)
        if device_keys is not None:
            problems += signature_problems(row, device_keys)
        for text in problems:
            report.problems.append(Problem(row["id"], report.rows, text))
        version = max(version, row.get("hash_version") or 1)
        prev = row["row_hash"]
        if report.rows in keep_positions:
            report.hashes_at[report.rows] = prev
    report.last_hash = prev
    return report


def signature_problems(row: dict, device_keys: dict) -> list[str]:
    """An authenticated row (a device, no authentication failure) whose body is kept must
    carry that device's valid signature over it."""
    from hadir.domain.signing import SigningError, load_public_key, verify_signature

    if row.get("device_id") is None or row.get("location_removed_at") is not None:
        return []
    codes = {r.get("code") for r in row.get("reasons") or [] if isinstance(r, dict)}
    if codes & UNAUTHENTICATED_CODES:
        return []
    spki = device_keys.get(row["device_id"])
    signature = (row.get("headers") or {}).get("x-hadir-signature")
    if spki is None or not signature:
        return [ProblemText("no_signature")]
    try:
        key = load_public_key(spki)
    except SigningError:
        return [ProblemText("device_key")]
    if not verify_signature(key, bytes(row["body"]), signature):
        return [ProblemText("not_signed")]
    return []


def row_problems(
    row: dict, prev: str, newest_version: int, retention: timedelta | None = None
) -> list[str]:
    problems = []
    version = row.get("hash_version") or 1
    if row["prev_hash"] != prev:
        problems.append(ProblemText("prev_hash"))
    if version not in FIELDS_OF_VERSION:
        return [*problems, ProblemText("unknown_version", version=version)]
    if version < newest_version:
        problems.append(ProblemText("downgraded", version=version, newest=newest_version))
    removed = row.get("location_removed_at") is not None
    if removed and retention and row["location_removed_at"] - row["received_at"] < retention:
        problems.append(ProblemText("removed_early"))
    if not removed and hashlib.sha256(bytes(row["body"])).hexdigest() != row["body_hash"]:
        problems.append(ProblemText("body_edited"))
    if version >= 2 and not removed and location_digest(row) != row["location_digest"]:
        problems.append(ProblemText("location_edited"))
    if row_hash(row["prev_hash"], row) != row["row_hash"]:
        problems.append(ProblemText("row_edited"))
    if version == 1 and not removed:
        problems += [ProblemText("column_drift", column=name) for name in v1_drift(row)]
    return problems


def v1_drift(row: dict) -> list[str]:
    """A version 1 row's unhashed columns that disagree with its signed body (which is covered
    by body_hash). Rejected bodies that do not parse have nothing to compare."""
    from hadir.domain.events import EventBodyError, parse_event_body

    codes = {r.get("code") for r in row.get("reasons") or [] if isinstance(r, dict)}
    drift = _v1_positive_evidence_drift(row, codes)
    if codes & UNAUTHENTICATED_CODES:
        return drift  # the body was not read: nothing came from it
    try:
        event = parse_event_body(bytes(row["body"]))
    except (EventBodyError, ValueError, RecursionError):
        return drift
    loc = event.location
    expected = {
        "seq": event.seq,
        "device_time": event.device_time,
        "monotonic_ms": event.monotonic_ms,
        "boot_count": event.boot_count,
        "queued_offline": event.queued_offline,
        "challenge_id": event.challenge_id or "",
        "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None,
        "accuracy_m": loc.accuracy_m if loc else None,
        "mock": loc.mock if loc else None,
        "fix_time": loc.fix_time if loc else None,
    }
    return drift + [name for name, value in expected.items() if not _same(row.get(name), value)]


def _v1_positive_evidence_drift(row: dict, codes: set) -> list[str]:
    """The positive evidence columns were read off the reasons (which v1 hashes)."""
    office = (
        True if "office_code_valid" in codes else False if "office_code_invalid" in codes else None
    )
    drift = []
    if row.get("office_code_valid") != office:
        drift.append("office_code_valid")
    if bool(row.get("workplace_network")) != ("workplace_network" in codes):
        drift.append("workplace_network")
    if (row.get("bssid_match") is True) != ("bssid_match" in codes):
        drift.append("bssid_match")
    return drift


def _same(stored, expected) -> bool:
    if isinstance(stored, float) and isinstance(expected, float | int):
        return math.isclose(stored, expected, rel_tol=0, abs_tol=1e-9)
    if isinstance(stored, datetime) and isinstance(expected, datetime):
        return stored == expected
    return stored == expected
