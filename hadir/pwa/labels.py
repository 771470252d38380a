"""What the employee reads for the codes the server keeps: daily status codes, outcomes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hadir.attendance.models import LeaveKind

STATUS_LABELS = {
    "H": _("present"),
    "TL1": _("late 1–30 minutes"),
    "TL2": _("late 31–60 minutes"),
    "TL3": _("late 61–90 minutes"),
    "TL4": _("late over 90 minutes or no check-in"),
    "PSW1": _("left early 1–30 minutes"),
    "PSW2": _("left early 31–60 minutes"),
    "PSW3": _("left early 61–90 minutes"),
    "PSW4": _("left early over 90 minutes or no check-out"),
    "TK": _("absent without notice"),
    "L": _("not a working day"),
}

OUTCOME_LABELS = {
    "accepted": _("accepted"),
    "accepted_with_warnings": _("accepted with notes"),
    "rejected": _("refused"),
}


def status_label(code: str) -> str:
    """H → "hadir"; a leave code → its leave kind's label without the code in front."""
    if code in STATUS_LABELS:
        return str(STATUS_LABELS[code])
    if code in LeaveKind.values:
        label = str(LeaveKind(code).label)
        return label.split(" – ", 1)[-1]
    return code


def codes_of(joined: str) -> list[dict]:
    return [{"code": c, "label": status_label(c)} for c in joined.split("+") if c]


# The daily status's explanation, by rule: the attendance rules keep their notes for reviewers;
# the employee reads these.
NOTE_LABELS = {
    "not_working_day": _("not a working day"),
    "absent": _("no check-in or check-out on a working day, and no leave"),
    "leave": _("covered by leave or permission"),
    "correction": _("corrected by an administrator"),
    "ignored_on_leave": _("check-ins of a day on leave are not counted"),
    "ignored_rejected": _("a refused check-in is not counted"),
    "ignored_later_check_in": _("only the first check-in of the day counts"),
    "ignored_check_out": _("a check-out not after the check-in is not counted"),
    "ignored_earlier_check_out": _("only the last check-out of the day counts"),
    "no_check_in": _("no accepted check-in"),
    "no_check_out": _("no accepted check-out"),
}


def notes_of(explanation: dict | None, late_minutes: int, early_minutes: int) -> list[str]:
    notes = []
    for note in (explanation or {}).get("notes", ()):
        rule = note.get("rule")
        if rule == "late":
            notes.append(
                _("late by %(n)s minutes") % {"n": late_minutes}
                if late_minutes
                else str(_("checked in on time"))
            )
        elif rule == "early":
            notes.append(
                _("left %(n)s minutes early") % {"n": early_minutes}
                if early_minutes
                else str(_("checked out on time"))
            )
        elif rule in NOTE_LABELS:
            notes.append(str(NOTE_LABELS[rule]))
    return list(dict.fromkeys(notes))
