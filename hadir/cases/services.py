"""Writes of discipline cases: open, summon, record the examination or the absence, decide,
deliver, escalate. Each asks the pure rules (hadir.domain.discipline_cases) whether the step is
allowed and when the next one is due, writes a step, and issues the step's letter."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from hadir.cases.access import Viewer
from hadir.cases.letters import issue_letter
from hadir.cases.models import (
    CaseStep,
    DisciplineCase,
    Ground,
    LetterKind,
    StepKind,
)
from hadir.domain import discipline_cases as rules
from hadir.domain.calendar import package_holidays
from hadir.fraud.models import Decision as FlagDecision
from hadir.fraud.models import FlagReview
from hadir.notify.services import notify_many
from hadir.org.models import Employee, Role, RoleKind

MESSAGES = {
    "action_not_allowed": gettext_noop("This step is not possible at the case's current stage."),
    "decision_missing": gettext_noop("Choose a decision."),
    "summons_notice": gettext_noop(
        "The examination must be at least %(days)s working days after the summons: "
        "%(earliest)s at the earliest."
    ),
    "examination_not_working_day": gettext_noop("The examination must be on a working day."),
    "date_in_future": gettext_noop("This date is in the future."),
    "examination_date_missing": gettext_noop("The examination date is missing."),
    "forbidden": gettext_noop("You are not allowed to do this for this case."),
    "not_confirmed": gettext_noop("Only a confirmed flag of this employee can be the ground."),
    "violation_missing": gettext_noop("Describe the alleged violation."),
    "text_missing": gettext_noop("Fill in the examination record."),
    "place_missing": gettext_noop("Give the examination's time and place."),
    "recommendation_mismatch": gettext_noop(
        "The sanction engine's recommendation belongs to another employee."
    ),
}

DECISION_LETTERS = {
    rules.Decision.TEGURAN_LISAN: LetterKind.TEGURAN_LISAN,
    rules.Decision.TEGURAN_TERTULIS: LetterKind.TEGURAN_TERTULIS,
    rules.Decision.TIDAK_PUAS: LetterKind.TIDAK_PUAS,
    rules.Decision.REFERRAL: LetterKind.REFERRAL,
}
SANCTION_WORDS = {
    rules.Decision.TEGURAN_LISAN: "teguran lisan",
    rules.Decision.TEGURAN_TERTULIS: "teguran tertulis",
    rules.Decision.TIDAK_PUAS: "pernyataan tidak puas secara tertulis",
    rules.Decision.REFERRAL: "dilaporkan kepada pejabat yang berwenang menghukum",
    rules.Decision.NOT_PROVEN: "tidak terbukti",
}


class CaseError(Exception):
    def __init__(self, code: str, status: int = 422, field: str = "", **values):
        super().__init__(code)
        self.code, self.status, self.field, self.values = code, status, field, values

    @property
    def message(self) -> str:
        values = {
            k: (v.strftime("%d-%m-%Y") if isinstance(v, date) else v)
            for k, v in self.values.items()
        }
        text = gettext(MESSAGES.get(self.code, self.code))
        return text % values if values else text


def policy() -> rules.CasePolicy:
    return rules.CasePolicy(**getattr(settings, "CASE_POLICY", {}))


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today(now: datetime | None = None) -> date:
    return rules.local_today(now or timezone.now(), zone())


@lru_cache(maxsize=8)
def _holidays(years: tuple[int, ...]) -> frozenset[date]:
    return frozenset(info.day for info in package_holidays(years, include_cuti_bersama=True))


def off_days(around: date) -> frozenset[date]:
    """National holidays and cuti bersama of the year and the next (deadlines cross New Year)."""
    return _holidays((around.year, around.year + 1))


def _rule_error(exc: rules.CaseRuleError, field: str = "") -> CaseError:
    return CaseError(exc.code, 422, field, **exc.values)


def _step(case, kind, by, on, note="", data=None) -> CaseStep:
    return CaseStep.objects.create(case=case, kind=kind, by=by, on=on, note=note, data=data or {})


def _move(case: DisciplineCase, action: rules.Action, since: date, decision=None) -> None:
    try:
        stage = rules.next_stage(rules.Stage(case.stage), action, decision)
    except rules.CaseRuleError as exc:
        raise _rule_error(exc) from exc
    case.stage, case.stage_since = stage.value, since
    case.due_on = rules.due_date(stage, since, off_days(since), policy(), case.examination_on)
    if stage is rules.Stage.CLOSED:
        case.closed_at = timezone.now()


def open_case(
    viewer: Viewer,
    employee: Employee,
    ground: str,
    violation: str,
    *,
    flag_review: FlagReview | None = None,
    recommendation=None,
    source_ref: str = "",
    now: datetime | None = None,
) -> DisciplineCase:
    if not viewer.can_open_for(employee):
        raise CaseError("forbidden", 403)
    if ground not in Ground.values:
        raise CaseError("action_not_allowed", 422, "ground")
    if flag_review is not None and (
        flag_review.employee_id != employee.pk or flag_review.decision != FlagDecision.CONFIRMED
    ):
        raise CaseError("not_confirmed", 422, "flag")
    if recommendation is not None and recommendation.employee_id != employee.pk:
        raise CaseError("recommendation_mismatch", 422, "recommendation")
    violation = violation.strip()
    if len(violation) < 5:
        raise CaseError("violation_missing", 422, "violation")
    opened = today(now)
    with transaction.atomic():
        case = DisciplineCase.objects.create(
            employee=employee,
            opd_id=employee.opd_id,
            ground=ground,
            flag_review=flag_review,
            recommendation=recommendation,
            source_ref=source_ref.strip()[:100],
            violation=violation,
            opened_by=viewer.actor,
            opened_at=now or timezone.now(),
            stage=rules.Stage.OPENED.value,
            stage_since=opened,
            due_on=rules.due_date(rules.Stage.OPENED, opened, off_days(opened), policy()),
        )
        _step(case, StepKind.OPENED, viewer.actor, opened, violation)
    return case


def _require_act(viewer: Viewer, case: DisciplineCase) -> None:
    if not viewer.can_act_on(case):
        raise CaseError("forbidden", 403)


def summon(
    viewer: Viewer,
    case: DisciplineCase,
    *,
    examination_on: date,
    examination_time: str,
    examination_place: str,
    now: datetime | None = None,
):
    _require_act(viewer, case)
    issued = today(now)
    if not examination_time.strip() or not examination_place.strip():
        raise CaseError("place_missing", 422, "examination_place")
    try:
        rules.check_summons(issued, examination_on, off_days(issued), policy())
    except rules.CaseRuleError as exc:
        raise _rule_error(exc, "examination_on") from exc
    number = rules.summons_number(rules.Stage(case.stage))
    with transaction.atomic():
        case.examination_on = examination_on
        case.examination_time = examination_time.strip()[:20]
        case.examination_place = examination_place.strip()[:200]
        _move(case, rules.Action.SUMMON, issued)
        case.save()
        kind = LetterKind.SUMMONS_1 if number == 1 else LetterKind.SUMMONS_2
        letter = issue_letter(
            case,
            kind,
            dated=issued,
            by=viewer.actor,
            extra={"panggilan_ke": "pertama" if number == 1 else "kedua"},
        )
        _step(
            case,
            StepKind.SUMMONS,
            viewer.actor,
            issued,
            data={"number": number, "letter": letter.pk, "examination_on": str(examination_on)},
        )
    return letter


def record_examination(
    viewer: Viewer,
    case: DisciplineCase,
    *,
    held_on: date,
    findings: str,
    statement: str,
    now: datetime | None = None,
):
    _require_act(viewer, case)
    try:
        rules.check_not_future(held_on, today(now))
    except rules.CaseRuleError as exc:
        raise _rule_error(exc, "held_on") from exc
    if len(findings.strip()) < 5:
        raise CaseError("text_missing", 422, "findings")
    with transaction.atomic():
        case.examination_on = held_on
        _move(case, rules.Action.EXAMINE, held_on)
        case.save()
        letter = issue_letter(
            case,
            LetterKind.EXAMINATION,
            dated=held_on,
            by=viewer.actor,
            extra={
                "hasil_pemeriksaan": findings.strip(),
                "keterangan_pegawai": statement.strip() or "-",
                "kehadiran": "hadir",
            },
        )
        _step(
            case, StepKind.EXAMINED, viewer.actor, held_on, findings.strip(), {"letter": letter.pk}
        )
    return letter


def record_missed(viewer: Viewer, case: DisciplineCase, *, note: str = "", now=None) -> None:
    """The employee did not come on the examination date."""
    _require_act(viewer, case)
    missed_on = case.examination_on or today(now)
    try:
        rules.check_not_future(missed_on, today(now))
    except rules.CaseRuleError as exc:
        raise _rule_error(exc) from exc
    with transaction.atomic():
        was = case.stage
        _move(case, rules.Action.MISSED, missed_on)
        case.save()
        _step(
            case,
            StepKind.MISSED,
            viewer.actor,
            missed_on,
            note.strip(),
            {"after_summons": 1 if was == rules.Stage.SUMMONED_1 else 2},
        )


def decide(
    viewer: Viewer,
    case: DisciplineCase,
    *,
    decision: str,
    grounds: str,
    now: datetime | None = None,
):
    if not viewer.can_decide(case):
        raise CaseError("forbidden", 403)
    try:
        chosen = rules.Decision(decision)
    except ValueError as exc:
        raise CaseError("decision_missing", 422, "decision") from exc
    decided_on = today(now)
    with transaction.atomic():
        _move(case, rules.Action.DECIDE, decided_on, chosen)
        case.decision = chosen.value
        case.save()
        letter = None
        if chosen in DECISION_LETTERS:
            letter = issue_letter(
                case,
                DECISION_LETTERS[chosen],
                dated=decided_on,
                by=viewer.actor,
                extra={"hukuman": SANCTION_WORDS[chosen], "pertimbangan": grounds.strip() or "-"},
            )
        _step(
            case,
            StepKind.DECIDED,
            viewer.actor,
            decided_on,
            grounds.strip(),
            {"decision": chosen.value, "letter": letter.pk if letter else None},
        )
    return letter


def deliver(viewer: Viewer, case: DisciplineCase, *, delivered_on: date, note: str = "", now=None):
    _require_act(viewer, case)
    try:
        rules.check_not_future(delivered_on, today(now))
    except rules.CaseRuleError as exc:
        raise _rule_error(exc, "delivered_on") from exc
    with transaction.atomic():
        _move(case, rules.Action.DELIVER, delivered_on)
        case.save()
        _step(case, StepKind.DELIVERED, viewer.actor, delivered_on, note.strip())


# --- deadlines ---------------------------------------------------------------------------


def overdue_cases(qs, now: datetime | None = None):
    """Open cases past their due date (the regency's date)."""
    return qs.exclude(stage=rules.Stage.CLOSED.value).filter(due_on__lt=today(now))


def escalation_recipients(case: DisciplineCase) -> list:
    users = {
        role.user
        for role in Role.objects.filter(
            kind=RoleKind.OPD_HEAD, opd_id=case.opd_id, user__is_active=True
        ).select_related("user")
    }
    users |= {
        role.user
        for role in Role.objects.filter(
            kind=RoleKind.BKPSDM_ADMIN, user__is_active=True
        ).select_related("user")
    }
    head = case.opd.head
    if head is not None and head.user_id and head.user.is_active:
        users.add(head.user)
    return sorted(users, key=lambda u: u.pk)


def escalate_overdue(now: datetime | None = None) -> int:
    """Put every case past its due date, not yet escalated for it, before the Kepala OPD and
    BKPSDM (art. 28). Safe to run again: a case is escalated once per missed due date."""
    now = now or timezone.now()
    tz = zone()
    count = 0
    candidates = overdue_cases(DisciplineCase.objects.all(), now).select_related(
        "employee", "opd", "opd__head", "opd__head__user"
    )
    for case in candidates:
        if not rules.needs_escalation(case.due_on, case.escalated_for, now, tz):
            continue
        with transaction.atomic():
            claimed = (
                DisciplineCase.objects.filter(pk=case.pk, due_on=case.due_on)
                .exclude(escalated_for=case.due_on)
                .update(escalated_for=case.due_on, escalated_at=now)
            )
            if not claimed:
                continue
            recipients = escalation_recipients(case)
            notify_many(
                recipients,
                gettext_noop(
                    "Discipline case of %(employee)s (%(nip)s) is past its deadline of %(due)s "
                    "without action: %(stage)s."
                ),
                {
                    "employee": case.employee.name,
                    "nip": case.employee.identifier,
                    "due": case.due_on.strftime("%d-%m-%Y"),
                    "stage": {"msgid": _stage_msgid(case.stage)},
                },
                link=f"/pantau/kasus/{case.pk}/",
                topic="case.overdue",
                now=now,
            )
            _step(
                case,
                StepKind.ESCALATED,
                "job:escalate_overdue_cases",
                rules.local_today(now, tz),
                data={
                    "due_on": case.due_on.isoformat(),
                    "stage": case.stage,
                    "told": [u.get_username() for u in recipients],
                },
            )
            count += 1
    return count


def _stage_msgid(stage: str) -> str:
    from django.utils import translation

    from hadir.cases.models import STAGE_LABELS

    with translation.override(None):
        return str(STAGE_LABELS[rules.Stage(stage)])
