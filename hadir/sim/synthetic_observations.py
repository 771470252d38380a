"""A synthetic batch of honest observations, shaped like a regency-month, for the signals'
benchmark and for tests that honest people stay below review. No Django."""

import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hadir.domain.signals.base import (
    AnalysisInput,
    ChallengeFacts,
    DeviceFacts,
    Observation,
    WorkplaceFacts,
)

WIB = ZoneInfo("Asia/Jakarta")


def batch(employees: int, seed: int = 7) -> AnalysisInput:
    rng = random.Random(seed)
    workplaces = {
        w: WorkplaceFacts(
            w,
            ("good", "good", "poor", "none")[w % 4],
            -2.0 - w * 0.01,
            113.0 + (w % 17) * 0.02,
            "Asia/Jakarta",
        )
        for w in range(max(1, employees // 30))
    }
    days, d = [], date(2025, 3, 3)
    while len(days) < 22:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    observations, challenges, homes, devices, n = [], [], {}, {}, 0
    for e in range(employees):
        place = workplaces[e % len(workplaces)]
        homes[e] = place.workplace_id
        devices[e] = DeviceFacts(e, e, datetime(2024, 1, 1, tzinfo=WIB), True)
        poor = place.tier != "good"
        # The office's own networks and a neighbour's, seen from the desk when Wi-Fi is on.
        networks = tuple(f"02:00:00:00:{place.workplace_id % 256:02x}:{k:02x}" for k in range(3))
        for day in days:
            for kind, hour in (("check_in", 7), ("check_out", 16)):
                n += 1
                t = datetime(
                    day.year,
                    day.month,
                    day.day,
                    hour,
                    rng.randint(0, 40),
                    rng.randint(0, 59),
                    tzinfo=WIB,
                )
                metres, angle = rng.uniform(0, 80 if poor else 15), rng.uniform(0, 2 * math.pi)
                offline = poor and rng.random() < 0.5
                observations.append(
                    Observation(
                        f"e{n}",
                        e,
                        e,
                        kind,
                        t,
                        t + timedelta(hours=rng.uniform(0, 40) * offline),
                        t,
                        n * 1000,
                        1,
                        n,
                        place.lat + metres * math.cos(angle) / 110_574,
                        place.lon + metres * math.sin(angle) / 111_000,
                        rng.uniform(30, 100) if poor else rng.uniform(10, 30),
                        False,
                        t - timedelta(seconds=2),
                        offline,
                        None if poor else True,
                        None if poor else rng.random() < 0.98,
                        rng.random() < 0.3,
                        f"182.{e % 200}.{rng.randint(0, 3)}.1",
                        place.workplace_id,
                        metres - 100,
                        "accepted",
                        frozenset(),
                        None,
                        tuple((b, rng.randint(-90, -45)) for b in networks if rng.random() < 0.6)
                        if rng.random() < 0.6
                        else (),
                    )
                )
            if rng.random() < 0.1:
                issued = datetime(day.year, day.month, day.day, 10, tzinfo=WIB)
                challenges.append(
                    ChallengeFacts(
                        f"c{n}", e, issued, issued + timedelta(minutes=15), f"e{n - 1}", True
                    )
                )
    return AnalysisInput(observations, workplaces, challenges, devices, homes, "Asia/Jakarta")
