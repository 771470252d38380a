"""`hadir demo` says which sizes it builds instead of failing halfway with a traceback."""

import os
import re
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from hadir.core.management.commands.demo import minimum_employees
from hadir.sim.regency import plan_regency


def test_it_refuses_a_regency_too_small_for_its_opds_with_the_accepted_range():
    with pytest.raises(CommandError) as refused:
        call_command("demo", "--employees", "60", "--no-serve")
    assert str(minimum_employees()) in str(refused.value)
    assert "20000" in str(refused.value)


def test_it_plans_a_regency_of_the_smallest_size_it_accepts():
    plan = plan_regency(seed=1, employees=minimum_employees())
    assert len(plan.employees) == minimum_employees()


HADIR = [sys.executable, "-m", "hadir.cli"]


def demo(var, *args, **env):
    environment = {**os.environ, "HADIR_VAR_DIR": str(var), **env}
    if "DATABASE_URL" not in env:
        environment.pop("DATABASE_URL", None)  # the default: var/hadir.sqlite3
    return subprocess.run(
        [*HADIR, "demo", *args], env=environment, capture_output=True, text=True, timeout=600
    )


def test_it_refuses_another_database_in_indonesian(tmp_path):
    done = demo(tmp_path, "--no-serve", DATABASE_URL="postgres://nobody@127.0.0.1:9/none")
    assert done.returncode == 1
    assert done.stderr == (
        "CommandError: demo membangun basis data SQLite sendiri; hapus pengaturan DATABASE_URL\n"
    )


def test_what_it_prints_is_in_indonesian(tmp_path):
    done = demo(tmp_path, "--employees", str(minimum_employees()), "--no-history", "--no-serve")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Kabupaten demo (seed 2026): ")
    assert lines[0].endswith(f" tempat kerja, {minimum_employees()} pegawai.")
    assert lines[2].split() == ["Peran", "OPD", "Nama", "pengguna", "Kata", "sandi", "Nama"]
    assert "Web atasan (/pantau/): siapa melihat apa" in lines
    assert "  masuk dengan NIP " in done.stdout
    assert re.search(
        r"^\d+ permohonan cuti & izin menunggu keputusan \(/pantau/cuti/\)$", done.stdout, re.M
    )
    assert lines[-1].startswith("kabupaten demo selesai dibangun dalam ")
    assert lines[-1].endswith(" dtk")
