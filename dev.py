#!/usr/bin/env python3
"""Set up and run Hadir on a machine that has only python3.

    python3 dev.py demo      build the demo regency (SQLite) and serve it on 127.0.0.1:8000
    python3 dev.py test      run the whole test suite (SQLite; PostgreSQL too when
                             HADIR_TEST_POSTGRES_URL is set)
    python3 dev.py hadir ... run any hadir command inside the project's environment

The first run creates .venv and installs the pinned dependencies (constraints.txt); later runs
reinstall only when pyproject.toml or constraints.txt changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".hadir-installed"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs under whatever python3 a machine has
        sys.exit(f"Hadir needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing dependencies (pinned in constraints.txt) …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-c", "constraints.txt", "-e", ".[test]"], cwd=ROOT, check=True)
    STAMP.write_text(wanted)


def run(argv: list[str], env: dict | None = None) -> int:
    return subprocess.run(argv, cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def test(args: list[str]) -> int:
    pytest = [str(BIN / "python"), "-m", "pytest", *args]
    print("== tests on SQLite", flush=True)
    code = run(pytest, {"DATABASE_URL": "", "HADIR_TEST_DB": "sqlite"})
    postgres = os.environ.get("HADIR_TEST_POSTGRES_URL")
    if postgres:
        print("== tests on PostgreSQL", flush=True)
        code = run(pytest, {"DATABASE_URL": postgres, "HADIR_TEST_DB": "postgres"}) or code
    else:
        print("(HADIR_TEST_POSTGRES_URL not set: PostgreSQL run skipped)")
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "hadir"}:
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "test":
        return test(rest)
    if command == "demo":
        return run([str(BIN / "hadir"), "demo", *rest])
    return run([str(BIN / "hadir"), *rest])


if __name__ == "__main__":
    sys.exit(main())
