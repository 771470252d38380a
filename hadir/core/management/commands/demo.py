import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

MAX_EMPLOYEES = 20000


def minimum_employees() -> int:
    """The demo regency's OPDs each need a few people (a head, an atasan, staff)."""
    from hadir.sim.regency import MIN_EMPLOYEES_PER_OPD, OPD_SPECS

    return MIN_EMPLOYEES_PER_OPD * len(OPD_SPECS)


class Command(BaseCommand):
    help = "Build the demo regency on a fresh SQLite database, print the logins, and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--employees",
            type=int,
            default=1000,
            help=f"between {minimum_employees()} and {MAX_EMPLOYEES} (default 1000)",
        )
        parser.add_argument("--password", default="hadir-demo-2026")
        parser.add_argument(
            "--no-history", action="store_true", help="skip the simulated month of check-ins"
        )
        parser.add_argument("--no-serve", action="store_true", help="build only")
        parser.add_argument(
            "--no-worker", action="store_true", help="serve without the background jobs"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, seed, employees, password, no_history, no_serve, host, port, **options):
        if not minimum_employees() <= employees <= MAX_EMPLOYEES:
            raise CommandError(
                _("--employees must be between %(low)d and %(high)d")
                % {"low": minimum_employees(), "high": MAX_EMPLOYEES}
            )
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(_("the demo builds its own SQLite database; unset DATABASE_URL"))
        started = time.monotonic()
        self._fresh_sqlite(Path(db["NAME"]))
        call_command("migrate", verbosity=0)
        from hadir.sim.demo import build_demo, format_logins

        logins = build_demo(seed=seed, employees=employees, password=password)
        self._go_live(simulated=not no_history)
        self._tpp(seed)
        if not no_history:
            self._history(seed)
        pending = self._pending_leave(seed)
        self.stdout.write(format_logins(logins))
        from hadir.supervise.demo import describe_logins

        self.stdout.write(describe_logins([login.username for login in logins]))
        from hadir.pwa.demo import app_invitation

        self.stdout.write(app_invitation(f"http://{host}:{port}", password))
        said = _("%(count)d leave requests waiting for a decision (/pantau/cuti/)")
        self.stdout.write(said % {"count": pending})
        said = _("demo regency built in %(seconds)s s")
        self.stdout.write(said % {"seconds": f"{time.monotonic() - started:.1f}"})
        if not no_serve:
            if not options["no_worker"]:  # it ends with the server (hadir/jobs/process.py)
                from hadir.jobs.process import start_beside

                start_beside("--verbosity", "0")
            call_command("serve", host=host, port=port)

    def _go_live(self, simulated: bool) -> None:
        """Attendance counts from the simulated month (or today without one): the months
        before it have no data, and must not read as absence."""
        from datetime import date

        from django.utils import timezone

        from hadir.attendance.models import RuleKey, RuleSet
        from hadir.attendance.services import set_go_live
        from hadir.sim.month import last_full_month

        today = timezone.localdate()
        set_go_live(date(*last_full_month(today), 1) if simulated else today, by="demo")
        regency = RuleSet.objects.get(key=RuleKey.REGENCY)  # recaps are signed in the seat
        regency.value = {**regency.value, "place": "Sampit"}
        regency.save(update_fields=["value"])

    def _tpp(self, seed: int) -> None:
        """Position classes and the Perbup's TPP per class (docs/examples/tpp_class.csv), so
        that `hadir tpp` shows rupiah: heads class 14, supervisors 9, other ASN 5-8."""
        import random

        from hadir.attendance.tpp_classes import store_class_amounts
        from hadir.org.models import Employee, EmployeeType, Opd

        store_class_amounts(
            {"5": 2_650_000, "6": 2_900_000, "7": 3_350_000, "8": 3_900_000, "9": 4_600_000,
             "12": 8_250_000, "14": 12_500_000},
            "demo",
        )  # fmt: skip
        rng = random.Random(f"hadir-demo-tpp:{seed}")
        heads = set(Opd.objects.exclude(head=None).values_list("head_id", flat=True))
        supervisors = set(
            Employee.objects.exclude(supervisor=None).values_list("supervisor_id", flat=True)
        )
        people = list(Employee.objects.exclude(employee_type=EmployeeType.NON_ASN).order_by("pk"))
        for person in people:
            if person.pk in heads:
                person.position_class = "14"
            elif person.pk in supervisors:
                person.position_class = "9"
            else:
                person.position_class = rng.choice("5678")
        Employee.objects.bulk_update(people, ["position_class"], batch_size=1000)

    def _history(self, seed: int) -> None:
        """A simulated month of check-ins through the real pipeline, then the fraud analysis,
        so reviewers have something to look at."""
        from datetime import date, timedelta

        from django.utils import timezone

        from hadir.sim.behaviours import CATALOGUE
        from hadir.sim.history import build_history
        from hadir.sim.leave import seed_leave

        self.stdout.write(
            _("simulating last month's check-ins through the pipeline (a minute or two) …")
        )
        self.stdout.flush()
        sim, counts = build_history(seed, today=timezone.localdate(), record_duties=True)
        first = date(sim.year, sim.month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        said = _(
            "%(requests)s requests for %(month)s: %(accepted)s accepted, %(warned)s with "
            "warnings, %(rejected)s rejected"
        )
        self.stdout.write(
            said
            % {
                "requests": counts["requests"],
                "month": f"{sim.year}-{sim.month:02d}",
                "accepted": counts.get("outcome_accepted", 0),
                "warned": counts.get("outcome_accepted_with_warnings", 0),
                "rejected": counts.get("outcome_rejected", 0),
            }
        )
        partners = set(sim.partners.values())  # honest, but they check in for someone else
        honest = {
            who
            for who, label in sim.labels.items()
            if CATALOGUE[label].honest and who not in partners
        }
        kinds = seed_leave(sim.year, sim.month, list(sim.days), seed, honest)
        said = _("approved leave on days without check-ins: %(kinds)s")
        kinds_text = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        self.stdout.write(said % {"kinds": kinds_text})
        call_command(
            "analyze", "--from", first.isoformat(), "--to", last.isoformat(), stdout=self.stdout
        )
        call_command(
            "recompute",
            "--from",
            first.isoformat(),
            "--to",
            timezone.localdate().isoformat(),
            stdout=self.stdout,
        )
        from hadir.supervise.demo import seed_spot_checks

        spots = seed_spot_checks(first, last, seed)
        said = _("%(count)s spot checks (sidak/apel) at the showcase OPDs")
        self.stdout.write(said % {"count": len(spots)})

        from hadir.cases.demo import seed_demo_cases

        self.stdout.write(seed_demo_cases())

    def _pending_leave(self, seed: int) -> int:
        """A few requests waiting for the showcase atasan and Kepala OPD (/pantau/cuti/)."""
        from django.utils import timezone

        from hadir.supervise.demo import seed_pending_leave

        return len(seed_pending_leave(timezone.localdate(), seed))

    def _fresh_sqlite(self, path: Path) -> None:
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
