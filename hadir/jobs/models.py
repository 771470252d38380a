"""The job schedule as data, and the log of every run.

A `Job` row is both the schedule (edited in the admin) and the queue entry: a worker claims
it with a conditional UPDATE that sets a lease (`hadir.jobs.worker`), so two workers never
run the same job at once, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hadir.domain.job_schedule import Daily, Every, Monthly, Rule
from hadir.jobs import registry


class ScheduleKind(models.TextChoices):
    INTERVAL = "interval", _("every N seconds")
    DAILY = "daily", _("daily at a time")
    MONTHLY = "monthly", _("monthly on a day, at a time")


class Job(models.Model):
    name = models.SlugField(_("name"), max_length=80, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    kind = models.CharField(_("schedule"), max_length=10, choices=ScheduleKind.choices)
    every_seconds = models.PositiveIntegerField(
        _("every (seconds)"), null=True, blank=True, help_text=_("For 'every N seconds'.")
    )
    at_time = models.TimeField(
        _("at (local time)"),
        null=True,
        blank=True,
        help_text=_("For daily and monthly jobs, in the regency's time zone."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        help_text=_("For monthly jobs: 1-31; a shorter month uses its last day."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts"),
        default=3,
        help_text=_("How many times a failing run is tried before it is reported."),
    )
    retry_seconds = models.PositiveIntegerField(
        _("first retry after (seconds)"),
        default=60,
        help_text=_("Each further retry waits twice as long (at most an hour)."),
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Settings of this job; the ones not given keep their default."),
    )
    next_run_at = models.DateTimeField(_("next run"), db_index=True)
    # Claiming: a worker owns the job while lease_until is in the future.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_by = models.CharField(_("running in"), max_length=120, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True, editable=False)
    failures = models.PositiveSmallIntegerField(_("failures in a row"), default=0, editable=False)
    reported_at = models.DateTimeField(
        _("failure reported at"), null=True, blank=True, editable=False
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_status = models.CharField(_("last result"), max_length=12, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def spec(self) -> registry.JobSpec | None:
        return registry.get(self.name)

    @property
    def title(self):
        spec = self.spec
        return spec.title if spec else self.name

    def rule(self) -> Rule:
        if self.kind == ScheduleKind.INTERVAL:
            return Every(self.every_seconds or 60)
        at = self.at_time or time(0, 0)
        if self.kind == ScheduleKind.MONTHLY:
            return Monthly(self.day_of_month or 1, at)
        return Daily(at)

    def effective_options(self) -> dict:
        spec = self.spec
        defaults = dict(spec.options) if spec else {}
        return {**defaults, **{k: v for k, v in (self.options or {}).items() if k in defaults}}

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == ScheduleKind.INTERVAL and not self.every_seconds:
            errors["every_seconds"] = [gettext("Give the interval in seconds.")]
        if self.kind in (ScheduleKind.DAILY, ScheduleKind.MONTHLY) and self.at_time is None:
            errors["at_time"] = [gettext("Give the local time of the run.")]
        if self.kind == ScheduleKind.MONTHLY and not 1 <= (self.day_of_month or 0) <= 31:
            errors["day_of_month"] = [gettext("Give a day between 1 and 31.")]
        if self.max_attempts < 1:
            errors["max_attempts"] = [gettext("A job is tried at least once.")]
        option_errors = self._option_errors()
        if option_errors:
            errors["options"] = option_errors
        if errors:
            raise ValidationError(errors)

    def _option_errors(self) -> list[str]:
        if not isinstance(self.options, dict):
            return [gettext("Options are an object of names and values.")]
        spec = self.spec
        defaults = spec.options if spec else {}
        errors = []
        for key, value in self.options.items():
            if key not in defaults:
                known = ", ".join(sorted(defaults)) or "-"
                errors.append(
                    gettext("Unknown option %(name)s (known: %(known)s).")
                    % {"name": key, "known": known}
                )
            elif not _same_type(value, defaults[key]):
                errors.append(
                    gettext("Option %(name)s must be like its default %(default)s.")
                    % {"name": key, "default": defaults[key]}
                )
        return errors


def _same_type(value, default) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    INTERRUPTED = "interrupted", _("interrupted")


class JobRun(models.Model):
    job = models.ForeignKey(
        Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="runs"
    )
    claim_token = models.CharField(max_length=32, db_index=True, editable=False)
    worker = models.CharField(_("worker"), max_length=120)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    status = models.CharField(_("result"), max_length=12, choices=RunStatus.choices)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_values = models.JSONField(_("summary values"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    reported = models.BooleanField(_("reported to administrators"), default=False)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_recent")]

    def __str__(self) -> str:
        return f"{self.job.name} {self.started_at:%Y-%m-%d %H:%M:%S}"

    def rendered_summary(self) -> str:
        """The result in the active language (the message id goes through the catalogue)."""
        if not self.summary:
            return ""
        try:
            return gettext(self.summary) % self.summary_values
        except (KeyError, TypeError, ValueError):
            return gettext(self.summary)

    def rendered_error(self) -> str:
        """The worker's own messages are catalogue entries; an exception's text is shown as is
        (its traceback is for the administrator who fixes it)."""
        return gettext(self.error) if self.error else ""
