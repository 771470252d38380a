"""Writes of flag review: a decision (through hadir.fraud.reviews), the employee told of a
confirmed flag, and the employee's answer; and the access log of who looked at locations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from hadir.cases.access import Viewer
from hadir.cases.models import FlagAnswer
from hadir.fraud.models import DayFlag, Decision, FlagReview
from hadir.fraud.reviews import ReviewError, review_flag
from hadir.notify.services import notify
from hadir.org.models import AuditEntry, Employee

ANSWER_MIN, ANSWER_MAX = 5, 4000
MY_FLAGS_URL = "/pantau/flag/saya/"


def decide_flag(viewer: Viewer, user, flag: DayFlag, decision: str, reason: str) -> FlagReview:
    if viewer.read_only:
        raise ReviewError(403, "flag", gettext("Inspektorat reads flags but does not decide them"))
    if not viewer.sees_employee(flag.employee):
        raise ReviewError(403, "flag", gettext("not allowed to review this flag"))
    with transaction.atomic():
        made = review_flag(user, flag, decision, reason)
        if made.decision == Decision.CONFIRMED and flag.employee.user_id:
            notify(
                flag.employee.user,
                gettext_noop(
                    "Your attendance on %(day)s was reviewed and confirmed as a violation: "
                    "%(reason)s. You may answer it in Hadir."
                ),
                {"day": flag.day.strftime("%d-%m-%Y"), "reason": made.reason[:300]},
                link=MY_FLAGS_URL,
                topic="flag.confirmed",
            )
    return made


class AnswerError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def confirmed_flags_of(employee: Employee) -> list[FlagReview]:
    """The employee's flags whose latest review confirmed them, newest first."""
    latest: dict = {}
    for review in FlagReview.objects.filter(employee=employee).order_by("-at", "-id"):
        latest.setdefault(review.day, review)
    return sorted(
        (r for r in latest.values() if r.decision == Decision.CONFIRMED),
        key=lambda r: r.day,
        reverse=True,
    )


def answer_flag(employee: Employee, review: FlagReview, text: str) -> FlagAnswer:
    if review.employee_id != employee.pk:
        raise AnswerError(404, gettext("No such flag."))
    if review.decision != Decision.CONFIRMED:
        raise AnswerError(409, gettext("Only a confirmed flag can be answered."))
    text = (text or "").strip()
    if not ANSWER_MIN <= len(text) <= ANSWER_MAX:
        raise AnswerError(
            422,
            gettext("Write an answer of %(min)d to %(max)d characters.")
            % {"min": ANSWER_MIN, "max": ANSWER_MAX},
        )
    with transaction.atomic():
        made = FlagAnswer.objects.create(review=review, employee=employee, text=text)
        _tell_reviewer(review, employee)
    return made


def _tell_reviewer(review: FlagReview, employee: Employee) -> None:
    """The reviewer who confirmed the flag learns that the employee answered."""
    if not review.reviewer.startswith("user:"):
        return
    reviewer = (
        get_user_model()
        .objects.filter(username=review.reviewer.removeprefix("user:"), is_active=True)
        .first()
    )
    flag = DayFlag.objects.filter(employee=employee, day=review.day).values_list("pk", flat=True)
    if reviewer is None or not flag:
        return
    notify(
        reviewer,
        gettext_noop("%(employee)s (%(nip)s) answered the confirmed flag of %(day)s."),
        {
            "employee": employee.name,
            "nip": employee.identifier,
            "day": review.day.strftime("%d-%m-%Y"),
        },
        link=f"/pantau/flag/{flag[0]}/",
        topic="flag.answered",
    )


def log_location_view(viewer: Viewer, flag: DayFlag, path: str) -> None:
    """Locations are personal data (UU 27/2022): every look at a flag's fixes is recorded in the
    access log (the audit log's 'viewed' entries)."""
    AuditEntry.objects.create(
        actor=viewer.actor,
        action="view",
        model="checkin.EvidenceRecord",
        object_pk=f"{flag.employee.identifier}/{flag.day.isoformat()}",
        object_repr=(f"locations of {flag.employee.identifier} on {flag.day.isoformat()}")[:300],
        before=None,
        after={"path": path[:500], "flag": flag.pk},
    )
