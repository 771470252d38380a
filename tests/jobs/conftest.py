"""Test jobs registered for the duration of a test, a clock the test moves, and a worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hadir.jobs import registry
from hadir.jobs.models import Job
from hadir.jobs.registry import JobResult, every
from hadir.jobs.services import create_job
from hadir.jobs.worker import Worker

START = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 WIB on a Monday


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock():
    return Clock()


class Registrar:
    """Registers jobs for one test and removes them (and only them) afterwards."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def add(self, name: str, func=None, *, schedule=None, at=START, **spec) -> Job:
        """Register a job and create its row, as of `at`."""
        func = func or (lambda ctx: JobResult("done"))
        func.__module__ = __name__
        registry.job(
            name,
            title=spec.pop("title", name),
            description=spec.pop("description", ""),
            schedule=schedule or every(seconds=60),
            **spec,
        )(func)
        self.names.append(name)
        return create_job(registry.get(name), at)

    def remove_all(self) -> None:
        for name in self.names:
            registry.unregister(name)


@pytest.fixture
def jobs():
    registrar = Registrar()
    yield registrar
    registrar.remove_all()


@pytest.fixture
def only_test_jobs(db):
    """Leave the real jobs' rows out of the way (they are created by migrate)."""
    Job.objects.all().delete()


@pytest.fixture
def worker(clock, only_test_jobs):
    lines: list[str] = []
    w = Worker("test-worker:1", clock=clock, out=lines.append)
    w.lines = lines
    return w
