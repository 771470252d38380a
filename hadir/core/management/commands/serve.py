import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def gunicorn_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "hadir.wsgi:application",
        "--config",  # its on_starting hook: one rate limits' table for every worker
        "python:hadir.core.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
    ]


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) for Hadir."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HADIR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HADIR_PORT", 8000)))
        # Check-ins are CPU-bound Python around a short serialised write, and the threads of
        # one process share one interpreter lock: more processes with few threads each serve
        # them faster (bench/bench_checkin.py: 2 workers per core x 2 threads beat cores+1 x 4).
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("HADIR_WORKERS", 2 * (os.cpu_count() or 1))),
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("HADIR_THREADS", 2)))

    def handle(self, *args, host, port, workers, threads, **options):
        if not 0 < port < 65536:
            raise CommandError(
                _("--port must be between 1 and 65535, not %(port)s") % {"port": port}
            )
        if workers < 1 or threads < 1:
            raise CommandError(_("--workers and --threads must be at least 1"))
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        said = _("Hadir serving on %(url)s (admin: %(admin)s)")
        self.stdout.write(said % {"url": f"http://{host}:{port}/", "admin": "/admin/"})
        sys.stdout.flush()
        argv = gunicorn_argv(host, port, workers, threads)
        os.execv(sys.executable, argv)
