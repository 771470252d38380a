"""The `hadir` command: every operator command in one place.

`hadir serve` runs gunicorn; everything else is a Django management command, so
`hadir import-master x.csv` is `django-admin import_master x.csv` with the settings preset.
"""

from __future__ import annotations

import os
import sys


def gettext_noop(text: str) -> str:
    """Marks a catalogue entry; `usage` translates once the settings are loaded."""
    return text


COMMANDS = {
    "migrate": gettext_noop("create or upgrade the database"),
    "serve": gettext_noop(
        "run the web server (gunicorn) on 127.0.0.1:8000; --host --port --workers --threads"
    ),
    "demo": gettext_noop("build the demo regency on a fresh SQLite database and serve it"),
    "import-master": gettext_noop(
        "import OPDs, units, workplaces and employees from CSV/XLSX files"
    ),
    "createadmin": gettext_noop("create a superadmin user"),
    "verify-chain": gettext_noop(
        "check the evidence store's hash chain (--checkpoints FILE: and its anchors)"
    ),
    "checkpoint": gettext_noop("sign a checkpoint of the evidence chain's head now"),
    "backup": gettext_noop("back up the database while serving (SQLite online backup, pg_dump)"),
    "restore": gettext_noop("replace the database with a backup (stop the server first; --yes)"),
    "replay": gettext_noop("run archived check-in requests (JSONL) through the pipeline"),
    "sync-accounts": gettext_noop(
        "create employees' user accounts; deactivate those whose service ended"
    ),
    "activation-codes": gettext_noop(
        "one-time activation codes for an OPD's employees (PDF slips or CSV)"
    ),
    "office-screen": gettext_noop("print the provisioning URL of a workplace's office-code screen"),
    "recap": gettext_noop("monthly attendance recap (csv, xlsx, pdf)"),
    "tpp": gettext_noop("monthly TPP per employee: base, deduction in percent and rupiah"),
    "tpp-classes": gettext_noop(
        "set the monthly TPP of each position class (kelas jabatan) from CSV/XLSX"
    ),
    "discipline": gettext_noop("PP 94/2021 discipline recommendations for a year"),
    "recompute": gettext_noop(
        "recompute daily statuses for a date range (or --pending: the queued ones)"
    ),
    "refresh-statuses": gettext_noop(
        "bring today's and yesterday's statuses up to date (what the worker does)"
    ),
    "close-month": gettext_noop("close a month: its statuses are frozen"),
    "analyze": gettext_noop("run the fraud signals over a date range"),
    "flags": gettext_noop("export fraud flags"),
    "issue-challenges": gettext_noop("issue due presence challenges (once, or --every N seconds)"),
    "worker": gettext_noop(
        "run the background jobs on their schedule (--once: what is due, then exit)"
    ),
}


def usage() -> str:
    """The command list in the regency's language (the catalogue's), English without it."""
    _ = _translator()
    width = max(len(name) for name in COMMANDS)
    lines = [_("usage: hadir COMMAND [options]"), "", _("commands:")]
    lines += [f"  {name.ljust(width)}  {_(text)}" for name, text in COMMANDS.items()]
    lines += ["", _("Run 'hadir COMMAND --help' for a command's options.")]
    return "\n".join(lines)


def _translator():
    try:
        import django
        from django.utils.translation import gettext

        django.setup()
    except Exception:  # help must print even where the settings cannot load
        return str
    return gettext


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name = argv[0]
    if name not in COMMANDS:
        unknown = _translator()(gettext_noop("hadir: unknown command '%(name)s'")) % {"name": name}
        print(f"{unknown}\n\n{usage()}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hadir", name.replace("-", "_"), *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
