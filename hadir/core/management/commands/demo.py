import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Build the demo regency on a fresh SQLite database, print the logins, and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--employees", type=int, default=1000)
        parser.add_argument("--password", default="hadir-demo-2026")
        parser.add_argument("--no-history", action="store_true",
                            help="skip the simulated month of check-ins")
        parser.add_argument("--no-serve", action="store_true", help="build only")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, seed, employees, password, no_history, no_serve, host, port,
               **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("the demo builds its own SQLite database; unset DATABASE_URL")
        if not 10 <= employees <= 20000:
            raise CommandError("--employees must be between 10 and 20000")
        started = time.monotonic()
        self._fresh_sqlite(Path(db["NAME"]))
        call_command("migrate", verbosity=0)
        from hadir.sim.demo import build_demo, format_logins

        logins = build_demo(seed=seed, employees=employees, password=password)
        self.stdout.write(format_logins(logins))
        self.stdout.write(f"demo regency built in {time.monotonic() - started:.1f} s")
        if not no_serve:
            call_command("serve", host=host, port=port)

    def _fresh_sqlite(self, path: Path) -> None:
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
