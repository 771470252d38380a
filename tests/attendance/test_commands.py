"""The attendance commands: bad arguments are clear errors with a non-zero exit."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from hadir import cli
from hadir.attendance.models import DailyStatus, MonthClosure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("recap", ["--month", "2026-13"], "--month"),
        ("recap", ["--month", "November"], "--month"),
        ("recap", ["--month", "2026-10", "--opd", "NOPE"], "--opd"),
        ("recap", ["--month", "2026-10", "--format", "xlsx"], "--out"),
        (
            "recap",
            ["--month", "2026-10", "--format", "pdf", "--out", "/no/such/dir/r.pdf"],
            "tidak ada",
        ),
        ("tpp", ["--month", "26-10"], "--month"),
        ("discipline", ["--year", "26"], "--year"),
        ("recompute", ["--from", "2026-10-31", "--to", "2026-10-01"], "lebih awal dari"),
        ("recompute", ["--from", "yesterday", "--to", "2026-10-01"], "--from"),
        ("close_month", ["--month", "2026-1"], "--month"),
    ],
)
def test_bad_arguments_are_command_errors(regency, command, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(command, *args)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recap", "--month", "2026-13"], "--month harus bulan YYYY-MM, bukan '2026-13'"),
        (["tpp", "--month", "Oktober"], "--month harus bulan YYYY-MM"),
        (["discipline", "--year", "26"], "--year harus tahun YYYY, bukan '26'"),
        (["recompute", "--from", "2026-10-01"], "--from dan --to wajib diisi"),
    ],
)
def test_bad_arguments_exit_non_zero_from_the_hadir_cli(regency, argv, message, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code != 0
    assert message in capsys.readouterr().err


def test_the_cli_says_its_refusals_in_english_when_chosen(regency):
    with translation.override("en"), pytest.raises(CommandError, match="is before --from"):
        call_command("recompute", "--from", "2026-10-31", "--to", "2026-10-01")


def test_recompute_and_close_month(regency, capsys):
    call_command("recompute", "--from", "2026-10-01", "--to", "2026-10-07", "--opd", "DISDIK")
    assert "3 pegawai, 21 hari-pegawai: 21 ditulis" in capsys.readouterr().out
    call_command("close_month", "--month", "2026-10", "--opd", "DISDIK")
    closure = MonthClosure.objects.get()
    assert (closure.month, closure.opd) == (date(2026, 10, 1), regency.opd)
    assert DailyStatus.objects.filter(date__month=10).count() == 3 * 31
    with pytest.raises(CommandError, match="sudah ditutup"):
        call_command("close_month", "--month", "2026-10", "--opd", "DISDIK")
    with pytest.raises(CommandError, match="belum berakhir"):
        call_command("close_month", "--month", "2099-01")
