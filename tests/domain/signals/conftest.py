"""Builders for the signal tests: one-line Observations with honest defaults.

Workplace 1 is a town office (good network), 2 a remote one (poor), 3 one with no network.
By default an event is an accepted, online check-in at 07:25 WIB on Monday 3 March 2025, from
inside the employee's office, with a 12 m fix and a valid office code.
"""

from __future__ import annotations

import itertools
import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.signals.base import (
    AnalysisInput,
    ChallengeFacts,
    DeviceFacts,
    Observation,
    WorkplaceFacts,
)
from hadir.domain.signals.policy import DEFAULT_POLICY

TOWN, REMOTE, OFFLINE_SITE = 1, 2, 3
WORKPLACES = {
    TOWN: WorkplaceFacts(TOWN, "good", -2.2100, 113.9200, "Asia/Jakarta"),
    REMOTE: WorkplaceFacts(REMOTE, "poor", -1.1000, 112.5000, "Asia/Jakarta"),
    OFFLINE_SITE: WorkplaceFacts(OFFLINE_SITE, "none", -0.9000, 112.1000, "Asia/Jakarta"),
}
WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 3, 3)  # a Monday
_ids = itertools.count(1)


def at(when: str | datetime, day: date = DAY) -> datetime:
    """'07:25' or '07:25:13' on `day`, or 'YYYY-MM-DD HH:MM[:SS]', in WIB."""
    if isinstance(when, datetime):
        return when
    if len(when) > 8:
        return datetime.fromisoformat(when).replace(tzinfo=WIB)
    parts = [int(p) for p in when.split(":")] + [0]
    return datetime(day.year, day.month, day.day, parts[0], parts[1], parts[2], tzinfo=WIB)


def workday(n: int) -> date:
    """The n-th working day (0-based) from Monday 3 March 2025, skipping weekends."""
    d, left = DAY, n
    while left:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def moved(lat: float, lon: float, north_m: float = 0.0, east_m: float = 0.0):
    return (
        lat + north_m / 110_574.0,
        lon + east_m / (111_320.0 * math.cos(math.radians(lat))),
    )


def jittered(rng: random.Random, lat: float, lon: float, metres: float):
    angle = rng.uniform(0, 2 * math.pi)
    return moved(lat, lon, metres * math.cos(angle), metres * math.sin(angle))


def obs(**kw) -> Observation:
    n = next(_ids)
    workplace_id = kw.pop("workplace_id", TOWN)
    place = WORKPLACES.get(workplace_id)
    employee_id = kw.pop("employee_id", 1)
    day = kw.pop("day", DAY)
    when = at(kw.pop("time", "07:25:00"), day)
    received = at(kw.pop("received_at", when), day)
    reasons = kw.pop("reason_codes", ())
    values = {
        "event_id": f"ev{n}",
        "employee_id": employee_id,
        "device_id": employee_id * 100 if isinstance(employee_id, int) else None,
        "kind": "check_in",
        "time_of_record": when,
        "received_at": received,
        "device_time": when,
        "monotonic_ms": n * 1000,
        "boot_count": 1,
        "seq": n,
        "lat": place.lat if place else -6.2,
        "lon": place.lon if place else 106.8,
        "accuracy_m": 12.0,
        "mock": False,
        "fix_time": when - timedelta(seconds=2),
        "queued_offline": False,
        "office_code_valid": True,
        "bssid_match": None,
        "workplace_network": False,
        "remote_addr": f"10.0.{employee_id}.7",
        "workplace_id": workplace_id,
        "geofence_distance_m": -20.0,
        "verdict": "accepted",
        "reason_codes": frozenset(reasons),
        "challenge_id": None,
    }
    values.update(kw)
    return Observation(**values)


def make_input(observations, *, challenges=(), devices=(), homes=None, workplaces=None):
    observations = list(observations)
    if homes is None:
        homes = {}
        for o in observations:
            homes.setdefault(o.employee_id, o.workplace_id)
    return AnalysisInput(
        observations=observations,
        workplaces=WORKPLACES if workplaces is None else workplaces,
        challenges=list(challenges),
        devices={d.device_id: d for d in devices},
        employee_home_workplace=homes,
        tz_default="Asia/Jakarta",
    )


def device(device_id: int, employee_id: int, enrolled: str = "2024-01-02 08:00", approved=True):
    return DeviceFacts(device_id, employee_id, at(enrolled), approved)


def challenge(
    challenge_id: str,
    employee_id: int = 1,
    issued: str = "10:00",
    day: date = DAY,
    answered: str | None = None,
    inside: bool | None = None,
    minutes: int = 15,
):
    issued_at = at(issued, day)
    return ChallengeFacts(
        challenge_id,
        employee_id,
        issued_at,
        issued_at + timedelta(minutes=minutes),
        answered,
        inside,
    )


def detect(module, inp, policy=DEFAULT_POLICY):
    hits = module.detect(inp, policy)
    for hit in hits:
        assert hit.code == module.CODE
        assert hit.evidence.event_ids, "every hit names at least one event"
        assert hit.evidence.message in module.MESSAGES, hit.evidence.message
        assert_renders(hit.evidence)
    return hits


def text(hit, language: str = "en") -> str:
    """The hit's evidence as a reviewer reads it."""
    return assert_renders(hit.evidence)[language]


def assert_renders(evidence) -> dict[str, str]:
    """The evidence as a reviewer reads it, in Indonesian and in English: every value the
    message names is there, and the Indonesian is a translation, not the English."""
    from django.utils import translation

    from hadir.fraud.evidence_text import render

    texts = {}
    for language in ("id", "en"):
        with translation.override(language):
            texts[language] = render(evidence.message, evidence.values, strict=True)
    assert texts["id"] != texts["en"], texts["en"]
    return texts


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20250303)
