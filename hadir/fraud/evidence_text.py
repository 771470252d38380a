"""Flag evidence in the reader's language: the one place a signal's message id and values become
a sentence.

The pure signals (hadir.domain.signals) return `Evidence(message, event_ids, values)`: a message
id and plain values, never a sentence. Here each message id has its template in the gettext
catalogue (English msgids, Indonesian translations), values are shown the way a reader expects
them (labels for codes, numbers with the language's decimal comma, lists shortened, employees
and workplaces by NIP and name when the caller supplies them) and listings are rendered item by
item. The admin, the flags export, the API and the supervisors' web all call `evidence_text`.

Templates name their values `%(name)s`; every value is formatted to a string first. A value
`x_m` (metres) also offers `x_km`; `lag_minutes` and `skew_minutes` offer `lag` and `skew` with
their unit. An extra sentence is appended when the value that triggers it is present.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.attendance.messages import NOT_COUNTED_SHORT
from hadir.domain.reasons import CATALOGUE as INGESTION_REASONS

log = logging.getLogger(__name__)

# --- labels --------------------------------------------------------------------------------

SIGNAL_LABELS = {
    "mock_location": _("mock location flag"),
    "zero_jitter": _("coordinates that never move"),
    "steady_fix": _("fixes steadier than their accuracy"),
    "shared_coordinates": _("coordinates shared by several employees"),
    "shared_device": _("one device for several employees"),
    "new_device": _("unregistered or unapproved device"),
    "same_network_burst": _("several employees from one off-site address"),
    "paired_events": _("events always seconds after one colleague's"),
    "travelling_together": _("several colleagues' phones in one hand"),
    "pending_device_attempts": _("attempts from a phone awaiting approval"),
    "impossible_speed": _("impossible speed between fixes"),
    "location_flipping": _("the office and one recurring place on the same days"),
    "clock_tampering": _("phone clock set away from the real time"),
    "offline_on_good_network": _("offline event where the network is good"),
    "sequence_replay": _("an earlier record sent again"),
    "sequence_gap": _("records made but never sent"),
    "challenge_missed": _("presence challenge not answered"),
    "challenge_offsite": _("presence challenge answered away from the office"),
    "checkout_far_away": _("check-out from far away"),
    "outside_geofence": _("check-in outside the geofence"),
    "geofence_uncertain": _("check-in just outside the geofence"),
    "weak_accuracy": _("very rough location fix"),
    "office_code_invalid": _("invalid office code"),
    "office_code_missing": _("no office code"),
    "wifi_mismatch": _("office Wi-Fi not seen"),
    "no_office_evidence": _("no sign of the office, unlike the colleagues"),
    "foreign_wifi": _("Wi-Fi networks no colleague sees"),
    "contradiction": _("placed in the office, but the phone was at home"),
    "same_second": _("check-ins at the same second every day"),
    "retry_until_accepted": _("retried until accepted"),
    "bad_record": _("unusable record"),
    "spot_check_unseen": _("checked in but not seen at a spot check"),
    # Families of codes that form one monthly pattern (SignalPolicy.month_pattern_families).
    "away_after_check_in": _("signs of leaving after check-in"),
}

KIND_LABELS = {
    "check_in": _("check-in"),
    "check_out": _("check-out"),
    "presence_check": _("challenge answer"),
}

VERDICT_LABELS = {
    "accepted": _("accepted"),
    "accepted_with_warnings": _("accepted with warnings"),
    "rejected": _("rejected"),
}

# Why a record was set aside (hadir.domain.signals.bad_record); others are shown as their code.
SET_ASIDE_LABELS = {
    "accuracy_not_positive": _("accuracy of zero or less"),
    "accuracy_nan": _("accuracy not a number"),
    "null_island": _("coordinates 0, 0"),
    "coordinates_nan": _("coordinates not numbers"),
    "coordinates_out_of_range": _("coordinates out of range"),
    "half_coordinates": _("only one coordinate"),
    "distance_nan": _("distance not a number"),
    "recorded_after_receipt": _("recorded after it was received"),
    "duplicate_event_id": _("repeated event id"),
    "unreadable": _("unreadable record"),
    "device_time_out_of_range": _("phone clock out of range"),
    "fix_time_out_of_range": _("fix time out of range"),
}

# --- templates -----------------------------------------------------------------------------

TEMPLATES = {
    # Items of listings.
    "item.event": _("%(kind)s %(event)s at %(at)s"),
    "item.event_verdict": _("%(kind)s %(event)s at %(at)s (%(verdict)s)"),
    "item.event_at": _("%(event)s at %(at)s"),
    "item.event_device": _("%(kind)s %(event)s at %(at)s from device %(device_id)s"),
    "item.event_seq": _("%(kind)s %(event)s (device %(device_id)s, sequence no. %(seq)s)"),
    "item.employee_event": _("employee %(employee)s %(kind)s at %(at)s (%(event)s)"),
    "item.pair": _(
        "%(kind)s: %(leader)s at %(leader_at)s (%(leader_event)s), %(follower)s at "
        "%(follower_at)s (%(follower_event)s) from %(remote_addr)s"
    ),
    "item.cotravel": _(
        "%(kind)s %(event)s of %(employee)s at %(at)s, %(seconds)s s after %(other)s's "
        "%(other_event)s, fixes %(distance_m)s m apart, Wi-Fi %(rssi_db)s dB apart"
    ),
    "item.cotravel_fix": _(
        "%(kind)s %(event)s of %(employee)s at %(at)s, %(seconds)s s after %(other)s's "
        "%(other_event)s, fixes %(distance_m)s m apart"
    ),
    "item.cotravel_scan": _(
        "%(kind)s %(event)s of %(employee)s at %(at)s, %(seconds)s s after %(other)s's "
        "%(other_event)s, Wi-Fi %(rssi_db)s dB apart"
    ),
    "item.cotravel_time": _(
        "%(kind)s %(event)s of %(employee)s at %(at)s, %(seconds)s s after %(other)s's "
        "%(other_event)s"
    ),
    "item.group_answer": _("%(employee)s at %(at)s (%(event)s), %(seconds)s s after the first"),
    "item.jump": _(
        "from %(from_kind)s %(from_event)s at %(from_at)s (%(from_point)s, ±%(from_accuracy_m)s m) "
        "to %(to_kind)s %(to_event)s at %(to_at)s (%(to_point)s, ±%(to_accuracy_m)s m): "
        "%(distance_km)s km in %(minutes)s min, at least %(kmh)s km/h beyond the fixes' accuracy"
    ),
    "item.clock_flagged": _("%(kind)s %(event)s at %(at)s, marked as clock tampering on receipt"),
    "item.clock_receipt_skew": _(
        "%(kind)s %(event)s: phone clock %(phone_clock)s against the server's receipt at "
        "%(reference)s (%(skew)s)"
    ),
    "item.clock_receipt_flagged": _(
        "%(kind)s %(event)s: phone clock %(phone_clock)s against the server's receipt at "
        "%(reference)s (%(skew)s), marked as clock tampering on receipt"
    ),
    "item.clock_derived_skew": _(
        "%(kind)s %(event)s: phone clock %(phone_clock)s against the derived time %(reference)s "
        "(%(skew)s)"
    ),
    "item.clock_derived_flagged": _(
        "%(kind)s %(event)s: phone clock %(phone_clock)s against the derived time %(reference)s "
        "(%(skew)s), marked as clock tampering on receipt"
    ),
    "item.clock_derived_set_back": _(
        "%(kind)s %(event)s: phone clock %(phone_clock)s against the derived time %(reference)s "
        "(%(skew)s), the phone's clock set back"
    ),
    "item.challenge_missed": _(
        "challenge %(challenge)s issued %(issued)s, due %(deadline)s: no answer"
    ),
    "item.challenge_late": _(
        "challenge %(challenge)s issued %(issued)s, due %(deadline)s: answered late by event "
        "%(answer)s"
    ),
    "item.network": _("%(bssid)s (%(rssi)s dBm)"),
    "item.network_days": _("%(bssid)s on %(days)s days (up to %(rssi)s dBm)"),
    "item.event_scan": _("%(kind)s %(event)s at %(at)s saw %(networks)s"),
    "item.rejected": _("%(event)s at %(at)s rejected (%(reasons)s)"),
    # Signals.
    "mock_location": _(
        "%(flagged)s of %(events_that_day)s events on %(day)s carried the mock-location flag "
        "(%(accepted)s of them accepted): %(events)s."
    ),
    "zero_jitter.identical": _(
        "%(fixes)s separate fixes on %(day_count)s day(s) (%(dates)s) report exactly the same "
        "coordinates (%(point)s), while each claims an accuracy of "
        "%(accuracy_low_m)s–%(accuracy_high_m)s m; real GPS fixes never repeat to the centimetre."
    ),
    "zero_jitter.static": _(
        "%(fixes)s separate fixes on %(day_count)s day(s) (%(dates)s) report coordinates all "
        "within %(radius_m)s m of (%(point)s), while each claims an accuracy of "
        "%(accuracy_low_m)s–%(accuracy_high_m)s m; real GPS fixes never stay that still."
    ),
    "steady_fix": _(
        "%(fixes)s fixes on %(day_count)s days (%(dates)s) all lie within %(rms_m)s m (root mean "
        "square) of (%(point)s), while they claim a median accuracy of ±%(median_accuracy_m)s m: "
        "real fixes with that accuracy scatter more between days. On %(day)s: %(today)s."
    ),
    "shared_coordinates": _(
        "On %(day)s this employee's %(own)s event(s) reported exactly (%(point)s), the same point "
        "reported by %(employee_count)s employees in %(event_count)s events on %(day_count)s "
        "day(s) (%(dates)s); honest phones never agree to the centimetre."
    ),
    "shared_device.enrolled_elsewhere": _(
        "%(kind)s %(event)s at %(when)s came from device %(device_id)s, which is enrolled to "
        "employee %(owner)s, not to this employee."
    ),
    "shared_device.enrolled_to_another": _(
        "%(kind)s %(event)s at %(when)s came from device %(device_id)s, which is enrolled to "
        "another employee."
    ),
    "shared_device.same_day": _(
        "On %(day)s device %(device_id)s (enrolled to employee %(owner)s) sent events for "
        "%(employee_count)s employees (%(employees)s): %(events)s."
    ),
    "shared_device.same_day_no_owner": _(
        "On %(day)s device %(device_id)s (enrolled to nobody) sent events for "
        "%(employee_count)s employees (%(employees)s): %(events)s."
    ),
    "new_device.unregistered": _(
        "%(kind)s %(event)s at %(when)s was accepted from device %(device_id)s, which is not "
        "registered to anyone."
    ),
    "new_device.unapproved": _(
        "%(kind)s %(event)s at %(when)s was accepted from device %(device_id)s, enrolled "
        "%(enrolled)s but not approved."
    ),
    "new_device.switching": _(
        "This employee's events switched %(switches)s times between devices %(devices)s, going "
        "back to a phone used before %(returns)s times; here %(kind)s %(event)s at %(when)s."
    ),
    "same_network_burst": _(
        "%(event_count)s events of %(employee_count)s employees came from address "
        "%(remote_addr)s within %(seconds)s s, not from the workplace network: %(events)s."
    ),
    "paired_events": _(
        "Employee %(follower)s's check-ins and check-outs came seconds after employee "
        "%(leader)s's, from the same address, on %(days)s days (%(dates)s), always after, never "
        "before. On %(day)s: %(pairs)s."
    ),
    "travelling_together": _(
        "Employee %(follower)s's phone travelled with those of %(members)s: on %(days)s days "
        "(%(dates)s) their check-ins and check-outs came seconds apart at both ends of the day, "
        "%(close_share)s of them from fixes a few metres apart or Wi-Fi scans alike within a "
        "few dB, as one hand holding several phones gives them; %(leader)s usually came first "
        "(the same one first in %(order_share)s). They arrived together on %(arrived_days)s "
        "days and left together on %(days)s of them. On %(day)s: %(links)s."
    ),
    "travelling_together.timing": _(
        "Employee %(follower)s's check-ins and check-outs came seconds after those of "
        "%(members)s at the same workplace, at both ends of the day, on %(days)s days "
        "(%(dates)s), %(leader)s first (the same one first in %(order_share)s); their fixes and "
        "scans do not show one spot (close in %(close_share)s). Alone this weighs little; a "
        "group presence check tells one hand from colleagues keeping the same hours. On "
        "%(day)s: %(links)s."
    ),
    "pending_device_attempts": _(
        "On %(day)s the account's approved phone sent nothing, and %(attempts)s attempt(s) came "
        "from a phone waiting for approval, refused: %(events)s. Such days in this analysis: "
        "%(days)s (%(dates)s)."
    ),
    "impossible_speed": _("On %(day)s the phone moved impossibly fast: %(jumps)s."),
    "location_flipping": _(
        "On %(day_count)s days (%(dates)s) this employee's phone was inside the workplace "
        "geofence at one moment and at one recurring place near (%(point)s), at least "
        "%(distance_km)s km outside it, at another. Off site on %(day)s: %(events)s."
    ),
    "clock_tampering": _("On %(day)s the phone's clock disagreed with the real time: %(items)s."),
    "offline_on_good_network": _(
        "%(kind)s %(event)s is recorded at %(when)s as an offline event but reached the server "
        "only %(lag)s later, at %(received)s, although the workplace has a good network."
    ),
    "sequence_replay": _(
        "%(kind)s %(event)s, received %(received)s, repeats the sequence number %(seq)s and "
        "monotonic clock %(monotonic_ms)s ms of device %(device_id)s's event %(original)s, "
        "received %(original_received)s: the same record sent again."
    ),
    "sequence_replay.flagged": _(
        "%(kind)s %(event)s at %(when)s was marked on receipt as a replay of an earlier sequence "
        "number (%(seq)s) of device %(device_id)s."
    ),
    "sequence_gap": _("On %(day)s the device's sequence numbers skipped before: %(events)s."),
    "challenge_missed": _(
        "On %(day)s the employee checked in at %(check_in_at)s (%(check_in)s) but %(missed)s of "
        "%(challenges)s presence challenge(s) went unanswered, or were answered late: %(items)s."
    ),
    "challenge_offsite.unknown": _(
        "Challenge %(challenge)s issued %(issued)s was answered by event %(answer)s from outside "
        "the workplace (the answer's fix is not available to this analysis)."
    ),
    "challenge_offsite.far": _(
        "Challenge %(challenge)s issued %(issued)s was answered at %(at)s by %(answer)s from "
        "%(distance_m)s m outside the workplace geofence (fix accuracy ±%(accuracy_m)s m): far "
        "outside, beyond the fix's accuracy."
    ),
    "challenge_offsite.clear": _(
        "Challenge %(challenge)s issued %(issued)s was answered at %(at)s by %(answer)s from "
        "%(distance_m)s m outside the workplace geofence (fix accuracy ±%(accuracy_m)s m): "
        "clearly outside, beyond the fix's accuracy."
    ),
    "challenge_offsite.unclear": _(
        "Challenge %(challenge)s issued %(issued)s was answered at %(at)s by %(answer)s from "
        "%(distance_m)s m outside the workplace geofence (fix accuracy ±%(accuracy_m)s m): just "
        "outside, within the fix's uncertainty."
    ),
    "checkout_far_away": _(
        "On %(day)s the employee checked in at %(check_in_at)s (%(check_in)s) and checked out at "
        "%(at)s (%(event)s, %(verdict)s) from %(distance_km)s km outside the workplace geofence "
        "(fix accuracy ±%(accuracy_m)s m)."
    ),
    "outside_geofence": _(
        "Check-in %(event)s at %(when)s (%(verdict)s) has its fix %(distance_m)s m outside the "
        "workplace geofence, beyond its stated accuracy of ±%(accuracy_m)s m."
    ),
    "outside_geofence.flagged": _(
        "Check-in %(event)s at %(when)s (%(verdict)s) was marked outside the workplace geofence "
        "on receipt."
    ),
    "geofence_uncertain": _(
        "Check-in %(event)s at %(when)s was %(distance_m)s m outside the workplace geofence, "
        "within its stated accuracy of ±%(accuracy_m)s m."
    ),
    "geofence_uncertain.flagged": _(
        "Check-in %(event)s at %(when)s was just outside the workplace geofence, within its "
        "stated accuracy of ±%(accuracy_m)s m."
    ),
    "weak_accuracy": _(
        "Check-in %(event)s at %(when)s was accepted with a fix accuracy of ±%(accuracy_m)s m "
        "(limit %(limit_m)s m)."
    ),
    "office_code_invalid": _(
        "On %(day)s %(invalid)s event(s) carried an invalid office code: %(events)s."
    ),
    "office_code_missing": _(
        "Check-in %(event)s at %(when)s carried no office code, while %(share_with_code)s of the "
        "check-ins at this workplace carry one."
    ),
    "wifi_mismatch": _(
        "On %(day)s %(count)s event(s) placed the phone inside the workplace geofence while its "
        "Wi-Fi scan saw none of the workplace's known access points: %(events)s."
    ),
    "no_office_evidence": _(
        "At %(workplace)s this employee's events showed no office Wi-Fi, office network or valid "
        "office code on %(days_without)s of %(days)s days inside the geofence, while %(peers)s "
        "colleagues there went without on %(peer_rate)s of their days (chance of "
        "%(days_without)s or more by habit: %(p_value)s). On %(day)s: %(events)s."
    ),
    "foreign_wifi": _(
        "At %(workplace)s the phone's Wi-Fi scans, taken where its GPS put it inside the fence, "
        "shared no network with any colleague's scans there on %(foreign_days)s of %(days)s "
        "scanned days, while %(peers)s colleagues had such days at a rate of %(peer_rate)s "
        "(chance of %(foreign_days)s or more by that habit: %(p_value)s). On %(day)s: %(events)s."
    ),
    "same_second": _(
        "Check-ins on %(day_count)s days (%(dates)s) were all recorded at %(second)s "
        "(±%(tolerance_s)s s); on %(day)s: %(events)s."
    ),
    "retry_until_accepted": _(
        "On %(day)s check-in %(event)s was accepted at %(at)s after %(rejected)s rejected "
        "attempt(s): %(tries)s."
    ),
    "retry_until_accepted.hard": _(
        "On %(day)s check-in %(event)s was accepted at %(at)s after %(rejected)s rejected "
        "attempt(s), for %(hard_reasons)s: %(tries)s."
    ),
    "bad_record": _(
        "%(kind)s %(event)s received %(received)s (%(verdict)s) was set aside as unusable: "
        "%(reasons)s (%(details)s)."
    ),
    # Found by a person (hadir.supervise spot checks), not by a signal.
    "spot_check_unseen": _(
        "checked in at %(check_in_at)s but not seen at %(workplace)s by the spot check of "
        "%(at)s (no. %(spot_check_id)s, %(checker)s)."
    ),
}

TEMPLATES.update(
    {
        "item.contradiction": _(
            "%(kind)s %(event)s at %(at)s, placed %(inside_m)s m inside the geofence, saw only "
            "%(networks)s, sent from %(remote_addr)s"
        ),
        "contradiction.wifi": _(
            "On %(day)s the location said the office, but the Wi-Fi scan of the same event held "
            "only the employee's own recurring networks, which no colleague at the workplace "
            "ever saw: %(events)s."
        ),
        "contradiction.address": _(
            "On %(day)s the location said the office, but the event came from the employee's "
            "usual off-site address (used by nobody else, also when the employee was clearly "
            "away): %(events)s."
        ),
        "contradiction.both": _(
            "On %(day)s the location said the office, but the Wi-Fi scan held only the "
            "employee's own recurring networks and the event came from the employee's usual "
            "off-site address: %(events)s."
        ),
    }
)

# Context before suspicion (hadir.domain.signals.context) and `hadir analyze --explain`
# (hadir.domain.signals.explain).
TEMPLATES.update(
    {
        "context.not_counted": _("not judged: the day does not count (%(reference)s)"),
        "context.not_working_day": _(
            "not a sign: not a working day or working hours for this employee"
        ),
        "context.approved_absence": _(
            "excused: approved leave %(reference)s covers it (severity %(severity)s)"
        ),
        "context.approved_duty": _(
            "excused: approved official duty (DL) %(reference)s without a destination covers it "
            "(severity %(severity)s)"
        ),
        "context.at_duty_destination": _(
            "excused: the events lie at the destination of approved official duty (DL) "
            "%(reference)s (severity %(severity)s)"
        ),
        "context.pending_absence": _(
            "held back until request %(reference)s is decided (severity %(severity)s)"
        ),
        "explain.failed": _("the signal failed: %(error)s"),
        "explain.counted": _(
            "fired and counted: severity %(severity)s × weight %(weight)s where the network is "
            "%(tier)s = %(contribution)s"
        ),
        "explain.counted_in_family": _(
            "fired: severity %(severity)s × weight %(weight)s where the network is %(tier)s = "
            "%(contribution)s, counted once with a stronger sign of the same cause"
        ),
        "explain.weightless": _(
            "fired but weighs nothing where the network is %(tier)s (severity %(severity)s × "
            "weight %(weight)s)"
        ),
        "explain.no_events": _("did not fire: no event of this employee on this day"),
        "explain.not_met_pattern": _(
            "did not fire: it judges several days or the colleagues together, and its "
            "condition was not met"
        ),
        "explain.mock_location": _(
            "did not fire: none of the %(fixes)s fixes carried the mock-location flag"
        ),
        "explain.outside_geofence": _(
            "did not fire: %(check_ins)s check-in(s), the farthest %(distance_m)s m from the "
            "geofence (negative: inside), fix accuracy up to %(accuracy_m)s m"
        ),
        "explain.checkout_far_away": _(
            "did not fire: %(check_outs)s check-out(s), the farthest %(distance_m)s m from the "
            "geofence; it fires beyond %(limit_m)s m and beyond the fix's accuracy"
        ),
        "explain.geofence_uncertain": _(
            "did not fire: it fires for a check-in just outside the geofence, within its "
            "accuracy; %(check_ins)s check-in(s), the farthest %(distance_m)s m from the geofence "
            "(negative: inside), fix accuracy up to %(accuracy_m)s m"
        ),
        "explain.weak_accuracy": _(
            "did not fire: the roughest fix was ±%(accuracy_m)s m; it fires beyond %(limit_m)s m"
        ),
        "explain.office_code": _(
            "did not fire: %(check_ins)s check-in(s), %(with_code)s with an office code, "
            "%(invalid)s of them invalid (judged against the codes' use at the workplace)"
        ),
        "explain.wifi": _(
            "did not fire: %(scans)s event(s) with a Wi-Fi scan, %(matched)s of them saw the "
            "office's networks"
        ),
        "explain.offline": _(
            "did not fire: %(offline)s offline event(s), the longest delay %(lag)s, where the "
            "network is %(tier)s"
        ),
        "explain.clock": _(
            "did not fire: the phone clock differed from the server's by at most "
            "%(skew_minutes)s min; it fires beyond %(limit_minutes)s min"
        ),
        "explain.devices": _(
            "did not fire: events from device(s) %(devices)s, none of them another employee's "
            "or unapproved at the time"
        ),
        "explain.sequence": _(
            "did not fire: the sequence numbers of the %(events)s event(s) neither repeat nor skip"
        ),
        "explain.speed": _(
            "did not fire: between the %(fixes)s fixes no movement faster than %(limit_kmh)s km/h"
        ),
        "explain.no_challenge": _("did not fire: no presence challenge was issued that day"),
        "explain.challenges": _(
            "did not fire: %(challenges)s challenge(s), %(answered)s answered, %(outside)s of "
            "the answers from outside"
        ),
        "explain.travelling_together_alone": _(
            "did not fire: no colleague's event of the same kind came within %(window_s)s s "
            "at the same workplace on this day"
        ),
        "explain.travelling_together_few_days": _(
            "did not fire: with colleague %(partner)s, together at both ends of the day on "
            "%(days)s days (needs %(min_days)s; arrived together on %(arrived_days)s)"
        ),
        "explain.travelling_together_left_apart": _(
            "did not fire: colleague %(partner)s arrived together on %(arrived_days)s days but "
            "also left together on only %(days)s (needs %(min_share)s of them): a carpool, not "
            "one hand"
        ),
        "explain.travelling_together_unsteady_order": _(
            "did not fire: with colleague %(partner)s at both ends of the day on %(days)s days, "
            "but fixes and scans close in only %(close_share)s and the order changes (the same "
            "one first in %(order_share)s)"
        ),
        "explain.travelling_together_answered_apart": _(
            "did not fire: colleague %(partner)s travelled with this employee on %(days)s days, "
            "but asked at the same moment they answered apart %(answered_apart)s time(s) and "
            "together %(answered_together)s: two people"
        ),
        "explain.travelling_together_not_today": _(
            "did not fire on this day: the set with colleague %(partner)s (%(days)s days "
            "together) did not travel together today"
        ),
        "explain.travelling_together_leader": _(
            "did not fire: this employee usually comes first in the set with colleague "
            "%(partner)s (%(days)s days together): the first is named on the others' days, "
            "not flagged"
        ),
        "explain.travelling_together_by_chance": _(
            "did not fire: with colleague %(partner)s at both ends of the day on %(days)s days, "
            "but colleagues here come and go so close together that %(expected_days)s such days "
            "were to be expected by chance"
        ),
        "explain.context_due": _(
            "a counted working day without leave or official duty: due at work"
        ),
        "explain.context_not_counted": _("the day does not count (%(reference)s)"),
        "explain.context_day_off": _("not a working day for this employee (day off or holiday)"),
        "explain.context_absences": _("leave or official duty on this day: %(items)s"),
        "item.absence": _(
            "%(kind)s %(reference)s (%(status)s, %(portion)s), destination %(destination)s"
        ),
        "explain.summary_nothing": _(
            "no signal counted: nothing to review (review from %(review)s, strong from %(strong)s)"
        ),
        "explain.summary_capped": _(
            "score %(score)s, but the signs other than the corroborating ones weigh "
            "%(primary)s, less than %(min_primary)s: the day stays below review"
        ),
        "explain.summary_below_review": _("score %(score)s: below review (review from %(review)s)"),
        "explain.summary_review": _(
            "score %(score)s: for review (review from %(review)s, strong from %(strong)s)"
        ),
        "explain.summary_strong": _("score %(score)s: strong (strong from %(strong)s)"),
    }
)

TIER_LABELS = {"good": _("good"), "poor": _("poor"), "none": _("absent")}
ABSENCE_LABELS = {
    "approved": _("approved"),
    "pending": _("waiting for approval"),
    "full": _("full day"),
    "morning": _("morning"),
    "afternoon": _("afternoon"),
}
SCORE_KEYS = frozenset(
    {"severity", "weight", "contribution", "score", "primary", "review", "strong", "min_primary"}
)

# message id -> ((value that triggers it, sentence appended), ...)
EXTRAS = {
    "checkout_far_away": (
        (
            "recurring_dates",
            _("Check-outs from far away in this analysis: %(days)s days (%(recurring_dates)s)."),
        ),
    ),
    "same_network_burst": (
        ("far_apart_m", _("Their fixes are at least %(far_apart_km)s km apart.")),
        (
            "recurring_dates",
            _(
                "Employee %(employee)s was in such a burst from this address on %(days)s days "
                "(%(recurring_dates)s)."
            ),
        ),
    ),
    "pending_device_attempts": (
        (
            "handset_of",
            _(
                "%(twin_event)s has the same boot count (%(boot_count)s) and running clock as "
                "employee %(handset_of)s's %(their_kind)s %(their_event)s at %(their_at)s from "
                "device %(their_device)s: one handset."
            ),
        ),
    ),
    "offline_on_good_network": (
        (
            "sent_meanwhile",
            _(
                "Meanwhile the phone sent event %(sent_meanwhile)s online at %(sent_at)s, so this "
                "one was held back."
            ),
        ),
    ),
    **{
        message: (
            (
                "group_answers",
                _(
                    "Asked at the same moment (group presence check, %(group_at)s), they "
                    "answered within %(group_spread_s)s s: %(group_answers)s."
                ),
            ),
            ("group_spread_m", _("The answers' fixes were at most %(group_spread_m)s m apart.")),
            (
                "expected_days",
                _(
                    "By chance, two colleagues of this workplace would meet so at both ends "
                    "of the day on %(expected_days)s days in this period."
                ),
            ),
        )
        for message in ("travelling_together", "travelling_together.timing")
    },
    "foreign_wifi": (("private", _("Unshared network(s) seen again and again: %(private)s.")),),
    **{
        f"contradiction.{variant}": (
            (
                "missed_after",
                _(
                    "Afterwards, presence challenge(s) %(missed_after)s went unanswered or were "
                    "answered away from the office."
                ),
            ),
        )
        for variant in ("wifi", "address", "both")
    },
}

# --- values as text ------------------------------------------------------------------------

EMPLOYEE_KEYS = frozenset(
    {
        "employee",
        "employees",
        "owner",
        "leader",
        "follower",
        "handset_of",
        "members",
        "partner",
        "other",
    }
)
WORKPLACE_KEYS = frozenset({"workplace_id"})
KIND_KEYS = frozenset({"kind", "from_kind", "to_kind", "their_kind"})
SHOWN_DATES = 6


@dataclass(frozen=True)
class Names:
    """How to show the employees and workplaces a message names (id -> "NIP Name")."""

    employees: Mapping[int, str] = field(default_factory=dict)
    workplaces: Mapping[int, str] = field(default_factory=dict)


NO_NAMES = Names()


def signal_label(code: str) -> str:
    label = SIGNAL_LABELS.get(code)
    return str(label) if label is not None else code


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def verdict_label(verdict: str) -> str:
    label = VERDICT_LABELS.get(verdict)
    return str(label) if label is not None else verdict


def reason_label(code: str) -> str:
    """A reason code from ingestion, a signal or the set-aside checks, in words."""
    for table in (SIGNAL_LABELS, SET_ASIDE_LABELS):
        if code in table:
            return str(table[code])
    spec = INGESTION_REASONS.get(code)
    return spec.message if spec is not None else code


def _number(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimals)


def _metres(value: float) -> str:
    return _number(value, 1 if abs(value) < 10 and value != int(value) else 0)


def _minutes_text(minutes: float) -> str:
    sign = "-" if minutes < 0 else "+"
    if abs(minutes) < 120:
        return gettext("%(sign)s%(n)s min") % {"sign": sign, "n": _number(abs(minutes), 0)}
    return gettext("%(sign)s%(n)s h") % {"sign": sign, "n": _number(abs(minutes) / 60, 1)}


def _lag_text(minutes: float) -> str:
    return _minutes_text(minutes).lstrip("+")


def dates_text(days: Iterable[str]) -> str:
    days = sorted(set(days))
    text = ", ".join(days[:SHOWN_DATES])
    if len(days) > SHOWN_DATES:
        text += " " + gettext("and %(n)s more") % {"n": len(days) - SHOWN_DATES}
    return text


def _person(value, names: Names) -> str:
    if isinstance(value, int) and value in names.employees:
        return names.employees[value]
    return "–" if value is None else str(value)


def _display(key: str, value, names: Names, strict: bool) -> str:
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, dict) and "message" in v for v in value):
            return "; ".join(_sentence(v["message"], v, names, strict) for v in value)
        if key.endswith("dates"):
            return dates_text(value)
        if key in EMPLOYEE_KEYS:
            return ", ".join(_person(v, names) for v in value)
        if key in ("reasons", "hard_reasons"):
            return ", ".join(reason_label(str(v)) for v in value)
        return ", ".join(str(v) for v in value)
    if value is None:
        return "–"
    if key in KIND_KEYS:
        return kind_label(str(value))
    if key == "tier" and value in TIER_LABELS:
        return str(TIER_LABELS[value])
    if key in ("status", "portion") and value in ABSENCE_LABELS:
        return str(ABSENCE_LABELS[value])
    if key == "reference" and value in NOT_COUNTED_SHORT:
        return str(NOT_COUNTED_SHORT[value])
    if key in SCORE_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value, 2)
    if key == "verdict":
        return verdict_label(str(value))
    if key in EMPLOYEE_KEYS:
        return _person(value, names)
    if key in WORKPLACE_KEYS:
        return names.workplaces.get(value, gettext("workplace %(id)s") % {"id": value})
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key == "p_value":
        return f"{value:.1g}"
    if key.endswith(("share", "rate", "share_with_code")):
        return _number(100 * value, 0) + "%"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _metres(value) if key.endswith("_m") else _number(value, 1)
    return str(value)


def _derived(values: Mapping) -> dict:
    extra = {}
    for key, value in values.items():
        if key.endswith("_m") and isinstance(value, int | float) and not isinstance(value, bool):
            extra[key[:-2] + "_km"] = _number(value / 1000, 1)
    if isinstance(values.get("lag_minutes"), int | float):
        extra["lag"] = _lag_text(values["lag_minutes"])
    if isinstance(values.get("skew_minutes"), int | float):
        extra["skew"] = _minutes_text(values["skew_minutes"])
    return extra


def render(message: str, values: Mapping, names: Names = NO_NAMES, *, strict: bool = False) -> str:
    """The sentence of one message id with its values, in the active language. Never fails
    unless `strict` (the tests): an unknown id or a missing value gives the values as they are,
    and is logged."""
    text = _sentence(message, values, names, strict)
    if text.startswith(f"{message}: "):  # not rendered: shown as it came
        return text
    return text[:1].upper() + text[1:]


def _sentence(message: str, values: Mapping, names: Names, strict: bool) -> str:
    try:
        template = TEMPLATES[message]
        shown = {k: _display(k, v, names, strict) for k, v in values.items() if k != "message"}
        shown.update(_derived(values))
        if "workplace_id" in shown:
            shown["workplace"] = shown["workplace_id"]
        text = str(template) % shown
        for key, extra in EXTRAS.get(message, ()):
            if key in values:
                text += " " + str(extra) % shown
        return text
    except (KeyError, TypeError, ValueError) as exc:
        if strict:
            raise
        log.warning("evidence message %r could not be rendered: %r", message, exc)
        return f"{message}: " + ", ".join(f"{k}={v}" for k, v in values.items())


def evidence_text(item: Mapping, names: Names = NO_NAMES) -> str:
    """One stored evidence item (DayFlag.evidence / MonthFlag.evidence) as a sentence."""
    message = item.get("message")
    if message is None:  # stored before messages existed: its sentence is all there is
        return str(item.get("summary", ""))
    return render(message, item.get("values") or {}, names)


def mentioned(items: Iterable[Mapping]) -> tuple[set[int], set[int]]:
    """(employee ids, workplace ids) the values of these evidence items name."""
    employees: set[int] = set()
    workplaces: set[int] = set()

    def walk(values: Mapping) -> None:
        for key, value in values.items():
            targets = (
                employees if key in EMPLOYEE_KEYS else workplaces if key in WORKPLACE_KEYS else None
            )
            for v in value if isinstance(value, list | tuple) else (value,):
                if isinstance(v, dict):
                    walk(v)
                elif targets is not None and isinstance(v, int) and not isinstance(v, bool):
                    targets.add(v)

    for item in items:
        walk(item.get("values") or {})
    return employees, workplaces


def names_for(items: Iterable[Mapping]) -> Names:
    """The NIP and name of every employee, and the code and name of every workplace, that
    these evidence items mention (two queries)."""
    from hadir.org.models import Employee, Workplace

    employees, workplaces = mentioned(items)
    return Names(
        employees={
            pk: f"{identifier} {name}"
            for pk, identifier, name in Employee.objects.filter(pk__in=employees).values_list(
                "pk", "identifier", "name"
            )
        },
        workplaces={
            pk: f"{code} {name}"
            for pk, code, name in Workplace.objects.filter(pk__in=workplaces).values_list(
                "pk", "code", "name"
            )
        },
    )
