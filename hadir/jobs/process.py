"""Running the worker beside the web server, as `hadir demo` does, without leaving orphans.

The demo starts the worker as a child process and then becomes the server (`serve` replaces
the process with gunicorn, keeping its pid). The worker is told that pid and ends with it:
on Linux the kernel sends it SIGTERM when its parent dies (PR_SET_PDEATHSIG), even after a
SIGKILL; elsewhere it notices between runs that its parent changed. Ctrl-C in the terminal
reaches both, since they share the terminal's process group.

Production runs the two as separate services instead (README: systemd units).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def start_beside(*extra: str) -> subprocess.Popen:
    """Start `hadir worker` as a child that ends when this process ends."""
    argv = [sys.executable, "-m", "hadir.cli", "worker", "--with-parent", str(os.getpid())]
    return subprocess.Popen([*argv, *extra])


def exit_with_parent(parent_pid: int) -> None:
    """Ask for SIGTERM when the parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass  # the parent check in the worker's loop remains
    if os.getppid() != parent_pid:
        sys.exit(0)  # the parent ended before the signal was asked for
