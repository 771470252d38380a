"""The employee's confirmed flags and answers, for the app (token auth)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router

from hadir.cases.flag_services import ANSWER_MAX, AnswerError, answer_flag, confirmed_flags_of
from hadir.cases.models import FlagAnswer
from hadir.core.api_errors import ApiError, field_error
from hadir.core.api_input import WORDS, Input
from hadir.fraud.models import FlagReview
from hadir.org.models import Employee

router = Router(tags=["flag answers"])


def _auth():
    from hadir.api import TokenAuth

    return TokenAuth()


class AnswerIn(Input):
    text: str = Field(max_length=ANSWER_MAX, pattern=WORDS)  # 5 characters at least, stripped


def _employee(request) -> Employee:
    employee = Employee.objects.filter(user=request.user).first()
    if employee is None:
        raise ApiError(403, "forbidden", gettext("Only employees have flags."))
    return employee


@router.get("/flags/mine", auth=_auth(), summary="My confirmed flags and my answers")
def my_flags(request):
    employee = _employee(request)
    answers: dict[int, list] = {}
    for row in FlagAnswer.objects.filter(employee=employee).order_by("at"):
        answers.setdefault(row.review_id, []).append({"text": row.text, "at": row.at.isoformat()})
    return [
        {
            "review_id": r.pk,
            "day": r.day.isoformat(),
            "reason": r.reason,
            "confirmed_at": r.at.isoformat(),
            "answers": answers.get(r.pk, []),
        }
        for r in confirmed_flags_of(employee)
    ]


@router.post("/flags/mine/{review_id}/answer", auth=_auth(), summary="Answer a confirmed flag")
def answer(request, review_id: int, payload: AnswerIn):
    employee = _employee(request)
    review = get_object_or_404(FlagReview, pk=review_id, employee=employee)
    try:
        made = answer_flag(employee, review, payload.text)
    except AnswerError as exc:
        if exc.status == 422:
            raise field_error("text", exc.message) from exc
        raise ApiError(exc.status, message=exc.message) from exc
    return {"review_id": review.pk, "text": made.text, "at": made.at.isoformat()}
