"""Flags for reviewers, and their decisions."""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router

from hadir.core.api_errors import ApiError, field_error
from hadir.core.api_input import WORDS, Input
from hadir.fraud.export import flag_records, precision_on_reviews
from hadir.fraud.models import DayFlag, Decision, Level
from hadir.fraud.reviews import ReviewError, review_flag
from hadir.org.scope import scope_for

router = Router(tags=["fraud"])


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


REASON_MAX = 4000


class ReviewIn(Input):
    decision: Literal[tuple(Decision.values)]
    reason: str = Field(max_length=REASON_MAX, pattern=WORDS)  # a few words at least


@router.get("/flags", auth=_auth(), summary="Flagged employee-days in my scope")
def list_flags(request, first: date, last: date, min_level: Level = Level.REVIEW):
    if (last - first).days > 92 or last < first:
        raise field_error("last", gettext("a range of at most 92 days, ending after it starts"))
    scope = scope_for(request.user)
    if not scope.regency_wide and not scope.opd_ids:
        raise ApiError(403, "forbidden", gettext("You are not allowed to see fraud flags"))
    return list(flag_records(first, last, min_level, scope))


@router.post("/flags/{nip}/{day}/review", auth=_auth(), summary="Confirm or dismiss a flag")
def review(request, nip: str, day: date, payload: ReviewIn):
    flag = get_object_or_404(
        DayFlag.objects.select_related("employee"), employee__identifier=nip, day=day
    )
    try:
        made = review_flag(request.user, flag, payload.decision, payload.reason)
    except ReviewError as exc:
        if exc.status == 422:
            raise field_error(exc.field, exc.message) from exc
        raise ApiError(exc.status, message=exc.message) from exc
    return {"decision": made.decision, "reviewer": made.reviewer, "at": made.at.isoformat()}


@router.get("/flags/precision", auth=_auth(), summary="The detector's precision on reviews")
def precision(request):
    if not scope_for(request.user).regency_wide:
        raise ApiError(403, "forbidden", gettext("Only for BKPSDM and Inspektorat"))
    return precision_on_reviews()
