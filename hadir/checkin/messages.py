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
