"""Status harian with many rows: the count looks only as far as the page links go, and the
search finds employees first and status codes exactly. (Speed itself: bench/bench_pages.py.)"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hadir.attendance import admin_paging
from hadir.attendance.admin_paging import LookaheadPaginator, search_statuses
from hadir.attendance.models import DailyStatus
from tests.factories import make_employee, make_user

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 5)


def status(employee, day, codes):
    return DailyStatus(
        employee=employee,
        date=day,
        codes=codes,
        computed_codes=codes,
        inputs_hash="x",
        computed_at=timezone.now(),
    )


@pytest.fixture
def rows(regency):
    e, boss, head = regency.employee, regency.boss, regency.head
    DailyStatus.objects.bulk_create(
        [
            status(e, DAY, "TL1+PSW1"),
            status(e, DAY + timedelta(days=1), "TK"),
            status(boss, DAY, "CBer"),
            status(boss, DAY + timedelta(days=1), "PSW1+TL1"),
            status(head, DAY, "H"),
        ]
    )
    return regency


def found(queryset):
    return sorted((row.employee.name, row.codes) for row in queryset.select_related("employee"))


def test_a_code_is_found_alone_or_combined_and_not_inside_another(rows):
    every = DailyStatus.objects.all()
    assert found(search_statuses(every, "tl1")) == [
        ("Budi Santoso", "TL1+PSW1"),
        ("Pak Atasan", "PSW1+TL1"),
    ]
    assert found(search_statuses(every, "TK")) == [("Budi Santoso", "TK")]
    assert found(search_statuses(every, "CB")) == []  # CBer is not CB
    assert found(search_statuses(every, "CBer")) == [("Pak Atasan", "CBer")]


def test_names_nips_and_codes_combine(rows):
    every = DailyStatus.objects.all()
    assert found(search_statuses(every, "budi")) == [
        ("Budi Santoso", "TK"),
        ("Budi Santoso", "TL1+PSW1"),
    ]
    assert found(search_statuses(every, "19870721")) == found(search_statuses(every, "budi"))
    assert found(search_statuses(every, "Budi TK")) == [("Budi Santoso", "TK")]
    assert found(search_statuses(every, "Santoso Atasan")) == []  # every word must match
    assert found(search_statuses(every, "")) == found(every)


def test_the_count_stops_where_the_page_links_stop(rows, monkeypatch):
    monkeypatch.setattr(admin_paging, "PAGES_AHEAD", 1)
    every = DailyStatus.objects.order_by("-date", "employee_id")
    paginator = LookaheadPaginator(every, per_page=2)  # page 1 and 1 ahead: up to 4 rows
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.capped) == (4, True)
    assert "LIMIT 5" in queries.captured_queries[0]["sql"]
    further = LookaheadPaginator(every, per_page=2, current=2)
    assert (further.count, further.capped) == (5, False)


def test_the_page_says_more_than_when_it_did_not_count_everything(rows, client, monkeypatch):
    monkeypatch.setattr(admin_paging, "PAGES_AHEAD", 0)
    extra = [make_employee(rows.opd, [rows.office], name=f"Guru {n:03d}") for n in range(100)]
    DailyStatus.objects.bulk_create(status(e, DAY, "H") for e in extra)
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:attendance_dailystatus_changelist")
    page = client.get(url, {"day": DAY.isoformat()}).content.decode()
    assert "lebih dari 100 status harian" in page
    page = client.get(url, {"day": DAY.isoformat(), "q": "TL1"}).content.decode()
    assert "Budi Santoso" in page
    assert "Guru 001" not in page
    assert "lebih dari" not in page


# How many queries a page costs: bounded, whatever the rows, the sidebar or the role ------------

# Measured when written (today's rows provisional, with and without a search): 24 queries for a
# superadmin, 26 for an OPD admin or head (Django reads their permissions: 2 more); 83 to 97
# before the scope was read once per request. The bound leaves room for a query or two, not for
# one per model admin (the sidebar asks each of them, some forty, whether to list it) nor one
# per row.
MAX_QUERIES = 28


def open_today(client, query=None) -> int:
    """Queries of one Status harian page of today (the rows provisional: live states)."""
    url = reverse("admin:attendance_dailystatus_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(queries.captured_queries)


def provisional_today(employees):
    today = timezone.localdate()
    rows = [status(e, today, "") for e in employees]
    for row in rows:
        row.final = False
    DailyStatus.objects.bulk_create(rows)


@pytest.mark.parametrize("who", ["superadmin", "opd_admin", "opd_head"])
def test_the_status_page_costs_a_bounded_number_of_queries(rows, client, who):
    from hadir.attendance.models import RefreshMark

    RefreshMark.objects.update_or_create(
        name="sweep", defaults={"at": timezone.now() + timedelta(days=1)}
    )  # as a running worker leaves it: the page does not sweep first
    user = {
        "superadmin": lambda: make_user("root", superuser=True),
        "opd_admin": lambda: rows.opd_admin,
        "opd_head": lambda: rows.head_user,
    }[who]()
    client.force_login(user)
    provisional_today([rows.employee, rows.boss, rows.head])
    few = [open_today(client), open_today(client, {"q": "Budi"}), open_today(client, {"q": "TK"})]
    extra = [make_employee(rows.opd, [rows.office], name=f"Guru {n:02d}") for n in range(30)]
    provisional_today(extra)
    many = [open_today(client), open_today(client, {"q": "Guru"}), open_today(client, {"q": "TK"})]

    assert many == few  # not one query more per row
    assert max(many) <= MAX_QUERIES, many


def test_a_search_that_finds_nobody_reads_no_day(rows):
    with CaptureQueriesContext(connection) as queries:
        assert list(search_statuses(DailyStatus.objects.all(), "Zulkarnain")) == []
    assert len(queries.captured_queries) == 1  # the employees only
    assert "attendance_dailystatus" not in queries.captured_queries[0]["sql"]
