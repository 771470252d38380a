"""The access-control matrix: every URL pattern and every API operation, for every role, on a
row of the role's own OPD and of another OPD, with the answer expected.

Enumerated, not listed by hand: the URL patterns come from Django's resolver, the API operations
from the OpenAPI schema, the admin's models from its registry. A pattern, an operation or an
admin model without an entry here fails `test_every_url_and_operation_has_an_entry`, so whoever
adds a page says who may open it. The expected answers are strings with one character per role,
in ROLES order:

    anonymous, employee, atasan, kepala_opd, admin_opd, admin_bkpsdm, inspektorat, superadmin

    2 200/201 allowed       e 200, admin form that may be saved    v 200, admin form read-only
    3 302 (to the login, or the admin's "not found / not in your scope" redirect)
    X the admin action changed or deleted the row (asked with post=yes)
    B 400  U 401  F 403  N 404  M 405  C 409  I 422  T 429  S 503  5 500 (never expected)

Scopes: `own` is a row of DISDIK (for employee rows: the atasan's subordinate, who is the
`employee` role's own account), `other` a row of KEC-ANTANG, `regency` a row of no OPD.
Record the actual answers (to review before adopting them) with
`HADIR_MATRIX_RECORD=1 pytest tests/security/test_access_matrix.py -s`.
New pages of the supervisors' web (/pantau/) go into PAGES like the others.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hadir.api import api
from hadir.org.models import ApiToken
from tests.security.access_world import ROLES, build_world, row_for

RECORD = os.environ.get("HADIR_MATRIX_RECORD") == "1"
CHARS = {200: "2", 201: "2", 204: "2", 301: "3", 302: "3", 400: "B", 401: "U", 403: "F",
         404: "N", 405: "M", 409: "C", 422: "I", 429: "T", 503: "S", 500: "5"}  # fmt: skip


# --- The world: built once for the module, rolled back at its end ---------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db):
    made = {}
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
            token = ApiToken.issue(user, timedelta(hours=1))
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        made[role] = client
    return made


def answer(response) -> str:
    char = CHARS.get(response.status_code, "?")
    context = getattr(response, "context", None)
    if char != "2" or context is None:
        return char
    try:
        is_form, may_save = context["adminform"], context["has_change_permission"]
    except KeyError:
        return char
    if is_form is None:
        return char
    return "e" if may_save or context.get("add") else "v"


def ask(clients, method, url, data=None, content_type="application/json") -> str:
    """One answer per role; each request in a savepoint rolled back, so that a role's change
    (an approval, a logout) does not alter what the next role meets."""
    answers = []
    for role in ROLES:
        with transaction.atomic():
            client = clients[role]
            if method == "get":
                response = client.get(url, data or {})
            elif content_type is None:
                response = client.post(url, data or {})
            else:
                response = client.generic(method.upper(), url, data or "{}", content_type)
            answers.append(answer(response))
            transaction.set_rollback(True)
    return "".join(answers)


class Mismatches:
    def __init__(self):
        self.lines, self.cells = [], 0

    def check(self, key: str, expected: str | None, actual: str) -> None:
        self.cells += len(actual)
        if RECORD:
            print(f"    {key!r}: {actual!r},")
        elif expected != actual:
            self.lines.append(f"{key}: expected {expected}, got {actual}")

    def assert_none(self) -> None:
        assert not self.lines, "access differs from the matrix:\n" + "\n".join(self.lines)


# --- The admin: every registered model ------------------------------------------------------

ADMIN_KINDS = ("changelist", "add")
OBJECT_KINDS = ("change", "delete", "history", "redirect")
SCOPES = ("own", "other", "regency")


def admin_models() -> dict[str, type]:
    return {model._meta.label: model for model in admin.site._registry}


def admin_url(model, kind: str, pk=None) -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    if kind == "changelist":
        return base
    if kind == "add":
        return base + "add/"
    if kind == "redirect":
        return f"{base}{pk}/"
    return f"{base}{pk}/{kind}/"


def admin_cells(world, clients, model, check) -> None:
    label = model._meta.label
    for kind in ADMIN_KINDS:
        key = f"{label} {kind}"
        check(key, ADMIN.get(key), ask(clients, "get", admin_url(model, kind)))
    model_admin = admin.site._registry[model]
    for scope in SCOPES:
        row = row_for(world, label, scope)
        if row is None:
            continue
        for kind in OBJECT_KINDS:
            key = f"{label} {kind}.{scope}"
            check(key, ADMIN.get(key), ask(clients, "get", admin_url(model, kind, row.pk)))
        for action in sorted(model_admin.get_actions(_superuser_request(world))):
            key = f"{label} action:{action}.{scope}"
            check(key, ADMIN.get(key), run_action(clients, model, row, action))


def run_action(clients, model, row, action) -> str:
    """The action, confirmed (post=yes), on this one row: X when it changed or deleted the row,
    else the answer's status."""
    data = {"action": action, "_selected_action": [row.pk], "index": 0, "post": "yes",
            "valid_days": 7, "format": "csv"}  # fmt: skip
    answers = []
    for role in ROLES:
        with transaction.atomic():
            before = fingerprint(model, row.pk)
            response = clients[role].post(admin_url(model, "changelist"), data)
            changed = fingerprint(model, row.pk) != before
            answers.append("X" if changed else CHARS.get(response.status_code, "?"))
            transaction.set_rollback(True)
    return "".join(answers)


def fingerprint(model, pk):
    return model._default_manager.filter(pk=pk).values().first()


def _superuser_request(world):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users["superadmin"]
    return request


@pytest.mark.parametrize("label", sorted(admin_models()))
def test_admin_model(world, clients, label):
    found = Mismatches()
    admin_cells(world, clients, admin_models()[label], found.check)
    MATRIX_SIZE.append(found.cells)
    found.assert_none()


# --- Pages outside the admin's model views, and the supervisors' web ------------------------


@dataclass(frozen=True)
class Page:
    url: object  # a path, or a function (world, scope) -> path
    scopes: tuple[str, ...] = ("-",)
    method: str = "get"
    data: dict | None = None


def _workplace(world, scope):
    opd = world.own_opd if scope == "own" else world.other_opd
    return f"/office/{opd.workplaces.order_by('pk').first().code}/provision/"


def _flag(world, scope, suffix=""):

    employee = world.own_employee if scope == "own" else world.other_employee
    flag = _plain_flags(world).filter(employee__opd=employee.opd_id).order_by("pk").first()
    return f"/pantau/flag/{flag.pk if flag else 0}/{suffix}"


def _plain_flags(world):
    """The flags of the matrix's own and other employee (access_world.fill_gaps makes them):
    nobody in a reviewing role handles his own flag, so theirs are not used."""
    from hadir.fraud.models import DayFlag

    return DayFlag.objects.filter(employee__in=[world.own_employee, world.other_employee])


def _employee_history(world, scope):
    employee = world.own_employee if scope == "own" else world.other_employee
    return f"/pantau/kasus/pegawai/{employee.pk}/"


def _employee_day(world, scope):
    employee = world.own_employee if scope == "own" else world.other_employee
    return f"/pantau/pegawai/{employee.pk}/"


def _leave_page(world, scope, suffix):
    return f"/pantau/cuti/{_leave(world, scope)}/{suffix}"


OWN_OTHER = ("own", "other")
REVIEW = {"decision": "dismissed", "reason": "checked the gate camera"}
PAGES = {
    "": Page("/"),
    "admin/": Page("/admin/"),
    "admin/login/": Page("/admin/login/"),
    "admin/logout/": Page("/admin/logout/", method="post"),
    "admin/password_change/": Page("/admin/password_change/"),
    "admin/password_change/done/": Page("/admin/password_change/done/"),
    "admin/autocomplete/": Page("/admin/autocomplete/"),
    "admin/jsi18n/": Page("/admin/jsi18n/"),
    "admin/r/<int:content_type_id>/<path:object_id>/": Page("/admin/r/1/1/"),
    "admin/r/<path:content_type_id>/<path:object_id>/": Page("/admin/r/x/1/"),
    "admin/(?P<url>.*)$": Page("/admin/no-such-page/"),
    "admin/^(?P<app_label>org|auth|checkin|attendance|fraud|notify|jobs|cases)/$": Page(
        "/admin/org/"
    ),
    "admin/import/": Page("/admin/import/"),
    "api/v1/openapi.json": Page("/api/v1/openapi.json"),
    "api/v1/docs": Page("/api/v1/docs"),
    "api/v1/": Page("/api/v1/"),
    "office/screen/": Page("/office/screen/"),
    "office/sw.js": Page("/office/sw.js"),
    "office/<str:code>/provision/": Page(_workplace, OWN_OTHER),
    "app/": Page("/app/"),
    "app/manifest.webmanifest": Page("/app/manifest.webmanifest"),
    "app/sw.js": Page("/app/sw.js"),
    "app/coba/": Page("/app/coba/"),
    "activate/": Page("/activate/"),
    "i18n/setlang/": Page("/i18n/setlang/", method="post", data={"language": "en"}),
    "pantau/flag/": Page("/pantau/flag/"),
    "pantau/flag/saya/": Page("/pantau/flag/saya/"),
    "pantau/flag/saya/<int:review_id>/jawab/": Page(
        "/pantau/flag/saya/0/jawab/", method="post", data={"text": "saya di lapangan"}
    ),
    "pantau/flag/<int:flag_id>/": Page(_flag, OWN_OTHER),
    "pantau/flag/<int:flag_id>/tinjau/": Page(
        lambda w, s: _flag(w, s, "tinjau/"), OWN_OTHER, "post", REVIEW
    ),
    "pantau/kasus/": Page("/pantau/kasus/"),
    "pantau/kasus/buka/": Page("/pantau/kasus/buka/"),
    "pantau/kasus/terlambat/": Page("/pantau/kasus/terlambat/"),
    "pantau/kasus/<int:case_id>/": Page("/pantau/kasus/0/"),
    "pantau/kasus/<int:case_id>/<slug:step>/": Page("/pantau/kasus/0/panggil/", method="post"),
    "pantau/kasus/surat/<int:letter_id>.pdf": Page("/pantau/kasus/surat/0.pdf"),
    "pantau/kasus/pegawai/<int:employee_id>/": Page(_employee_history, OWN_OTHER),
    "pantau/": Page("/pantau/"),
    "pantau/masuk/": Page("/pantau/masuk/"),
    "pantau/keluar/": Page("/pantau/keluar/", method="post"),
    "pantau/papan/": Page("/pantau/papan/"),
    "pantau/pegawai/<int:employee_id>/": Page(_employee_day, OWN_OTHER),
    "pantau/sidak/": Page("/pantau/sidak/"),
    "pantau/sidak/<int:spot_id>/": Page("/pantau/sidak/0/"),
    "pantau/sidak/<int:spot_id>/tandai/<int:entry_id>/": Page(
        "/pantau/sidak/0/tandai/0/", method="post", data={"seen": "1"}
    ),
    "pantau/sidak/<int:spot_id>/selesai/": Page("/pantau/sidak/0/selesai/", method="post"),
    "pantau/sidak/<int:spot_id>/foto/": Page("/pantau/sidak/0/foto/"),
    "pantau/cuti/": Page("/pantau/cuti/"),
    "pantau/cuti/<int:leave_id>/putuskan/": Page(
        lambda w, s: _leave_page(w, s, "putuskan/"), OWN_OTHER, "post", {"decision": "approve"}
    ),
    "pantau/cuti/<int:leave_id>/lampiran/": Page(
        lambda w, s: _leave_page(w, s, "lampiran/"), OWN_OTHER
    ),
    "pantau/ikhtisar/": Page("/pantau/ikhtisar/"),
    "pantau/ikhtisar/rekap/": Page("/pantau/ikhtisar/rekap/"),
    "pantau/ikhtisar/tpp/": Page("/pantau/ikhtisar/tpp/"),
    "pantau/ikhtisar/audit/": Page("/pantau/ikhtisar/audit/"),
}


def url_patterns(patterns=None, prefix: str = ""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def is_admin_model_route(route: str) -> bool:
    return any(
        route.startswith(f"admin/{m._meta.app_label}/{m._meta.model_name}/")
        for m in admin.site._registry
    )


def is_api_operation_route(route: str) -> bool:
    return route.startswith("api/v1/") and route not in PAGES


@pytest.mark.parametrize("route", sorted(PAGES))
def test_page(world, clients, route):
    page, found = PAGES[route], Mismatches()
    for scope in page.scopes:
        url = page.url(world, scope) if callable(page.url) else page.url
        content_type = None if page.method == "post" else "application/json"
        actual = ask(clients, page.method, url, page.data, content_type=content_type)
        found.check(f"{route} {scope}", PAGE_ANSWERS.get(f"{route} {scope}"), actual)
    MATRIX_SIZE.append(found.cells)
    found.assert_none()


# --- The API: every operation of the OpenAPI schema -----------------------------------------


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method, path) for path, ops in schema["paths"].items() for method in ops)


def _own_or_other(world, scope):
    return world.own_employee if scope == "own" else world.other_employee


def _device(world, scope):
    from hadir.checkin.models import Device

    row = Device.objects.filter(employee=_own_or_other(world, scope)).order_by("pk").first()
    return row.pk


def _leave(world, scope):
    return _own_or_other(world, scope).leave.order_by("pk").first().pk


def _flag_nip_day(world, scope):
    opd = _own_or_other(world, scope).opd_id
    flag = _plain_flags(world).filter(employee__opd=opd).order_by("pk").first()
    return {"nip": flag.employee.identifier, "day": flag.day.isoformat()}


PARAMS = {
    "identifier": lambda w, s: _own_or_other(w, s).identifier,
    "device_id": _device,
    "leave_id": _leave,
    "review_id": lambda w, s: 0,
}
API_REQUESTS = {  # (method, path) -> (query or body, is_form)
    ("get", "/api/v1/flags"): ({"first": "2026-11-01", "last": "2026-11-30"}, False),
    ("get", "/api/v1/app/month"): ({"month": "2026-11"}, False),
    ("get", "/api/v1/attendance/mine"): ({"month": "2026-11"}, False),
    ("post", "/api/v1/auth/login"): ({"identifier": "x", "password": "y"}, False),
    ("post", "/api/v1/auth/refresh"): ({"refresh_token": "x"}, False),
    ("post", "/api/v1/auth/activate"): (
        {"identifier": "x", "code": "A", "password": "p" * 12},
        False,
    ),
    ("post", "/api/v1/devices"): ({"public_key": "x", "algorithm": "p256"}, False),
    ("post", "/api/v1/flags/{nip}/{day}/review"): (REVIEW, False),
    ("post", "/api/v1/flags/mine/{review_id}/answer"): ({"text": "saya di lapangan"}, False),
    ("post", "/api/v1/app/push"): (
        {"key_id": "x", "endpoint": "https://x", "p256dh": "B" * 87, "auth": "a" * 22},
        False,
    ),
    # A reason, so that the answer shows who may decide rather than a missing field
    ("post", "/api/v1/devices/{device_id}/revoke"): ({"reason": "lost phone"}, False),
    ("post", "/api/v1/leave/{leave_id}/reject"): ({"reason": "not signed"}, False),
    ("post", "/api/v1/app/leave"): (
        {"kind": "CT", "first_day": "2026-12-07", "last_day": "2026-12-07"},
        True,
    ),
}


def api_cells(world, clients, method, path, check) -> None:
    scopes = OWN_OTHER if "{" in path or (method, path) == ("post", "/api/v1/leave") else ("-",)
    query, is_form = API_REQUESTS.get((method, path), (None, False))
    for scope in scopes:
        url = path
        values = dict(_flag_nip_day(world, scope)) if "{nip}" in path else {}
        for name, value in PARAMS.items():
            if "{" + name + "}" in path:
                values[name] = value(world, scope)
        for name, value in values.items():
            url = url.replace("{" + name + "}", str(value))
        body = query
        if path == "/api/v1/leave" and method == "post":
            employee = _own_or_other(world, scope)
            body, is_form = {"employee": employee.identifier, "kind": "CT",
                             "first_day": "2026-12-07", "last_day": "2026-12-07"}, True  # fmt: skip
        if method == "get":
            actual = ask(clients, "get", url, body)
        elif is_form:
            actual = ask(clients, "post", url, body, content_type=None)
        else:
            import json

            actual = ask(clients, method, url, json.dumps(body or {}))
        key = f"{method.upper()} {path} {scope}"
        check(key, API_ANSWERS.get(key), actual)


@pytest.mark.parametrize(("method", "path"), operations())
def test_api_operation(world, clients, method, path):
    found = Mismatches()
    api_cells(world, clients, method, path, found.check)
    MATRIX_SIZE.append(found.cells)
    found.assert_none()


# --- Completeness: nothing without an entry -------------------------------------------------


def test_every_url_and_operation_has_an_entry():
    missing = []
    for route in url_patterns():
        if route in PAGES or is_admin_model_route(route) or is_api_operation_route(route):
            continue
        where = "the supervisors' web (/pantau/)" if route.startswith("pantau/") else "PAGES"
        missing.append(f"URL pattern {route!r}: add it to {where} in {__name__}")
    for label in admin_models():
        if not any(key.startswith(label + " ") for key in ADMIN):
            missing.append(f"admin model {label}: add its rows to ADMIN in {__name__}")
    for method, path in operations():
        if not any(key.startswith(f"{method.upper()} {path} ") for key in API_ANSWERS):
            missing.append(f"API operation {method.upper()} {path}: add it to API_ANSWERS")
    schema_paths = {path.removeprefix("/") for _m, path in operations()}
    for route in url_patterns():
        if is_api_operation_route(route):
            as_schema = route.replace("<", "{").replace(">", "}")
            if as_schema not in schema_paths:
                missing.append(f"API route {route!r} is not in the OpenAPI schema")
    assert not missing, "\n".join(missing)


MATRIX_SIZE: list[int] = []


def test_zz_report_the_matrix_size():
    print(f"\naccess matrix: {sum(MATRIX_SIZE)} cells checked")
    assert sum(MATRIX_SIZE) > 0 or not MATRIX_SIZE


# --- The expected answers (roles in ROLES order) --------------------------------------------

ADMIN: dict[str, str] = {
    "attendance.CalendarOverride changelist": "33222222",
    "attendance.CalendarOverride add": "33FFeeFe",
    "attendance.CalendarOverride change.regency": "33vvveve",
    "attendance.CalendarOverride delete.regency": "33FFF2F2",
    "attendance.CalendarOverride history.regency": "33222222",
    "attendance.CalendarOverride redirect.regency": "33333333",
    "attendance.CalendarOverride action:delete_selected.regency": "3322FX2X",
    "attendance.DailyStatus changelist": "33222222",
    "attendance.DailyStatus add": "33FFFFFF",
    "attendance.DisciplineRecommendation changelist": "33222222",
    "attendance.DisciplineRecommendation add": "33FFFFFF",
    "attendance.DisciplineRecommendation change.own": "33vvvvvv",
    "attendance.DisciplineRecommendation delete.own": "33FFFFFF",
    "attendance.DisciplineRecommendation history.own": "33222222",
    "attendance.DisciplineRecommendation redirect.own": "33333333",
    "attendance.DisciplineRecommendation change.other": "33333vvv",
    "attendance.DisciplineRecommendation delete.other": "33FFFFFF",
    "attendance.DisciplineRecommendation history.other": "33333222",
    "attendance.DisciplineRecommendation redirect.other": "33333333",
    "attendance.LeaveRequest changelist": "33222222",
    "attendance.LeaveRequest add": "33FFeeFe",
    "attendance.LeaveRequest change.own": "33vvvvvv",
    "attendance.LeaveRequest delete.own": "33FFFFFF",
    "attendance.LeaveRequest history.own": "33222222",
    "attendance.LeaveRequest redirect.own": "33333333",
    "attendance.LeaveRequest action:approve.own": "33333333",
    "attendance.LeaveRequest action:reject.own": "33222222",
    "attendance.LeaveRequest change.other": "33333vvv",
    "attendance.LeaveRequest delete.other": "33FFFFFF",
    "attendance.LeaveRequest history.other": "33333222",
    "attendance.LeaveRequest redirect.other": "33333333",
    "attendance.LeaveRequest action:approve.other": "33333333",
    "attendance.LeaveRequest action:reject.other": "33222222",
    "attendance.MonthClosure changelist": "33222222",
    "attendance.MonthClosure add": "33FFFeFe",
    "attendance.MonthClosure change.own": "33vvvvvv",
    "attendance.MonthClosure delete.own": "33FFFFF2",
    "attendance.MonthClosure history.own": "33222222",
    "attendance.MonthClosure redirect.own": "33333333",
    "attendance.MonthClosure action:delete_selected.own": "3322222X",
    "attendance.MonthClosure change.other": "33vvvvvv",
    "attendance.MonthClosure delete.other": "33FFFFF2",
    "attendance.MonthClosure history.other": "33222222",
    "attendance.MonthClosure redirect.other": "33333333",
    "attendance.MonthClosure action:delete_selected.other": "3322222X",
    "attendance.OpdTransfer changelist": "33222222",
    "attendance.OpdTransfer add": "33FFeeFe",
    "attendance.OpdTransfer change.own": "33vvvvvv",
    "attendance.OpdTransfer delete.own": "33FFF2F2",
    "attendance.OpdTransfer history.own": "33222222",
    "attendance.OpdTransfer redirect.own": "33333333",
    "attendance.OpdTransfer action:delete_selected.own": "33222X2X",
    "attendance.OpdTransfer change.other": "33333vvv",
    "attendance.OpdTransfer delete.other": "33FFF2F2",
    "attendance.OpdTransfer history.other": "33333222",
    "attendance.OpdTransfer redirect.other": "33333333",
    "attendance.OpdTransfer action:delete_selected.other": "33222X2X",
    "attendance.Outage changelist": "33222222",
    "attendance.Outage add": "33FFeeFe",
    "attendance.Outage change.own": "33vveeve",
    "attendance.Outage delete.own": "33FF22F2",
    "attendance.Outage history.own": "33222222",
    "attendance.Outage redirect.own": "33333333",
    "attendance.Outage action:delete_selected.own": "3322XX2X",
    "attendance.Outage change.other": "33vvveve",
    "attendance.Outage delete.other": "33FFF2F2",
    "attendance.Outage history.other": "33222222",
    "attendance.Outage redirect.other": "33333333",
    "attendance.Outage action:delete_selected.other": "3322FX2X",
    "attendance.RecomputeRequest changelist": "33222222",
    "attendance.RecomputeRequest add": "33FFFFFF",
    "attendance.RecomputeRequest change.regency": "33vvvvvv",
    "attendance.RecomputeRequest delete.regency": "33FFFFFF",
    "attendance.RecomputeRequest history.regency": "33222222",
    "attendance.RecomputeRequest redirect.regency": "33333333",
    "attendance.RuleSet changelist": "33222222",
    "attendance.RuleSet add": "33FFFeFe",
    "attendance.RuleSet change.regency": "33vvveve",
    "attendance.RuleSet delete.regency": "33FFF2F2",
    "attendance.RuleSet history.regency": "33222222",
    "attendance.RuleSet redirect.regency": "33333333",
    "attendance.RuleSet action:delete_selected.regency": "33222X2X",
    "attendance.ScheduleAssignment changelist": "33222222",
    "attendance.ScheduleAssignment add": "33FFeeFe",
    "attendance.ScheduleAssignment change.own": "33vvvvvv",
    "attendance.ScheduleAssignment delete.own": "33FFFFFF",
    "attendance.ScheduleAssignment history.own": "33222222",
    "attendance.ScheduleAssignment redirect.own": "33333333",
    "attendance.ScheduleAssignment change.other": "33333vvv",
    "attendance.ScheduleAssignment delete.other": "33FFFFFF",
    "attendance.ScheduleAssignment history.other": "33333222",
    "attendance.ScheduleAssignment redirect.other": "33333333",
    "attendance.ShiftRosterEntry changelist": "33222222",
    "attendance.ShiftRosterEntry add": "33FFeeFe",
    "attendance.ShiftRosterEntry change.own": "33vveeve",
    "attendance.ShiftRosterEntry delete.own": "33FF22F2",
    "attendance.ShiftRosterEntry history.own": "33222222",
    "attendance.ShiftRosterEntry redirect.own": "33333333",
    "attendance.ShiftRosterEntry action:delete_selected.own": "3322XX2X",
    "attendance.ShiftRosterEntry change.other": "33333eve",
    "attendance.ShiftRosterEntry delete.other": "33FF32F2",
    "attendance.ShiftRosterEntry history.other": "33333222",
    "attendance.ShiftRosterEntry redirect.other": "33333333",
    "attendance.ShiftRosterEntry action:delete_selected.other": "33223X2X",
    "attendance.StatusCorrection changelist": "33222222",
    "attendance.StatusCorrection add": "33FFeeFe",
    "attendance.StatusCorrection change.own": "33vvvvvv",
    "attendance.StatusCorrection delete.own": "33FFFFFF",
    "attendance.StatusCorrection history.own": "33222222",
    "attendance.StatusCorrection redirect.own": "33333333",
    "attendance.StatusCorrection change.other": "33333vvv",
    "attendance.StatusCorrection delete.other": "33FFFFFF",
    "attendance.StatusCorrection history.other": "33333222",
    "attendance.StatusCorrection redirect.other": "33333333",
    "attendance.WorkSchedule changelist": "33222222",
    "attendance.WorkSchedule add": "33FFFeFe",
    "attendance.WorkSchedule change.regency": "33vvveve",
    "attendance.WorkSchedule delete.regency": "33FFFFFF",
    "attendance.WorkSchedule history.regency": "33222222",
    "attendance.WorkSchedule redirect.regency": "33333333",
    "attendance.WorkSchedule action:delete_selected.regency": "33222222",
    "auth.User changelist": "33FFFFF2",
    "auth.User add": "33FFFFFe",
    "auth.User change.own": "33FFFFFe",
    "auth.User delete.own": "33FFFFF2",
    "auth.User history.own": "33FFFFF2",
    "auth.User redirect.own": "33333333",
    "auth.User action:delete_selected.own": "33FFFFFF",
    "auth.User change.other": "33FFFFFe",
    "auth.User delete.other": "33FFFFF2",
    "auth.User history.other": "33FFFFF2",
    "auth.User redirect.other": "33333333",
    "auth.User action:delete_selected.other": "33FFFFFF",
    "auth.User change.regency": "33FFFFFe",
    "auth.User delete.regency": "33FFFFF2",
    "auth.User history.regency": "33FFFFF2",
    "auth.User redirect.regency": "33333333",
    "auth.User action:delete_selected.regency": "33FFFFFX",
    "cases.DisciplineCase changelist": "33FFFFF2",
    "cases.DisciplineCase add": "33FFFFFF",
    "cases.FlagAnswer changelist": "33FFFFF2",
    "cases.FlagAnswer add": "33FFFFFF",
    "cases.Letter changelist": "33FFFFF2",
    "cases.Letter add": "33FFFFFF",
    "cases.LetterTemplate changelist": "33FFFFF2",
    "cases.LetterTemplate add": "33FFFFFe",
    "cases.LetterTemplate change.regency": "33FFFFFe",
    "cases.LetterTemplate delete.regency": "33FFFFF2",
    "cases.LetterTemplate history.regency": "33FFFFF2",
    "cases.LetterTemplate redirect.regency": "33333333",
    "cases.LetterTemplate action:delete_selected.regency": "33FFFFFX",
    "cases.Letterhead changelist": "33FFFFF2",
    "cases.Letterhead add": "33FFFFFe",
    "cases.Letterhead change.regency": "33FFFFFe",
    "cases.Letterhead delete.regency": "33FFFFF2",
    "cases.Letterhead history.regency": "33FFFFF2",
    "cases.Letterhead redirect.regency": "33333333",
    "cases.Letterhead action:delete_selected.regency": "33FFFFFX",
    "checkin.Device changelist": "33222222",
    "checkin.Device add": "33FFFFFF",
    "checkin.Device change.own": "33vvvvvv",
    "checkin.Device delete.own": "33FFFFFF",
    "checkin.Device history.own": "33222222",
    "checkin.Device redirect.own": "33333333",
    "checkin.Device action:approve.own": "33333333",
    "checkin.Device action:reject.own": "33333333",
    "checkin.Device action:revoke.own": "33X3XX3X",
    "checkin.Device change.other": "33333vvv",
    "checkin.Device delete.other": "33FFFFFF",
    "checkin.Device history.other": "33333222",
    "checkin.Device redirect.other": "33333333",
    "checkin.Device action:approve.other": "33333333",
    "checkin.Device action:reject.other": "33333333",
    "checkin.Device action:revoke.other": "33333X3X",
    "checkin.EvidenceRecord changelist": "33222222",
    "checkin.EvidenceRecord add": "33FFFFFF",
    "checkin.EvidenceRecord change.own": "33vvvvvv",
    "checkin.EvidenceRecord delete.own": "33FFFFFF",
    "checkin.EvidenceRecord history.own": "33222222",
    "checkin.EvidenceRecord redirect.own": "33333333",
    "checkin.EvidenceRecord change.other": "33333vvv",
    "checkin.EvidenceRecord delete.other": "33FFFFFF",
    "checkin.EvidenceRecord history.other": "33333222",
    "checkin.EvidenceRecord redirect.other": "33333333",
    "checkin.PresenceChallenge changelist": "33222222",
    "checkin.PresenceChallenge add": "33FFFFFF",
    "checkin.PresenceChallenge change.own": "33vvvvvv",
    "checkin.PresenceChallenge delete.own": "33FFFFFF",
    "checkin.PresenceChallenge history.own": "33222222",
    "checkin.PresenceChallenge redirect.own": "33333333",
    "checkin.PresenceChallenge change.other": "33333vvv",
    "checkin.PresenceChallenge delete.other": "33FFFFFF",
    "checkin.PresenceChallenge history.other": "33333222",
    "checkin.PresenceChallenge redirect.other": "33333333",
    "fraud.AnalysisRun changelist": "33FFF222",
    "fraud.AnalysisRun add": "33FFFFFF",
    "fraud.AnalysisRun change.regency": "33FFFvvv",
    "fraud.AnalysisRun delete.regency": "33FFFFFF",
    "fraud.AnalysisRun history.regency": "33FFF222",
    "fraud.AnalysisRun redirect.regency": "33333333",
    "fraud.ChallengeGroup changelist": "33FFF222",
    "fraud.ChallengeGroup add": "33FFFFFF",
    "fraud.ChallengeGroup change.regency": "33FFFvvv",
    "fraud.ChallengeGroup delete.regency": "33FFFFFF",
    "fraud.ChallengeGroup history.regency": "33FFF222",
    "fraud.ChallengeGroup redirect.regency": "33333333",
    "fraud.DayFlag changelist": "33F22222",
    "fraud.DayFlag add": "33FFFFFF",
    "fraud.DayFlag change.own": "33Fvvvvv",
    "fraud.DayFlag delete.own": "33FFFFFF",
    "fraud.DayFlag history.own": "33322222",
    "fraud.DayFlag redirect.own": "33333333",
    "fraud.DayFlag change.other": "33F33vvv",
    "fraud.DayFlag delete.other": "33FFFFFF",
    "fraud.DayFlag history.other": "33333222",
    "fraud.DayFlag redirect.other": "33333333",
    "fraud.FlagReview changelist": "33F22222",
    "fraud.FlagReview add": "33FFFFFF",
    "fraud.FlagReview change.own": "33Fvvvvv",
    "fraud.FlagReview delete.own": "33FFFFFF",
    "fraud.FlagReview history.own": "33322222",
    "fraud.FlagReview redirect.own": "33333333",
    "fraud.FlagReview change.other": "33F33vvv",
    "fraud.FlagReview delete.other": "33FFFFFF",
    "fraud.FlagReview history.other": "33333222",
    "fraud.FlagReview redirect.other": "33333333",
    "fraud.MonthFlag changelist": "33F22222",
    "fraud.MonthFlag add": "33FFFFFF",
    "fraud.MonthFlag change.own": "33Fvvvvv",
    "fraud.MonthFlag delete.own": "33FFFFFF",
    "fraud.MonthFlag history.own": "33322222",
    "fraud.MonthFlag redirect.own": "33333333",
    "fraud.MonthFlag change.other": "33F33vvv",
    "fraud.MonthFlag delete.other": "33FFFFFF",
    "fraud.MonthFlag history.other": "33333222",
    "fraud.MonthFlag redirect.other": "33333333",
    "jobs.Job changelist": "33FFF222",
    "jobs.Job add": "33FFFFFF",
    "jobs.Job change.regency": "33FFFeve",
    "jobs.Job delete.regency": "33FFFFFF",
    "jobs.Job history.regency": "33FFF222",
    "jobs.Job redirect.regency": "33333333",
    "jobs.Job action:run_now.regency": "33FFFX2X",
    "jobs.JobRun changelist": "33FFF222",
    "jobs.JobRun add": "33FFFFFF",
    "jobs.JobRun change.regency": "33FFFvvv",
    "jobs.JobRun delete.regency": "33FFFFFF",
    "jobs.JobRun history.regency": "33FFF222",
    "jobs.JobRun redirect.regency": "33333333",
    "notify.Notification changelist": "33FFF222",
    "notify.Notification add": "33FFFFFF",
    "notify.Notification change.regency": "33FFFvvv",
    "notify.Notification delete.regency": "33FFFFFF",
    "notify.Notification history.regency": "33FFF222",
    "notify.Notification redirect.regency": "33333333",
    "org.ActivationCode changelist": "33FF2222",
    "org.ActivationCode add": "33FFFFFF",
    "org.ActivationCode change.own": "33FFvvvv",
    "org.ActivationCode delete.own": "33FFFFFF",
    "org.ActivationCode history.own": "333F2222",
    "org.ActivationCode redirect.own": "33333333",
    "org.ActivationCode change.other": "33FF3vvv",
    "org.ActivationCode delete.other": "33FFFFFF",
    "org.ActivationCode history.other": "33333222",
    "org.ActivationCode redirect.other": "33333333",
    "org.AuditEntry changelist": "33FFF222",
    "org.AuditEntry add": "33FFFFFF",
    "org.AuditEntry change.regency": "33FFFvvv",
    "org.AuditEntry delete.regency": "33FFFFFF",
    "org.AuditEntry history.regency": "33FFF222",
    "org.AuditEntry redirect.regency": "33333333",
    "org.Employee changelist": "33222222",
    "org.Employee add": "33FFeeFe",
    "org.Employee change.own": "333veeve",
    "org.Employee delete.own": "33FF22F2",
    "org.Employee history.own": "33322222",
    "org.Employee redirect.own": "33333333",
    "org.Employee action:delete_selected.own": "33332232",
    "org.Employee action:issue_activation_codes.own": "33333333",
    "org.Employee change.other": "33333eve",
    "org.Employee delete.other": "33FF32F2",
    "org.Employee history.other": "33333222",
    "org.Employee redirect.other": "33333333",
    "org.Employee action:delete_selected.other": "33333232",
    "org.Employee action:issue_activation_codes.other": "33333333",
    "org.Opd changelist": "33222222",
    "org.Opd add": "33FFFeFe",
    "org.Opd change.own": "333veeve",
    "org.Opd delete.own": "33FF22F2",
    "org.Opd history.own": "33322222",
    "org.Opd redirect.own": "33333333",
    "org.Opd action:delete_selected.own": "33222222",
    "org.Opd change.other": "33333eve",
    "org.Opd delete.other": "33FF32F2",
    "org.Opd history.other": "33333222",
    "org.Opd redirect.other": "33333333",
    "org.Opd action:delete_selected.other": "33223222",
    "org.Role changelist": "33222222",
    "org.Role add": "33FFeeFe",
    "org.Role change.own": "333veeve",
    "org.Role delete.own": "33FF22F2",
    "org.Role history.own": "33322222",
    "org.Role redirect.own": "33333333",
    "org.Role action:delete_selected.own": "3322XX2X",
    "org.Role change.other": "33333eve",
    "org.Role delete.other": "33FF32F2",
    "org.Role history.other": "33333222",
    "org.Role redirect.other": "33333333",
    "org.Role action:delete_selected.other": "33223X2X",
    "org.Role change.regency": "33333eve",
    "org.Role delete.regency": "33FF32F2",
    "org.Role history.regency": "33333222",
    "org.Role redirect.regency": "33333333",
    "org.Role action:delete_selected.regency": "33223X2X",
    "org.Unit changelist": "33222222",
    "org.Unit add": "33FFeeFe",
    "org.Unit change.own": "333veeve",
    "org.Unit delete.own": "33FF22F2",
    "org.Unit history.own": "33322222",
    "org.Unit redirect.own": "33333333",
    "org.Unit action:delete_selected.own": "3322XX2X",
    "org.Unit change.other": "33333eve",
    "org.Unit delete.other": "33FF32F2",
    "org.Unit history.other": "33333222",
    "org.Unit redirect.other": "33333333",
    "org.Unit action:delete_selected.other": "33223X2X",
    "org.Workplace changelist": "33222222",
    "org.Workplace add": "33FFeeFe",
    "org.Workplace change.own": "333veeve",
    "org.Workplace delete.own": "33FF22F2",
    "org.Workplace history.own": "33322222",
    "org.Workplace redirect.own": "33333333",
    "org.Workplace action:delete_selected.own": "33332232",
    "org.Workplace action:rotate_office_secret.own": "333XXXXX",
    "org.Workplace change.other": "33333eve",
    "org.Workplace delete.other": "33FF32F2",
    "org.Workplace history.other": "33333222",
    "org.Workplace redirect.other": "33333333",
    "org.Workplace action:delete_selected.other": "33333232",
    "org.Workplace action:rotate_office_secret.other": "33333XXX",
    "checkin.RefusedSample changelist": "33FFF222",
    "checkin.RefusedSample add": "33FFFFFF",
    "checkin.RefusedTally changelist": "33FFF222",
    "checkin.RefusedTally add": "33FFFFFF",
}
PAGE_ANSWERS: dict[str, str] = {
    " -": "33333333",
    "activate/ -": "22222222",
    "admin/ -": "33222222",
    "admin/^(?P<app_label>org|auth|checkin|attendance|fraud|notify|jobs|cases)/$ -": "33222222",
    "admin/autocomplete/ -": "33FFFFFF",
    "admin/import/ -": "33FF22F2",
    "admin/jsi18n/ -": "33222222",
    "admin/login/ -": "22333333",
    "admin/logout/ -": "33222222",
    "admin/password_change/ -": "33222222",
    "admin/password_change/done/ -": "33222222",
    "admin/r/<int:content_type_id>/<path:object_id>/ -": "33NNNNNN",
    "api/v1/ -": "NNNNNNNN",
    "api/v1/docs -": "22222222",
    "api/v1/openapi.json -": "22222222",
    "app/ -": "22222222",
    "app/coba/ -": "22222222",
    "app/manifest.webmanifest -": "22222222",
    "app/sw.js -": "22222222",
    "i18n/setlang/ -": "33333333",
    "office/<str:code>/provision/ own": "3FF222F2",
    "office/<str:code>/provision/ other": "3FFFF2F2",
    "office/screen/ -": "22222222",
    "office/sw.js -": "22222222",
    "pantau/flag/ -": "3F222222",
    "pantau/flag/<int:flag_id>/ own": "3F222222",
    "pantau/flag/<int:flag_id>/ other": "3FNNN222",
    "pantau/flag/<int:flag_id>/tinjau/ own": "3FF3F3F3",
    "pantau/flag/<int:flag_id>/tinjau/ other": "3FNNN3F3",
    "pantau/flag/saya/ -": "32222222",
    "pantau/flag/saya/<int:review_id>/jawab/ -": "3NNNNNNN",
    "pantau/kasus/ -": "3F222222",
    "pantau/kasus/<int:case_id>/ -": "3FNNNNNN",
    "pantau/kasus/<int:case_id>/<slug:step>/ -": "3FNNNNNN",
    "pantau/kasus/buka/ -": "3F22F2F2",
    "pantau/kasus/pegawai/<int:employee_id>/ own": "3F222222",
    "pantau/kasus/pegawai/<int:employee_id>/ other": "3FNNN222",
    "pantau/kasus/surat/<int:letter_id>.pdf -": "3FNNNNNN",
    "admin/(?P<url>.*)$ -": "33NNNNNN",
    "admin/r/<path:content_type_id>/<path:object_id>/ -": "33NNNNNN",
    "pantau/kasus/terlambat/ -": "3F222222",
    "pantau/ -": "3F333333",
    "pantau/cuti/ -": "3F222222",
    "pantau/cuti/<int:leave_id>/putuskan/ own": "3FIIIIFI",
    "pantau/cuti/<int:leave_id>/putuskan/ other": "3FNNNIFI",
    "pantau/cuti/<int:leave_id>/lampiran/ own": "3FNNNNNN",
    "pantau/cuti/<int:leave_id>/lampiran/ other": "3FNNNNNN",
    "pantau/ikhtisar/ -": "3FF22222",
    "pantau/ikhtisar/audit/ -": "3FFFF222",
    "pantau/ikhtisar/rekap/ -": "3FFFF222",
    "pantau/ikhtisar/tpp/ -": "3FFFF222",
    "pantau/keluar/ -": "33333333",
    "pantau/masuk/ -": "22222222",
    "pantau/papan/ -": "3F222222",
    "pantau/pegawai/<int:employee_id>/ other": "3FNNN222",
    "pantau/pegawai/<int:employee_id>/ own": "3F222222",
    "pantau/sidak/ -": "3F222222",
    "pantau/sidak/<int:spot_id>/ -": "3FNNNNNN",
    "pantau/sidak/<int:spot_id>/foto/ -": "3FNNNNNN",
    "pantau/sidak/<int:spot_id>/selesai/ -": "3FFNNNFN",
    "pantau/sidak/<int:spot_id>/tandai/<int:entry_id>/ -": "3FFNNNFN",
}
API_ANSWERS: dict[str, str] = {
    "GET /api/v1/app/leave -": "U222FFFF",
    "GET /api/v1/app/me -": "U222FFFF",
    "GET /api/v1/app/month -": "U222FFFF",
    "GET /api/v1/attendance/mine -": "U222FFFF",
    "GET /api/v1/challenges -": "U222FFFF",
    "GET /api/v1/devices/me -": "U222FFFF",
    "GET /api/v1/devices/pending -": "U2222222",
    "GET /api/v1/employees -": "U2222222",
    "GET /api/v1/employees/{identifier} own": "U2222222",
    "GET /api/v1/employees/{identifier} other": "UNNNN222",
    "GET /api/v1/evidence/mine -": "U222FFFF",
    "GET /api/v1/flags -": "UFF22222",
    "GET /api/v1/flags/mine -": "U222FFFF",
    "GET /api/v1/flags/precision -": "UFFFF222",
    "GET /api/v1/health -": "22222222",
    "GET /api/v1/leave/mine -": "U222FFFF",
    "GET /api/v1/leave/to-decide -": "U2222222",
    "GET /api/v1/leave/{leave_id}/attachment own": "UNNNNNNN",
    "GET /api/v1/leave/{leave_id}/attachment other": "UNNNNNNN",
    "GET /api/v1/time -": "22222222",
    "POST /api/v1/app/leave -": "UIIIIIII",
    "POST /api/v1/app/push -": "UIIIFFFF",
    "POST /api/v1/auth/activate -": "UUUUUUUU",
    "POST /api/v1/auth/login -": "UUUUUUUU",
    "POST /api/v1/auth/logout -": "U2222222",
    "POST /api/v1/auth/refresh -": "UUUUUUUU",
    "POST /api/v1/devices -": "UIIIFFFF",
    "POST /api/v1/devices/{device_id}/approve own": "UFCFCCFC",
    "POST /api/v1/devices/{device_id}/approve other": "UFFFFCFC",
    "POST /api/v1/devices/{device_id}/reject own": "UFCFCCFC",
    "POST /api/v1/devices/{device_id}/reject other": "UFFFFCFC",
    "POST /api/v1/devices/{device_id}/revoke own": "UF2F22F2",
    "POST /api/v1/devices/{device_id}/revoke other": "UFFFF2F2",
    "POST /api/v1/events -": "UUUUUUUU",
    "POST /api/v1/flags/mine/{review_id}/answer own": "UNNNFFFF",
    "POST /api/v1/flags/mine/{review_id}/answer other": "UNNNFFFF",
    "POST /api/v1/flags/{nip}/{day}/review own": "UFF2F2F2",
    "POST /api/v1/flags/{nip}/{day}/review other": "UFFFF2F2",
    "POST /api/v1/leave own": "U2N222N2",
    "POST /api/v1/leave other": "UNNNN2N2",
    "POST /api/v1/leave/{leave_id}/approve own": "UFIIIIFI",
    "POST /api/v1/leave/{leave_id}/approve other": "UFFFFIFI",
    "POST /api/v1/leave/{leave_id}/reject own": "UF2222F2",
    "POST /api/v1/leave/{leave_id}/reject other": "UFFFF2F2",
}
