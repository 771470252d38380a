"""A simulated month of check-ins for a planned regency, every employee labelled by practice.

`simulate_month(plan, year=..., month=..., seed=..., secrets=..., challenge_secret=...,
employee_ids=...)` gives every employee a practice (hadir.sim.behaviours), phones with keys from
the seed, and lets them live through the month's working days: the result is the signed
requests in the order the server receives them, the devices to enrol, the presence challenges
the server issues, and the labels (per employee, and per employee-day: the practice on the days
they cheated). Pure and deterministic: the same seed gives the same bytes. The database side is
hadir.sim.history.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hadir.domain.calendar import WorkCalendar
from hadir.domain.challenges import ChallengePolicy
from hadir.domain.schedules import EmployeeSchedule, PlannedDay, planned_workday
from hadir.sim.behaviours import (
    BACKDATED_OFFLINE,
    BUDDY_PUNCHING,
    CATALOGUE,
    CHEATING_LABELS,
    CHECK_IN_AND_LEAVE,
    CLOCK_TAMPER,
    DAY_FUNCTIONS,
    FAKE_GPS_CLEVER,
    FAKE_GPS_FROZEN,
    FAKE_GPS_NAIVE,
    HOME_CHECKOUT,
    HONEST_BAD_GPS,
    HONEST_CARPOOL,
    HONEST_DUTY_TRAVEL,
    HONEST_FORGETFUL,
    HONEST_LATE_SOMETIMES,
    HONEST_PHONE_CHANGE,
    HONEST_REMOTE,
    HONEST_SHARED_LINE,
    HONEST_TOWN,
    IMPOSSIBLE_MOVEMENT,
    PASSWORD_SHARING,
    PHONE_CARRIER,
    REPLAY,
    TOWN_REBOOT_SHARE,
    TZ,
    ChallengeRecord,
    DayContext,
    Fix,
    GroupChallengeRecord,
    Person,
    SimRequest,
    Today,
    World,
    duty_travel_day,
    honest_remote_day,
    honest_town_day,
    minutes,
    new_phone,
    scatter,
    spot_inside,
)
from hadir.sim.regency import GOOD, EmployeePlan, RegencyPlan, WorkplacePlan
from hadir.sim.suspicion import Suspicion

DEFAULT_CHEATING_WEIGHTS: Mapping[str, float] = {
    FAKE_GPS_NAIVE: 2.0,
    FAKE_GPS_CLEVER: 2.0,
    FAKE_GPS_FROZEN: 1.0,
    BUDDY_PUNCHING: 1.5,
    PASSWORD_SHARING: 1.0,
    REPLAY: 1.0,
    BACKDATED_OFFLINE: 1.2,
    CLOCK_TAMPER: 1.2,
    CHECK_IN_AND_LEAVE: 2.0,
    IMPOSSIBLE_MOVEMENT: 1.0,
    PHONE_CARRIER: 1.5,
    HOME_CHECKOUT: 1.5,
}
PARTNERED = (BUDDY_PUNCHING, PASSWORD_SHARING)  # need an honest colleague at the same office
REPLAY_STOCK = 3  # a replay cheater stops capturing once this many check-ins are kept


@dataclass(frozen=True)
class BehaviourMix:
    """Who does what. Cheaters come from town workplaces (where violations concentrate); every
    employee of a poor/none workplace is honest_remote."""

    cheating_share: float = 0.15  # of all employees
    cheating_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CHEATING_WEIGHTS)
    )
    min_per_practice: int = 3
    late_sometimes_share: float = 0.10  # of the honest town employees
    phone_change_share: float = 0.03
    cheat_days: tuple[float, float] = (0.1, 0.9)  # share of a cheater's working days
    leave_share: float = 0.03  # days of leave, sickness, duty elsewhere: no events
    # Honest look-alikes, as shares of the honest town employees (carpool: riders).
    duty_travel_share: float = 0.08
    carpool_share: float = 0.06
    forgetful_share: float = 0.04
    bad_gps_share: float = 0.04
    shared_line_share: float = 0.25  # of town workplaces with a registered network
    # How careful a cheater is, drawn per person: Wi-Fi on when faking, challenges answered.
    wifi_share: tuple[float, float] = (0.0, 0.9)
    answer_share: tuple[float, float] = (0.2, 0.95)
    carrier_group: tuple[int, int] = (2, 4)  # phones one carrier takes along
    # A carrier's care, drawn per carrier: a minute between phones (rather than seconds), the
    # share of rounds he changes the order or steps apart between phones, the share of group
    # challenge phones he misses.
    carrier_careful_share: float = 0.35
    carrier_shuffle: tuple[float, float] = (0.0, 0.3)
    carrier_apart: tuple[float, float] = (0.0, 0.4)
    carrier_miss: tuple[float, float] = (0.05, 0.35)
    # A carpool rider checks in beside the driver at the door on this share of the rides, and
    # rides home with them on this share.
    carpool_door: tuple[float, float] = (0.2, 0.8)
    carpool_home: tuple[float, float] = (0.0, 0.35)
    # The server asks the sets its nightly analysis suspects at the same moment.
    group_challenges: bool = True


@dataclass(frozen=True)
class DeviceRecord:
    employee: str  # the account the key is enrolled on
    key_id: str
    public_key: str  # SPKI, base64
    algorithm: str
    description: dict
    enrolled_at: datetime
    status: str  # at the end of the month: active, pending or revoked
    approved_at: datetime | None  # None for a first device (active at once) or a pending one
    revoked_at: datetime | None
    decided_by: str
    holder: str  # who actually carries the handset
    prior_state: dict | None  # the server's device state from before the month


@dataclass(frozen=True)
class SimulatedMonth:
    seed: int
    year: int
    month: int
    days: tuple[date, ...]
    devices: tuple[DeviceRecord, ...]
    challenges: tuple[ChallengeRecord, ...]
    requests: tuple[SimRequest, ...]  # sorted by received_at
    labels: dict[str, str]  # employee identifier -> practice
    day_labels: dict[str, dict[date, str | None]]  # the practice on days they cheated
    partners: dict[str, str]  # buddy/password cheater -> the colleague who does it for them
    # Approved dinas luar: (employee, day, destination lat, lon, radius m or None for a letter
    # naming the place only, in which case lat/lon are None too).
    duties: tuple[tuple[str, date, float | None, float | None, float | None], ...] = ()
    groups: tuple[GroupChallengeRecord, ...] = ()  # group challenges issued to suspected sets

    def label_of(self, employee: str, day: date) -> str | None:
        return self.day_labels.get(employee, {}).get(day)

    def to_jsonl(self, path: str | Path) -> int:
        """The archive `hadir replay` reads: one request a line."""
        with Path(path).open("w", encoding="utf-8") as out:
            for request in self.requests:
                out.write(json.dumps(request.to_archive(), ensure_ascii=False) + "\n")
        return len(self.requests)

    def labels_dict(self) -> dict:
        return {
            "seed": self.seed,
            "year": self.year,
            "month": self.month,
            "practices": {
                label: {"honest": p.honest, "summary": p.summary, "evidence": p.evidence}
                for label, p in CATALOGUE.items()
            },
            "employees": dict(sorted(self.labels.items())),
            "partners": dict(sorted(self.partners.items())),
            "days": {
                employee: {day.isoformat(): label for day, label in sorted(days.items())}
                for employee, days in sorted(self.day_labels.items())
            },
        }

    def labels_json(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.labels_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )


def last_full_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def working_days(year: int, month: int, calendar: WorkCalendar) -> list[PlannedDay]:
    day, planned = date(year, month, 1), []
    while day.month == month:
        workday = planned_workday(EmployeeSchedule(), calendar, day, TZ)
        if workday is not None:
            planned.append(workday)
        day += timedelta(days=1)
    return planned


def simulate_month(
    plan: RegencyPlan,
    *,
    year: int,
    month: int,
    seed: int,
    mix: BehaviourMix | None = None,
    secrets: dict[str, str],
    challenge_secret: str,
    employee_ids: dict[str, int],
    calendar: WorkCalendar | None = None,
    challenge_policy: ChallengePolicy | None = None,
    days: int | None = None,
) -> SimulatedMonth:
    """`days` keeps only the first N working days (for quick tests)."""
    mix = mix or BehaviourMix()
    calendar = calendar or WorkCalendar.for_years([year])
    planned_days = working_days(year, month, calendar)[:days]
    if not planned_days:
        raise ValueError(f"{year}-{month:02d} has no working days")
    missing = [e.identifier for e in plan.employees if e.identifier not in employee_ids]
    if missing:
        raise ValueError(f"no employee id for {len(missing)} employees, e.g. {missing[0]}")
    mix_rng = random.Random(f"hadir-month:{seed}:mix")
    labels, partners = assign_practices(plan, mix, mix_rng)
    world = World(
        secrets=secrets,
        challenge_secret=challenge_secret,
        employee_ids=employee_ids,
        challenge_policy=challenge_policy or ChallengePolicy(),
    )
    world.shared_lines = _shared_lines(plan, mix, mix_rng)
    for e in plan.employees:
        if labels[e.identifier] == HONEST_TOWN and e.workplace_codes[0] in world.shared_lines:
            labels[e.identifier] = HONEST_SHARED_LINE
    month_start = datetime.combine(planned_days[0].day.replace(day=1), time(0), TZ)
    workplaces = plan.workplace_by_code
    people = [
        _person(
            e,
            labels[e.identifier],
            partners.get(e.identifier),
            seed,
            (year, month),
            workplaces,
            month_start,
            planned_days,
            mix,
        )
        for e in plan.employees
    ]
    world.people = {p.identifier: p for p in people}
    carried: dict[str, list[Person]] = {}
    for p in people:
        if p.label in (PHONE_CARRIER, BUDDY_PUNCHING) and p.partner:
            carried.setdefault(p.partner, []).append(p)
    for carrier, members in carried.items():  # the carrier takes the phones out in one order
        members.sort(key=lambda p: p.identifier)
        for slot, p in enumerate(members):
            p.habit["slot"] = slot
        world.carriers[carrier] = tuple(p.identifier for p in members)
        world.carrier_care[carrier] = _care(
            random.Random(f"hadir-month:{seed}:care:{carrier}"), mix
        )
    # Partners go first (a carrier before the phones he carries, a driver before the rider).
    order = sorted(people, key=lambda p: (p.partner is not None, p.habit.get("slot", 0)))
    suspicion = Suspicion() if mix.group_challenges else None
    names = {v: k for k, v in employee_ids.items()}
    identifiers = [p.identifier for p in order]
    for n, planned in enumerate(planned_days):
        if suspicion is not None and n:
            suspicion.plan(world, planned.day, planned.start, planned.end, names)
        for person in order:
            if person.plan.active_from <= planned.day:
                label = _run_day(world, person, planned, workplaces, mix)
                person.day_labels[planned.day] = label
        if suspicion is not None:
            suspicion.add_day(world, planned.day, identifiers)
    for person in people:
        for phone in person.phones:
            if phone.queue:
                phone.flush(world, phone.sync_at, phone.sync_addr)
    requests = sorted(world.requests, key=lambda r: (r.received_at, r.serial))
    return SimulatedMonth(
        seed=seed,
        year=year,
        month=month,
        days=tuple(p.day for p in planned_days),
        devices=tuple(_device_record(phone) for person in people for phone in person.phones),
        challenges=tuple(world.challenges),
        requests=tuple(requests),
        labels=labels,
        day_labels={p.identifier: p.day_labels for p in people},
        partners=partners,
        groups=tuple(g for g in world.groups if _asked(world, g)),
        duties=tuple(
            (p.identifier, day, *(place if place[2] is not None else (None, None, None)))
            for p in people
            for day, place in sorted(p.habit.get("duty", {}).items())
            if day in p.day_labels
        ),
    )


def _care(rng: random.Random, mix: BehaviourMix) -> dict:
    careful = rng.random() < mix.carrier_careful_share
    return {
        "gap": (45.0, 90.0) if careful else (5.0, 30.0),
        "shuffle": rng.uniform(*mix.carrier_shuffle),
        "apart": rng.uniform(*mix.carrier_apart),
        "miss": rng.uniform(*mix.carrier_miss),
    }


def _asked(world: World, group: GroupChallengeRecord) -> bool:
    """Whether anybody was asked in this group (nobody is when none of them was in)."""
    return any((group.group_id, member) in world.group_issued for member in group.members)


def _shared_lines(plan: RegencyPlan, mix: BehaviourMix, rng: random.Random) -> dict[str, str]:
    """Town workplaces whose internet line is not the registered one: an unknown address."""
    town = sorted(w.code for w in plan.workplaces if w.tier == GOOD and w.public_networks)
    chosen = [code for code in town if rng.random() < mix.shared_line_share]
    return {code: f"198.18.{n // 250}.{n % 250 + 1}" for n, code in enumerate(chosen)}


# ---------------------------------------------------------------------------------------------
# Who does what.


def _allocate(total: int, weights: dict[str, float], minimum: int) -> dict[str, int]:
    """Split `total` by weight (largest remainder), each share at least `minimum`."""
    names = [n for n, w in weights.items() if w > 0]
    spare = max(0, total - minimum * len(names))
    whole = sum(weights[n] for n in names)
    raw = {n: spare * weights[n] / whole for n in names}
    counts = {n: int(raw[n]) for n in names}
    by_remainder = sorted(names, key=lambda n: (counts[n] - raw[n], n))
    for n in by_remainder[: spare - sum(counts.values())]:
        counts[n] += 1
    return {n: minimum + counts[n] for n in names}


def assign_practices(
    plan: RegencyPlan, mix: BehaviourMix, rng: random.Random
) -> tuple[dict[str, str], dict[str, str]]:
    """(practice per employee, partner per buddy/password cheater)."""
    workplaces = plan.workplace_by_code
    labels: dict[str, str] = {}
    town: list[EmployeePlan] = []
    for e in plan.employees:
        if workplaces[e.workplace_codes[0]].tier == GOOD:
            town.append(e)
        else:
            labels[e.identifier] = HONEST_REMOTE
    weights = {k: v for k, v in mix.cheating_weights.items() if k in CHEATING_LABELS and v > 0}
    wanted = round(mix.cheating_share * len(plan.employees))
    if weights and mix.cheating_share > 0:
        wanted = max(wanted, mix.min_per_practice * len(weights))
    wanted = min(wanted, len(town) // 2)
    counts = _allocate(wanted, weights, mix.min_per_practice) if wanted else {}
    queue = rng.sample(town, len(town))
    colleagues: dict[str, list[EmployeePlan]] = {}
    for e in queue:
        colleagues.setdefault(e.workplace_codes[0], []).append(e)
    partners: dict[str, str] = {}
    for practice in PARTNERED:
        for _ in range(counts.get(practice, 0)):
            found = _with_partner(queue, colleagues, labels, rng)
            if found is None:
                break
            cheater, partner = found
            labels[cheater.identifier], labels[partner.identifier] = practice, HONEST_TOWN
            partners[cheater.identifier] = partner.identifier
    _assign_carriers(counts.get(PHONE_CARRIER, 0), queue, colleagues, labels, partners, mix, rng)
    free = [e for e in queue if e.identifier not in labels]
    for practice, count in counts.items():
        if practice in PARTNERED or practice == PHONE_CARRIER:
            continue
        for e in free[:count]:
            labels[e.identifier] = practice
        free = free[count:]
    honest_shares = (
        (HONEST_PHONE_CHANGE, mix.phone_change_share),
        (HONEST_LATE_SOMETIMES, mix.late_sometimes_share),
        (HONEST_DUTY_TRAVEL, mix.duty_travel_share),
        (HONEST_FORGETFUL, mix.forgetful_share),
        (HONEST_BAD_GPS, mix.bad_gps_share),
        (HONEST_CARPOOL, mix.carpool_share),
    )
    for e in free:
        roll, labels[e.identifier] = rng.random(), HONEST_TOWN
        for label, share in honest_shares:
            if roll < share:
                labels[e.identifier] = label
                break
            roll -= share
    for e in free:  # a rider needs a driver: an honest colleague at the same office
        if labels[e.identifier] != HONEST_CARPOOL:
            continue
        drivers = [
            c
            for c in colleagues[e.workplace_codes[0]]
            if c.identifier != e.identifier
            and labels.get(c.identifier) == HONEST_TOWN
            and c.identifier not in partners
        ]
        if drivers:
            partners[e.identifier] = rng.choice(drivers).identifier
        else:
            labels[e.identifier] = HONEST_TOWN
    return labels, partners


def _assign_carriers(count, queue, colleagues, labels, partners, mix, rng) -> None:
    """`count` absent employees whose phones travel with a carrier, in groups at one office."""
    left = count
    for carrier in queue:
        if left <= 0:
            return
        if carrier.identifier in labels:
            continue
        others = [
            c
            for c in colleagues[carrier.workplace_codes[0]]
            if c.identifier != carrier.identifier and c.identifier not in labels
        ]
        size = min(left, rng.randint(*mix.carrier_group), len(others))
        if size < 1:
            continue
        labels[carrier.identifier] = HONEST_TOWN
        for member in rng.sample(others, size):
            labels[member.identifier] = PHONE_CARRIER
            partners[member.identifier] = carrier.identifier
        left -= size


def _with_partner(queue, colleagues, labels, rng):
    for e in queue:
        if e.identifier in labels:
            continue
        others = [
            c
            for c in colleagues[e.workplace_codes[0]]
            if c.identifier != e.identifier and c.identifier not in labels
        ]
        if others:
            return e, rng.choice(others)
    return None


# ---------------------------------------------------------------------------------------------
# People and days.


def _person(
    e: EmployeePlan,
    label: str,
    partner: str | None,
    seed: int,
    year_month: tuple[int, int],
    workplaces: dict[str, WorkplacePlan],
    month_start: datetime,
    planned_days: list[PlannedDay],
    mix: BehaviourMix,
) -> Person:
    year, month = year_month
    rng = random.Random(f"hadir-month:{seed}:{year}-{month:02d}:{e.identifier}")
    person = Person(e, label, rng, workplaces)
    person.partner = partner
    last_sync = month_start - timedelta(hours=rng.uniform(8, 60))
    phone = new_phone(
        rng,
        account=e.identifier,
        holder=e.identifier,
        now=last_sync,
        enrolled_at=last_sync - timedelta(days=rng.uniform(20, 600)),
        initially_active=True,
        fresh=False,
    )
    phone.start_history(rng)
    person.phones.append(phone)
    if len(e.workplace_codes) > 1:  # a teacher or nurse also serving a second place
        person.habit["second_weekdays"] = set(rng.sample(range(5), rng.choice((1, 2))))
    main = workplaces[e.workplace_codes[0]]
    if label == HONEST_LATE_SOMETIMES:
        person.late_share = rng.uniform(0.15, 0.35)
    elif label == HONEST_PHONE_CHANGE:
        middle = planned_days[len(planned_days) // 4 : max(1, 3 * len(planned_days) // 4)]
        person.habit["change_day"] = rng.choice(middle or planned_days).day
    pin = spot_inside(rng, main)
    person.habit.update(
        pin=pin,
        mock_accuracy=rng.choice((1.0, 3.0, 3.0, 5.0)),
        frozen_fix=Fix(*scatter(rng, pin, 3, 15), round(rng.uniform(5, 20), 1), "gps", age_s=0),
        tamper=rng.choice(("online", "offline", "reboot")),
        movement=rng.choice(("far", "home")),
        far=scatter(rng, (main.centre_lat, main.centre_lon), 20_000, 40_000),
    )
    person.habit.update(
        wifi_share=rng.uniform(*mix.wifi_share), answer_share=rng.uniform(*mix.answer_share)
    )
    if label == HONEST_FORGETFUL:
        person.habit["forget_share"] = rng.uniform(0.1, 0.3)
    elif label == HONEST_BAD_GPS:
        share = rng.uniform(0.2, 0.5)
        person.habit["bad_gps_days"] = {p.day for p in planned_days if rng.random() < share}
    elif label == HONEST_CARPOOL and partner is not None:
        person.habit.update(
            carpool=partner,
            carpool_share=rng.uniform(0.4, 0.9),
            door_share=rng.uniform(*mix.carpool_door),
            ride_home_share=rng.uniform(*mix.carpool_home),
        )
    elif label == HONEST_DUTY_TRAVEL:
        trips = rng.sample(planned_days, min(len(planned_days), rng.randint(1, 6)))
        duty = {}
        for trip in trips:
            lat, lon = scatter(rng, (main.centre_lat, main.centre_lon), 5_000, 150_000)
            pinned = rng.random() < 0.8  # the letter gives the destination's point
            duty[trip.day] = (lat, lon, 1_000.0 if pinned else None)
        person.habit["duty"] = duty
    if label in CHEATING_LABELS:
        eligible = [p.day for p in planned_days if _at_main(person, p.day)]
        share = rng.uniform(*mix.cheat_days)
        count = min(len(eligible), max(1, round(share * len(eligible))))
        person.cheat_days = set(rng.sample(eligible, count))
    return person


def _at_main(person: Person, day: date) -> bool:
    return day.weekday() not in person.habit.get("second_weekdays", ())


def _run_day(
    world: World,
    person: Person,
    planned: PlannedDay,
    workplaces: dict[str, WorkplacePlan],
    mix: BehaviourMix,
) -> str | None:
    codes = person.plan.workplace_codes
    workplace = workplaces[codes[0] if _at_main(person, planned.day) else codes[-1]]
    ctx = DayContext(planned.day, planned.start, planned.end, workplace)
    rng = person.rng
    if workplace.tier == GOOD:
        _maybe_restart(person, ctx)
    if person.habit.get("change_day") == planned.day:
        _change_phone(person, ctx)
    if planned.day in person.habit.get("duty", {}):
        duty_travel_day(Today(world, person, ctx))
        return None
    if rng.random() < mix.leave_share:
        return None
    today = Today(world, person, ctx)
    if workplace.tier != GOOD:
        honest_remote_day(today)
        return None
    if planned.day in person.cheat_days:
        return DAY_FUNCTIONS[person.label](today)
    stock = sum(kind == "check_in" for *_, kind in person.held)
    capture = person.label == REPLAY and stock < REPLAY_STOCK and rng.random() < 0.6
    honest_town_day(today, capture=capture)
    return None


def _maybe_restart(person: Person, ctx: DayContext) -> None:
    """An overnight restart, now and then (town phones: the next event goes online)."""
    if person.rng.random() >= TOWN_REBOOT_SHARE:
        return
    at = datetime.combine(ctx.day, time(4), TZ) + minutes(person.rng.uniform(0, 120))
    phone = person.phone_at(at)
    if not phone.queue and phone.time.now <= at:
        phone.advance(at)
        phone.clock.reboot()


def _change_phone(person: Person, ctx: DayContext) -> None:
    """A new phone enrolled in the morning; the atasan approves it within two hours."""
    rng = person.rng
    enrolled = datetime.combine(ctx.day, time(6, 20), TZ) + minutes(rng.uniform(0, 300))
    approved = enrolled + minutes(rng.uniform(10, 120))
    old = person.phones[-1]
    new = new_phone(
        rng,
        account=person.identifier,
        holder=person.identifier,
        now=enrolled - minutes(rng.uniform(5, 60)),
        enrolled_at=enrolled,
        approved_at=approved,
    )
    supervisor = person.plan.supervisor or ""
    new.decided_by = old.decided_by = supervisor
    old.revoked_at = approved
    person.phones.append(new)


def _device_record(phone) -> DeviceRecord:
    if phone.revoked_at is not None:
        status = "revoked"
    elif phone.initially_active or phone.approved_at is not None:
        status = "active"
    else:
        status = "pending"
    return DeviceRecord(
        employee=phone.account,
        key_id=phone.key.key_id,
        public_key=phone.key.spki_b64,
        algorithm=phone.key.algorithm,
        description=phone.description,
        enrolled_at=phone.enrolled_at,
        status=status,
        approved_at=phone.approved_at,
        revoked_at=phone.revoked_at,
        decided_by=phone.decided_by,
        holder=phone.holder,
        prior_state=phone.prior_state,
    )
