"""GPS says inside the office, but the phone's Wi-Fi scan saw none of the office's networks.

A fake location moves the GPS, not the radio around the phone. Only events with a scan and a
workplace with known access points have bssid_match set; events from the workplace's own
network are left out (the phone is evidently there). A large compound can hide the access
points from a far room, so one day weighs little; as a monthly habit it counts.
"""

from __future__ import annotations

from hadir.domain.signals.base import AnalysisInput, Evidence, SignalHit, group_by_employee_day, ids
from hadir.domain.signals.policy import SignalPolicy

CODE = "wifi_mismatch"
DESCRIPTION = "A fix inside the geofence while the Wi-Fi scan saw none of the office's networks."


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
        listing = ", ".join(f"{o.kind} {o.event_id} at {inp.local(o):%H:%M}" for o in events[:5])
        summary = (
            f"On {day} {len(events)} event(s) placed the phone inside the workplace geofence while "
            f"its Wi-Fi scan saw none of the workplace's known access points: {listing}."
        )
        hits.append(
            SignalHit(
                CODE,
                employee_id,
                day,
                policy.wifi_mismatch_severity,
                Evidence(summary, ids(events), {"events": len(events)}),
            )
        )
    return hits
