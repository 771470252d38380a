"""activation_codes --opd X --out F [--valid-days N] [--format pdf|csv] [--reissue] [--nip N ...]

Issues one-time activation codes and writes them as slips to hand out (PDF) or as CSV for a
mail-merge. Only a hash of each code is kept, so the file is the only copy: printing again means
issuing new codes, which is what --reissue (or --nip for one person) does explicitly.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.org import activation, activation_sheet
from hadir.org.management.commands._opd import opd_by_code
from hadir.org.models import Employee


class Command(BaseCommand):
    help = (
        "Issue one-time activation codes for the employees of an OPD and write them as a PDF of "
        "slips to hand out, or as CSV. By default only employees who have not set a password "
        "and hold no valid code get one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--opd", required=True, help="OPD code")
        parser.add_argument("--out", required=True, help="file to write (.pdf or .csv)")
        parser.add_argument("--format", choices=("pdf", "csv"), help="default: from --out")
        parser.add_argument(
            "--valid-days",
            type=int,
            default=activation.DEFAULT_VALID_DAYS,
            help=f"how long the codes are valid (1-{activation.MAX_VALID_DAYS}; "
            f"default {activation.DEFAULT_VALID_DAYS})",
        )
        parser.add_argument(
            "--reissue",
            action="store_true",
            help="also replace codes that are still valid (their sheets stop working)",
        )
        parser.add_argument(
            "--nip",
            action="append",
            default=[],
            metavar="NIP",
            help="only this employee (repeatable); a new code even if they have one or a "
            "password already (a forgotten password)",
        )
        parser.add_argument("--url", help="address printed on the sheets; default HADIR_PUBLIC_URL")

    def handle(self, *args, **options) -> None:
        opd = opd_by_code(options["opd"])
        path = Path(options["out"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in ("pdf", "csv"):
            raise CommandError(_("--format: pdf or csv (or an --out file ending in .pdf/.csv)"))
        days = options["valid_days"]
        if not 1 <= days <= activation.MAX_VALID_DAYS:
            raise CommandError(
                _("--valid-days must be between 1 and {max}").format(max=activation.MAX_VALID_DAYS)
            )
        if not path.parent.is_dir():
            raise CommandError(_("{path}: no such directory").format(path=path.parent))
        employees = self._employees(opd, options["nip"], options["reissue"])
        issued = activation.issue_codes(
            employees, valid_days=days, actor="cli:activation-codes", now=timezone.now()
        )
        url = (options["url"] or activation.activation_url()).strip()
        if fmt == "pdf":
            with path.open("wb") as handle:
                activation_sheet.write_pdf(issued, url, handle, title=opd.name)
        else:
            with path.open("w", newline="", encoding="utf-8") as handle:
                activation_sheet.write_csv(issued, url, handle)
        self.stdout.write(
            _("{count} activation codes for {opd}, valid until {until}: {path}").format(
                count=len(issued),
                opd=opd.code,
                until=activation_sheet.expiry_text(issued[0]) if issued else "-",
                path=path,
            )
        )
        if not issued:
            self.stdout.write(
                _(
                    "Nobody needed a code: every employee with an account has a password or a "
                    "valid code. Use --reissue to replace valid codes, --nip for one person."
                )
            )

    def _employees(self, opd, nips: list[str], reissue: bool) -> list[Employee]:
        qs = Employee.objects.filter(opd=opd).select_related("opd", "unit").order_by("name")
        if nips:
            found = list(qs.filter(identifier__in=nips))
            missing = sorted(set(nips) - {e.identifier for e in found})
            if missing:
                raise CommandError(
                    _("no employee of {opd} with NIP {nips}").format(
                        opd=opd.code, nips=", ".join(missing)
                    )
                )
            without = [e.identifier for e in found if e.user_id is None]
            if without:
                raise CommandError(
                    _("{nips}: no account yet; run 'hadir sync-accounts' first").format(
                        nips=", ".join(without)
                    )
                )
            return found
        if reissue:
            today = timezone.localdate()
            return list(
                qs.filter(
                    user__isnull=False, user__is_active=True, user__password__startswith="!"
                ).exclude(active_to__lt=today)
            )
        return list(activation.employees_needing_codes(qs, timezone.now()))
