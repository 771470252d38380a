"""The words of attendance: what the pure rules return as codes and values, said through the
catalogue (Indonesian by default, English when chosen). The domain never builds a sentence;
this is the one place that does.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.domain.coverage import DayCoverage, NotCounted
from hadir.domain.status import Phase

NOT_COUNTED = {
    NotCounted.OUTSIDE_SERVICE: _("outside the employee's service (%(since)s – %(until)s)"),
    NotCounted.BEFORE_GO_LIVE: _("before attendance started in the regency (%(since)s)"),
    NotCounted.OPD_NOT_JOINED: _("before the OPD joined (%(since)s)"),
    NotCounted.OUTAGE: _("declared outage: %(reason)s"),
}
NOT_COUNTED_SHORT = {
    NotCounted.OUTSIDE_SERVICE: _("outside service"),
    NotCounted.BEFORE_GO_LIVE: _("before go-live"),
    NotCounted.OPD_NOT_JOINED: _("OPD not joined yet"),
    NotCounted.OUTAGE: _("declared outage"),
}


def day_text(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "…"


def values_text(values: Mapping[str, object]) -> dict[str, object]:
    """Dates said as dates ("1 November 2026"), None as an open end."""
    return {
        key: day_text(value) if isinstance(value, date) or value is None else value
        for key, value in values.items()
    }


def not_counted_text(item: DayCoverage) -> str:
    """Why a day does not count, in a sentence; "" for a day that counts."""
    if item.counts:
        return ""
    return str(NOT_COUNTED[item.reason]) % values_text(item.values)


def legend_not_counted() -> str:
    reasons = ", ".join(str(NOT_COUNTED_SHORT[reason]) for reason in NotCounted)
    return gettext("× does not count (%(reasons)s)") % {"reasons": reasons}


def legend_other_opd() -> str:
    return gettext("/ in another OPD that day (transfer)")


# Status explanations: hadir.domain.status returns these rules with their values ---------------

STATUS_NOTES = {
    "not_working_day": _("not a working day"),
    "absent": _("no check-in or check-out on a working day, and no leave"),
    "leave": _("%(codes)s covers the day"),
    "leave_set_aside": _("also recorded, set aside: %(codes)s"),
    "leave_morning": _("%(code)s in the morning: the check-in is not assessed"),
    "leave_afternoon": _("%(code)s in the afternoon: the check-out is not assessed"),
    "ignored_on_leave": _("records ignored: on leave"),
    "ignored_rejected": _("rejected by the check-in checks: not counted"),
    "ignored_later_check_in": _("a later check-in: the earliest counts"),
    "ignored_check_out": _("a check-out not after the check-in: not counted"),
    "ignored_earlier_check_out": _("an earlier check-out: the latest counts"),
    "no_check_in": _("no accepted check-in: %(code)s"),
    "no_check_out": _("no accepted check-out: %(code)s"),
    "check_in_on_time": _("check-in %(at)s, start %(planned)s: on time"),
    "late_within_grace": _(
        "check-in %(at)s, start %(planned)s: %(minutes)s min late, within the %(grace)s min grace"
    ),
    "late": _("check-in %(at)s, start %(planned)s: %(minutes)s min late, %(code)s"),
    "check_out_on_time": _("check-out %(at)s, end %(planned)s: on time"),
    "early_within_grace": _(
        "check-out %(at)s, end %(planned)s: %(minutes)s min early, within the %(grace)s min grace"
    ),
    "early": _("check-out %(at)s, end %(planned)s: %(minutes)s min early, %(code)s"),
    "correction": _("corrected to %(codes)s by %(author)s: %(reason)s"),
    "not_yet": _("not checked in yet; work starts at %(planned)s"),
    "running_late": _(
        "not checked in yet: %(minutes)s min after the start at %(planned)s, %(code)s so far"
    ),
}
PHASES = {
    Phase.OVER: _("final"),
    Phase.NOT_YET: _("not checked in yet"),
    Phase.RUNNING_LATE: _("late, still running"),
    Phase.AT_WORK: _("at work (provisional)"),
}


def note_text(note: Mapping) -> str:
    """One stored or pure explanation note ({"rule", "values"}) as a sentence."""
    rule = note.get("rule", "")
    template = STATUS_NOTES.get(rule)
    if template is None:  # a note stored before message ids (or an unknown rule)
        return str(note.get("message") or rule)
    try:
        return str(template) % values_text(note.get("values") or {})
    except (KeyError, TypeError, ValueError):
        return str(template)


def live_text(status) -> str:
    """A day in progress, as the board and the admin show it: "belum presensi", "TL2 (…)"."""
    if status.phase == Phase.NOT_YET:
        return str(PHASES[Phase.NOT_YET])
    codes = "+".join(status.codes) or "-"
    if status.phase == Phase.OVER:
        return codes
    if status.phase == Phase.RUNNING_LATE:
        return gettext("%(codes)s (late %(minutes)s min, still running)") % {
            "codes": codes,
            "minutes": status.late_minutes,
        }
    return gettext("%(codes)s (provisional)") % {"codes": codes}


def plan_text(plan: Mapping | None) -> str:
    """The planned day of a stored status: "07:30-16:00 (jam kerja mingguan)"."""
    if not plan:
        return str(STATUS_NOTES["not_working_day"])
    return f"{plan['start'][11:16]}–{plan['end'][11:16]} ({source_text(plan.get('source', ''))})"


WEEKDAYS = (
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
    _("Sunday"),
)  # fmt: skip
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def source_text(source: str) -> str:
    """Where a planned day comes from (hadir.domain.schedules: "weekly", "ramadan",
    "shift M", "weekly, declared working like monday")."""
    base, _sep, declared = source.partition(", declared working like ")
    if base.startswith("shift "):
        text = gettext("shift %(code)s") % {"code": base.removeprefix("shift ")}
    elif base == "ramadan":
        text = gettext("Ramadan hours")
    else:
        text = gettext("weekly hours")
    if declared in WEEKDAY_NAMES:
        weekday = WEEKDAYS[WEEKDAY_NAMES.index(declared)]
        text += ", " + gettext("declared a working day like %(weekday)s") % {"weekday": weekday}
    return text


# Refused corrections: hadir.domain.status raises CorrectionError with these codes ------------

CORRECTION_ERRORS = {
    "no_code": _("A correction needs at least one code."),
    "unknown_codes": _("Unknown status code: %(codes)s."),
    "code_twice": _("A code appears twice."),
    "two_bands": _("A day carries at most one %(band)s band."),
    "not_combinable": _("%(code)s cannot be combined with other codes."),
    "no_reason": _("A correction needs a reason."),
    "no_author": _("A correction needs an author."),
}


def correction_error_text(error) -> str:
    """A CorrectionError as a sentence."""
    template = CORRECTION_ERRORS.get(error.code)
    return str(template) % error.values if template is not None else str(error)


# The schedule and rules editors: hadir.domain.schedules and hadir.attendance.rules refuse with
# these codes (their English text, same wording, is for logs) --------------------------------

SCHEDULE_PROBLEMS = {
    "not_an_object": _("must be an object keyed by weekday (monday … sunday)"),
    "unknown_weekday": _("unknown weekday %(names)s"),
    "day_shape": _('must be null or {"start": "HH:MM", "end": "HH:MM"}'),
    "rest_shape": _('must be ["HH:MM", "HH:MM"]'),
    "not_a_time": _("%(value)s is not a time HH:MM"),
    "period_order": _("%(last)s is before %(first)s"),
    "ramadan_overlap": _("overlaps ramadan[%(other)s]"),
    "shift_overlap": _("%(earlier)s overlaps %(later)s"),
    "shift_same_day": _("%(earlier)s and %(later)s start on the same day"),
    "shift_time_zone": _("%(code)s: start and end must carry a time zone"),
    "shift_ends_before": _("%(shift)s ends before it starts"),
    "shift_too_long": _("%(shift)s lasts more than 24 hours"),
    "shift_rest_outside": _("%(shift)s: rest %(rest)s is outside it"),
    "week_length": _("a week has 7 days, got %(days)s"),
    "no_working_day": _("the schedule has no working day"),
    "weekly_minutes": _("the week sums to %(total)s minutes, expected %(expected)s"),
    "end_not_after_start": _("end %(end)s is not after start %(start)s"),
    "rest_ends_before": _("rest %(rest)s ends before it starts"),
    "rest_outside": _("rest %(rest)s is outside %(day)s"),
    "rest_overlap": _("rest %(earlier)s overlaps %(later)s"),
    "negative_window": _("must not be negative"),
}


def schedule_problem_text(problem) -> str:
    """One problem of a ScheduleError (a hadir.domain.schedules.Problem) as a sentence."""
    template = SCHEDULE_PROBLEMS.get(getattr(problem, "code", None))
    return str(template) % problem.values if template is not None else str(problem)


def schedule_error_texts(error, *, with_path: bool = True) -> list[str]:
    """Every problem of a ScheduleError, each after its field path ("weekly.monday.end: …")."""
    return [
        f"{path}: {schedule_problem_text(problem)}" if with_path else schedule_problem_text(problem)
        for path, problems in error.errors.items()
        for problem in problems
    ]


RULE_PROBLEMS = {
    "band_limits": _("three ascending whole minutes, e.g. [30, 60, 90]"),
    "percent_by_code": _('an object of code -> percent, e.g. {"TK": "3"}'),
    "entitled_types": _('a list of employee types, e.g. ["PNS", "PPPK"]'),
    "amount_by_class": _('an object of class -> rupiah, e.g. {"7": 3500000}'),
    "not_rupiah": _("%(value)s is not an amount in whole rupiah"),
    "not_a_number": _("%(value)s is not a number"),
    "rungs": _("a list of rungs, lowest first"),
    "missing": _("missing %(name)s"),
    "unknown_setting": _("unknown setting"),
    "minutes_per_day": _("must be positive (450 = 7.5 hours)"),
    "go_live": _("a date YYYY-MM-DD, or null"),
    "place": _("a place name, e.g. Sampit"),
    "not_an_object": _("must be a JSON object"),
    "not_whole_minutes": _("must be a whole number, 0 or more"),
    "unknown_rule": _("unknown rule %(key)s"),
    "not_a_level": _("%(value)s is not a sanction level (one of %(levels)s)"),
    "not_whole_days": _("%(value)s is not a whole number of days"),
    "not_whole_months": _("%(value)s is not a whole number of months"),
    "ladder.consecutive_days": _("consecutive days must be at least 1"),
    "ladder.consecutive_rung": _("consecutive rung %(code)s is not a rung"),
    "ladder.no_rung": _("a ladder needs at least one rung"),
    "ladder.first_rung": _("the first rung must start at 1 day or more"),
    "ladder.open_ended": _("only the top rung may be open-ended, not %(code)s"),
    "ladder.gap": _("%(code)s must start at %(days)s days"),
    "ladder.below_min": _("%(code)s: %(max)s days is below %(min)s"),
    "tpp.negative_percent": _("TPP deduction must not be negative for %(codes)s"),
    "tpp.cap": _("TPP cap %(cap)s%% must be above 0%% and at most 100%%"),
    "tpp.negative_amount": _("TPP amount must not be negative for class %(classes)s"),
}


def rule_error_text(error) -> str:
    """A RuleError as "field: sentence"; a pure module's own refusal ("invalid") as it came."""
    template = RULE_PROBLEMS.get(error.code)
    said = str(template) % error.values if template is not None else error.values.get("detail")
    return f"{error.field}: {said if said is not None else error}"
