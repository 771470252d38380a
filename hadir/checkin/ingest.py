"""Ingestion: one request in, one evidence row out, through the pure verification core.

The HTTP endpoint and `hadir replay` both call `ingest`, passing the server time; the core
(hadir.domain.verification) decides, this module loads its inputs and stores its answer. The
whole of it runs in one transaction that holds the evidence chain's lock, so an acknowledged
event is committed before the answer leaves, and the chain has no forks.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from hadir.checkin import chain
from hadir.checkin.models import ChainHead, Device, EvidenceRecord, PresenceChallenge
from hadir.checkin.policy import current_policy
from hadir.domain import signing
from hadir.domain import verification as core
from hadir.org.models import Employee, Workplace

KEPT_HEADERS = ("content-type", "user-agent", "x-hadir-key-id", "x-hadir-signature",
                "x-forwarded-for", "x-hadir-app-version")
MAX_STORED_BODY = 64 * 1024
SIGNATURE_CODES = {"key_missing", "signature_missing", "device_unknown", "device_key_unusable",
                   "signature_invalid"}


@dataclass(frozen=True)
class IngestResult:
    status: int
    payload: dict
    record_id: int | None
    repeated: bool = False

    def json_bytes(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode()


def ingest_request(request) -> IngestResult:
    body = request.body
    headers = {name.lower(): value for name, value in request.headers.items()}
    return ingest(body, headers, request.META.get("REMOTE_ADDR", ""), timezone.now())


def ingest(body: bytes, headers: dict, remote_addr: str, received_at: datetime,
           source: str = "http") -> IngestResult:
    headers = {k.lower(): str(v)[:500] for k, v in headers.items()}
    key_id = headers.get("x-hadir-key-id") or None
    signature = headers.get("x-hadir-signature") or None
    policy = current_policy()
    with transaction.atomic():
        head = _lock_chain()
        device = _lock_device(key_id)
        repeat = _earlier_answer(device, body)
        if repeat is not None:
            return repeat
        employee = device.employee if device else None
        workplaces = list(employee.workplaces.filter(active=True)) if employee else []
        verdict = core.verify_event(
            body=body, key_id=key_id, signature_b64=signature,
            device=_device_state(device), employee=_employee_info(employee),
            workplaces=[_workplace_info(w) for w in workplaces], policy=policy,
            received_at=received_at, remote_addr=remote_addr,
            open_challenge_ids=_open_challenges(employee, received_at),
        )
        record = _store(head, verdict, body, headers, remote_addr, received_at, source,
                        device, employee)
        if verdict.outcome != "rejected" and device is not None:
            _advance_device(device, verdict.next_device_state)
            _answer_challenge(verdict, record)
    return IngestResult(verdict.http_status, _answer(verdict, record), record.pk)


def _lock_chain() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(name="evidence").first()
    if head is None:
        try:
            with transaction.atomic():
                ChainHead.objects.create(name="evidence", last_hash=chain.GENESIS)
        except IntegrityError:
            pass
        head = ChainHead.objects.select_for_update().get(name="evidence")
    return head


def _lock_device(key_id: str | None) -> Device | None:
    if not key_id or len(key_id) > 64:
        return None
    return (Device.objects.select_for_update().select_related("employee")
            .filter(key_id=key_id).first())


def _peek_event_id(body: bytes) -> str | None:
    try:
        value = json.loads(body).get("event_id")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def _dedupe_key(device: Device | None, body: bytes) -> str | None:
    event_id = _peek_event_id(body)
    return f"{device.pk}:{event_id}" if device and event_id else None


def _earlier_answer(device: Device | None, body: bytes) -> IngestResult | None:
    """The same signed event again (a retry after a lost answer) gets the original answer."""
    key = _dedupe_key(device, body)
    if key is None:
        return None
    earlier = EvidenceRecord.objects.filter(dedupe_key=key).first()
    if earlier is None or earlier.body_hash != signing.body_hash(body):
        return None
    return IngestResult(200 if earlier.http_status == 201 else earlier.http_status,
                        _stored_answer(earlier), earlier.pk, repeated=True)


def _device_state(device: Device | None):
    if device is None:
        return None
    return core.DeviceState(
        device_id=device.pk, employee_id=device.employee_id, status=device.status,
        public_key_spki_b64=device.public_key, key_id=device.key_id, last_seq=device.last_seq,
        last_body_hash=device.last_body_hash or None, last_device_time=device.last_device_time,
        last_monotonic_ms=device.last_monotonic_ms, last_boot_count=device.last_boot_count,
        last_contact_at=device.last_contact_at,
        last_contact_monotonic_ms=device.last_contact_monotonic_ms,
        last_contact_boot_count=device.last_contact_boot_count,
    )


def _employee_info(employee: Employee | None):
    if employee is None:
        return None
    today = timezone.localdate()
    return core.EmployeeInfo(employee_id=employee.pk, identifier=employee.identifier,
                             active=employee.is_active_on(today))


def _workplace_info(w: Workplace):
    networks = []
    for cidr in w.public_networks or []:
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError:
            continue
    return core.WorkplaceInfo(
        workplace_id=w.pk, code=w.code, name=w.name, geofence=w.fence(),
        tier=w.connectivity_tier, tz=w.zone(),
        known_bssids=frozenset(b.lower() for b in w.known_bssids or []),
        public_networks=tuple(networks), office_secret=w.office_secret,
        office_code_mode=w.office_code_mode, office_code_step_s=w.office_code_step_s,
    )


def _open_challenges(employee: Employee | None, at: datetime) -> frozenset[str]:
    if employee is None:
        return frozenset()
    rows = PresenceChallenge.objects.filter(employee=employee, issued_at__lte=at,
                                            deadline__gte=at, answered_by__isnull=True)
    return frozenset(rows.values_list("challenge_id", flat=True))


def _store(head: ChainHead, verdict, body: bytes, headers: dict, remote_addr: str,
           received_at: datetime, source: str, device: Device | None,
           employee: Employee | None) -> EvidenceRecord:
    parsed = verdict.body
    location = parsed.location if parsed else None
    signature_ok = device is not None and not ({r.code for r in verdict.reasons}
                                               & SIGNATURE_CODES)
    fields = {
        "received_at": received_at, "remote_addr": remote_addr[:64],
        "headers": {k: v for k, v in headers.items() if k in KEPT_HEADERS},
        "body_hash": signing.body_hash(body), "body_size": len(body),
        "event_id": parsed.event_id if parsed else (_peek_event_id(body) or ""),
        "kind": parsed.kind if parsed else "",
        "device_id": device.pk if device else None,
        "employee_id": employee.pk if employee else None,
        "outcome": verdict.outcome, "http_status": verdict.http_status,
        "reasons": [_reason_dict(r) for r in verdict.reasons],
        "time_of_record": verdict.time_of_record, "workplace_id": verdict.workplace_id,
        "source": source,
    }
    stored_body = body[:MAX_STORED_BODY]
    if len(stored_body) != len(body):
        # Bodies over the limit are kept truncated; the hash covers what is stored.
        fields["body_hash"] = signing.body_hash(stored_body)
    row_hash = chain.row_hash(head.last_hash, fields)
    record = EvidenceRecord(
        **fields, body=stored_body, prev_hash=head.last_hash, row_hash=row_hash,
        dedupe_key=_dedupe_key(device, body) if signature_ok else None,
        derived_time=verdict.derived_time, geofence_distance_m=verdict.geofence_distance_m,
        lat=location.lat if location else None, lon=location.lon if location else None,
        accuracy_m=location.accuracy_m if location else None,
        mock=location.mock if location else None,
        queued_offline=parsed.queued_offline if parsed else None,
        seq=parsed.seq if parsed else None,
        challenge_id=(parsed.challenge_id or "") if parsed else "",
    )
    if record.dedupe_key and EvidenceRecord.objects.filter(dedupe_key=record.dedupe_key
                                                           ).exists():
        # Same event id, different body: keep it as evidence without claiming the id.
        record.dedupe_key = None
    record.save()
    head.last_hash, head.length = row_hash, head.length + 1
    head.save(update_fields=["last_hash", "length"])
    return record


def _advance_device(device: Device, state) -> None:
    if state is None:
        return
    for name in ("last_seq", "last_device_time", "last_monotonic_ms", "last_boot_count",
                 "last_contact_at", "last_contact_monotonic_ms", "last_contact_boot_count"):
        setattr(device, name, getattr(state, name))
    device.last_body_hash = state.last_body_hash or ""
    device.save(update_fields=["last_seq", "last_body_hash", "last_device_time",
                               "last_monotonic_ms", "last_boot_count", "last_contact_at",
                               "last_contact_monotonic_ms", "last_contact_boot_count"])


def _answer_challenge(verdict, record: EvidenceRecord) -> None:
    parsed = verdict.body
    if parsed is None or parsed.kind != "presence_check" or not parsed.challenge_id:
        return
    PresenceChallenge.objects.filter(
        challenge_id=parsed.challenge_id, employee_id=record.employee_id,
        answered_by__isnull=True,
    ).update(answered_by=record)


def _reason_dict(reason) -> dict:
    return {"code": reason.code, "severity": reason.severity, "message": reason.message,
            "detail": _jsonable(reason.detail)}


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def _answer(verdict, record: EvidenceRecord) -> dict:
    return {
        "record_id": record.pk,
        "event_id": record.event_id or None,
        "outcome": verdict.outcome,
        "time_of_record": verdict.time_of_record.isoformat() if verdict.time_of_record
        else None,
        "workplace": None,
        "reasons": record.reasons,
    } | ({"workplace": _workplace_code(verdict.workplace_id)} if verdict.workplace_id else {})


def _stored_answer(record: EvidenceRecord) -> dict:
    return {
        "record_id": record.pk, "event_id": record.event_id or None,
        "outcome": record.outcome,
        "time_of_record": record.time_of_record.isoformat() if record.time_of_record else None,
        "workplace": _workplace_code(record.workplace_id) if record.workplace_id else None,
        "reasons": record.reasons, "repeated": True,
    }


def _workplace_code(workplace_id: int) -> str | None:
    return Workplace.objects.filter(pk=workplace_id).values_list("code", flat=True).first()
