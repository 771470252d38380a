"""The demo regency in one call, and its logins as a table to print."""

from __future__ import annotations

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
    header = ("Role", "OPD", "Username", "Password", "Name")
    rows = [
        (ROLE_LABELS.get(x.role, x.role), x.opd_code or "(regency)", x.username, x.password, x.name)
        for x in logins
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    counts = logins.counts
    summary = (
        f"Demo regency (seed {logins.seed}): {counts['opds']} OPDs, "
        f"{counts['workplaces']} workplaces, {counts['employees']} employees."
    )
    footer = (
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
