"""The fraud app's background jobs: presence challenges during the day, the batch at night."""

from __future__ import annotations

import os
from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from hadir.fraud.analysis import analyse
from hadir.fraud.challenges import (
    issue_due_challenges,
    issue_group_challenges,
    record_group_results,
)
from hadir.jobs.registry import JobContext, JobResult, daily, every, job


@job(
    "issue_challenges",
    title=_("Issue presence challenges"),
    description=_(
        "Asks a sample of the employees who checked in today (more of those at risk) to "
        "confirm they are still at their workplace. Nothing happens outside working days."
    ),
    schedule=every(seconds=60),
)
def issue_challenges(ctx: JobContext) -> JobResult:
    issued = issue_due_challenges(ctx.now)
    return JobResult(gettext_noop("%(issued)d challenges issued"), {"issued": issued})


@job(
    "issue_group_challenges",
    title=_("Issue group presence challenges"),
    description=_(
        "Asks the sets of phones that the fraud analysis suspects of travelling together in "
        "one hand to confirm their presence at one and the same moment, with a short "
        "deadline; after the deadline records who answered, from where and how far apart."
    ),
    schedule=every(seconds=60),
)
def issue_group_challenges_job(ctx: JobContext) -> JobResult:
    issued = issue_group_challenges(ctx.now)
    recorded = record_group_results(ctx.now)
    return JobResult(
        gettext_noop("%(issued)d group challenges issued, %(recorded)d group results recorded"),
        {"issued": issued, "recorded": recorded},
    )


@job(
    "analyze_previous_day",
    title=_("Fraud analysis of the previous day"),
    description=_(
        "Runs the fraud signals over the evidence each night. The previous day is analysed "
        "together with the rest of its month so far, so that the month's patterns stay whole; "
        "flags of the earlier days are rebuilt from the same evidence and reviews are kept."
    ),
    schedule=daily("01:00"),
    # One process by default: the worker renews its lease from a second thread, and forking a
    # threaded process can leave a child waiting forever on a lock copied mid-use. 0 = a
    # process per core (faster; the fork is then the operator's choice).
    options={"month_to_date": True, "workers": 1},
)
def analyze_previous_day(ctx: JobContext) -> JobResult:
    last = ctx.today - timedelta(days=1)
    first = last.replace(day=1) if ctx.options["month_to_date"] else last
    workers = int(ctx.options["workers"]) or (os.cpu_count() or 1)  # 0: one process per core
    run, result = analyse(first, last, workers=workers)
    if result.signal_errors:
        # The flags of the other signals are stored; the failure must still reach a person.
        raise RuntimeError(f"signals failed in analysis #{run.pk}: {result.signal_errors}")
    days = [day for day in result.days if first <= day.day <= last]
    return JobResult(
        gettext_noop(
            "%(first)s to %(last)s: %(events)d events analysed, %(review)d employee-days for "
            "review, %(strong)d strong (analysis #%(run)d)"
        ),
        {
            "first": first.isoformat(),
            "last": last.isoformat(),
            "events": result.analysed,
            "review": sum(day.level == "review" for day in days),
            "strong": sum(day.level == "strong" for day in days),
            "run": run.pk,
        },
    )
