"""Background jobs, registered by the app that owns them.

An app declares its jobs in `hadir/<app>/jobs.py`; the jobs app imports every installed app's
`jobs` module at start-up (like the admin's `admin.py`). A job is a small function taking a
`JobContext` and returning a `JobResult` (a catalogue message and its values) or None:

    from django.utils.translation import gettext_lazy as _, gettext_noop

    from hadir.jobs.registry import JobContext, JobResult, every, job

    @job(
        "issue_challenges",
        title=_("Issue presence challenges"),
        description=_("Asks a sample of checked-in employees to confirm they are still on site."),
        schedule=every(seconds=60),
    )
    def issue_challenges(ctx: JobContext) -> JobResult:
        issued = issue_due_challenges(ctx.now)
        return JobResult(gettext_noop("%(issued)d challenges issued"), {"issued": issued})

The registry holds the defaults; the schedule itself lives in the database (`hadir.jobs.models.
Job`), created from these defaults the first time and edited in the admin afterwards. A job
raises to fail: the worker logs the error, retries with a back-off and reports the failure.
A job must be safe to run again (a retry, or a run interrupted by a stopped worker, repeats it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from hadir.domain.job_schedule import Daily, Every, Monthly, Rule

OptionValue = bool | int | float | str


@dataclass(frozen=True)
class JobContext:
    now: datetime  # the moment the run started (UTC)
    tz: ZoneInfo  # the regency's time zone
    scheduled_for: datetime  # the occurrence this run is for (earlier than now when late)
    last_success: datetime | None  # when the last successful run started
    options: Mapping[str, OptionValue]  # the registry's defaults overlaid by the admin's edits
    attempt: int = 1  # 1 for the first try of an occurrence, 2 for its first retry, ...

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


@dataclass(frozen=True)
class JobResult:
    """What a run did, for the run log: an English msgid (mark it with gettext_noop so the
    catalogue has it) and its values; the admin shows it in the reader's language."""

    message: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[[JobContext], JobResult | None]
    title: Any  # a lazy translation
    description: Any
    schedule: Rule
    enabled: bool
    max_attempts: int
    retry_seconds: int
    options: Mapping[str, OptionValue]
    module: str


def every(*, seconds: int = 0, minutes: int = 0, hours: int = 0) -> Every:
    return Every(seconds + 60 * minutes + 3600 * hours)


def daily(at: str) -> Daily:
    """`at` is a local time HH:MM."""
    return Daily(time.fromisoformat(at))


def monthly(day: int, at: str) -> Monthly:
    return Monthly(day, time.fromisoformat(at))


_REGISTRY: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    title,
    description,
    schedule: Rule,
    enabled: bool = True,
    max_attempts: int = 3,
    retry_seconds: int = 60,
    options: Mapping[str, OptionValue] | None = None,
) -> Callable:
    """Register the decorated function as the job `name` with its default schedule."""
    if max_attempts < 1 or retry_seconds < 1:
        raise ValueError("a job is tried at least once, and retried after at least a second")

    def register(func: Callable[[JobContext], JobResult | None]) -> Callable:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.module != func.__module__:
            raise ValueError(f"job {name!r} is registered twice ({existing.module})")
        _REGISTRY[name] = JobSpec(
            name=name,
            func=func,
            title=title,
            description=description,
            schedule=schedule,
            enabled=enabled,
            max_attempts=max_attempts,
            retry_seconds=retry_seconds,
            options=dict(options or {}),
            module=func.__module__,
        )
        return func

    return register


def registered() -> dict[str, JobSpec]:
    return dict(_REGISTRY)


def get(name: str) -> JobSpec | None:
    return _REGISTRY.get(name)


def discover() -> None:
    """Import `jobs` from every installed app, which registers their jobs."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")


def unregister(name: str) -> None:
    """For tests that register a job of their own."""
    _REGISTRY.pop(name, None)
