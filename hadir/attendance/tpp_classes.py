"""The monthly TPP of each position class (kelas jabatan), from the table of the regency's
Perbup kept as a spreadsheet: one row per class, its amount in whole rupiah. The amounts go
into the `tpp` rule (`amount_by_class`); an employee's own imported amount still wins.

All or nothing: a file with any bad row changes nothing, and says which rows are wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hadir.attendance import rules
from hadir.attendance.models import RuleKey, RuleSet
from hadir.domain.tpp import parse_rupiah
from hadir.org.importer.columns import normalize_header

CLASS_HEADERS = {"position_class", "kelas_jabatan", "kelas", "kelas_jab"}
AMOUNT_HEADERS = {"tpp_amount", "tpp", "besaran_tpp", "tpp_bulanan", "nilai_tpp", "pagu_tpp"}


@dataclass
class ClassAmounts:
    amounts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_class_amounts(path: Path) -> ClassAmounts:
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    result = ClassAmounts()
    header = [normalize_header(cell) for cell in next(rows, [])]
    try:
        class_at = next(i for i, name in enumerate(header) if name in CLASS_HEADERS)
        amount_at = next(i for i, name in enumerate(header) if name in AMOUNT_HEADERS)
    except StopIteration:
        result.problems.append(
            _("%(file)s: the header needs the columns position_class and tpp_amount")
            % {"file": path.name}
        )
        return result
    for number, row in enumerate(rows, start=2):
        cells = [*row, None, None]
        position_class = str(cells[class_at] or "").strip()
        raw = cells[amount_at]
        if not position_class and raw in (None, ""):
            continue
        where = f"{path.name}:{number}"
        try:
            amount = _amount(raw)
        except ValueError:
            result.problems.append(
                _("%(where)s: '%(text)s' is not an amount in whole rupiah")
                % {"where": where, "text": raw}
            )
            continue
        if not position_class:
            result.problems.append(_("%(where)s: the position class is empty") % {"where": where})
        elif position_class in result.amounts:
            result.problems.append(
                _("%(where)s: class %(position_class)s appears twice")
                % {"where": where, "position_class": position_class}
            )
        else:
            result.amounts[position_class] = amount
    return result


def _amount(raw) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw < 0 or not float(raw).is_integer():
            raise ValueError(raw)
        return int(raw)
    return parse_rupiah(str(raw or ""))


def _csv_rows(path: Path):
    text = path.read_bytes().decode("utf-8-sig")
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=dialect))


def _xlsx_rows(path: Path):
    sheet = load_workbook(path, read_only=True, data_only=True).active
    return iter([list(row) for row in sheet.iter_rows(values_only=True)])


@transaction.atomic
def store_class_amounts(amounts: dict[str, int], actor: str, replace: bool = False) -> dict:
    """Writes the amounts into the `tpp` rule; returns the amounts now in force."""
    row = RuleSet.objects.select_for_update().filter(key=RuleKey.TPP).first()
    value = dict(row.value) if row else dict(rules.DEFAULTS["tpp"])
    current = {} if replace else dict(value.get("amount_by_class", {}))
    current.update(amounts)
    value["amount_by_class"] = current
    rules.parse("tpp", value)  # refuses what the rule would refuse
    RuleSet.objects.update_or_create(
        key=RuleKey.TPP,
        defaults={"value": value, "updated_at": timezone.now(), "updated_by": actor},
    )
    return current
