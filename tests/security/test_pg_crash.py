"""A crash of PostgreSQL itself under concurrent signed check-ins loses no acknowledged event,
stores none twice, leaves the chain intact, and the same server (never restarted) stores
check-ins again once PostgreSQL has recovered.

The check-in write (hadir.checkin.store.Writer.run) commits the transaction that releases the
chain head without waiting for the disk, then commits a second one that does wait, so the answer
leaves only once both are in the write-ahead log on disk. This test is what fails if that second
wait goes: with the second transaction removed, or its FOR KEY SHARE (without it the transaction
writes no log and does not wait), every one of 39 crashes in 13 runs lost 1 to 3 acknowledged
check-ins; with wal_writer_delay at its default (200 ms), 8 of 9 crashes did.

PostgreSQL runs in a private cluster (a temporary directory, a free port, fsync on), never the
shared test server. The crash: SIGSTOP to the postmaster and every child, then SIGKILL to them
all, so none runs another instruction and the log still in PostgreSQL's memory is lost.
(`pg_ctl stop -m immediate` would let the backends run their quit handlers first.) A process
crash cannot show an fsync that did not happen, since the kernel keeps what was written: that
would take an operating-system crash, out of a test's reach.

Settings of the private cluster, none of them weaker than production's for the check-ins:
- wal_writer_delay at its maximum (10 s): a commit that waits for the disk does not depend on
  it, and a commit that does not wait stays in memory as long as possible, so a broken write
  path loses its acknowledged check-ins in the crash instead of having them written by chance
  just before it;
- recovery_init_sync_method=syncfs: before replaying the log after a crash PostgreSQL flushes
  the whole data directory; one syncfs() is seconds faster here than an fsync per file.

The cluster does not depend on the test database, so the test runs in the SQLite pass only
(like tests/jobs/test_process.py). Without PostgreSQL's binaries (or, as root, a postgres user
to run them as) it skips, except in CI (CI=true), where it must run.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.security import serverside
from tests.security.databases import engine
from tests.security.test_kill import count_stored

PG_BIN = Path(os.environ.get("HADIR_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PHONES = 16  # concurrent writers, each sending its events one after another as the app does
CRASHES = 3
ACKS_BETWEEN_CRASHES = 40
OUTAGE_S = 1.0  # how long PostgreSQL stays dead
RETRY_S = 0.2  # a phone's pause before sending an unanswered event again
WAIT_S = 60  # a bound on every wait (start, recovery, load), not a speed requirement

pytestmark = pytest.mark.skipif(
    engine() == "postgres", reason="a private PostgreSQL cluster: runs in the SQLite pass"
)


def missing() -> str | None:
    """Why PostgreSQL cannot run here, or None."""
    for name in ("initdb", "postgres"):
        if not (PG_BIN / name).exists():
            return f"no {PG_BIN / name} (HADIR_TEST_PG_BIN names the directory)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run PostgreSQL as"
    return None


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat after the command name: state, parent, ..."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def children_of(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):
            if entry.name.isdigit() and int(_stat(int(entry.name))[1]) == parent:
                pids.append(int(entry.name))
    return pids


def dead(pid: int) -> bool:
    try:
        return _stat(pid)[0] == "Z"
    except OSError:
        return True


class Cluster:
    """A PostgreSQL cluster in a temporary directory, its postmaster a child of the test."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = serverside.free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/hadir"
        self.user = "postgres" if os.geteuid() == 0 else None  # PostgreSQL refuses root
        self.process: subprocess.Popen | None = None

    def create(self) -> None:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        # --no-sync: initdb's files need no flush against a process crash (the server runs
        # with fsync on).
        subprocess.run(
            [
                PG_BIN / "initdb",
                *("-D", "data", "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=trust"),
                *("--no-sync", "--no-instructions"),
            ],
            user=self.user,
            cwd=self.directory,
            check=True,
            capture_output=True,
            timeout=WAIT_S,
        )
        self.start()
        with self.connect("postgres") as db:
            db.execute("CREATE DATABASE hadir")

    def start(self) -> None:
        """Starts the postmaster (after a crash: recovery, replaying the log) and waits until
        it accepts connections."""
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": self.port,
            "unix_socket_directories": self.directory,
            "shared_buffers": "16MB",
            "max_connections": 30,
            "fsync": "on",
            "synchronous_commit": "on",
            "full_page_writes": "on",
            "wal_writer_delay": "10s",
            "recovery_init_sync_method": "syncfs",
            "autovacuum": "off",  # no writes of its own between the load's
        }
        options = [f"--{name}={value}" for name, value in settings.items()]
        with open(self.directory / "log", "ab") as log:
            self.process = subprocess.Popen(
                [PG_BIN / "postgres", "-D", "data", *options],
                user=self.user,
                cwd=self.directory,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(Exception), self.connect("postgres"):
                return
            time.sleep(0.05)
        raise RuntimeError(f"PostgreSQL did not start: {self.log()[-2000:]}")

    def connect(self, database: str):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def crash(self) -> None:
        """Stops the postmaster (it starts no more children), then every child, then kills
        them all: no process of the cluster runs another instruction, nothing is written."""
        postmaster = self.process.pid
        os.kill(postmaster, signal.SIGSTOP)
        children = children_of(postmaster)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        for pid in [postmaster, *children]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT_S)
        deadline = time.monotonic() + WAIT_S
        while not all(dead(pid) for pid in children):  # they still hold the shared memory
            assert time.monotonic() < deadline, "PostgreSQL's processes outlived SIGKILL"
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                self.crash()

    def log(self) -> str:
        return (self.directory / "log").read_text(errors="replace")


@contextlib.contextmanager
def private_cluster():
    why = missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must crash a PostgreSQL cluster, and cannot: {why}")
        pytest.skip(why)
    # Not pytest's tmp_path: its parent directories are root's alone.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="hadir-pgcrash-")))
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)


class Load:
    """Each phone sends new events one after another until told to finish; an event without a
    definitive answer (503, or none) is sent again, byte for byte, as the app's queue does."""

    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.finish = threading.Event()
        self.events = 0
        self.acknowledged: list[tuple[str, str]] = []  # (key id, event id), in answer order
        self.answers: list[tuple[float, float, int]] = []  # (sent, answered, status or 0)
        self.refused: list[tuple[int, dict]] = []
        self.unanswered: list[tuple[str, str]] = []

    def run_phone(self, phone) -> None:
        n = 0
        while not self.finish.is_set():
            event = serverside.new_event(phone, "check_in" if n % 2 == 0 else "check_out")
            n += 1
            self.send_until_answered(phone.key.key_id, event)

    def send_until_answered(self, key_id: str, event) -> None:
        with self.lock:
            self.events += 1
        deadline = time.monotonic() + WAIT_S
        while True:
            sent = time.monotonic()
            try:
                status, answer = serverside.send(self.port, event)
            except (OSError, http.client.HTTPException):
                status, answer = 0, {}
            with self.lock:
                self.answers.append((sent, time.monotonic(), status))
                if 200 <= status < 300:
                    self.acknowledged.append((key_id, event.data["event_id"]))
                    return
                if status not in (0, 503):
                    self.refused.append((status, answer))
                    return
                if time.monotonic() > deadline:
                    self.unanswered.append((key_id, event.data["event_id"]))
                    return
            time.sleep(RETRY_S)

    def acknowledged_since(self, moment: float) -> int:
        """Acknowledged requests sent after `moment`."""
        with self.lock:
            return sum(1 for sent, _, s in self.answers if sent > moment and 200 <= s < 300)

    def wait_for(self, count: int, since: float) -> float:
        """Waits until `count` requests sent after `since` are acknowledged; returns when."""
        deadline = time.monotonic() + WAIT_S
        while self.acknowledged_since(since) < count:
            assert time.monotonic() < deadline, "the server stores no check-in"
            time.sleep(0.01)
        return time.monotonic()


def server_processes(server) -> set[int]:
    return {server.process.pid, *children_of(server.process.pid)}


def test_a_postgres_crash_under_load_loses_no_acknowledged_check_in(tmp_path):
    started = time.monotonic()
    with private_cluster() as cluster:
        env = serverside.prepare(cluster.url, tmp_path / "var", PHONES, from_models=True)
        env["HADIR_EVENTS_RATE_KEY"] = "off"  # a phone sends a month of check-ins here
        server = serverside.Server(env, workers=1, threads=8)  # 8 writers, one Django to start
        server.start()
        processes = server_processes(server)
        load = Load(server.port)
        threads = [
            threading.Thread(target=load.run_phone, args=(phone,))
            for phone in serverside.phones(PHONES)
        ]
        for thread in threads:
            thread.start()
        crashes: list[dict] = []
        try:
            up = time.monotonic()
            for _ in range(CRASHES):
                load.wait_for(ACKS_BETWEEN_CRASHES, since=up)
                cluster.crash()
                down = time.monotonic()
                time.sleep(OUTAGE_S)
                restarted = time.monotonic()
                cluster.start()
                up = time.monotonic()
                # An answer received before PostgreSQL is back is for a commit before the
                # crash: each of these check-ins must have survived it.
                with load.lock:
                    acknowledged = list(load.acknowledged)
                stored = count_stored(cluster.url)
                serving = load.wait_for(1, since=up)
                earlier = {key for c in crashes for key in c["lost"]}
                crashes.append(
                    {
                        "acknowledged": len(acknowledged),
                        "lost": [k for k in acknowledged if not stored[k] and k not in earlier],
                        "dead": (down, restarted),
                        "recovery_s": up - restarted,
                        "serving_s": serving - up,
                    }
                )
        finally:
            load.finish.set()
            for thread in threads:
                thread.join(timeout=WAIT_S)
            same_server = server.process.poll() is None and server_processes(server)
            server.stop()
        stored = count_stored(cluster.url)
        verify = serverside.hadir(env, "verify-chain")

    statuses = Counter(status for _, _, status in load.answers)
    while_dead = Counter(
        status
        for sent, answered, status in load.answers
        if any(
            down <= sent and answered < restarted
            for down, restarted in (c["dead"] for c in crashes)
        )
    )
    print(
        f"\n{len(crashes)} PostgreSQL crashes, {PHONES} phones: {load.events} events sent in "
        f"{len(load.answers)} requests {dict(statuses)}; while PostgreSQL was dead: "
        f"{dict(while_dead)}; acknowledged {len(load.acknowledged)}, stored "
        f"{sum(stored.values())}; per crash: acknowledged before it / of them lost / recovery "
        "s / first new check-in s: "
        + ", ".join(
            f"{c['acknowledged']}/{len(c['lost'])}/{c['recovery_s']:.2f}/{c['serving_s']:.2f}"
            for c in crashes
        )
        + f"; {time.monotonic() - started:.1f} s"
    )
    lost = [key for c in crashes for key in c["lost"]]
    assert not lost, f"{len(lost)} acknowledged check-ins lost in a crash"
    assert max(stored.values()) == 1, "a check-in stored twice"
    assert set(stored) == set(load.acknowledged)
    assert not load.refused
    assert not load.unanswered
    assert len(load.acknowledged) == load.events
    assert verify.returncode == 0, verify.stderr
    # While PostgreSQL was dead the server acknowledged nothing, and said it was unavailable.
    assert while_dead
    assert set(while_dead) <= {0, 503}, while_dead
    assert set(statuses) <= {0, 200, 201, 503}, statuses
    # The same server processes, master and workers, served through every crash.
    assert same_server == processes
