"""A simulated month in the database: devices, presence challenges, and every request run through
the real check-in pipeline (hadir.checkin.ingest) in the order the server receives them.

`build_history(seed, year, month)` plans the month for the demo regency loaded from
`plan_regency(seed, n)` (hadir.sim.demo), with the workplaces' office secrets and the server's
challenge secret read from the database, and loads it with `load_month`.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

from django.db import transaction

from hadir.checkin.ingest import ingest
from hadir.checkin.models import Device, DeviceStatus, PresenceChallenge
from hadir.fraud.challenges import challenge_secret, record_group_results
from hadir.fraud.models import ChallengeGroup, ChallengeGroupMember
from hadir.org.models import Employee, Workplace
from hadir.sim.month import BehaviourMix, SimulatedMonth, last_full_month, simulate_month
from hadir.sim.regency import plan_regency

BATCH = 2000  # requests per transaction: one fsync per batch instead of one per request


def load_month(sim: SimulatedMonth, *, record_duties: bool = False) -> dict[str, int]:
    """Enrol the devices, create the challenges, then ingest every request in received order.
    Device approvals (phone changes) take effect at their moment in the stream. record_duties:
    also record the month's dinas luar as approved leave with its destination (the evaluation
    and the demo do; without them the honest travellers' days look like absences)."""
    started = time.perf_counter()
    employees = dict(Employee.objects.values_list("identifier", "pk"))
    workplaces = dict(Workplace.objects.values_list("code", "pk"))
    with transaction.atomic():
        Device.objects.bulk_create([_device_row(d, employees) for d in sim.devices], batch_size=500)
        PresenceChallenge.objects.bulk_create(
            [
                PresenceChallenge(
                    challenge_id=c.challenge_id,
                    employee_id=c.employee_id,
                    workplace_id=workplaces[c.workplace_code],
                    issued_at=c.planned.issued_at,
                    deadline=c.planned.deadline,
                    reason=c.reason,
                )
                for c in sim.challenges
            ],
            batch_size=500,
        )
        _record_groups(sim, employees)
    if record_duties:
        _record_duties(sim, employees)
    approvals = sorted(
        (d for d in sim.devices if d.approved_at is not None), key=lambda d: d.approved_at
    )
    outcomes: Counter[str] = Counter()
    hard: Counter[str] = Counter()
    repeated = 0
    for first in range(0, len(sim.requests), BATCH):
        with transaction.atomic():
            for request in sim.requests[first : first + BATCH]:
                while approvals and approvals[0].approved_at <= request.received_at:
                    _approve(approvals.pop(0), employees)
                result = ingest(
                    request.body,
                    request.headers,
                    request.remote_addr,
                    request.received_at,
                    source="replay",
                )
                if result.repeated:
                    repeated += 1
                    continue
                outcomes[result.payload["outcome"]] += 1
                for reason in result.payload["reasons"]:
                    if reason["severity"] == "hard":
                        hard[reason["code"]] += 1
    with transaction.atomic():
        for device in approvals:  # approvals after the last request
            _approve(device, employees)
        if sim.groups:  # what the group challenges gave, as the job records it
            record_group_results(max(g.planned.deadline for g in sim.groups) + timedelta(1))
    return {
        "devices": len(sim.devices),
        "challenges": len(sim.challenges),
        "requests": len(sim.requests),
        **{f"outcome_{k}": v for k, v in sorted(outcomes.items())},
        **{f"rejected_{k}": v for k, v in sorted(hard.items())},
        "repeated": repeated,
        "answered_challenges": PresenceChallenge.objects.filter(
            challenge_id__in=[c.challenge_id for c in sim.challenges], answered_by__isnull=False
        ).count(),
        "seconds": round(time.perf_counter() - started),
    }


def _record_groups(sim: SimulatedMonth, employees: dict[str, int]) -> None:
    """The group challenges the simulated server issued, linked to their members' challenges."""
    groups = ChallengeGroup.objects.bulk_create(
        [
            ChallengeGroup(
                group_id=g.group_id,
                day=g.planned.day,
                issued_at=g.planned.issued_at,
                deadline=g.planned.deadline,
                members=[employees[m] for m in g.members],
                source={"simulated": True},
            )
            for g in sim.groups
        ],
        batch_size=500,
    )
    by_id = {g.group_id: g for g in groups}
    challenges = dict(
        PresenceChallenge.objects.filter(
            challenge_id__in=[c.challenge_id for c in sim.challenges if c.group_id]
        ).values_list("challenge_id", "pk")
    )
    ChallengeGroupMember.objects.bulk_create(
        [
            ChallengeGroupMember(group=by_id[c.group_id], challenge_id=challenges[c.challenge_id])
            for c in sim.challenges
            if c.group_id
        ],
        batch_size=500,
    )


def _record_duties(sim: SimulatedMonth, employees: dict[str, int]) -> None:
    """The month's approved dinas luar, as the atasan approved them before the trips."""
    from hadir.attendance.models import LeaveKind, LeaveRequest, LeaveStatus

    LeaveRequest.objects.bulk_create(
        [
            LeaveRequest(
                employee_id=employees[identifier],
                kind=LeaveKind.DL,
                first_day=day,
                last_day=day,
                reason="Dinas luar (simulasi)",
                assignment_letter=f"ST/{day:%Y%m%d}/{identifier[-4:]}",
                destination="Tujuan dinas",
                destination_lat=lat,
                destination_lon=lon,
                destination_radius_m=round(radius) if radius is not None else None,
                status=LeaveStatus.APPROVED,
            )
            for identifier, day, lat, lon, radius in sim.duties
        ],
        batch_size=500,
    )


def _device_row(d, employees: dict[str, int]) -> Device:
    state = d.prior_state or {}
    before_month = d.approved_at is None and d.status != "pending"
    return Device(
        employee_id=employees[d.employee],
        key_id=d.key_id,
        algorithm=d.algorithm,
        public_key=d.public_key,
        description=d.description,
        # Every device starts in the state it had before its first event; approvals come later.
        status=DeviceStatus.ACTIVE if before_month else DeviceStatus.PENDING,
        enrolled_at=d.enrolled_at,
        last_seq=state.get("last_seq"),
        last_body_hash=state.get("last_body_hash", ""),
        last_device_time=state.get("last_device_time"),
        last_monotonic_ms=state.get("last_monotonic_ms"),
        last_boot_count=state.get("last_boot_count"),
        last_contact_at=state.get("last_contact_at"),
        last_contact_monotonic_ms=state.get("last_contact_monotonic_ms"),
        last_contact_boot_count=state.get("last_contact_boot_count"),
    )


def _approve(d, employees: dict[str, int]) -> None:
    """What approve_device does, by the supervisor, at the simulated moment."""
    by = d.decided_by or "atasan"
    Device.objects.filter(employee_id=employees[d.employee], status=DeviceStatus.ACTIVE).update(
        status=DeviceStatus.REVOKED,
        revoked_at=d.approved_at,
        revoked_by=by,
        revoke_reason="replaced by a newly approved device",
    )
    Device.objects.filter(key_id=d.key_id).update(
        status=DeviceStatus.ACTIVE, decided_at=d.approved_at, decided_by=by
    )


def build_history(
    seed: int,
    year: int | None = None,
    month: int | None = None,
    *,
    today: date | None = None,
    sim_seed: int | None = None,
    mix: BehaviourMix | None = None,
    days: int | None = None,
    record_duties: bool = False,
) -> tuple[SimulatedMonth, dict[str, int]]:
    """Simulate and load a month for the demo regency of `seed` already in the database. Without
    year and month: the last full month before `today`."""
    if year is None or month is None:
        if today is None:
            raise ValueError("give year and month, or today")
        year, month = last_full_month(today)
    employee_ids = dict(Employee.objects.values_list("identifier", "pk"))
    plan = plan_regency(seed, len(employee_ids))
    unknown = [e.identifier for e in plan.employees if e.identifier not in employee_ids]
    if unknown:
        raise ValueError(
            f"the database does not hold the demo regency of seed {seed} "
            f"({len(unknown)} planned employees missing, e.g. {unknown[0]})"
        )
    sim = simulate_month(
        plan,
        year=year,
        month=month,
        seed=seed if sim_seed is None else sim_seed,
        mix=mix,
        secrets=dict(Workplace.objects.values_list("code", "office_secret")),
        challenge_secret=challenge_secret(),
        employee_ids=employee_ids,
        days=days,
    )
    return sim, load_month(sim, record_duties=record_duties)
