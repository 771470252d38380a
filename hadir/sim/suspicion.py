"""What the server's nightly analysis suspects during the simulated month, so that the simulated
server can issue group challenges the way the real one does (hadir.fraud.challenges).

Each simulated night the day's events are added to the grouping of
hadir.domain.signals.travelling_together (the same pure functions the analysis runs) and the
sets it suspects from the days so far are asked the next day, at the moment
hadir.domain.challenges.plan_group_challenge gives. Only what the server could know is read:
the events as it received them, never the practices behind them. Linear: each day's events are
swept once; the sets are found from the pairs that already have enough days together.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from hadir.domain.challenges import plan_group_challenge
from hadir.domain.signals import travelling_together as tt
from hadir.domain.signals.base import Observation
from hadir.domain.signals.policy import DEFAULT_POLICY, SignalPolicy
from hadir.sim.behaviours import Emitted, GroupChallengeRecord, World, minutes

OFFLINE_AFTER = minutes(10)  # received this long after it was made: it waited in a queue


class Suspicion:
    def __init__(self, policy: SignalPolicy = DEFAULT_POLICY):
        self.policy = policy
        self.index = tt.Index()
        self.days_together: dict[tt.Pair, int] = defaultdict(int)
        self._workplaces: dict[str, int] = {}
        self._serial = 0

    def add_day(self, world: World, day: date, employees: list[str]) -> None:
        """The night after `day`: its events join the analysis."""
        observations = [
            self._observation(world.employee_ids[employee], e)
            for employee in employees
            for e in world.traces.get((employee, day), ())
            if e.received_at is not None
        ]
        self.index.add(observations, lambda o: day)
        for pair in tt.together_pairs(self.index, self.policy, [day]).get(day, ()):
            self.days_together[pair] += 1

    def sets(self) -> list[tt.TravellingSet]:
        wanted = self.policy.cotravel_min_days
        pairs = sorted(p for p, n in self.days_together.items() if n >= wanted)
        if not pairs:
            return []
        return tt.suspected_sets(tt.summarise(self.index, pairs, {}, self.policy))

    def plan(
        self, world: World, day: date, start: datetime, end: datetime, ids: dict[int, str]
    ) -> list[GroupChallengeRecord]:
        """Tomorrow's group challenges: each suspected set on a sample of its days."""
        planned = []
        for group in self.sets():
            challenge = plan_group_challenge(
                members=group.members,
                day=day,
                planned_start=start,
                planned_end=end,
                secret=world.challenge_secret,
                policy=world.challenge_policy,
            )
            if challenge is None:
                continue
            record = GroupChallengeRecord(
                challenge.group_id(world.challenge_secret),
                challenge,
                tuple(ids[e] for e in group.members),
            )
            world.groups.append(record)
            for member in record.members:
                world.group_plans[(member, day)] = record
            planned.append(record)
        return planned

    def _observation(self, employee_id: int, e: Emitted) -> Observation:
        self._serial += 1
        workplace = self._workplaces.setdefault(e.workplace, len(self._workplaces) + 1)
        offline = e.received_at - e.at > OFFLINE_AFTER
        return Observation(
            event_id=f"sim{self._serial}",
            employee_id=employee_id,
            device_id=None,
            kind=e.kind,
            time_of_record=e.record_time,
            received_at=e.received_at,
            device_time=None,
            monotonic_ms=None,
            boot_count=None,
            seq=None,
            lat=e.fix.lat,
            lon=e.fix.lon,
            accuracy_m=e.fix.accuracy_m,
            mock=e.fix.mock,
            fix_time=None,
            queued_offline=offline,
            office_code_valid=None,
            bssid_match=None,
            workplace_network=False,
            remote_addr=e.addr,
            workplace_id=workplace,
            geofence_distance_m=None,
            verdict="accepted" if e.accepted else "rejected",
            reason_codes=frozenset(),
            challenge_id=None,
            wifi=tuple((b.lower(), r) for b, r in e.wifi),
        )
