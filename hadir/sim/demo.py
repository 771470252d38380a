"""The demo regency in one call, and its logins as a table to print."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hadir.sim.load import DemoLogins, load_regency
from hadir.sim.regency import plan_regency

ROLE_LABELS = {
    "superadmin": "Superadmin",
    "admin_bkpsdm": "Admin BKPSDM",
    "inspektorat": "Inspektorat",
    "kepala_opd": "Kepala OPD",
    "admin_opd": "Admin OPD",
    "atasan": "Atasan langsung",
    "employee": "Pegawai",
}


def build_demo(
    seed: int = 2026, employees: int = 1000, password: str = "hadir-demo-2026"
) -> DemoLogins:
    """Plan the regency and load it into the configured (empty, migrated) database."""
    return load_regency(
        plan_regency(seed=seed, employees=employees), password_for_demo_users=password
    )


def format_logins(logins: DemoLogins) -> str:
    header = (_("Role"), "OPD", _("Username"), _("Password"), _("Name"))
    regency = _("(regency)")
    rows = [
        (ROLE_LABELS.get(x.role, x.role), x.opd_code or regency, x.username, x.password, x.name)
        for x in logins
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    counts = logins.counts
    summary = _(
        "Demo regency (seed %(seed)s): %(opds)s OPDs, %(workplaces)s workplaces, "
        "%(employees)s employees."
    ) % {"seed": logins.seed, **counts}
    footer = _(
        "Every employee can log in too: username = NIP (or THL number for non-ASN), same password."
    )
    return "\n".join(
        [
            summary,
            "",
            line(header),
            line("-" * w for w in widths),
            *(line(r) for r in rows),
            "",
            footer,
        ]
    )
