"""sync_accounts [--opd X] [--dry-run]: give every employee a user account, active while in service.

The master-data import does the same for the employees it imports; this command covers employees
already in the database, and deactivates the accounts of those whose service has ended since.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.org.accounts import conflict_message, sync_accounts
from hadir.org.management.commands._opd import opd_by_code
from hadir.org.models import Employee


class Command(BaseCommand):
    help = (
        "Create the user accounts of employees who have none (username: the NIP, no password "
        "until activated) and (de)activate accounts with the employees' service period."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--opd", help="OPD code; default: every OPD")
        parser.add_argument("--dry-run", action="store_true", help="count, write nothing")

    def handle(self, *args, opd: str | None, dry_run: bool, **options) -> None:
        employees = Employee.objects.all()
        if opd:
            employees = employees.filter(opd=opd_by_code(opd))
        counts = sync_accounts(
            employees, today=timezone.localdate(), actor="cli:sync-accounts", dry_run=dry_run
        )
        self.stdout.write(counts.summary())
        if counts.supervisor_roles:
            self.stdout.write(counts.roles_summary())
        for identifier in counts.conflicts:
            self.stderr.write(conflict_message(identifier))
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
