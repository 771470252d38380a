"""`hadir analyze --explain NIP --date D`: every signal considered for one employee-day, with
its value and why it did or did not count, in the reader's language.

The analysis is run again, read-only, over the month of D (the range the batch is run over, so
patterns across days are seen as the batch saw them); nothing is stored.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext

from hadir.domain.signals import runner
from hadir.domain.signals.explain import Explanation, explain
from hadir.domain.signals.policy import DEFAULT_POLICY
from hadir.fraud.analysis import load_input
from hadir.fraud.evidence_text import names_for, render, signal_label
from hadir.org.models import Employee

OUTCOME_MARKS = {
    "counted": "+",
    "weightless": "0",
    "excused": "~",
    "held": "~",
    "not_fired": "-",
    "failed": "!",
}


class UnknownEmployee(LookupError):
    pass


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def explain_day(identifier: str, day: date, policy=DEFAULT_POLICY) -> tuple[Employee, Explanation]:
    employee = Employee.objects.filter(identifier=identifier).first()
    if employee is None:
        raise UnknownEmployee(identifier)
    first, last = month_of(day)
    inp = load_input(first, last)
    result = runner.run(inp, policy, workers=1)
    return employee, explain(result, inp, employee.pk, day, policy)


def explanation_text(employee: Employee, ex: Explanation) -> str:
    items = [
        {"message": line.evidence.message, "values": line.evidence.values}
        for line in ex.lines
        if line.evidence is not None
    ]
    # The colleagues a line names (why a signal did not fire) are shown by name too.
    names = names_for([*items, *({"values": line.values} for line in ex.lines)])
    out = [
        gettext("Explanation of %(day)s for %(nip)s %(name)s")
        % {"day": ex.day.isoformat(), "nip": employee.identifier, "name": employee.name},
        gettext("Context: %(text)s") % {"text": render(*ex.context)},
    ]
    if ex.events:
        out.append(gettext("Events:"))
        out.extend(f"  {render(item['message'], item)}" for item in ex.events)
    else:
        out.append(gettext("Events: none"))
    out.append(gettext("Signals considered:"))
    for line in ex.lines:
        mark = OUTCOME_MARKS.get(line.outcome, "?")
        out.append(
            f" {mark} {signal_label(line.code)} [{line.code}]: "
            f"{render(line.message, line.values, names)}"
        )
        if line.evidence is not None:
            out.append(f"     {render(line.evidence.message, line.evidence.values, names)}")
    out.append(gettext("Result: %(text)s") % {"text": render(*ex.summary)})
    return "\n".join(out) + "\n"
