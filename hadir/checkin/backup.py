"""Backups of the database while the server runs, and restoring one.

SQLite: the online backup API copies a consistent snapshot page by page while check-ins go
on (WAL readers never block the writer). PostgreSQL: pg_dump (one consistent snapshot) in its
custom format, pg_restore to bring it back. Beside the backup goes a copy of the checkpoint
log (FILE.checkpoints.jsonl), so `hadir verify-chain --checkpoints` can prove the restored
chain is the one that was signed. The checkpoint key is not copied: keep it apart, like the
secret key.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def checkpoints_beside(path: Path) -> Path:
    return path.with_name(path.name + ".checkpoints.jsonl")


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def backup(out: Path) -> Path | None:
    """Writes the backup to `out`; returns the checkpoint log copied beside it, if any."""
    db = settings.DATABASES["default"]
    out.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        partial = out.with_name(out.name + ".partial")
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(partial)
        try:
            source.backup(target, pages=1024)  # in steps: writers are not held up for long
        finally:
            target.close()
            source.close()
        partial.replace(out)
    else:
        args, env = _pg_args(db)
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--file", str(out), db["NAME"]],
            env=env,
            check=True,
        )
    log = Path(settings.CHAIN_CHECKPOINT_LOG)
    if log.exists():
        copy = checkpoints_beside(out)
        shutil.copyfile(log, copy)
        return copy
    return None


def restore(source: Path) -> None:
    """Replaces the database's content with the backup's (stop the server first)."""
    db = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "sqlite":
        backup_db = sqlite3.connect(source)
        target = sqlite3.connect(db["NAME"])
        try:
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
        return
    args, env = _pg_args(db)
    options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
    subprocess.run(
        ["pg_restore", *args, *options, "--dbname", db["NAME"], str(source)],
        env=env,
        check=True,
    )
