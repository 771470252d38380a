"""Results of the fraud analysis (recomputable) and the people's decisions on them (kept)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.models import Employee


class Level(models.TextChoices):
    BELOW = "below_review", _("below review")
    REVIEW = "review", _("for review")
    STRONG = "strong", _("strong")


LEVEL_ORDER = {Level.BELOW: 0, Level.REVIEW: 1, Level.STRONG: 2}


class AnalysisRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True)
    first_day = models.DateField()
    last_day = models.DateField()
    analysed = models.IntegerField(default=0)
    set_aside = models.JSONField(default=dict)
    signal_errors = models.JSONField(default=dict)
    seconds = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"analysis {self.first_day}–{self.last_day} ({self.analysed} events)"


class DayFlag(models.Model):
    """One employee-day with evidence. Replaced by each analysis of its range."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="day_flags")
    day = models.DateField(db_index=True)
    score = models.FloatField()
    level = models.CharField(max_length=15, choices=Level.choices, db_index=True)
    tier = models.CharField(max_length=10)
    codes = models.JSONField()
    evidence = models.JSONField()  # ranked: code, contribution, summary, event ids, values
    run = models.ForeignKey(AnalysisRun, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("flag (employee-day)")
        verbose_name_plural = _("flags (employee-day)")
        ordering = ["-day", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "day"], name="one_flag_per_employee_day")
        ]

    def __str__(self) -> str:
        return f"{self.employee.identifier} {self.day} {self.level} {self.score:.2f}"


class MonthFlag(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="month_flags")
    month = models.CharField(max_length=7, db_index=True)  # YYYY-MM
    score = models.FloatField()
    level = models.CharField(max_length=15, choices=Level.choices)
    review_days = models.IntegerField()
    strong_days = models.IntegerField()
    patterns = models.JSONField()
    evidence = models.JSONField()
    run = models.ForeignKey(AnalysisRun, on_delete=models.SET_NULL, null=True)

    class Meta:
        verbose_name = _("flag (employee-month)")
        verbose_name_plural = _("flags (employee-month)")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "month"], name="one_flag_per_employee_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.month} {self.level} {self.score:.2f}"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


class FlagReview(models.Model):
    """A reviewer's decision on an employee-day. Append-only: a change of mind is a new row."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="reviews")
    day = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    reviewer = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
    flag_level = models.CharField(max_length=15)
    flag_score = models.FloatField()
    flag_codes = models.JSONField()

    class Meta:
        verbose_name = _("flag review")
        verbose_name_plural = _("flag reviews")
        ordering = ["-at"]
        indexes = [models.Index(fields=["employee", "day"])]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day} {self.decision} by {self.reviewer}"
