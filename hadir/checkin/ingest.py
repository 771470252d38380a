"""Ingestion: one request in, one evidence row out, through the pure verification core.

The HTTP endpoint and `hadir replay` both call `ingest`, passing the server time; the core
(hadir.domain.verification) decides, this module loads its inputs and stores its answer. The write
runs in one transaction that holds the evidence chain's lock, so an acknowledged event is
committed before the answer leaves, and the chain has no forks. A request that fails
authentication is not evidence: it goes to the front door's bounded log (hadir.checkin.frontdoor),
never into the chain; over HTTP the front door's rate limits apply as well.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property, lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.checkin import chain, frontdoor, store
from hadir.checkin.locking import writer_lock, writer_lock_if_free
from hadir.checkin.policy import current_integrity_verifier, current_policy
from hadir.domain import signing
from hadir.domain import verification as core
from hadir.domain.geo import Geofence

KEPT_HEADERS = (
    "content-type",
    "user-agent",
    "x-hadir-key-id",
    "x-hadir-signature",
    "x-forwarded-for",
    "x-hadir-app-version",
)
MAX_STORED_BODY = 64 * 1024
SIGNATURE_CODES = {
    "key_missing",
    "signature_missing",
    "device_unknown",
    "device_key_unusable",
    "signature_invalid",
}
# Failures that leave the sender unproven: such a request never enters the evidence chain.
UNAUTHENTICATED_CODES = SIGNATURE_CODES | {"body_too_large"}


@dataclass(frozen=True)
class IngestResult:
    status: int
    payload: dict
    record_id: int | None
    repeated: bool = False
    headers: tuple = ()

    def json_bytes(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode()


def ingest_request(request) -> IngestResult:
    headers = {name.lower(): value for name, value in request.headers.items()}
    remote_addr = request.META.get("REMOTE_ADDR", "")
    return ingest(request.body, headers, remote_addr, timezone.now(), front_door=True)


def ingest(
    body: bytes,
    headers: dict,
    remote_addr: str,
    received_at: datetime,
    source: str = "http",
    *,
    front_door: bool = False,
) -> IngestResult:
    """front_door: apply the HTTP endpoint's rate limits (not to replays from an archive)."""
    request = _Request(body, _normal_headers(headers), remote_addr, received_at, source)
    request.limited = front_door
    if front_door and (wait := frontdoor.address_wait(request.client_address)) is not None:
        return _throttled(wait)
    done = _ingest(request)
    if isinstance(done, IngestResult):
        return done
    return _refuse(request, done.verdict)


def _ingest(request: _Request) -> IngestResult | _Draft:
    """The stored (or repeated, or throttled) answer; or the draft of an unauthenticated
    request, which nothing was written for."""
    with writer_lock_if_free() as held:
        if held:
            return _write(request)
    # Another event is being written: verify this one meanwhile, outside the lock, so the
    # signature and every check run in parallel across the server's processes. Under the lock
    # the device's state is read again; only if it moved meanwhile (a concurrent event from
    # the same phone) is the event verified again.
    with store.cursor() as cur:
        draft = _draft(cur, request)
    if draft.repeat is not None:
        return draft.repeat
    if not draft.authenticated:
        return draft
    if (throttled := _key_throttled(request, draft)) is not None:
        return throttled
    with writer_lock():
        return _write(request, draft)


def _write(request: _Request, draft: _Draft | None = None) -> IngestResult | _Draft:
    """The event verified again against its phone's state as it is now, and stored: the
    phone's row locked and read (one round trip on PostgreSQL), its new state saved and the
    chain head locked (one), the row appended and committed (one). Only the last two hold up
    other phones' check-ins, and everything that can be computed is computed before."""
    with store.write_transaction() as writer:
        key_id = request.key_id
        found = (
            store.locked_device_with_employee(writer, key_id, request.peek["event_id"])
            if _known(key_id)
            else None
        )
        fresh = _draft(writer.cursor, request, draft, found=found)
        if fresh.repeat is not None:
            return fresh.repeat
        if not fresh.authenticated:
            return fresh
        if draft is None and (throttled := _key_throttled(request, fresh)) is not None:
            return throttled
        return _store(writer, request, fresh)


def _known(key_id: str | None) -> bool:
    return bool(key_id) and len(key_id) <= 64


def _key_throttled(request: _Request, draft: _Draft) -> IngestResult | None:
    """A new authenticated event takes a token of its phone's allowance (front door only)."""
    if not request.limited:
        return None
    wait = frontdoor.key_wait(draft.device["key_id"])
    return None if wait is None else _throttled(wait)


def _throttled(wait: float) -> IngestResult:
    status, payload, headers = frontdoor.throttled_answer(wait)
    return IngestResult(status, payload, None, headers=headers)


def _refuse(request: _Request, verdict: core.Verdict) -> IngestResult:
    """A request that failed authentication: logged apart from the evidence, answered with
    why (nothing about the body, which was not examined)."""
    codes = [r.code for r in verdict.reasons if r.code in UNAUTHENTICATED_CODES]
    reason = codes[0] if codes else "unauthenticated"
    wait = frontdoor.refuse(
        key_id=request.key_id or "",
        address=request.client_address,
        reason=reason,
        headers={k: v for k, v in request.headers.items() if k in KEPT_HEADERS},
        body=request.body,
        at=request.received_at,
        limited=request.limited,
    )
    if wait is not None:
        return _throttled(wait)
    too_large = reason == "body_too_large"
    payload = {
        "error": "body_too_large" if too_large else "unauthenticated",
        "message": _("The request is too large.")
        if too_large
        else _("The event's key id or signature is not valid: it was not recorded."),
        "record_id": None,
        "event_id": request.peek["event_id"],
        "outcome": "rejected",
        "reasons": [_reason_dict(r) for r in verdict.reasons],
    }
    return IngestResult(verdict.http_status, payload, None)


@dataclass
class _Request:
    body: bytes
    headers: dict
    remote_addr: str
    received_at: datetime
    source: str
    limited: bool = False

    @property
    def key_id(self) -> str | None:
        return self.headers.get("x-hadir-key-id") or None

    @cached_property
    def client_address(self) -> str:
        return frontdoor.client_address(self.remote_addr, self.headers)

    @cached_property
    def peek(self) -> dict:
        return _peek(self.body)


@dataclass(frozen=True)
class _Draft:
    """What verification needed from the database, and what it decided from that."""

    device: dict | None
    employee: dict | None
    earlier: dict | None
    dedupe_key: str | None
    workplaces: list
    challenges: frozenset
    verdict: core.Verdict | None = None
    repeat: IngestResult | None = None

    @property
    def authenticated(self) -> bool:
        """A known device's valid signature over a body small enough to check."""
        if self.device is None or self.verdict is None:
            return False
        return not (set(self.verdict.codes) & UNAUTHENTICATED_CODES)

    def same_state(self, other: _Draft) -> bool:
        return (
            self.device == other.device
            and self.employee == other.employee
            and self.earlier == other.earlier
        )


def _normal_headers(headers: dict) -> dict:
    return {str(k).lower(): str(v)[:500].replace("\x00", "") for k, v in headers.items()}


_UNREAD = object()


def _draft(cur, request: _Request, before: _Draft | None = None, found=_UNREAD) -> _Draft:
    """found: the device, employee and earlier record if already read."""
    key_id = request.key_id
    peek = request.peek
    event_id = peek["event_id"]
    if found is _UNREAD:
        found = store.device_with_employee(cur, key_id, event_id) if _known(key_id) else None
    device, employee, earlier = found if found else (None, None, None)
    dedupe_key = store.dedupe_key(device["id"], event_id) if device and event_id else None
    if earlier is not None and earlier["body_hash"] == signing.body_hash(request.body):
        repeat = _repeat_answer(cur, earlier)
        return _Draft(device, employee, earlier, dedupe_key, [], frozenset(), repeat=repeat)
    if before is not None and before.verdict is not None:
        draft = _Draft(device, employee, earlier, dedupe_key, before.workplaces, before.challenges)
        if draft.same_state(before):
            return replace(draft, verdict=before.verdict)
    places = [_place(row) for row in store.workplace_rows(cur, employee["id"])] if employee else []
    workplaces = [place for place, _ in places]
    challenges = (
        store.open_challenge_ids(cur, employee["id"], request.received_at)
        if employee and peek["kind"] == "presence_check"
        else frozenset()
    )
    verdict = core.verify_event(
        body=request.body,
        key_id=key_id,
        signature_b64=request.headers.get("x-hadir-signature") or None,
        device=_device_state(device),
        employee=_employee_info(employee, request.received_at),
        workplaces=[info for _, info in places],
        policy=current_policy(),
        received_at=request.received_at,
        remote_addr=request.remote_addr,
        open_challenge_ids=challenges,
        integrity_verifier=current_integrity_verifier(),
    )
    return _Draft(device, employee, earlier, dedupe_key, workplaces, challenges, verdict)


def _store(writer, request: _Request, draft: _Draft) -> IngestResult:
    verdict, device, employee = draft.verdict, draft.device, draft.employee
    signature_ok = device is not None and not (set(verdict.codes) & SIGNATURE_CODES)
    fields = _evidence_fields(verdict, request, device, employee)
    if not any(w["known_bssids"] for w in draft.workplaces):
        fields["bssid_match"] = None  # nothing to compare a Wi-Fi scan with
    fields["dedupe_key"] = draft.dedupe_key if signature_ok and draft.earlier is None else None
    fields["hash_version"] = chain.CURRENT_VERSION
    fields["location_digest"] = chain.location_digest(fields)
    before, then = [], []
    if verdict.outcome != "rejected" and verdict.next_device_state is not None:
        state = _state_fields(verdict.next_device_state)
        before.append(store.device_state_statement(device["id"], state))
        if verdict.body.kind == "presence_check" and verdict.body.challenge_id:
            then.append(store.answer_challenge_statement(verdict.body.challenge_id, employee["id"]))
    # From here until the commit, every other check-in waits.
    last_hash = store.lock_chain_head(writer, chain.GENESIS, before=before)
    fields["row_hash"] = chain.row_hash(last_hash, fields)
    fields["prev_hash"] = last_hash
    record_id = store.append_to_chain(writer, fields, then, commit=True)
    codes = {w["id"]: w["code"] for w in draft.workplaces}
    return IngestResult(verdict.http_status, _answer(record_id, fields, codes), record_id)


def _peek(body: bytes) -> dict:
    """The event id and kind, read before verification (for idempotency and challenges)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # 4,000 nested arrays, say
        data = None
    data = data if isinstance(data, dict) else {}
    event_id, kind = data.get("event_id"), data.get("kind")
    return {
        "event_id": event_id if isinstance(event_id, str) and 0 < len(event_id) <= 64 else None,
        "kind": kind if isinstance(kind, str) else None,
    }


def _device_state(device: dict | None):
    if device is None:
        return None
    return core.DeviceState(
        device_id=device["id"],
        employee_id=device["employee_id"],
        status=device["status"],
        public_key_spki_b64=device["public_key"],
        key_id=device["key_id"],
        last_seq=device["last_seq"],
        last_body_hash=device["last_body_hash"] or None,
        last_device_time=device["last_device_time"],
        last_monotonic_ms=device["last_monotonic_ms"],
        last_boot_count=device["last_boot_count"],
        last_contact_at=device["last_contact_at"],
        last_contact_monotonic_ms=device["last_contact_monotonic_ms"],
        last_contact_boot_count=device["last_contact_boot_count"],
    )


def _employee_info(employee: dict | None, at: datetime):
    if employee is None:
        return None
    day = timezone.localdate(at)
    active = employee["active_from"] <= day and (
        employee["active_to"] is None or day <= employee["active_to"]
    )
    return core.EmployeeInfo(
        employee_id=employee["id"], identifier=employee["identifier"], active=active
    )


def _place(row: tuple) -> tuple[dict, core.WorkplaceInfo]:
    """A workplace row, read and made ready for verification; remembered by its content
    (a workplace edited is a new row), where the driver's values can be remembered."""
    try:
        return _remembered_place(row, timezone.get_default_timezone_name())
    except TypeError:  # PostgreSQL hands JSON columns over as (unhashable) dicts and lists
        place = store.workplace_from_row(row)
        return place, _workplace_info(place)


@lru_cache(maxsize=2048)
def _remembered_place(row: tuple, default_tz: str) -> tuple[dict, core.WorkplaceInfo]:
    place = store.workplace_from_row(row)
    return place, _workplace_info(place)


def _workplace_info(w: dict):
    networks = []
    for cidr in w["public_networks"] or []:
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue
    return core.WorkplaceInfo(
        workplace_id=w["id"],
        code=w["code"],
        name=w["name"],
        geofence=Geofence.from_dict(w["geofence"]),
        tier=w["connectivity_tier"],
        tz=w["time_zone"] or timezone.get_default_timezone_name(),
        known_bssids=frozenset(b.lower() for b in w["known_bssids"] or []),
        public_networks=tuple(networks),
        office_secret=w["office_secret"],
        office_code_mode=w["office_code_mode"],
        office_code_step_s=w["office_code_step_s"],
    )


def _evidence_fields(
    verdict, request: _Request, device: dict | None, employee: dict | None
) -> dict:
    body, headers = request.body, request.headers
    parsed = verdict.body
    location = parsed.location if parsed else None
    stored_body = body[:MAX_STORED_BODY]  # bodies over the limit are kept truncated
    return {
        "received_at": request.received_at,
        "remote_addr": request.remote_addr[:64],
        "headers": {k: v for k, v in headers.items() if k in KEPT_HEADERS},
        "body": stored_body,
        "body_hash": signing.body_hash(stored_body),
        "body_size": len(body),
        "event_id": parsed.event_id if parsed else (request.peek["event_id"] or ""),
        "kind": parsed.kind if parsed else "",
        "device_id": device["id"] if device else None,
        "employee_id": employee["id"] if employee else None,
        "outcome": verdict.outcome,
        "http_status": verdict.http_status,
        "reasons": [_reason_dict(r) for r in verdict.reasons],
        "time_of_record": verdict.time_of_record,
        "derived_time": verdict.derived_time,
        "workplace_id": verdict.workplace_id,
        "source": request.source,
        "geofence_distance_m": verdict.geofence_distance_m,
        "lat": location.lat if location else None,
        "lon": location.lon if location else None,
        "accuracy_m": location.accuracy_m if location else None,
        "mock": location.mock if location else None,
        "queued_offline": parsed.queued_offline if parsed else None,
        "seq": parsed.seq if parsed else None,
        "device_time": parsed.device_time if parsed else None,
        "monotonic_ms": parsed.monotonic_ms if parsed else None,
        "boot_count": parsed.boot_count if parsed else None,
        "fix_time": location.fix_time if location else None,
        **_positive_evidence(verdict),
        "challenge_id": (parsed.challenge_id or "") if parsed else "",
    }


def _positive_evidence(verdict) -> dict:
    codes = set(verdict.codes)
    office_code = (
        True
        if "office_code_valid" in codes
        else (False if "office_code_invalid" in codes else None)
    )
    wifi_scanned = bool(verdict.body and verdict.body.wifi)
    return {
        "office_code_valid": office_code,
        "bssid_match": ("bssid_match" in codes) if wifi_scanned else None,
        "workplace_network": "workplace_network" in codes,
    }


def _state_fields(state) -> dict:
    return {name: getattr(state, name) for name in store.DEVICE_STATE_FIELDS}


def _reason_dict(reason) -> dict:
    return {
        "code": reason.code,
        "severity": reason.severity,
        "message": reason.message,
        "detail": _plain(reason.detail),
    }


def _plain(value):
    """The value as JSON would give it back (what the evidence store keeps)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _answer(record_id: int, fields: dict, workplace_codes: dict) -> dict:
    when = fields["time_of_record"]
    return {
        "record_id": record_id,
        "event_id": fields["event_id"] or None,
        "outcome": fields["outcome"],
        "time_of_record": when.isoformat() if when else None,
        "workplace": workplace_codes.get(fields["workplace_id"]),
        "reasons": fields["reasons"],
    }


def _repeat_answer(cur, earlier: dict) -> IngestResult:
    """The same signed event again (a retry after a lost answer) gets the original answer."""
    when = earlier["time_of_record"]
    payload = {
        "record_id": earlier["id"],
        "event_id": earlier["event_id"] or None,
        "outcome": earlier["outcome"],
        "time_of_record": when.isoformat() if when else None,
        "workplace": store.workplace_code(cur, earlier["workplace_id"])
        if earlier["workplace_id"]
        else None,
        "reasons": earlier["reasons"],
        "repeated": True,
    }
    status = 200 if earlier["http_status"] == 201 else earlier["http_status"]
    return IngestResult(status, payload, earlier["id"], repeated=True)
