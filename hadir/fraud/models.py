"""Results of the fraud analysis (recomputable) and the people's decisions on them (kept)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.checkin.models import PresenceChallenge
from hadir.org.models import ConnectivityTier, Employee


class Level(models.TextChoices):
    BELOW = "below_review", _("below review")
    REVIEW = "review", _("for review")
    STRONG = "strong", _("strong")


LEVEL_ORDER = {Level.BELOW: 0, Level.REVIEW: 1, Level.STRONG: 2}


class AnalysisRun(models.Model):
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    analysed = models.IntegerField(_("events analysed"), default=0)
    set_aside = models.JSONField(_("records set aside"), default=dict)
    signal_errors = models.JSONField(_("signal errors"), default=dict)
    seconds = models.JSONField(_("seconds per step"), default=dict)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return _("analysis %(first)s–%(last)s (%(events)s events)") % {
            "first": self.first_day,
            "last": self.last_day,
            "events": self.analysed,
        }


class DayFlag(models.Model):
    """One employee-day with evidence. Replaced by each analysis of its range."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="day_flags"
    )
    day = models.DateField(_("date"), db_index=True)
    score = models.FloatField(_("score"))
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, db_index=True)
    tier = models.CharField(_("network tier"), max_length=10, choices=ConnectivityTier.choices)
    codes = models.JSONField(_("signals"))
    # ranked: code, tier, contribution, day, message id, event ids, values (evidence_text)
    evidence = models.JSONField(_("evidence"))
    excused = models.JSONField(_("excused evidence"), default=list, blank=True)
    run = models.ForeignKey(
        AnalysisRun, verbose_name=_("analysis run"), on_delete=models.SET_NULL, null=True
    )

    class Meta:
        verbose_name = _("flag (employee-day)")
        verbose_name_plural = _("flags (employee-day)")
        ordering = ["-day", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="one_flag_per_employee_day")
        ]

    def __str__(self) -> str:
        return f"{self.employee.identifier} {self.day} {self.get_level_display()} {self.score:.2f}"


class MonthFlag(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="month_flags"
    )
    month = models.CharField(_("month"), max_length=7, db_index=True)  # YYYY-MM
    score = models.FloatField(_("score"))
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    review_days = models.IntegerField(_("days for review"))
    strong_days = models.IntegerField(_("strong days"))
    patterns = models.JSONField(_("patterns"))
    evidence = models.JSONField(_("evidence"))
    run = models.ForeignKey(
        AnalysisRun, verbose_name=_("analysis run"), on_delete=models.SET_NULL, null=True
    )

    class Meta:
        verbose_name = _("flag (employee-month)")
        verbose_name_plural = _("flags (employee-month)")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "month"], name="one_flag_per_employee_month"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.employee.identifier} {self.month} {self.get_level_display()} {self.score:.2f}"
        )


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class FlagReview(models.Model):
    """A reviewer's decision on an employee-day. Append-only: a change of mind is a new row."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="reviews"
    )
    day = models.DateField(_("date"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    reviewer = models.CharField(_("reviewer"), max_length=150)
    at = models.DateTimeField(_("decided at"), default=timezone.now)
    flag_level = models.CharField(_("flag level"), max_length=15, choices=Level.choices)
    flag_score = models.FloatField(_("flag score"))
    flag_codes = models.JSONField(_("flag signals"))

    class Meta:
        verbose_name = _("flag review")
        verbose_name_plural = _("flag reviews")
        ordering = ["-at"]
        indexes = [models.Index(fields=["employee", "day"])]

    def __str__(self) -> str:
        return _("%(employee)s %(day)s %(decision)s by %(reviewer)s") % {
            "employee": self.employee.identifier,
            "day": self.day,
            "decision": self.get_decision_display(),
            "reviewer": self.reviewer,
        }


class ChallengeGroup(models.Model):
    """A group presence challenge: the members of a suspected set of phones
    (hadir.domain.signals.travelling_together) asked at one moment, each with their own
    challenge, with a short deadline. After the deadline `result` records who answered, from
    where, and how far apart in time and place (hadir.fraud.challenges.record_group_results)."""

    group_id = models.CharField(_("group"), max_length=64, unique=True)
    day = models.DateField(_("date"), db_index=True)
    issued_at = models.DateTimeField(_("issued at"))
    deadline = models.DateTimeField(_("answer by"))
    members = models.JSONField(_("suspected set"))  # employee ids of the whole set
    # The flag that raised the suspicion: {"employee": id, "day": "YYYY-MM-DD"}
    source = models.JSONField(_("suspected by"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group presence challenge")
        verbose_name_plural = _("group presence challenges")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.group_id} ({self.day}, {len(self.members or [])})"


class ChallengeGroupMember(models.Model):
    """One member's own challenge within a group challenge."""

    group = models.ForeignKey(
        ChallengeGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="asked"
    )
    challenge = models.OneToOneField(
        PresenceChallenge,
        verbose_name=_("presence challenge"),
        on_delete=models.PROTECT,
        related_name="group_member",
    )

    class Meta:
        verbose_name = _("member of a group challenge")
        verbose_name_plural = _("members of group challenges")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.challenge_id}"
