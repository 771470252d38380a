"""What verify-chain finds, in the operator's language: one catalogue sentence per code of
hadir.checkin.chain.PROBLEMS (whose English text is the same, for logs and tests)."""

from django.utils.translation import gettext_lazy as _

CHAIN_PROBLEMS = {
    "prev_hash": _("prev_hash does not match the row before (a row was deleted or inserted)"),
    "unknown_version": _("unknown hash version %(version)s"),
    "downgraded": _("hash version %(version)s after version %(newest)s (downgraded)"),
    "removed_early": _("location removed before the retention period ended"),
    "body_edited": _("body does not match its hash (body edited)"),
    "location_edited": _("location does not match its digest (location edited)"),
    "row_edited": _("row content does not match its hash (edited)"),
    "column_drift": _("%(column)s differs from the signed body (edited)"),
    "no_signature": _("no signature of its device to check (row made up?)"),
    "device_key": _("its device's public key is unusable"),
    "not_signed": _("body not signed by its device's key (row made up?)"),
    "head_missing": _("the chain head is missing"),
    "head_differs": _(
        "the chain head records %(length)s rows ending in %(head)s, the table holds %(rows)s "
        "ending in %(last)s (newest rows removed?)"
    ),
    "not_a_checkpoint": _("not a checkpoint"),
    "checkpoint_signature": _("signature not valid for this key"),
    "checkpoint_length": _("no chain length"),
    "checkpoint_beyond": _("signed at %(length)s rows, the chain has %(rows)s"),
    "checkpoint_rehashed": _(
        "row %(length)s of the chain no longer has the signed hash %(head)s (history re-hashed)"
    ),
}


def chain_problem_text(problem) -> str:
    """A hadir.checkin.chain.ProblemText as a sentence; any other text as it is."""
    template = CHAIN_PROBLEMS.get(getattr(problem, "code", None))
    return str(template) % problem.values if template is not None else str(problem)


# `hadir replay`: why a decision line is refused (hadir.checkin.replay.REFUSALS).
REPLAY_REFUSALS = {
    "unknown_type": _("unknown type %(kind)s (one of %(known)s)"),
    "needs": _("%(kind)s needs %(names)s"),
    "decision": _("decision must be 'approve' or 'reject'"),
    "key_id": _("key_id must be the device's key id (a string)"),
    "leave_id": _("leave_id must be the leave request's number"),
    "by": _("by must be the decider's username"),
    "reason": _("reason must be a string"),
    "rejection_reason": _("a leave rejection needs a reason"),
    "not_a_time": _("%(field)s is not an ISO 8601 time"),
    "no_offset": _("%(field)s needs a UTC offset"),
    "decided_already": _("decided already on line %(first)s"),
    "future": _("the decision time %(at)s is in the future (now %(now)s)"),
    "before_enrolment": _("the decision time %(at)s is before the device was enrolled (%(since)s)"),
    "before_request": _("the decision time %(at)s is before the leave was requested (%(since)s)"),
    "device_status": _("the device is %(status)s, not pending"),
    "device_decider": _("%(by)s may not decide about this device"),
    "leave_status": _("the leave request is %(status)s"),
    "leave_decider": _("%(by)s may not decide this leave request"),
    "no_user": _("no active user %(by)s"),
    "no_device": _("no device with key_id %(key_id)s"),
    "no_leave": _("no leave request %(leave_id)s"),
}
# The service's own refusal (already in the catalogue's words) is said as it came.
PASSED_ON = {"device_refused": "%(field)s: %(message)s", "service_refused": "%(detail)s"}
LINE = _("line %(line)s: %(problem)s")


def decision_refusal_text(refused) -> str:
    """A hadir.checkin.replay.DecisionRefused as "line N: sentence" in the operator's language."""
    code = getattr(refused, "code", None)
    template = REPLAY_REFUSALS.get(code) or PASSED_ON.get(code)
    if template is None:
        return str(refused)
    return str(LINE) % {"line": refused.line, "problem": str(template) % refused.values}
