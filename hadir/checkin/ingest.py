"""Ingestion: one request in, one evidence row out, through the pure verification core.

The HTTP endpoint and `hadir replay` both call `ingest`, passing the server time; the core
(hadir.domain.verification) decides, this module loads its inputs and stores its answer. All of
it runs in one transaction that holds the evidence chain's lock, so an acknowledged event is
committed before the answer leaves, and the chain has no forks.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hadir.checkin import chain, store
from hadir.checkin.locking import writer_lock
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


@dataclass(frozen=True)
class IngestResult:
    status: int
    payload: dict
    record_id: int | None
    repeated: bool = False

    def json_bytes(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode()


def ingest_request(request) -> IngestResult:
    headers = {name.lower(): value for name, value in request.headers.items()}
    return ingest(request.body, headers, request.META.get("REMOTE_ADDR", ""), timezone.now())


def ingest(
    body: bytes, headers: dict, remote_addr: str, received_at: datetime, source: str = "http"
) -> IngestResult:
    with writer_lock():
        return _ingest(body, headers, remote_addr, received_at, source)


def _ingest(
    body: bytes, headers: dict, remote_addr: str, received_at: datetime, source: str
) -> IngestResult:
    headers = {k.lower(): str(v)[:500] for k, v in headers.items()}
    key_id = headers.get("x-hadir-key-id") or None
    peek = _peek(body)
    with transaction.atomic():
        last_hash = store.lock_chain_head(chain.GENESIS)
        found = store.device_with_employee(key_id) if key_id and len(key_id) <= 64 else None
        device, employee = found if found else (None, None)
        dedupe_key = f"{device['id']}:{peek['event_id']}" if device and peek["event_id"] else None
        earlier = store.earlier_record(dedupe_key) if dedupe_key else None
        if earlier is not None and earlier["body_hash"] == signing.body_hash(body):
            return _repeat_answer(earlier)
        workplaces = store.workplaces_of(employee["id"]) if employee else []
        challenges = (
            store.open_challenge_ids(employee["id"], received_at)
            if employee and peek["kind"] == "presence_check"
            else frozenset()
        )
        verdict = core.verify_event(
            body=body,
            key_id=key_id,
            signature_b64=headers.get("x-hadir-signature") or None,
            device=_device_state(device),
            employee=_employee_info(employee, received_at),
            workplaces=[_workplace_info(w) for w in workplaces],
            policy=current_policy(),
            received_at=received_at,
            remote_addr=remote_addr,
            open_challenge_ids=challenges,
            integrity_verifier=current_integrity_verifier(),
        )
        signature_ok = device is not None and not (set(verdict.codes) & SIGNATURE_CODES)
        fields = _evidence_fields(
            verdict, body, headers, remote_addr, received_at, source, device, employee
        )
        if not any(w["known_bssids"] for w in workplaces):
            fields["bssid_match"] = None  # nothing to compare a Wi-Fi scan with
        fields["dedupe_key"] = dedupe_key if signature_ok and earlier is None else None
        fields["row_hash"] = chain.row_hash(last_hash, fields)
        fields["prev_hash"] = last_hash
        record_id = store.insert_evidence(fields)
        store.advance_chain_head(fields["row_hash"])
        if verdict.outcome != "rejected" and verdict.next_device_state is not None:
            store.save_device_state(device["id"], _state_fields(verdict.next_device_state))
            if verdict.body.kind == "presence_check" and verdict.body.challenge_id:
                store.answer_challenge(verdict.body.challenge_id, employee["id"], record_id)
    codes = {w["id"]: w["code"] for w in workplaces}
    return IngestResult(verdict.http_status, _answer(record_id, fields, codes), record_id)


def _peek(body: bytes) -> dict:
    """The event id and kind, read before verification (for idempotency and challenges)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
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
    verdict,
    body: bytes,
    headers: dict,
    remote_addr: str,
    received_at: datetime,
    source: str,
    device: dict | None,
    employee: dict | None,
) -> dict:
    parsed = verdict.body
    location = parsed.location if parsed else None
    stored_body = body[:MAX_STORED_BODY]  # bodies over the limit are kept truncated
    return {
        "received_at": received_at,
        "remote_addr": remote_addr[:64],
        "headers": {k: v for k, v in headers.items() if k in KEPT_HEADERS},
        "body": stored_body,
        "body_hash": signing.body_hash(stored_body),
        "body_size": len(body),
        "event_id": parsed.event_id if parsed else (_peek(body)["event_id"] or ""),
        "kind": parsed.kind if parsed else "",
        "device_id": device["id"] if device else None,
        "employee_id": employee["id"] if employee else None,
        "outcome": verdict.outcome,
        "http_status": verdict.http_status,
        "reasons": [_reason_dict(r) for r in verdict.reasons],
        "time_of_record": verdict.time_of_record,
        "derived_time": verdict.derived_time,
        "workplace_id": verdict.workplace_id,
        "source": source,
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
        "detail": json.loads(json.dumps(reason.detail, default=str)),
    }


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


def _repeat_answer(earlier: dict) -> IngestResult:
    """The same signed event again (a retry after a lost answer) gets the original answer."""
    when = earlier["time_of_record"]
    payload = {
        "record_id": earlier["id"],
        "event_id": earlier["event_id"] or None,
        "outcome": earlier["outcome"],
        "time_of_record": when.isoformat() if when else None,
        "workplace": store.workplace_code(earlier["workplace_id"])
        if earlier["workplace_id"]
        else None,
        "reasons": earlier["reasons"],
        "repeated": True,
    }
    status = 200 if earlier["http_status"] == 201 else earlier["http_status"]
    return IngestResult(status, payload, earlier["id"], repeated=True)
