"""Attendance practices, honest and cheating, as data and as functions that make one day's events.

Every event goes through the reference client (hadir.client): it is signed, numbered and chained
the way a real app does it, on a phone whose clocks (wall, monotonic, boot count) are driven by
a ManualTime set to the simulated moment. Events made offline sit in the phone's queue and are
received when the phone next has a network, so an offline event is received after it was made.

Pure: no Django and no clock. Randomness comes from each employee's own random.Random, so one
employee's behaviour does not shift when another is added.

`CATALOGUE` lists the practices with the evidence each leaves in the events; the day functions
at the bottom (`DAY_FUNCTIONS`) make them happen.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hadir.client import Device, DeviceClock, DeviceKey, ManualTime, SignedEvent
from hadir.domain.challenges import (
    ChallengePolicy,
    PlannedChallenge,
    PlannedGroupChallenge,
    plan_challenge,
)
from hadir.domain.geo import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LON_EQUATOR, Geofence
from hadir.domain.office_code import office_code_at
from hadir.sim.regency import GOOD, OPTIONAL, REQUIRED, EmployeePlan, WorkplacePlan

TIME_ZONE = "Asia/Jakarta"
TZ = ZoneInfo(TIME_ZONE)
APP_VERSION = "hadir-android/1.4.2"
USER_AGENT = "okhttp/4.12.0"
OFFICE_CODE_STEP_S = 15  # the default office_code_step_s of a workplace

# ---------------------------------------------------------------------------------------------
# The practices.

HONEST_TOWN = "honest_town"
HONEST_REMOTE = "honest_remote"
HONEST_PHONE_CHANGE = "honest_phone_change"
HONEST_LATE_SOMETIMES = "honest_late_sometimes"
FAKE_GPS_NAIVE = "fake_gps_naive"
FAKE_GPS_CLEVER = "fake_gps_clever"
FAKE_GPS_FROZEN = "fake_gps_frozen"
BUDDY_PUNCHING = "buddy_punching"
PASSWORD_SHARING = "password_sharing"
REPLAY = "replay"
BACKDATED_OFFLINE = "backdated_offline"
CLOCK_TAMPER = "clock_tamper"
CHECK_IN_AND_LEAVE = "check_in_and_leave"
IMPOSSIBLE_MOVEMENT = "impossible_movement"
# Honest lives that look like cheating, and practices the detector was not built around.
HONEST_DUTY_TRAVEL = "honest_duty_travel"
HONEST_CARPOOL = "honest_carpool"
HONEST_FORGETFUL = "honest_forgetful"
HONEST_BAD_GPS = "honest_bad_gps"
HONEST_SHARED_LINE = "honest_shared_line"
PHONE_CARRIER = "phone_carrier"
HOME_CHECKOUT = "home_checkout"


@dataclass(frozen=True)
class Practice:
    label: str
    honest: bool
    summary: str
    evidence: str  # what it leaves in the events, for a reviewer (and for the evaluation)


CATALOGUE: dict[str, Practice] = {
    p.label: p
    for p in (
        Practice(
            HONEST_TOWN,
            True,
            "Comes to a town office, mostly 07:00-07:30, leaves 16:00-16:30; a late day now "
            "and then, a few days of leave.",
            "Fixes inside the fence with urban noise; indoor fixes (10%) and a rare far-off fix "
            "(1 in 40) give geofence_uncertain/outside_geofence now and then; office Wi-Fi and "
            "office network some of the time; office code where required. Some check out "
            "walking out (a share of people, on 5-50% of days): the fix inside the fence, no "
            "Wi-Fi scan, a carrier address, mostly no code.",
        ),
        Practice(
            HONEST_REMOTE,
            True,
            "Works where the network is poor or absent: events queued offline and synced 1-40 h "
            "later from wherever a signal is found.",
            "queued_offline with derived times, weak accuracy (30-150 m), office code often "
            "missing, challenges answered only when the phone is online; no offline_late.",
        ),
        Practice(
            HONEST_PHONE_CHANGE,
            True,
            "Enrols a new phone mid-month; the atasan approves it the same day.",
            "A second device whose chain starts at seq 1; the old device revoked at approval.",
        ),
        Practice(
            HONEST_LATE_SOMETIMES,
            True,
            "Honest, but genuinely late on 15-35% of days.",
            "Late check-ins with otherwise clean evidence; lateness is a status, not fraud.",
        ),
        Practice(
            FAKE_GPS_NAIVE,
            False,
            "Stays home and checks in with a fake-GPS app pinned on the office.",
            "mock_location on every event; constant fake accuracy; home Wi-Fi BSSIDs; mobile "
            "address; office code missing or a stale one from a colleague's photo.",
        ),
        Practice(
            FAKE_GPS_CLEVER,
            False,
            "Stays home; a hidden fake-GPS (mock flag false) sets the office plus 3-15 m noise.",
            "Inside the fence with gps provider and accuracy 5-20 m, but never office Wi-Fi or "
            "network, no office code where optional, missing/stale where required; challenges "
            "answered 'inside' from a mobile address.",
        ),
        Practice(
            FAKE_GPS_FROZEN,
            False,
            "Like fake_gps_clever, from a saved location: the same coordinates every time.",
            "Identical lat/lon and accuracy across days (zero jitter), plus the clever evidence.",
        ),
        Practice(
            BUDDY_PUNCHING,
            False,
            "A colleague at the office carries the absent employee's phone and checks in/out "
            "and answers challenges for them, every time the same partner.",
            "Events seconds after the partner's own, same address and Wi-Fi, same place; "
            "challenge answers from the office.",
        ),
        Practice(
            PASSWORD_SHARING,
            False,
            "A colleague enrols their own phone (a dual-app copy) on the employee's account; "
            "the real phone stays home unused.",
            "A pending device whose events are rejected device_pending; same phone model, boot "
            "count and monotonic clock as the colleague's device, same place and address.",
        ),
        Practice(
            REPLAY,
            False,
            "Captures a signed check-in at the office (a proxy swallows it) and sends it on an "
            "absent day.",
            "sequence_gap on the capture day; on the absent day an old seq rejected "
            "sequence_replay, with an old device_time, from a mobile address.",
        ),
        Practice(
            BACKDATED_OFFLINE,
            False,
            "Town employee, late: makes the check-in in airplane mode at home before 07:30 "
            "and uploads it on arrival hours later.",
            "queued_offline at a good-network workplace, offline_late, outside_geofence (home "
            "or on the way).",
        ),
        Practice(
            CLOCK_TAMPER,
            False,
            "Late: sets the phone's clock back to look on time (online, offline, or offline "
            "after a reboot).",
            "device_clock_skew and clock_tampering (wall_clock_jump), fix_in_future with gps "
            "fixes; the reboot variant: offline_time_unverifiable, offline_late and an office "
            "code invalid at the claimed time.",
        ),
        Practice(
            CHECK_IN_AND_LEAVE,
            False,
            "Checks in at the office, goes home 30-60 min later.",
            "Challenges missed or answered from home; check-out from home (far) or back at the "
            "office.",
        ),
        Practice(
            IMPOSSIBLE_MOVEMENT,
            False,
            "Spoofs some events and forgets for others: the office and a place 20-40 km away "
            "(or home) minutes apart.",
            "Consecutive fixes implying impossible speed, outside_geofence followed minutes "
            "later by an accepted retry inside.",
        ),
        Practice(
            HONEST_DUTY_TRAVEL,
            True,
            "On approved dinas luar 1-6 days a month, 5-150 km away; checks in and out at the "
            "destination (most letters give its point, some only its name).",
            "Fixes far outside the workplace, mobile addresses, no office code or Wi-Fi, on "
            "days covered by an approved DL; no challenges those days.",
        ),
        Practice(
            HONEST_CARPOOL,
            True,
            "Rides to work with the same colleague on 40-90% of days, often checking in beside "
            "them at the door; rides home with them on up to a third of those days.",
            "Check-ins seconds after the same colleague's, fixes 4-15 m apart (two bodies), the "
            "same access points at their own strengths; check-outs mostly apart; a group "
            "challenge answered from their own desk at their own time.",
        ),
        Practice(
            HONEST_FORGETFUL,
            True,
            "Forgets to check out on 10-30% of days.",
            "Days with a check-in only; challenges after the forgotten check-out still answered.",
        ),
        Practice(
            HONEST_BAD_GPS,
            True,
            "An old phone whose GPS is poor on 20-50% of days (indoors, cheap chipset).",
            "Network or fused fixes of 60-300 m accuracy, sometimes placed outside the fence.",
        ),
        Practice(
            HONEST_SHARED_LINE,
            True,
            "Works at a town office whose internet line is not registered in Hadir: every "
            "connected phone there comes from the same unknown address.",
            "Many employees behind one unregistered address at the same moments.",
        ),
        Practice(
            PHONE_CARRIER,
            False,
            "One colleague carries two to four absent colleagues' phones and checks each of "
            "them in and out at the office, answering their challenges (not designed for: "
            "real office Wi-Fi, network and codes). Carriers differ in care: phones seconds "
            "or a minute apart, the order sometimes changed, on some days a few steps apart.",
            "Several accounts' events seconds apart at both ends of the day, mostly in one "
            "order, same address, fixes metres apart and scans alike (unless he stepped "
            "apart); a group challenge answered from one spot seconds apart, or some missed.",
        ),
        Practice(
            HOME_CHECKOUT,
            False,
            "Checks in at the office, goes home, and checks out from home with a hidden "
            "fake-GPS placing the phone near the office.",
            "A check-out inside the fence whose scan shows only the home network (when Wi-Fi "
            "is on) and a mobile address; challenges after leaving missed or answered from home.",
        ),
    )
}
HONEST_LABELS = tuple(label for label, p in CATALOGUE.items() if p.honest)
CHEATING_LABELS = tuple(label for label, p in CATALOGUE.items() if not p.honest)

# Shares and ranges, in one place.
FAR_OFF_FIX_SHARE = 1 / 40
INDOOR_FIX_SHARE = 0.10
CODE_SCAN_SHARE = {REQUIRED: 0.97, OPTIONAL: 0.5}
REMOTE_CODE_SCAN_SHARE = {"poor": 0.3, "none": 0.6}
REMOTE_ONLINE_SHARE = {"poor": 0.35, "none": 0.0}
HONEST_ANSWER_SHARE = {"good": 0.93, "poor": 0.6, "none": 0.5}
FORGOT_CHECK_OUT_SHARE = 0.02
LEFT_EARLY_SHARE = 0.03
TOWN_REBOOT_SHARE = 0.03  # overnight restarts; remote phones are not restarted (see month.py)
# (share, low hours, high hours): when a remote phone next finds a signal after an event.
SYNC_DELAY_BANDS = {
    "poor": ((0.6, 1, 8), (0.3, 8, 24), (0.1, 24, 40)),
    "none": ((0.3, 2, 10), (0.5, 10, 30), (0.2, 30, 40)),
}
WIFI_ON_SHARE = 0.6
WIFI_CONNECTED_SHARE = 0.75

PHONE_MODELS = (
    ("samsung", "SM-A145F", "Galaxy A14"),
    ("samsung", "SM-A245F", "Galaxy A24"),
    ("Xiaomi", "23021RAA2Y", "Redmi Note 12"),
    ("Xiaomi", "22120RN86G", "Redmi 12C"),
    ("OPPO", "CPH2477", "A17"),
    ("vivo", "V2204", "Y16"),
    ("realme", "RMX3710", "C55"),
    ("Infinix", "X6831", "Hot 30"),
)
# Carrier-grade NAT (100.64.0.0/10) split by carrier: just strings here, never contacted.
CARRIERS = {"telkomsel": (64, 87), "indosat": (88, 103), "xl": (104, 119), "smartfren": (120, 127)}

# ---------------------------------------------------------------------------------------------
# Small helpers: time, geometry, identifiers.


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def move(lat: float, lon: float, metres: float, bearing_rad: float) -> tuple[float, float]:
    north, east = metres * math.cos(bearing_rad), metres * math.sin(bearing_rad)
    metres_per_lon = METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))
    return round(lat + north / METRES_PER_DEGREE_LAT, 7), round(lon + east / metres_per_lon, 7)


def scatter(rng: random.Random, point: tuple[float, float], low: float, high: float):
    return move(*point, rng.uniform(low, high), rng.uniform(0, 2 * math.pi))


def random_id(rng: random.Random, nbytes: int = 15) -> str:
    return base64.b32encode(rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")).decode()


def random_bssid(rng: random.Random) -> str:
    first = (rng.randrange(256) & 0xFC) | 0x02  # locally administered, unicast
    return ":".join(f"{b:02x}" for b in [first, *(rng.randrange(256) for _ in range(5))])


def spot_inside(rng: random.Random, workplace: WorkplacePlan) -> tuple[float, float]:
    """A place well inside the fence: where someone's desk is, or where a fake pin is put."""
    fence = Geofence.from_dict(workplace.geofence)
    centre = (workplace.centre_lat, workplace.centre_lon)
    inscribed = max(5.0, -fence.signed_distance_m(*centre))
    for _ in range(20):
        spot = scatter(rng, centre, 0, 0.4 * inscribed)
        if fence.signed_distance_m(*spot) < -0.3 * inscribed:
            return spot
    return centre


# ---------------------------------------------------------------------------------------------
# Fixes and networks.


@dataclass(frozen=True)
class Fix:
    lat: float
    lon: float
    accuracy_m: float
    provider: str = "fused"
    mock: bool = False
    age_s: float = 2.0  # how old the fix is when the event is made


def honest_fix(rng: random.Random, spot: tuple[float, float], tier: str) -> Fix:
    """A real phone at `spot`: urban multipath, indoor fixes, and a rare wild one."""
    roll = rng.random()
    if roll < FAR_OFF_FIX_SHARE:
        lat, lon = scatter(rng, spot, 150, 600)
        provider = rng.choice(("network", "fused"))
        return Fix(lat, lon, round(rng.uniform(200, 800), 1), provider, age_s=rng.uniform(1, 40))
    if tier != GOOD:
        accuracy = rng.uniform(30, 150)
        lat, lon = scatter(rng, spot, 0, 0.7 * accuracy)
        provider = rng.choice(("fused", "fused", "network"))
        return Fix(lat, lon, round(accuracy, 1), provider, age_s=rng.uniform(1, 60))
    if roll < FAR_OFF_FIX_SHARE + INDOOR_FIX_SHARE:
        accuracy = rng.uniform(30, 100)
        lat, lon = scatter(rng, spot, 0, 0.6 * accuracy)
        return Fix(lat, lon, round(accuracy, 1), "fused", age_s=rng.uniform(1, 30))
    lat, lon = scatter(rng, spot, 5, 25)
    provider = "gps" if rng.random() < 0.25 else "fused"
    return Fix(lat, lon, round(rng.uniform(8, 30), 1), provider, age_s=rng.uniform(0.5, 15))


def bad_gps_fix(rng: random.Random, spot: tuple[float, float]) -> Fix:
    """A poor receiver indoors: a network or fused position, sometimes off by hundreds of m."""
    accuracy = rng.uniform(60, 300)
    lat, lon = scatter(rng, spot, 20, 1.2 * accuracy)
    provider = rng.choice(("network", "fused"))
    return Fix(lat, lon, round(accuracy, 1), provider, age_s=rng.uniform(1, 60))


def spoofed_fix(rng: random.Random, pin: tuple[float, float]) -> Fix:
    """A fake-GPS app that hides the mock flag and adds believable noise."""
    lat, lon = scatter(rng, pin, 3, 15)
    return Fix(lat, lon, round(rng.uniform(5, 20), 1), "gps", age_s=rng.uniform(0, 2))


def near(rng: random.Random, fix: Fix, metres: float = 3.0) -> Fix:
    """A second phone in the same hand: the same place, its own small error."""
    lat, lon = scatter(rng, (fix.lat, fix.lon), 0, metres)
    accuracy = round(max(3.0, fix.accuracy_m * rng.uniform(0.7, 1.3)), 1)
    return Fix(lat, lon, accuracy, fix.provider, fix.mock, rng.uniform(0.5, 10))


@dataclass(frozen=True)
class Network:
    addr: str
    wifi: tuple[tuple[str, int], ...] = ()


def jitter_wifi(rng: random.Random, wifi: tuple[tuple[str, int], ...]) -> tuple:
    return tuple((b, max(-100, min(-30, r + rng.randint(-4, 4)))) for b, r in wifi)


# ---------------------------------------------------------------------------------------------
# Phones, requests, challenges.


@dataclass(frozen=True)
class RequestMeta:
    """Who and what a request is about (not sent; kept for the labels and the tests)."""

    employee: str  # the account the event is for
    day: date
    kind: str
    practice: str | None  # the cheating practice when the event belongs to a cheating day
    note: str = ""  # variant: "mock", "held", "carried by <nip>", ...


@dataclass(frozen=True)
class SimRequest:
    received_at: datetime
    remote_addr: str
    headers: dict[str, str]
    body: bytes
    meta: RequestMeta
    serial: int = 0  # tie-breaker: the order the simulator produced them in

    def to_archive(self) -> dict:
        return {
            "received_at": self.received_at.isoformat(),
            "remote_addr": self.remote_addr,
            "headers": self.headers,
            "body": self.body.decode(),
        }


@dataclass(frozen=True)
class ChallengeRecord:
    employee: str
    employee_id: int
    workplace_code: str
    challenge_id: str
    planned: PlannedChallenge
    reason: str = "random"
    group_id: str = ""  # a group challenge: asked to a suspected set at the same moment


@dataclass(frozen=True)
class GroupChallengeRecord:
    """A group challenge the server issues to a suspected set (hadir.sim.suspicion)."""

    group_id: str
    planned: PlannedGroupChallenge
    members: tuple[str, ...]  # the set's employees (those not in today are not asked)


class Phone:
    """One enrolled key on one handset, with its clocks, queue and enrolment history."""

    def __init__(
        self,
        *,
        key: DeviceKey,
        account: str,
        holder: str,
        description: dict,
        now: datetime,
        booted_at: datetime,
        boot_count: int,
        wall_offset: timedelta,
        enrolled_at: datetime,
        approved_at: datetime | None,
        initially_active: bool,
        rng: random.Random,
    ):
        self.key, self.account, self.holder = key, account, holder
        self.description = description
        self.time = ManualTime(now)
        self.clock = DeviceClock(
            self.time, boot_count=boot_count, uptime=now - booted_at, tz=TIME_ZONE
        )
        self.base_offset = wall_offset  # an honest phone's NTP error, a few seconds
        self.clock.set_wall_offset(wall_offset)
        self.device = Device(key, account, self.clock, app_version=APP_VERSION)
        self.enrolled_at, self.approved_at = enrolled_at, approved_at
        self.initially_active = initially_active
        self.revoked_at: datetime | None = None
        self.decided_by = ""
        self.rng = rng
        self.queue: list[tuple[SignedEvent, RequestMeta]] = []
        self.sync_at: datetime | None = None
        self.sync_addr = ""
        self.anchor_boot: int | None = None  # boot of the last online contact the server saw
        self.prior_state: dict | None = None

    def active_at(self, at: datetime) -> bool:
        if self.revoked_at is not None and at >= self.revoked_at:
            return False
        if self.initially_active:
            return True
        return self.approved_at is not None and at >= self.approved_at

    def advance(self, at: datetime) -> None:
        if at < self.time.now:
            raise ValueError(f"phone clock cannot go back from {self.time.now} to {at}")
        self.time.now = at

    def can_derive(self) -> bool:
        return self.anchor_boot is not None and self.anchor_boot == self.clock.boot_count

    def start_history(self, rng: random.Random) -> None:
        """The state the server kept from this phone's events before the simulated month."""
        self.device.seq = rng.randint(40, 900)
        self.device.prev_hash = hashlib.sha256(rng.randbytes(32)).hexdigest()
        received = self.time.now + seconds(rng.uniform(0.3, 2))
        self.prior_state = {
            "last_seq": self.device.seq,
            "last_body_hash": self.device.prev_hash,
            "last_device_time": self.clock.wall(),
            "last_monotonic_ms": self.clock.monotonic_ms(),
            "last_boot_count": self.clock.boot_count,
            "last_contact_at": received,
            "last_contact_monotonic_ms": self.clock.monotonic_ms(),
            "last_contact_boot_count": self.clock.boot_count,
        }
        self.anchor_boot = self.clock.boot_count

    def flush_due(self, world: World, at: datetime) -> None:
        if self.queue and self.sync_at is not None and self.sync_at <= at:
            self.flush(world, self.sync_at, self.sync_addr)

    def flush(self, world: World, at: datetime, addr: str) -> datetime:
        """Upload the queue in seq order, one request after the other."""
        received = at
        for event, meta in self.queue:
            received += seconds(self.rng.uniform(0.3, 1.5))
            world.add(received, addr, event, meta)
        self.queue, self.sync_at, self.sync_addr = [], None, ""
        return received

    def enqueue(
        self, event: SignedEvent, meta: RequestMeta, sync_at: datetime, sync_addr: str
    ) -> datetime:
        self.queue.append((event, meta))
        if self.sync_at is None or sync_at < self.sync_at:
            self.sync_at, self.sync_addr = sync_at, sync_addr
        return self.sync_at


def new_phone(
    rng: random.Random,
    *,
    account: str,
    holder: str,
    now: datetime,
    enrolled_at: datetime,
    approved_at: datetime | None = None,
    initially_active: bool = False,
    fresh: bool = True,
    description: dict | None = None,
) -> Phone:
    """A handset with a key from the seeded generator (the same seed, the same key)."""
    key = DeviceKey.ed25519_from_seed(rng.randbytes(32))
    if description is None:
        maker, model, name = rng.choice(PHONE_MODELS)
        description = {
            "manufacturer": maker,
            "model": model,
            "marketing_name": name,
            "android": rng.choice(("12", "13", "14")),
            "app_version": APP_VERSION,
        }
    uptime = timedelta(hours=rng.uniform(0.1, 2) if fresh else rng.uniform(1, 240))
    return Phone(
        key=key,
        account=account,
        holder=holder,
        description=description,
        now=now,
        booted_at=now - uptime,
        boot_count=rng.randint(1, 3) if fresh else rng.randint(5, 400),
        wall_offset=seconds(rng.uniform(-3, 3)),
        enrolled_at=enrolled_at,
        approved_at=approved_at,
        initially_active=initially_active,
        rng=random.Random(rng.getrandbits(64)),
    )


@dataclass(frozen=True)
class Emitted:
    """One event as made (for partners to copy, and for challenge planning)."""

    kind: str
    at: datetime  # the real moment it was made
    received_at: datetime | None  # None: held, or queued without a known upload time
    addr: str
    fix: Fix
    wifi: tuple[tuple[str, int], ...]
    accepted: bool  # as the server will judge it (hard reasons we know of)
    record_time: datetime  # the server's time of record
    with_code: bool
    workplace: str = ""  # the workplace of the day


@dataclass
class World:
    """What the whole month shares: secrets, the challenge plan, the requests made so far."""

    secrets: dict[str, str]
    challenge_secret: str
    employee_ids: dict[str, int]
    challenge_policy: ChallengePolicy = field(default_factory=ChallengePolicy)
    requests: list[SimRequest] = field(default_factory=list)
    challenges: list[ChallengeRecord] = field(default_factory=list)
    traces: dict[tuple[str, date], list[Emitted]] = field(default_factory=dict)
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    shared_lines: dict[str, str] = field(default_factory=dict)  # workplace -> unknown address
    # Phone carriers: carrier -> the colleagues whose phones they carry, and how carefully.
    carriers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    carrier_care: dict[str, dict] = field(default_factory=dict)
    # Group challenges: (employee, day) -> the group they are asked in; those issued.
    group_plans: dict[tuple[str, date], GroupChallengeRecord] = field(default_factory=dict)
    groups: list[GroupChallengeRecord] = field(default_factory=list)
    group_issued: set[tuple[str, str]] = field(default_factory=set)
    hands: dict[str, Emitted] = field(default_factory=dict)  # group -> the carrier's own answer
    _codes: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)
    _addrs: dict[str, str] = field(default_factory=dict, repr=False)

    def add(self, received_at: datetime, addr: str, event: SignedEvent, meta: RequestMeta):
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **event.headers}
        self.requests.append(
            SimRequest(received_at, addr, headers, event.body, meta, len(self.requests))
        )

    def office_code(self, workplace: WorkplacePlan, at: datetime) -> str:
        step = int(at.timestamp()) // OFFICE_CODE_STEP_S
        key = (workplace.code, step)
        if key not in self._codes:
            moment = datetime.fromtimestamp(step * OFFICE_CODE_STEP_S, TZ)
            self._codes[key] = office_code_at(self.secrets[workplace.code], moment)
        return self._codes[key]

    def office_addr(self, workplace: WorkplacePlan) -> str | None:
        if workplace.code in self.shared_lines:  # a line nobody registered in Hadir
            return self.shared_lines[workplace.code]
        if not workplace.public_networks:
            return None
        if workplace.code not in self._addrs:  # the office NAT: the network's first host
            network = ipaddress.ip_network(workplace.public_networks[0])
            self._addrs[workplace.code] = str(network[1])
        return self._addrs[workplace.code]

    def neighbour_bssids(self, workplace: WorkplacePlan) -> tuple[str, ...]:
        if workplace.code not in self.neighbours:
            rng = random.Random(f"hadir-month:neighbours:{workplace.code}")
            self.neighbours[workplace.code] = tuple(
                random_bssid(rng) for _ in range(rng.randint(1, 4))
            )
        return self.neighbours[workplace.code]

    def trace(self, employee: str, day: date, emitted: Emitted) -> None:
        self.traces.setdefault((employee, day), []).append(emitted)

    def hand(self, carrier: str, day: date, key: str, member: str) -> tuple[float, bool]:
        """Where `member`'s phone comes in the carrier's hand for one round (a kind of event
        on a day, or a group challenge): seconds after the carrier's own event, and whether
        he stepped apart between phones this round. The same for every member of the round;
        only the phones he carries that day are in his hand."""
        care = self.carrier_care[carrier]
        rng = random.Random(f"hadir-month:hand:{carrier}:{key}")
        order = [
            m for m in self.carriers[carrier] if m == member or day in self.people[m].cheat_days
        ]
        if rng.random() < care["shuffle"]:
            rng.shuffle(order)
        apart = rng.random() < care["apart"]
        gaps = [rng.uniform(*care["gap"]) for _ in order]
        position = order.index(member)
        return sum(gaps[: position + 1]), apart

    def first(self, employee: str, day: date, kind: str) -> Emitted | None:
        events = self.traces.get((employee, day), [])
        return next((e for e in events if e.kind == kind and e.accepted), None)


@dataclass(frozen=True)
class DayContext:
    day: date
    start: datetime  # planned start and end of the working day
    end: datetime
    workplace: WorkplacePlan  # where the employee works today


class Person:
    """One employee through the month: their phones, places, habits and practice."""

    def __init__(
        self,
        plan: EmployeePlan,
        label: str,
        rng: random.Random,
        workplaces: dict[str, WorkplacePlan],
    ):
        self.plan, self.label, self.rng = plan, label, rng
        self.identifier = plan.identifier
        self.home = (plan.home_lat, plan.home_lon)
        self.spots = {code: spot_inside(rng, workplaces[code]) for code in plan.workplace_codes}
        self.home_bssids = tuple(random_bssid(rng) for _ in range(rng.randint(1, 3)))
        self.carrier = rng.choice(list(CARRIERS))
        self.phones: list[Phone] = []
        self.partner: str | None = None
        self.cheat_days: set[date] = set()
        self.late_share = 0.04
        self.habit: dict = {}
        self.held: list[tuple[SignedEvent, RequestMeta, str]] = []  # replay stock: event, kind
        self.day_labels: dict[date, str | None] = {}
        self._mobile: dict[tuple[date, int], str] = {}
        self._sessions: dict[date, tuple[bool, bool]] = {}

    @property
    def phone(self) -> Phone:
        return self.phones[0]

    def phone_at(self, at: datetime) -> Phone:
        """The phone this person uses at `at`: their own, newest first once it is approved."""
        own = [p for p in self.phones if p.holder == self.identifier]
        for phone in reversed(own):
            if phone.active_at(at):
                return phone
        return own[0]

    def mobile_addr(self, day: date, part: int = 0) -> str:
        """A carrier NAT address, kept for a session (a half day)."""
        key = (day, part)
        if key not in self._mobile:
            low, high = CARRIERS[self.carrier]
            octets = (
                self.rng.randint(low, high),
                self.rng.randrange(256),
                self.rng.randint(1, 254),
            )
            self._mobile[key] = "100.{}.{}.{}".format(*octets)
        return self._mobile[key]

    def session(self, day: date) -> tuple[bool, bool]:
        """(Wi-Fi on, connected to the office Wi-Fi) for the day."""
        if day not in self._sessions:
            wifi_on = self.rng.random() < WIFI_ON_SHARE
            self._sessions[day] = (wifi_on, wifi_on and self.rng.random() < WIFI_CONNECTED_SHARE)
        return self._sessions[day]

    def spot(self, workplace: WorkplacePlan) -> tuple[float, float]:
        return self.spots.get(workplace.code) or (workplace.centre_lat, workplace.centre_lon)


# ---------------------------------------------------------------------------------------------
# One employee's day: the helpers every day function uses.


class Today:
    """`world`, `person` and `ctx` bound together; `practice` labels the events it makes."""

    def __init__(self, world: World, person: Person, ctx: DayContext):
        self.world, self.person, self.ctx = world, person, ctx
        self.rng, self.workplace, self.day = person.rng, ctx.workplace, ctx.day
        self.practice: str | None = None

    # Where the phone is, and what it sees.

    def desk_fix(self) -> Fix:
        if self.day in self.person.habit.get("bad_gps_days", ()):
            return bad_gps_fix(self.rng, self.person.spot(self.workplace))
        return honest_fix(self.rng, self.person.spot(self.workplace), self.workplace.tier)

    def home_fix(self) -> Fix:
        return honest_fix(self.rng, self.person.home, GOOD)

    def spoofed(self) -> Fix:
        return spoofed_fix(self.rng, self.person.habit["pin"])

    def office_net(self) -> Network:
        wp, rng = self.workplace, self.rng
        wifi_on, connected = self.person.session(self.day)
        scan: list[tuple[str, int]] = []
        if wifi_on:
            scan += [(b, rng.randint(-78, -45)) for b in wp.known_bssids if rng.random() < 0.85]
            neighbours = self.world.neighbour_bssids(wp)
            scan += [(b, rng.randint(-92, -70)) for b in neighbours if rng.random() < 0.5]
        office = self.world.office_addr(wp)
        return Network(office if connected and office else self.mobile(), tuple(scan))

    def home_net(self, wifi_share: float, part: int = 0) -> Network:
        scan = ()
        if self.rng.random() < wifi_share:
            scan = tuple((b, self.rng.randint(-65, -35)) for b in self.person.home_bssids)
        return Network(self.mobile(part), scan)

    def mobile(self, part: int = 0) -> str:
        return self.person.mobile_addr(self.day, part)

    def code(self, at: datetime, share: float | None = None) -> str | None:
        """The code on the office screen, if it is scanned this time."""
        if share is None:
            share = CODE_SCAN_SHARE.get(self.workplace.office_code_mode, 0.0)
        if self.workplace.office_code_mode == "off" or self.rng.random() >= share:
            return None
        return self.world.office_code(self.workplace, at - seconds(self.rng.uniform(2, 10)))

    def stale_code(self, at: datetime, share: float = 0.35) -> str | None:
        """Where a code is required: one photographed by a colleague and sent over WhatsApp,
        minutes old, so invalid; otherwise none."""
        if self.workplace.office_code_mode != REQUIRED or self.rng.random() >= share:
            return None
        return self.world.office_code(self.workplace, at - minutes(self.rng.uniform(3, 25)))

    # Events.

    def emit(
        self,
        kind: str,
        at: datetime,
        fix: Fix,
        net: Network,
        *,
        code: str | None = None,
        challenge: ChallengeRecord | None = None,
        offline: bool = False,
        sync: tuple[datetime, str] | None = None,
        phone: Phone | None = None,
        note: str = "",
        hold: bool = False,
        latency: tuple[float, float] = (0.2, 2.5),
    ) -> Emitted:
        """Make one signed event on a phone at `at`, and send it, queue it (uploaded at
        `sync` = (when, from which address)) or hold it back (a replay cheater's proxy)."""
        person, world = self.person, self.world
        phone = phone or person.phone_at(at)
        phone.flush_due(world, at)
        phone.advance(at)
        wall = phone.clock.wall()
        # A GNSS fix carries satellite time; fused and network fixes the phone's own clock.
        fix_clock = at.astimezone(TZ) if fix.provider == "gps" else wall
        event = phone.device.make_event(
            kind,
            fix.lat,
            fix.lon,
            fix.accuracy_m,
            provider=fix.provider,
            mock=fix.mock,
            fix_time=fix_clock - seconds(fix.age_s),
            wifi=list(net.wifi),
            office_code=code,
            queued_offline=offline,
            challenge_id=challenge.challenge_id if challenge else None,
            event_id=random_id(self.rng),
        )
        meta = RequestMeta(person.identifier, self.day, kind, self.practice, note)
        if hold:
            person.held.append((event, meta, kind))
            return Emitted(kind, at, None, net.addr, fix, net.wifi, False, at, code is not None)
        if offline:
            record = at if phone.can_derive() else wall
            sync_at, sync_addr = sync or (at + minutes(60), net.addr)
            received = phone.enqueue(event, meta, sync_at, sync_addr)
        else:  # the app uploads what it queued before the new event
            flushed = phone.flush(world, at, net.addr) if phone.queue else at
            received = flushed + seconds(self.rng.uniform(*latency))
            world.add(received, net.addr, event, meta)
            record = received
        accepted = phone.active_at(received)
        if not accepted:
            phone.device.rewind(event)  # the app got 403: the next event reuses seq/prev_hash
        elif not offline:
            phone.anchor_boot = phone.clock.boot_count
        emitted = Emitted(
            kind,
            at,
            received,
            net.addr,
            fix,
            net.wifi,
            accepted,
            min(record, received),
            bool(code),
            self.workplace.code,
        )
        world.trace(person.identifier, self.day, emitted)
        return emitted

    def at_office(self, kind: str, at: datetime, **kwargs) -> Emitted:
        """An honest event at the desk, over the office network or mobile data."""
        code = self.code(at)
        return self.emit(kind, at, self.desk_fix(), self.office_net(), code=code, **kwargs)

    def send_held(self, kind: str, at: datetime, addr: str) -> bool:
        """Send a body captured on an earlier day, byte for byte."""
        held = self.person.held
        index = next((i for i, item in enumerate(held) if item[2] == kind), None)
        if index is None:
            return False
        event, meta, _ = held.pop(index)
        note = f"held since {meta.day.isoformat()}"
        replayed = RequestMeta(self.person.identifier, self.day, kind, self.practice, note)
        self.world.add(at, addr, event, replayed)
        return True

    # Presence challenges.

    def challenge(self, check_in: Emitted | None, leave_at: datetime | None):
        """Today's challenge, from the function the server uses: issued only if the check-in
        reached the server before the moment of issue and nobody had checked out yet."""
        if check_in is None or not check_in.accepted or check_in.received_at is None:
            return None
        employee_id = self.world.employee_ids[self.person.identifier]
        secret = self.world.challenge_secret
        planned = plan_challenge(
            employee_id=employee_id,
            day=self.day,
            checked_in_at=check_in.record_time,
            planned_end=self.ctx.end,
            tier=self.workplace.tier,
            at_risk=False,
            secret=secret,
            policy=self.world.challenge_policy,
        )
        if planned is None or planned.issued_at < check_in.received_at:
            return None
        if leave_at is not None and leave_at <= planned.issued_at:
            return None
        challenge = ChallengeRecord(
            self.person.identifier,
            employee_id,
            self.workplace.code,
            planned.challenge_id(secret),
            planned,
        )
        self.world.challenges.append(challenge)
        return challenge

    def group_challenge(self, check_in: Emitted | None, leave_at: datetime | None):
        """Today's group challenge, when the server suspects this employee's set: issued to
        those checked in (before the moment) and not yet out, each their own challenge."""
        world, person = self.world, self.person
        group = world.group_plans.get((person.identifier, self.day))
        if group is None or check_in is None or not check_in.accepted:
            return None
        planned = group.planned
        if check_in.received_at is None or check_in.received_at > planned.issued_at:
            return None
        if leave_at is not None and leave_at <= planned.issued_at:
            return None
        if (group.group_id, person.identifier) in world.group_issued:
            return None
        world.group_issued.add((group.group_id, person.identifier))
        employee_id = world.employee_ids[person.identifier]
        challenge = ChallengeRecord(
            person.identifier,
            employee_id,
            self.workplace.code,
            planned.challenge_id(employee_id, world.challenge_secret),
            PlannedChallenge(employee_id, self.day, planned.issued_at, planned.deadline),
            reason="group",
            group_id=group.group_id,
        )
        world.challenges.append(challenge)
        return challenge

    def group_answer_at(self, challenge: ChallengeRecord) -> datetime:
        """An honest member: when they notice the push, alone at their desk."""
        issued, deadline = challenge.planned.issued_at, challenge.planned.deadline
        return issued + seconds(self.rng.uniform(15, (deadline - issued).total_seconds() - 25))

    def answer_at(self, challenge: ChallengeRecord) -> datetime:
        issued, deadline = challenge.planned.issued_at, challenge.planned.deadline
        window = (deadline - issued).total_seconds()
        if self.workplace.tier == GOOD:
            return issued + seconds(self.rng.uniform(15, min(420, window - 60)))
        return issued + seconds(self.rng.uniform(60, 0.8 * window))

    # The working day.

    def arrival(self, late_share: float) -> datetime:
        if self.rng.random() < late_share:
            return self.ctx.start + minutes(self.rng.triangular(1, 90, 12))
        return self.ctx.start - minutes(self.rng.triangular(2, 40, 12))

    def departure(self) -> datetime:
        if self.rng.random() < LEFT_EARLY_SHARE:
            return self.ctx.end - minutes(self.rng.uniform(5, 40))
        return self.ctx.end + minutes(self.rng.triangular(0, 35, 6))


# ---------------------------------------------------------------------------------------------
# Honest days.


def honest_town_day(d: Today, *, capture: bool = False) -> None:
    """At the office from arrival to departure. `capture`: a replay cheater's proxy swallows the
    first check-in (kept for later), and the employee taps again."""
    rng = d.rng
    at, door = _town_arrival(d)
    if capture:
        d.at_office("check_in", at, note="captured", hold=True)
        at += seconds(rng.uniform(20, 90))
    if door is not None:  # walked in beside the driver: near them, their own phone and body
        check_in = d.emit("check_in", at, door[0], door[1], code=d.code(at), note="carpool")
    else:
        check_in = d.at_office("check_in", at)
    leave, home = _town_departure(d)
    forgot = rng.random() < d.person.habit.get("forget_share", FORGOT_CHECK_OUT_SHARE)
    answers = []
    challenge = d.challenge(check_in, None if forgot else leave)
    if challenge and rng.random() < HONEST_ANSWER_SHARE[GOOD]:
        answers.append((d.answer_at(challenge), challenge))
    group = d.group_challenge(check_in, None if forgot else leave)
    if group is not None:
        if d.person.identifier in d.world.carriers:  # the phones' carrier: his own one first
            answers.append((_hand_start(d, group), group))
        elif rng.random() < HONEST_ANSWER_SHARE[GOOD]:
            answers.append((d.group_answer_at(group), group))
    for answer, asked in sorted(answers, key=lambda a: a[0]):
        if answer < leave:
            emitted = d.at_office("presence_check", answer, challenge=asked)
            if asked.group_id and d.person.identifier in d.world.carriers:
                d.world.hands[asked.group_id] = emitted
    if forgot:
        return
    if capture and rng.random() < 0.5:
        d.at_office("check_out", leave, note="captured", hold=True)
        leave += seconds(rng.uniform(20, 90))
    if home is not None:
        d.emit("check_out", leave, home[0], home[1], code=d.code(leave), note="carpool home")
    elif _leaves_without_wifi(d):
        _check_out_walking_out(d, leave)
    else:
        d.at_office("check_out", leave)


# Some people check out on their way out: Wi-Fi already off (battery saver) or out of the
# office access points' reach at the gate, on mobile data, the office code screen behind them.
# Drawn from a stream of its own (keyed by employee and day), so that adding this honest life
# left every other draw of the month as it was.
WALK_OUT_PEOPLE_SHARE = 0.3  # of the people: the habit at all
WALK_OUT_DAYS_SHARE = (0.05, 0.5)  # of such a person's check-outs
WALK_OUT_CODE_SHARE = 0.3  # still scans the code on the way past the screen


def _walk_out_rng(d: Today, what: str) -> random.Random:
    return random.Random(f"hadir-sim:walk-out:{what}:{d.person.identifier}:{d.day.isoformat()}")


def _leaves_without_wifi(d: Today) -> bool:
    person = random.Random(f"hadir-sim:walk-out:person:{d.person.identifier}")
    if person.random() >= WALK_OUT_PEOPLE_SHARE:
        return False
    share = person.uniform(*WALK_OUT_DAYS_SHARE)
    return _walk_out_rng(d, "day").random() < share


def _check_out_walking_out(d: Today, leave: datetime) -> Emitted:
    """An honest check-out at the edge of the office grounds: the fix inside the fence, no
    Wi-Fi scan, a carrier address; the draws of an ordinary desk check-out are made all the
    same (and the office network dropped), so the rest of the person's month is unchanged."""
    code, fix = d.code(leave), d.desk_fix()
    d.office_net()
    side = _walk_out_rng(d, "net")
    low, high = CARRIERS[d.person.carrier]
    addr = f"100.{side.randint(low, high)}.{side.randrange(256)}.{side.randint(1, 254)}"
    if side.random() >= WALK_OUT_CODE_SHARE:
        code = None
    return d.emit("check_out", leave, fix, Network(addr, ()), code=code, note="walking out")


def _hand_start(d: Today, group: ChallengeRecord) -> datetime:
    """When a carrier answers his own phone of a group challenge: quickly, the others wait."""
    rng = random.Random(f"hadir-month:hand-start:{group.group_id}")
    return group.planned.issued_at + seconds(rng.uniform(15, 90))


def _town_arrival(d: Today) -> tuple[datetime, tuple[Fix, Network] | None]:
    """Alone, or in a colleague's car: seconds after them, on the days they ride together,
    sometimes checking in beside them at the door (then the fix and scan of that spot)."""
    rng, habit = d.rng, d.person.habit
    ride = habit.get("carpool")
    habit["rode_in"] = None
    if ride is not None and rng.random() < habit.get("carpool_share", 0.0):
        driver_in = d.world.first(ride, d.day, "check_in")
        if driver_in is not None:
            habit["rode_in"] = d.day
            at = driver_in.at + seconds(rng.uniform(5, 60))
            beside = driver_in.workplace == d.workplace.code  # not at their second place
            if beside and rng.random() < habit.get("door_share", 0.0):
                return at, _beside(d, driver_in)
            return at, None
    return d.arrival(d.person.late_share) + minutes(rng.uniform(0.2, 2)), None


def _town_departure(d: Today) -> tuple[datetime, tuple[Fix, Network] | None]:
    """Alone, or on some of the days they rode in together, home in the same car."""
    rng, habit = d.rng, d.person.habit
    ride = habit.get("carpool")
    rode_in = ride is not None and habit.get("rode_in") == d.day
    if rode_in and rng.random() < habit.get("ride_home_share", 0.0):
        driver_out = d.world.first(ride, d.day, "check_out")
        same_place = driver_out is not None and driver_out.workplace == d.workplace.code
        if same_place and driver_out.at > d.ctx.start + minutes(60):
            return driver_out.at + seconds(rng.uniform(5, 60)), _beside(d, driver_out)
    return d.departure(), None


def _beside(d: Today, other: Emitted) -> tuple[Fix, Network]:
    """Standing beside a colleague: the fix of another body (its own error, metres off) and
    the same access points at this phone's own strengths, over this phone's own network."""
    rng = d.rng
    lat, lon = scatter(rng, (other.fix.lat, other.fix.lon), 4, 15)
    fix = Fix(lat, lon, round(rng.uniform(8, 30), 1), rng.choice(("gps", "fused")), age_s=2.0)
    wifi = tuple((b, max(-100, min(-30, r + rng.randint(-12, 12)))) for b, r in other.wifi)
    net = d.office_net()
    return fix, Network(net.addr, wifi if net.wifi else ())


def duty_travel_day(d: Today) -> None:
    """Approved dinas luar: in and out at the destination, over mobile data. The server issues
    no challenge on such a day, so none is planned here."""
    rng = d.rng
    lat, lon, _radius = d.person.habit["duty"][d.day]
    spot = scatter(rng, (lat, lon), 0, 150)
    at = d.arrival(0.1) + minutes(rng.uniform(0.2, 20))
    d.emit("check_in", at, honest_fix(rng, spot, GOOD), Network(d.mobile()), note="on DL")
    if rng.random() < 0.9:
        leave = d.departure() + minutes(rng.uniform(-60, 30))
        d.emit("check_out", leave, honest_fix(rng, spot, GOOD), Network(d.mobile(1)), note="on DL")


def remote_event(d: Today, kind: str, at: datetime, *, challenge=None, online=None) -> Emitted:
    """Online when the signal allows (an answer to a challenge needs it), else queued."""
    rng, wp = d.rng, d.workplace
    if online is None:
        online = rng.random() < REMOTE_ONLINE_SHARE.get(wp.tier, 0.0)
    code = d.code(at, REMOTE_CODE_SCAN_SHARE.get(wp.tier, 0.3))
    if online:
        office = d.world.office_addr(wp)  # a satellite link at the office, if it has Wi-Fi
        addr = office if office and rng.random() < 0.7 else d.mobile()
        net = Network(addr, tuple((b, rng.randint(-80, -50)) for b in wp.known_bssids))
        return d.emit(kind, at, d.desk_fix(), net, code=code, challenge=challenge, latency=(1, 20))
    scan = tuple((b, rng.randint(-80, -50)) for b in wp.known_bssids if rng.random() < 0.6)
    sync_at = at + timedelta(hours=sync_delay_hours(rng, wp.tier))
    sync = (sync_at, d.person.mobile_addr(sync_at.date(), 1))
    return d.emit(kind, at, d.desk_fix(), Network("", scan), code=code, offline=True, sync=sync)


def sync_delay_hours(rng: random.Random, tier: str) -> float:
    """When the phone next finds a signal: that evening, the next day, or after a weekend."""
    roll = rng.random()
    bands = SYNC_DELAY_BANDS.get(tier, SYNC_DELAY_BANDS["none"])
    for share, low, high in bands:
        if roll < share:
            return rng.uniform(low, high)
        roll -= share
    return rng.uniform(low, high)


def honest_remote_day(d: Today) -> None:
    rng, tier = d.rng, d.workplace.tier
    check_in = remote_event(d, "check_in", d.arrival(0.1) + minutes(rng.uniform(0.5, 5)))
    leave = d.departure()
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < HONEST_ANSWER_SHARE.get(tier, 0.5):
        answer = d.answer_at(challenge)
        if answer < leave:
            remote_event(d, "presence_check", answer, challenge=challenge, online=True)
    remote_event(d, "check_out", leave)


# ---------------------------------------------------------------------------------------------
# Cheating days. Each returns its label when it cheated, None when it fell back to honesty.


def fake_gps_day(d: Today, style: str) -> str:
    """At home all day; a fake-GPS app puts the phone in the office."""
    rng, habit = d.rng, d.person.habit
    d.practice = {"naive": FAKE_GPS_NAIVE, "clever": FAKE_GPS_CLEVER, "frozen": FAKE_GPS_FROZEN}[
        style
    ]
    day_pin = scatter(rng, habit["pin"], 0, 20)  # the naive user drops the pin anew each day

    def fix() -> Fix:
        if style == "naive":
            return Fix(*day_pin, habit["mock_accuracy"], "gps", mock=True, age_s=0.0)
        return habit["frozen_fix"] if style == "frozen" else d.spoofed()

    wifi_share = habit.get("wifi_share", 0.6 if style == "naive" else 0.3)
    at = d.ctx.start - minutes(rng.uniform(2, 25))
    net = d.home_net(wifi_share)
    check_in = d.emit("check_in", at, fix(), net, code=d.stale_code(at), note=style)
    leave = d.ctx.end + minutes(rng.uniform(0, 25))
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < habit.get("answer_share", 0.5 if style == "naive" else 0.7):
        d.emit(
            "presence_check",
            d.answer_at(challenge),
            fix(),
            d.home_net(wifi_share),
            challenge=challenge,
            note=style,
        )
    net = d.home_net(wifi_share, part=1)
    d.emit("check_out", leave, fix(), net, code=d.stale_code(leave), note=style)
    return d.practice


def buddy_day(d: Today, practice: str = BUDDY_PUNCHING) -> str | None:
    """The partner, at the office, works the absent employee's phone seconds after their own.
    A carrier (PHONE_CARRIER) does it for several colleagues, one phone after the other, always
    in the same order (the slot)."""
    rng, partner = d.rng, d.person.partner
    partner_in = d.world.first(partner, d.day, "check_in")
    if partner_in is None:  # the partner is away: the employee comes in person
        honest_town_day(d)
        return None
    d.practice = practice
    partner_out = d.world.first(partner, d.day, "check_out")
    note = f"carried by {partner}"
    slot = d.person.habit.get("slot", 0)
    carried = partner in d.world.carriers  # a buddy is a carrier of one phone

    def copy(kind: str, after: Emitted) -> Emitted:
        if carried:  # the carrier's hand: in his order, seconds or a minute apart
            round_key = f"{d.day.isoformat()}:{kind}"
            offset, apart = d.world.hand(partner, d.day, round_key, d.person.identifier)
            at = after.at + seconds(offset)
        else:
            at, apart = after.at + seconds(rng.uniform(5, 90) + slot * rng.uniform(15, 40)), False
        code = d.code(at, share=1.0) if after.with_code else None
        if apart:  # he stepped away between phones: another spot, other strengths
            fix = Fix(*scatter(rng, (after.fix.lat, after.fix.lon), 12, 40), after.fix.accuracy_m)
            net = Network(after.addr, tuple((b, rng.randint(-85, -45)) for b, _ in after.wifi))
        else:
            fix, net = near(rng, after.fix), Network(after.addr, jitter_wifi(rng, after.wifi))
        return d.emit(kind, at, fix, net, code=code, note=note)

    check_in = copy("check_in", partner_in)
    answers = []
    challenge = d.challenge(check_in, partner_out.at if partner_out else None)
    if challenge and rng.random() < 0.9:
        answer = d.answer_at(challenge)
        net = Network(partner_in.addr, jitter_wifi(rng, partner_in.wifi))
        answers.append((answer, challenge, d.desk_fix(), net))
    group = d.group_challenge(check_in, partner_out.at if partner_out else None)
    if group is not None and carried:
        answer = _carried_answer(d, partner, group, partner_in)
        if answer is not None:
            answers.append((answer[0], group, answer[1], answer[2]))
    for at, asked, fix, net in sorted(answers, key=lambda a: a[0]):
        if partner_out is None or at < partner_out.at:
            code = d.code(at)
            d.emit("presence_check", at, fix, net, code=code, challenge=asked, note=note)
    if partner_out is not None:
        copy("check_out", partner_out)
    return d.practice


def _carried_answer(d: Today, carrier: str, group: ChallengeRecord, partner_in: Emitted):
    """The carrier answers the group challenge phone after phone from where he stands, after
    his own; in a hurry (the deadline is short), so he misses one now and then."""
    rng, care = d.rng, d.world.carrier_care[carrier]
    own = d.world.hands.get(group.group_id)
    start = own.at if own is not None else _hand_start(d, group)
    where = own if own is not None else partner_in
    offset, apart = d.world.hand(carrier, d.day, group.group_id, d.person.identifier)
    at = start + seconds(offset)
    if rng.random() < care["miss"] or at > group.planned.deadline - seconds(5):
        return None
    if apart and rng.random() < 0.5:  # he steps away between answers too, now and then
        fix = Fix(*scatter(rng, (where.fix.lat, where.fix.lon), 12, 40), where.fix.accuracy_m)
        return (
            at,
            fix,
            Network(where.addr, tuple((b, rng.randint(-85, -45)) for b, _ in where.wifi)),
        )
    return at, near(rng, where.fix), Network(where.addr, jitter_wifi(rng, where.wifi))


def password_sharing_day(d: Today) -> str | None:
    """The colleague's own phone (a dual-app copy, pending approval) checks in for them."""
    rng, person = d.rng, d.person
    partner = d.world.people[person.partner]
    partner_in = d.world.first(partner.identifier, d.day, "check_in")
    if partner_in is None:
        honest_town_day(d)
        return None
    d.practice = PASSWORD_SHARING
    handset = partner.phone_at(partner_in.at)
    shared = person.habit.get("shared_phone")
    if shared is None:  # enrolled on the first day, before the colleague checks in
        enrolled = partner_in.at - minutes(rng.uniform(10, 40))
        shared = new_phone(
            rng,
            account=person.identifier,
            holder=partner.identifier,
            now=enrolled - minutes(1),
            enrolled_at=enrolled,
            description=handset.description,
        )
        shared.base_offset = handset.base_offset
        shared.clock.set_wall_offset(handset.base_offset)
        person.phones.append(shared)
        person.habit["shared_phone"] = shared
    note = f"colleague {partner.identifier}'s phone, not approved"

    def attempt(kind: str, after: Emitted) -> None:
        at = after.at + seconds(rng.uniform(10, 120))
        for _ in range(2 if rng.random() < 0.5 else 1):  # "gagal"? try once more
            # One handset: the dual app reads the colleague's own boot count and uptime.
            shared.clock.booted_at = handset.clock.booted_at
            shared.clock.boot_count = handset.clock.boot_count
            fix = Fix(after.fix.lat, after.fix.lon, after.fix.accuracy_m, after.fix.provider)
            code = d.code(at, share=1.0) if after.with_code else None
            net = Network(after.addr, after.wifi)
            d.emit(kind, at, fix, net, code=code, phone=shared, note=note)
            at += seconds(rng.uniform(30, 120))

    attempt("check_in", partner_in)
    partner_out = d.world.first(partner.identifier, d.day, "check_out")
    if partner_out is not None:
        attempt("check_out", partner_out)
    return d.practice


def replay_day(d: Today) -> str | None:
    """At home: send a check-in captured on an earlier day (and a check-out if one was kept)."""
    if not any(kind == "check_in" for *_, kind in d.person.held):
        honest_town_day(d, capture=True)
        return None
    d.practice = REPLAY
    d.send_held("check_in", d.ctx.start - minutes(d.rng.uniform(3, 25)), d.mobile())
    d.send_held("check_out", d.ctx.end + minutes(d.rng.uniform(0, 20)), d.mobile(1))
    return d.practice


def backdated_offline_day(d: Today) -> str:
    """Late: the check-in is made offline at home before 07:30 and uploaded on arrival."""
    rng, person = d.rng, d.person
    d.practice = BACKDATED_OFFLINE
    made = d.ctx.start - minutes(rng.uniform(1, 20))
    come = d.ctx.start + minutes(rng.uniform(20, 150))
    if rng.random() < 0.65:
        where, place = "home", person.home
        scan = tuple((b, rng.randint(-65, -35)) for b in person.home_bssids)
    else:
        where, scan = "on the way", ()
        spot, share = person.spot(d.workplace), rng.uniform(0.3, 0.8)
        place = tuple(s + share * (h - s) for s, h in zip(spot, person.home, strict=True))
    fix = Fix(*scatter(rng, place, 5, 20), round(rng.uniform(8, 30), 1), "fused", age_s=5.0)
    sync_at = come + minutes(rng.uniform(0.5, 4))
    check_in = d.emit(
        "check_in",
        made,
        fix,
        Network("", scan),
        offline=True,
        sync=(sync_at, d.office_net().addr),
        note=where,
    )
    leave = max(d.departure(), sync_at + minutes(30))
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < HONEST_ANSWER_SHARE[GOOD]:
        answer = d.answer_at(challenge)
        if sync_at < answer < leave:
            d.at_office("presence_check", answer, challenge=challenge)
    d.at_office("check_out", leave)
    return d.practice


def clock_tamper_day(d: Today) -> str:
    """Late: the wall clock is set back before checking in, then set right again."""
    rng = d.rng
    d.practice = CLOCK_TAMPER
    variant = d.person.habit["tamper"]
    if rng.random() < 0.2:
        variant = rng.choice(("online", "offline", "reboot"))
    at = d.ctx.start + minutes(rng.uniform(15, 120))
    claimed = d.ctx.start - minutes(rng.uniform(2, 12))
    shift = -minutes(round((at - claimed).total_seconds() / 60))  # set in hours and minutes
    phone = d.person.phone_at(at)
    phone.advance(at - seconds(rng.uniform(20, 60)))
    phone.clock.set_wall_offset(phone.base_offset + shift)
    if variant == "reboot":  # "a restart clears it": the server loses the monotonic anchor
        phone.clock.reboot()
    fix = d.desk_fix()
    provider = rng.choice(("gps", "fused")) if variant == "online" else "fused"
    fix = Fix(fix.lat, fix.lon, fix.accuracy_m, provider, age_s=1.0)
    code = d.code(at)  # the screen shows the code of the real time
    net = d.office_net()
    note = f"clock set back {-shift.total_seconds() / 60:.0f} min ({variant})"
    if variant == "online":
        check_in = d.emit("check_in", at, fix, net, code=code, phone=phone, note=note)
    else:
        sync = (at + minutes(rng.uniform(1, 5)), net.addr)
        check_in = d.emit(
            "check_in",
            at,
            fix,
            Network("", net.wifi),
            code=code,
            offline=True,
            sync=sync,
            phone=phone,
            note=note,
        )
    phone.clock.set_wall_offset(phone.base_offset)  # back to automatic time
    leave = max(d.departure(), at + minutes(30))
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < HONEST_ANSWER_SHARE[GOOD]:
        answer = d.answer_at(challenge)
        if at + minutes(6) < answer < leave:
            d.at_office("presence_check", answer, challenge=challenge)
    d.at_office("check_out", leave)
    return d.practice


def check_in_and_leave_day(d: Today) -> str:
    """In at the office, home 30-60 minutes later; out from home or back at the office."""
    rng = d.rng
    d.practice = CHECK_IN_AND_LEAVE
    at = d.arrival(0.05) + minutes(rng.uniform(0.3, 3))
    check_in = d.at_office("check_in", at)
    gone = at + minutes(rng.uniform(30, 60))
    back = rng.random() < 0.45
    leave = d.ctx.end + minutes(rng.uniform(-10, 15) if back else rng.uniform(0, 20))
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < 0.4:
        answer = max(d.answer_at(challenge), gone + minutes(1))
        if answer <= challenge.planned.deadline - seconds(20):
            d.emit(
                "presence_check",
                answer,
                d.home_fix(),
                d.home_net(0.6),
                challenge=challenge,
                note="answered from home",
            )
    if back:
        d.at_office("check_out", leave, note="back at the office")
    else:
        d.emit("check_out", leave, d.home_fix(), d.home_net(0.6, 1), note="from home")
    return d.practice


def home_checkout_day(d: Today) -> str:
    """In at the office; home 40-150 minutes later; the check-out spoofed near the office."""
    rng, habit = d.rng, d.person.habit
    d.practice = HOME_CHECKOUT
    at, _ = _town_arrival(d)
    check_in = d.at_office("check_in", at)
    gone = at + minutes(rng.uniform(40, 150))
    leave = d.ctx.end + minutes(rng.uniform(0, 20))
    wifi_share = habit.get("wifi_share", 0.5)
    challenge = d.challenge(check_in, leave)
    if challenge is not None:
        answer = d.answer_at(challenge)
        if answer < gone:
            d.at_office("presence_check", answer, challenge=challenge)
        elif rng.random() < habit.get("answer_share", 0.5):
            net = d.home_net(wifi_share)
            d.emit("presence_check", answer, d.spoofed(), net, challenge=challenge, note="home")
    net = d.home_net(wifi_share, part=1)
    d.emit("check_out", leave, d.spoofed(), net, code=d.stale_code(leave), note="spoofed, home")
    return d.practice


def impossible_movement_day(d: Today) -> str:
    """Spoofed office events next to real ones: 20-40 km away, or at home, minutes apart."""
    rng, habit = d.rng, d.person.habit
    d.practice = IMPOSSIBLE_MOVEMENT
    net, evening = Network(d.mobile()), Network(d.mobile(1))
    leave = d.ctx.end + minutes(rng.uniform(0, 15))
    variant = habit["movement"] if rng.random() < 0.8 else rng.choice(("far", "home"))
    if variant == "far":
        at = d.ctx.start - minutes(rng.uniform(2, 20))
        check_in = d.emit("check_in", at, d.spoofed(), net, note="spoofed, really far away")
        challenge = d.challenge(check_in, leave)
        if challenge and rng.random() < 0.6:
            d.emit(
                "presence_check",
                d.answer_at(challenge),
                d.spoofed(),
                net,
                challenge=challenge,
                note="spoofed",
            )
        real = Fix(*scatter(rng, habit["far"], 3, 15), round(rng.uniform(5, 20), 1), "gps")
        d.emit("check_out", leave, real, evening, note="real location, fake GPS off")
        retry = leave + minutes(rng.uniform(2, 10))
        d.emit("check_out", retry, d.spoofed(), evening, note="spoofed retry")
        return d.practice
    at = d.ctx.start - minutes(rng.uniform(5, 20))
    check_in = d.emit("check_in", at, d.home_fix(), net, note="real location, from home")
    retry = at + minutes(rng.uniform(1, 4))
    d.emit("check_in", retry, d.spoofed(), net, note="spoofed retry")
    challenge = d.challenge(check_in, leave)
    if challenge and rng.random() < 0.8:
        spoof = rng.random() < 0.4
        fix = d.spoofed() if spoof else d.home_fix()
        d.emit(
            "presence_check",
            d.answer_at(challenge),
            fix,
            net,
            challenge=challenge,
            note="spoofed" if spoof else "from home",
        )
    d.emit("check_out", leave, d.spoofed(), evening, note="spoofed")
    return d.practice


DAY_FUNCTIONS: dict[str, Callable[[Today], str | None]] = {
    FAKE_GPS_NAIVE: lambda d: fake_gps_day(d, "naive"),
    FAKE_GPS_CLEVER: lambda d: fake_gps_day(d, "clever"),
    FAKE_GPS_FROZEN: lambda d: fake_gps_day(d, "frozen"),
    BUDDY_PUNCHING: buddy_day,
    PASSWORD_SHARING: password_sharing_day,
    REPLAY: replay_day,
    BACKDATED_OFFLINE: backdated_offline_day,
    CLOCK_TAMPER: clock_tamper_day,
    CHECK_IN_AND_LEAVE: check_in_and_leave_day,
    IMPOSSIBLE_MOVEMENT: impossible_movement_day,
    PHONE_CARRIER: lambda d: buddy_day(d, PHONE_CARRIER),
    HOME_CHECKOUT: home_checkout_day,
}
