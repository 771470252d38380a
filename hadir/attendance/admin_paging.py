"""Big lists that stay fast: a paginator that never counts past a cap, and the search of
daily statuses that finds the employees first.

A regency-month is hundreds of thousands of status rows. Django's admin counts every row the
filters let through (COUNT(*) scans them all, however rare the match) and searches with
LIKE '%…%' over a join of every row with its employee. Here the count looks only as far as the
page links need: up to `PAGES_AHEAD` pages past the one shown (the page then says "more than
…"), so it reads a few thousand index entries at most. A search looks the words up in the
employee table (thousands of rows), then reads their days through the (employee, date) index;
words that are status codes (TK, TL2, PSW1 …) filter the codes of the days the date filter
left, read in the page's order until the page is full. The employees found are read first:
none means no query of the days at all; up to a few hundred go into the query as ids,
so that the database reads their days through the (employee, date) index rather than walking
every day of the period looking for them (a rare name cost a scan of the whole table).
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property

from hadir.org.models import Employee

PAGES_AHEAD = 10
# Up to this many employees found go into the query as ids; more (a common first name) are left
# as a subquery: their days are frequent enough to fill a page from the date index, and a list
# of thousands of ids costs more to build and send than the subquery costs the database.
EMPLOYEES_AS_IDS = 500
# Codes of two letters or more (a lone "S" or "I" is more likely the start of a name).
STATUS_CODE = re.compile(r"TK|TL[1-4]|PSW[1-4]|CT|CB|CS|CM|CAP|CBER|CLTN|DL|TB")


class LookaheadPaginator(Paginator):
    """Counts rows only up to PAGES_AHEAD pages past `current`: `capped` says there are more
    than `count`."""

    capped = False

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, current=1):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.limit = (max(current, 1) + PAGES_AHEAD) * int(per_page)

    @cached_property
    def count(self) -> int:
        # COUNT over a LIMITed subquery, unordered: which rows it counts does not change how
        # many, and without the page's order the database may stop at the first rows it finds
        # (through the (employee, date) index for a search) instead of walking the date index.
        found = self.object_list.order_by()[: self.limit + 1].count()
        self.capped = found > self.limit
        return min(found, self.limit)


def requested_page(request) -> int:
    """The admin's page parameter (?p=3), 1 when absent or not a number."""
    value = request.GET.get("p", "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def search_statuses(queryset, term: str):
    """Daily statuses of employees whose NIP or name matches every other word, with every
    status-code word among their codes."""
    words = term.split()
    codes = [w.upper() for w in words if STATUS_CODE.fullmatch(w.upper())]
    names = [w for w in words if w.upper() not in codes]
    for code in codes:
        queryset = queryset.filter(_has_code("CBer" if code == "CBER" else code))
    if names:
        employees = Employee.objects.order_by()
        for word in names:
            digits = word.replace(".", "")
            if digits.isdigit() and len(digits) >= 8:  # a NIP, or its beginning
                employees = employees.filter(identifier__startswith=digits)
            else:
                employees = employees.filter(Q(name__icontains=word) | Q(identifier__iexact=word))
        found = list(employees.values_list("pk", flat=True)[: EMPLOYEES_AS_IDS + 1])
        if not found:
            return queryset.none()
        if len(found) <= EMPLOYEES_AS_IDS:
            queryset = queryset.filter(employee_id__in=found)
        else:
            queryset = queryset.filter(employee_id__in=employees.values("pk"))
    return queryset


def _has_code(code: str) -> Q:
    """ "TL1" among "TL1+PSW1", but "CB" not in "CBer"."""
    return (
        Q(codes=code)
        | Q(codes__startswith=f"{code}+")
        | Q(codes__endswith=f"+{code}")
        | Q(codes__contains=f"+{code}+")
    )
