"""Two workers never run the same job at once: racing claims, on SQLite and PostgreSQL.

Threads share this test's database (committed rows: a transactional test), each with its own
connection, and start each round together at a barrier. `test_two_worker_processes_race` does
the same with real `hadir worker`-like processes (tests/jobs/race_worker.py).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections

from hadir.jobs.models import Job, JobRun, RunStatus
from hadir.jobs.registry import JobResult
from hadir.jobs.worker import Worker, claim
from tests.jobs.conftest import START, Clock

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
ROUNDS = 15


def in_threads(target, count: int) -> list:
    results: list = [None] * count
    errors: list = []

    def run(index):
        try:
            results[index] = target(index)
        except Exception as exc:  # reported below, not lost with the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def with_retry_when_locked(action):
    """SQLite's shared in-memory test database answers 'table is locked' to a concurrent
    statement instead of waiting: a worker meeting it tries again, as the loop would."""
    for _ in range(200):
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("the database stayed locked")


def test_racing_claims_give_the_job_to_exactly_one_worker(jobs):
    job = jobs.add("test_race")
    barrier = threading.Barrier(THREADS)
    winners = Counter()
    for round_ in range(ROUNDS):
        now = START + timedelta(minutes=round_)
        Job.objects.filter(pk=job.pk).update(
            next_run_at=now, claim_token="", claimed_by="", lease_until=None
        )

        def take(index, now=now):
            barrier.wait()
            return with_retry_when_locked(lambda: claim(job.pk, f"w{index}", now))

        taken = in_threads(take, THREADS)
        won = [index for index, result in enumerate(taken) if result is not None]
        assert len(won) == 1, f"round {round_}: {won} claimed the job"
        winners[won[0]] += 1
        row = Job.objects.get(pk=job.pk)
        assert row.claimed_by == f"w{won[0]}"
        assert row.claim_token == taken[won[0]].token
    assert sum(winners.values()) == ROUNDS


def test_racing_workers_run_each_occurrence_once(jobs):
    inside, overlaps, runs = [0], [], []
    lock = threading.Lock()

    def slow(ctx):
        with lock:
            inside[0] += 1
            overlaps.append(inside[0])
        time.sleep(0.05)
        with lock:
            inside[0] -= 1
        runs.append(ctx.scheduled_for)
        return JobResult("done")

    job = jobs.add("test_slow_race", slow)
    barrier = threading.Barrier(THREADS)
    clock = Clock(START)

    def work(index):
        worker = Worker(f"w{index}", clock=clock)
        done = []
        for _ in range(3):
            barrier.wait()
            done += with_retry_when_locked(worker.run_due)
        return done

    Job.objects.filter(pk=job.pk).update(next_run_at=START)
    results = in_threads(work, THREADS)
    assert max(overlaps) == 1  # never two at once
    assert len(runs) == 1  # the clock did not move: one occurrence, run once
    assert sum(len(done) for done in results) == 1
    assert JobRun.objects.filter(job=job, status=RunStatus.SUCCEEDED).count() == 1


RACE_SCRIPT = Path(__file__).with_name("race_worker.py")


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        auth = f"{user}:{settings['PASSWORD']}" if settings["PASSWORD"] else user
        return f"postgres://{auth}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return ""


def test_worker_processes_racing_run_each_occurrence_once_and_never_together(tmp_path):
    """Real processes, each with its own connection, on the test database (PostgreSQL) or on
    a file database (SQLite: the in-memory test database is invisible to another process)."""
    env = {**os.environ, "HADIR_VAR_DIR": str(tmp_path)}
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = database_url()
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'race.sqlite3'}"
        subprocess.run(
            [sys.executable, "-m", "hadir.cli", "migrate", "-v", "0"], env=env, check=True
        )
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    children = [
        subprocess.Popen(
            [sys.executable, str(RACE_SCRIPT), str(barrier), f"p{index}", "3"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(3)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
    lines = [line.split() for out, _err in outputs for line in out.splitlines()]
    assert sorted(line[1] for line in lines if line[0] == "done") == ["p0", "p1", "p2"]
    runs = sorted(
        (float(start), float(end), when)
        for kind, when, start, end, _p in (line for line in lines if line[0] == "ran")
    )
    assert len(runs) >= 2, outputs  # a 1-second job over 4 seconds: it ran, and ran again
    occurrences = [when for _s, _e, when in runs]
    assert len(set(occurrences)) == len(occurrences)  # no occurrence ran twice
    for (_s1, end, _w1), (start, _e2, _w2) in itertools.pairwise(runs):
        assert start >= end, "two runs of the job overlapped"
    assert all(datetime.fromisoformat(when) for when in occurrences)
