"""Import of master data (OPDs, units, workplaces, employees) from CSV and XLSX files.

Every row of every file is checked first; only when nothing is wrong is everything written, in
one transaction. Columns and rules: docs/import.md.

    result = import_master([Source.from_path("opd.csv"), ...], actor="cli:import-master")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.org.accounts import AccountCounts, conflict_message
from hadir.org.importer.apply import Counts, StaleData, apply_plan
from hadir.org.importer.columns import KIND_ORDER, Kind, kind_label
from hadir.org.importer.readers import MAX_FILE_BYTES, Source
from hadir.org.importer.report import Problem, ProblemLog
from hadir.org.importer.validate import validate

__all__ = [
    "KIND_ORDER",
    "MAX_FILE_BYTES",
    "Counts",
    "ImportResult",
    "Kind",
    "Problem",
    "ProblemLog",
    "Source",
    "import_master",
]


@dataclass
class ImportResult:
    problems: ProblemLog
    rows: dict[Kind, int]  # data rows read, per kind
    counts: dict[Kind, Counts] | None  # None when problems stopped the import
    dry_run: bool
    accounts: AccountCounts | None = None  # the imported employees' user accounts

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary_lines(self) -> list[str]:
        lines = []
        for kind in KIND_ORDER:
            count = (self.counts or {}).get(kind, Counts())
            if self.rows.get(kind):
                lines.append(
                    _(
                        "{kind}: {rows} rows, {created} created, {updated} updated, "
                        "{unchanged} unchanged"
                    ).format(
                        kind=kind_label(kind),
                        rows=self.rows[kind],
                        created=count.created,
                        updated=count.updated,
                        unchanged=count.unchanged,
                    )
                )
        if self.accounts is not None and self.rows.get(Kind.EMPLOYEE):
            lines.append(self.accounts.summary())
        return lines


def import_master(
    sources: Iterable[Source],
    *,
    actor: str,
    dry_run: bool = False,
    today: dt.date | None = None,
    allowed_opd_codes: set[str] | None = None,
) -> ImportResult:
    """Check all files, then write all of them or nothing. A dry run writes nothing."""
    today = today or timezone.localdate()
    plan, log = validate(sources, today=today, allowed_opd_codes=allowed_opd_codes)
    if log:
        return ImportResult(log, plan.rows, None, dry_run)
    try:
        counts, accounts = apply_plan(plan, actor=actor, today=today, dry_run=dry_run)
    except StaleData as exc:
        log.add("-", None, None, str(exc))
        return ImportResult(log, plan.rows, None, dry_run)
    for nip in accounts.conflicts:
        log.notes.append(conflict_message(nip))
    return ImportResult(log, plan.rows, counts, dry_run, accounts)
