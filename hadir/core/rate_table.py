"""The rate limits' buckets, in one fixed table shared by every process of the server.

`hadir serve`'s gunicorn master creates the table before it forks the workers (the on_starting
hook of hadir.core.gunicorn_conf), so every worker, and every worker started later to replace
one, counts in the same memory: a caller gets the configured rate from the whole server, not
from each process. Without such a master (runserver, tests, a single process) the first use
makes a table private to the process, which then behaves the same way.

The table: an unlinked file (in /dev/shm when there is one, so never written to disk), mapped by
every process, of float64 cells holding a bucket each (hadir.domain.ratelimit.take: the time it
is full again; 0 is full). Each limit has ROWS rows of SLOTS cells, and a key uses one cell per
row, chosen by a hash salted at random when the table is made (a sender cannot pick keys that
collide with someone else's). It is a count-min sketch of buckets: a cell is shared by the keys
that hash to it and only ever drained further by them, so a key's bucket is read as the fullest
of its cells and an admitted request drains every one of its cells to at least the key's own new
level (conservative update). Hence a key is never allowed more than its rate, whatever the
collisions; it is held to less only when every one of its cells is shared with keys that use up
their allowance. The memory is fixed (3 limits x 2 rows x 65,536 cells x 8 bytes = 3 MiB) whatever
keys are sent.

How often a collision holds a key back: a cell is drained only by `burst` admitted requests a
period, so a sender admitted R requests a second keeps at most R x period / burst cells of a row
drained, and another key is held back when both its cells are among them. Even at R = 1,000/s
(more than the server stores): per address (600/60) 0.15% of a row, both cells 2 in a million;
refusals per address (30/60) 3% of a row, both 0.1% (and then only that address's failed
requests wait: its authentic events still pass); per key id only valid signatures take tokens,
so only a holder of enrolled phones' keys drains cells, 2 per key. Honest traffic does not come
close: 10,000 phones are 0.15 per cell, each using a few of its 60 tokens an hour.

Locking, exact rather than racy: each limit has a thread lock (a gthread worker's threads) and
an fcntl lock on one byte of the file (the processes), held while two cells are read and
written, so nothing is counted twice or lost. The kernel drops an fcntl lock when its process
dies, so a worker killed mid-update blocks no one (a semaphore would stay taken). The two fcntl
calls cost about 1.5-2 us of CPU, paid only by admitted requests: cells only ever grow, so a
refusal read without the lock stands, and a flood's refused requests take no lock at all.
Finer stripes would gain nothing: the lock is held about a microsecond per request, at a few
hundred requests a second.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import threading

from hadir.domain.ratelimit import Rate, take

try:
    import fcntl
except ImportError:  # not a POSIX system: one process, threads only
    fcntl = None

LIMITS = 3  # regions: hadir.checkin.frontdoor's three check-in limits
ROWS = 2
SLOT_BITS = 16
SLOTS = 1 << SLOT_BITS
CELL_BYTES = 8
MASK64 = (1 << 64) - 1


class RateTable:
    def __init__(self, limits: int = LIMITS, slot_bits: int = SLOT_BITS) -> None:
        self.limits, self.slot_bits = limits, slot_bits
        self.slots = 1 << slot_bits
        self.size = limits * ROWS * self.slots * CELL_BYTES
        self._file = _backing_file(self.size)
        self._map = mmap.mmap(self._file.fileno(), self.size)
        self._cells = memoryview(self._map).cast("d")
        # Odd multipliers drawn now: the rows' hashes (multiplicative hashing of Python's own,
        # itself randomly seeded, string hash) are unknown outside the server.
        self._multipliers = tuple(int.from_bytes(os.urandom(8), "little") | 1 for _ in range(ROWS))
        self._thread_locks = [threading.Lock() for _ in range(limits)]
        self._written = False  # by this process, since it made or cleared the table
        self._shift = 64 - slot_bits
        self._bases = [limit * ROWS * self.slots for limit in range(limits)]

    def take(self, limit: int, key: str, rate: Rate, now: float) -> float | None:
        """A token from `key`'s bucket of limit number `limit`: None if admitted, else the
        seconds to wait."""
        cells = self._cells
        hashed = hash(key) & MASK64
        shift, base = self._shift, self._bases[limit]
        first = base + ((hashed * self._multipliers[0] & MASK64) >> shift)
        second = base + self.slots + ((hashed * self._multipliers[1] & MASK64) >> shift)
        # Cells only ever grow, so a refusal read without the lock stands: a flood's refused
        # requests take no lock and keep none waiting.
        wait, _ = take(min(cells[first], cells[second]), now, rate)
        if wait is not None:
            return wait
        with self._thread_locks[limit]:
            self._lock(limit)
            try:
                wait, full_at = take(min(cells[first], cells[second]), now, rate)
                if wait is None:
                    self._written = True
                    if cells[first] < full_at:
                        cells[first] = full_at
                    if cells[second] < full_at:
                        cells[second] = full_at
            finally:
                self._unlock(limit)
        return wait

    def clear(self) -> None:
        """Every bucket full again (tests: the table this process made and wrote)."""
        if not self._written:
            return
        for lock in self._thread_locks:
            lock.acquire()
        try:
            self._cells[:] = memoryview(bytes(self.size)).cast("d")
            self._written = False
        finally:
            for lock in self._thread_locks:
                lock.release()

    def _lock(self, limit: int) -> None:
        if fcntl is not None:
            fcntl.lockf(self._file.fileno(), fcntl.LOCK_EX, 1, limit)

    def _unlock(self, limit: int) -> None:
        if fcntl is not None:
            fcntl.lockf(self._file.fileno(), fcntl.LOCK_UN, 1, limit)

    def _after_fork(self) -> None:
        # A lock held by another thread at the fork would never be released in the child.
        self._thread_locks = [threading.Lock() for _ in range(self.limits)]


def _backing_file(size: int):
    """An unlinked file of `size` bytes, its blocks allocated now: a full /dev/shm fails here,
    not later as SIGBUS when a cell is written."""
    places = ["/dev/shm"] if os.path.isdir("/dev/shm") else []
    error: OSError | None = None
    for place in [*places, None]:
        try:
            # Open for the table's life (the server's): no context manager.
            backing = tempfile.TemporaryFile(prefix="hadir-rates-", dir=place)  # noqa: SIM115
        except OSError as exc:
            error = exc
            continue
        try:
            if hasattr(os, "posix_fallocate"):
                os.posix_fallocate(backing.fileno(), 0, size)
            else:
                os.ftruncate(backing.fileno(), size)
            return backing
        except OSError as exc:
            backing.close()
            error = exc
    raise OSError(f"no room for the rate limits' table ({size} bytes)") from error


_table: RateTable | None = None
_creating = threading.Lock()


def create_shared() -> RateTable:
    """Makes the table the processes forked from this one will share (gunicorn's master)."""
    global _table
    _table = RateTable()
    return _table


def table() -> RateTable:
    """The server's table, or one private to this process when no master made one."""
    global _table
    if _table is None:
        with _creating:
            if _table is None:
                _table = RateTable()
    return _table


def _after_fork_in_child() -> None:
    global _creating
    _creating = threading.Lock()
    if _table is not None:
        _table._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
