"""The `hadir` command: every operator command in one place.

`hadir serve` runs gunicorn; everything else is a Django management command, so
`hadir import-master x.csv` is `django-admin import_master x.csv` with the settings preset.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "migrate": "create or upgrade the database",
    "serve": "run the web server (gunicorn) on 127.0.0.1:8000; --host --port --workers --threads",
    "demo": "build the demo regency on a fresh SQLite database and serve it",
    "import-master": "import OPDs, units, workplaces and employees from CSV/XLSX files",
    "createadmin": "create a superadmin user",
    "verify-chain": "check the evidence store's hash chain (--checkpoints FILE: and its anchors)",
    "checkpoint": "sign a checkpoint of the evidence chain's head now",
    "backup": "back up the database while serving (SQLite online backup, pg_dump)",
    "restore": "replace the database with a backup (stop the server first; --yes)",
    "replay": "run archived check-in requests (JSONL) through the pipeline",
    "sync-accounts": "create employees' user accounts; deactivate those whose service ended",
    "activation-codes": "one-time activation codes for an OPD's employees (PDF slips or CSV)",
    "office-screen": "print the provisioning URL of a workplace's office-code screen",
    "recap": "monthly attendance recap (csv, xlsx, pdf)",
    "tpp": "monthly TPP deductions",
    "discipline": "PP 94/2021 discipline recommendations for a year",
    "recompute": "recompute daily statuses for a date range (or --pending: the queued ones)",
    "refresh-statuses": "bring today's and yesterday's statuses up to date (what the worker does)",
    "close-month": "close a month: its statuses are frozen",
    "analyze": "run the fraud signals over a date range",
    "flags": "export fraud flags",
    "issue-challenges": "issue due presence challenges (once, or --every N seconds)",
    "worker": "run the background jobs on their schedule (--once: what is due, then exit)",
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: hadir COMMAND [options]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "Run 'hadir COMMAND --help' for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name = argv[0]
    if name not in COMMANDS:
        print(f"hadir: unknown command '{name}'\n\n{usage()}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hadir", name.replace("-", "_"), *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
