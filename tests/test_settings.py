import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_full_sync_so_acknowledged_check_ins_survive():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 5000


def test_the_domain_core_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, hadir.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'hadir.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
