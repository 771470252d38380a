"""GPS says inside the office, but the phone's Wi-Fi scan saw none of the office's networks.

A fake location moves the GPS, not the radio around the phone. Only events with a scan and a
workplace with known access points have bssid_match set; events from the workplace's own
network are left out (the phone is evidently there). A large compound can hide the access
points from a far room, so one day weighs little; as a monthly habit it counts.
"""

from __future__ import annotations

from hadir.domain.signals.base import (
    AnalysisInput,
    Evidence,
    SignalHit,
    event_items,
    group_by_employee_day,
    ids,
)
from hadir.domain.signals.policy import SignalPolicy

CODE = "wifi_mismatch"
DESCRIPTION = "A fix inside the geofence while the Wi-Fi scan saw none of the office's networks."
MESSAGES = (CODE,)


def detect(inp: AnalysisInput, policy: SignalPolicy) -> list[SignalHit]:
    mismatched = (
        o
        for o in inp.observations
        if o.bssid_match is False
        and o.accepted
        and not o.workplace_network
        and o.kind != "check_out"
        and o.geofence_distance_m is not None
        and o.geofence_distance_m <= 0
    )
    hits = []
    for (employee_id, day), events in group_by_employee_day(inp, mismatched).items():
        values = {
            "day": day.isoformat(),
            "count": len(events),
            "events": event_items(inp, events, 5),
        }
        hits.append(
            SignalHit(
                CODE,
                employee_id,
                day,
                policy.wifi_mismatch_severity,
                Evidence(CODE, ids(events), values),
            )
        )
    return hits
