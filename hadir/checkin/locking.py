"""One writer at a time into the evidence chain, without SQLite's sleeping busy handler.

Every check-in writes the chain head, so writers are serialised whatever we do. PostgreSQL
queues them on the chain head's row lock. SQLite would make each waiting process poll with
growing sleeps (up to 100 ms each), which turns a few ms of queueing into a p99 of a second;
a blocking file lock across the server's processes wakes the next writer as soon as the
previous one commits.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection

_thread_lock = threading.Lock()
_lock_file = None


def _file():
    global _lock_file
    if _lock_file is None:
        path = Path(settings.VAR_DIR) / "evidence-writer.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        _lock_file = path.open("a+")
    return _lock_file


def _take(blocking: bool) -> bool:
    """The lock across threads, then across processes; False if not blocking and it is held."""
    if not _thread_lock.acquire(blocking=blocking):
        return False
    try:
        fcntl.flock(_file(), fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:  # BlockingIOError when held; anything else must not leak the lock
        _thread_lock.release()
        if blocking:
            raise
        return False
    return True


def _release() -> None:
    fcntl.flock(_file(), fcntl.LOCK_UN)
    _thread_lock.release()


@contextlib.contextmanager
def writer_lock():
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # PostgreSQL has the row lock; inside an outer transaction (tests, batch replays)
        # the transaction already holds SQLite's write lock.
        yield
        return
    _take(blocking=True)
    try:
        yield
    finally:
        _release()


@contextlib.contextmanager
def writer_lock_if_free():
    """Holds the writer lock (and yields True) if nobody else does; otherwise yields False
    without waiting, so the caller can prepare its write before queueing for the lock."""
    if connection.vendor != "sqlite":
        yield False  # PostgreSQL queues writers on the chain head's row lock
        return
    if connection.in_atomic_block:
        yield True  # the outer transaction already holds SQLite's write lock
        return
    if not _take(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        _release()
