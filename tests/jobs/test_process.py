"""`hadir worker` as a process: it runs the jobs, stops on SIGTERM, and when the demo starts it
beside the server it ends with the server (Ctrl-C, or the server killed) and leaves no orphan.

These start real processes on their own SQLite files; they read /proc, so they run on Linux.
They do not depend on the test database, so they run in the SQLite pass only.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
    pytest.mark.skipif(
        os.environ.get("HADIR_TEST_DB") == "postgres", reason="the same processes as on SQLite"
    ),
]

HADIR = [sys.executable, "-m", "hadir.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var: Path) -> dict:
    env = {**os.environ, "HADIR_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)  # the default: var/hadir.sqlite3
    return env


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def process_group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid and b" worker --with-parent " in cmdline:
                found.append(int(entry.name))
    return found


def job_runs(database: Path) -> list[tuple]:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return db.execute(
                "SELECT j.name, r.status FROM jobs_jobrun r JOIN jobs_job j ON j.id = r.job_id"
            ).fetchall()
    except sqlite3.OperationalError:
        return []  # not created yet


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    var = tmp_path_factory.mktemp("worker-var")
    subprocess.run([*HADIR, "migrate", "-v", "0"], env=environment(var), check=True)
    return var


def test_worker_once_runs_what_is_due_and_exits(migrated):
    result = subprocess.run(
        [*HADIR, "worker", "--once"],
        env=environment(migrated),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "compute_statuses succeeded" in result.stdout
    assert "deliver_notifications succeeded" in result.stdout
    assert "analyze_previous_day" not in result.stdout  # a nightly job waits for its night


def test_worker_keeps_running_and_stops_on_sigterm(migrated):
    worker = subprocess.Popen(
        [*HADIR, "worker", "--loop-seconds", "1"],
        env=environment(migrated),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    database = migrated / "hadir.sqlite3"
    try:
        wait_for(lambda: len(job_runs(database)) >= 3, 60, "the worker's first runs")
        first = len(job_runs(database))
        with sqlite3.connect(database, timeout=10) as db:  # as the admin's "run now" does
            db.execute(
                "UPDATE jobs_job SET next_run_at = '2020-01-01 00:00:00' "
                "WHERE name = 'remind_leave_requests'"
            )
        wait_for(
            lambda: ("remind_leave_requests", "succeeded") in job_runs(database),
            30,
            "the worker to notice a job made due",
        )
        assert len(job_runs(database)) > first
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "dimulai (pid " in out
    assert "berhenti" in out


def test_a_worker_started_beside_a_server_ends_when_the_server_is_killed(migrated):
    # The demo's shape: start the worker, then become the server (exec keeps the pid).
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, sys; from hadir.jobs.process import start_beside; "
            "start_beside('--verbosity', '0'); "
            "os.execv('/bin/sleep', ['sleep', '120'])",
        ],
        env=environment(migrated),
    )
    try:
        [worker] = wait_for(lambda: children_of(parent.pid), 30, "the worker process")
        wait_for(lambda: job_runs(migrated / "hadir.sqlite3"), 60, "the worker's first run")
        parent.kill()  # SIGKILL: the server gets no chance to clean up
        parent.wait(timeout=10)
        wait_for(lambda: not alive(worker), 30, "the worker to end with its server")
    finally:
        if parent.poll() is None:
            parent.kill()


def test_the_demo_serves_with_the_worker_beside_it_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    demo = subprocess.Popen(
        [*HADIR, "demo", "--employees", "84", "--no-history", "--port", str(port)],
        env=environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:

        def serving():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=2):
                    return True
            except OSError:
                return False

        wait_for(serving, 180, "the demo server")
        [worker] = wait_for(lambda: children_of(demo.pid), 30, "the worker beside the server")
        wait_for(
            lambda: ("compute_statuses", "succeeded") in job_runs(tmp_path / "hadir.sqlite3"),
            60,
            "the worker to compute today's statuses",
        )
        os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        demo.wait(timeout=30)
        wait_for(lambda: not process_group_members(demo.pid), 30, "every process to end")
        assert not alive(worker)
    finally:
        if demo.poll() is None or process_group_members(demo.pid):
            os.killpg(demo.pid, signal.SIGKILL)
