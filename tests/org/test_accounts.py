"""Employees get user accounts: from the import and from `hadir sync-accounts`; idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from hadir.org.accounts import AccountCounts, sync_accounts
from hadir.org.importer import Source, import_master
from hadir.org.models import AuditEntry, Employee
from tests.factories import make_employee, make_opd, make_user

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CSV_FILES = [EXAMPLES / f"{kind}.csv" for kind in ("opd", "unit", "workplace", "employee")]
TODAY = dt.date(2025, 6, 2)
User = get_user_model()


def run_import(*paths, dry_run=False, today=TODAY):
    return import_master(
        [Source.from_path(p) for p in paths], actor="test:import", dry_run=dry_run, today=today
    )


def test_the_import_gives_each_employee_an_account_named_after_the_nip_without_a_password():
    result = run_import(*CSV_FILES)

    assert result.ok, result.problems.lines()
    assert result.accounts.created == Employee.objects.count() == 16
    for employee in Employee.objects.select_related("user"):
        assert employee.user.username == employee.identifier
        assert not employee.user.has_usable_password()
        assert not employee.user.is_staff
        assert employee.user.first_name == employee.name[:150]


def test_an_account_is_deactivated_when_the_employees_service_ends():
    run_import(*CSV_FILES)
    ended = Employee.objects.get(identifier="THL-BKPSDM-0142")  # active_to 2025-12-31
    assert ended.user.is_active

    counts = sync_accounts(Employee.objects.all(), today=dt.date(2026, 1, 1), actor="test")

    ended.user.refresh_from_db()
    assert not ended.user.is_active
    assert (counts.deactivated, counts.unchanged) == (1, 15)
    assert AuditEntry.objects.filter(
        model="auth.User", object_pk=str(ended.user.pk), after={"is_active": False}
    ).exists()


def test_an_import_after_the_service_ended_creates_the_account_deactivated():
    result = run_import(*CSV_FILES, today=dt.date(2026, 1, 1))

    assert result.ok
    assert not Employee.objects.get(identifier="THL-BKPSDM-0142").user.is_active


def test_a_second_import_changes_no_account_and_writes_no_audit_entries():
    run_import(*CSV_FILES)
    audit_before = AuditEntry.objects.count()
    users_before = list(User.objects.order_by("pk").values())

    result = run_import(*CSV_FILES)

    assert result.accounts.changed == 0
    assert result.accounts.unchanged == 16
    assert AuditEntry.objects.count() == audit_before
    assert list(User.objects.order_by("pk").values()) == users_before


def test_the_first_import_records_the_new_accounts_in_the_audit_log():
    run_import(*CSV_FILES)

    created = AuditEntry.objects.filter(model="auth.User", action="create")
    assert created.count() == 16
    assert set(created.values_list("actor", flat=True)) == {"test:import"}
    linked = AuditEntry.objects.filter(model="org.Employee", before={"user_id": None})
    assert linked.count() == 16


def test_a_dry_run_counts_the_accounts_and_creates_none():
    result = run_import(*CSV_FILES, dry_run=True)

    assert result.accounts.created == 16
    assert User.objects.count() == 0
    assert "accounts: 16 created" in "\n".join(result.summary_lines())


def test_an_existing_user_with_the_nip_as_username_is_linked_not_duplicated():
    opd = make_opd()
    employee = make_employee(opd, identifier="198503152010011001")
    by_hand = make_user("198503152010011001", staff=False)

    counts = sync_accounts(Employee.objects.all(), today=TODAY, actor="test")

    employee.refresh_from_db()
    assert employee.user == by_hand
    assert (counts.linked, counts.created) == (1, 0)
    assert by_hand.has_usable_password()  # their password stays


def test_a_username_held_by_another_employee_is_reported_and_left_alone():
    opd = make_opd()
    holder = make_user("198503152010011001", staff=False)
    make_employee(opd, identifier="198503152010011002", user=holder)
    loser = make_employee(opd, identifier="198503152010011001")

    counts = sync_accounts(Employee.objects.all(), today=TODAY, actor="test")

    loser.refresh_from_db()
    assert loser.user is None
    assert counts.conflicts == ["198503152010011001"]


def test_an_employee_back_in_service_gets_the_account_back_but_a_superuser_is_never_locked_out():
    opd = make_opd()
    admin = make_user("root", superuser=True)
    make_employee(opd, user=admin, active_to=dt.date(2024, 1, 1))
    returning = make_employee(opd, active_to=dt.date(2024, 1, 1))
    sync_accounts(Employee.objects.all(), today=TODAY, actor="test")
    returning.refresh_from_db()
    assert not returning.user.is_active

    Employee.objects.filter(pk=returning.pk).update(active_to=None)
    counts = sync_accounts(Employee.objects.all(), today=TODAY, actor="test")

    returning.user.refresh_from_db()
    admin.refresh_from_db()
    assert returning.user.is_active
    assert admin.is_active
    assert counts.reactivated == 1


def test_the_command_covers_existing_employees_and_is_idempotent(capsys):
    opd = make_opd()
    make_employee(opd)
    make_employee(make_opd("DINKES", "Dinas Kesehatan"))

    call_command("sync_accounts", "--opd", "DISDIK")
    first = capsys.readouterr().out
    call_command("sync_accounts")
    second = capsys.readouterr().out
    call_command("sync_accounts")
    third = capsys.readouterr().out

    assert "1 created" in first
    assert "1 created" in second
    assert "1 unchanged" in second
    assert "0 created" in third
    assert "2 unchanged" in third
    assert Employee.objects.filter(user__isnull=True).count() == 0


def test_the_nightly_job_deactivates_accounts_whose_service_ended():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from hadir.jobs.registry import JobContext
    from hadir.org.jobs import sync_employee_accounts

    run_import(*CSV_FILES)
    now = datetime(2026, 1, 1, 17, 30, tzinfo=UTC)  # 00:30 WIB on 2 January 2026
    context = JobContext(
        now=now, tz=ZoneInfo("Asia/Jakarta"), scheduled_for=now, last_success=None, options={}
    )

    result = sync_employee_accounts(context)

    assert result.values["deactivated"] == 1
    assert not Employee.objects.get(identifier="THL-BKPSDM-0142").user.is_active


def test_every_atasan_in_the_master_data_gets_the_atasan_role_once(client):
    from hadir.org.models import Role, RoleKind
    from hadir.org.scope import scope_for

    opd = make_opd()
    boss = make_employee(opd, name="Atasan")
    staff = make_employee(opd, name="Staf", supervisor=boss)
    retired_boss = make_employee(opd, name="Pensiun", active_to=dt.date(2025, 1, 31))
    make_employee(opd, name="Staf lama", supervisor=retired_boss)
    lonely = make_employee(opd, name="Tanpa staf")
    gone_staff_boss = make_employee(opd, name="Stafnya pensiun")
    make_employee(opd, supervisor=gone_staff_boss, active_to=dt.date(2025, 1, 31))

    dry = sync_accounts(Employee.objects.all(), today=TODAY, actor="test", dry_run=True)
    assert dry.supervisor_roles == 0  # nobody has an account yet: nothing could be granted
    counts = sync_accounts(Employee.objects.all(), today=TODAY, actor="test")
    assert counts.supervisor_roles == 1
    boss.refresh_from_db()
    role = Role.objects.get(kind=RoleKind.SUPERVISOR)
    assert (role.user_id, role.opd_id) == (boss.user_id, opd.pk)
    for other in (retired_boss, lonely, gone_staff_boss, staff):
        other.refresh_from_db()
        assert not Role.objects.filter(user_id=other.user_id).exists()
    assert AuditEntry.objects.filter(model="org.Role", action="create").count() == 1
    assert scope_for(boss.user).supervised_employee_ids == {
        staff.pk,
        *Employee.objects.filter(supervisor=boss, active_to__isnull=False).values_list(
            "pk", flat=True
        ),
    }

    again = sync_accounts(Employee.objects.all(), today=TODAY, actor="test")
    assert again.supervisor_roles == 0
    assert Role.objects.filter(kind=RoleKind.SUPERVISOR).count() == 1

    boss.user.set_password("rahasia-kuat-123")
    boss.user.save()
    client.force_login(boss.user)
    assert client.get("/pantau/cuti/").status_code == 200


def test_the_command_says_how_many_atasan_roles_it_granted(capsys):
    opd = make_opd()
    boss = make_employee(opd, name="Atasan")
    make_employee(opd, name="Staf", supervisor=boss)
    call_command("sync_accounts")
    assert "atasan roles granted: 1" in capsys.readouterr().out
    call_command("sync_accounts")
    assert "atasan roles" not in capsys.readouterr().out
    with translation.override("id"):
        call_command("sync_accounts", "--opd", opd.code)  # nothing left to grant
        assert AccountCounts(supervisor_roles=2).roles_summary() == "peran atasan diberikan: 2"
