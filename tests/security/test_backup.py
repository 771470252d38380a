"""`hadir backup` while the server takes check-ins, `hadir restore`, and the restored chain
verified against the checkpoints signed before the backup (and caught as shorter than those
signed after it)."""

from __future__ import annotations

import threading

from tests.security import serverside
from tests.security.databases import engine, scratch_database
from tests.security.test_kill import count_stored


def run(env, *args) -> str:
    result = serverside.hadir(env, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_backup_made_while_serving_restores_and_verifies(tmp_path):
    with scratch_database(engine(), tmp_path) as database_url:
        var = tmp_path / "var"
        env = serverside.prepare(database_url, var, 3)
        phones = serverside.phones(3)
        server = serverside.Server(env, workers=1, threads=4)
        server.start()
        try:
            for phone in phones:
                assert serverside.send(server.port, serverside.new_event(phone))[0] == 201
            run(env, "checkpoint")
            before = sum(count_stored(database_url).values())
            busy = threading.Thread(
                target=lambda: [
                    serverside.send(server.port, serverside.new_event(phones[0], "check_out"))
                    for _ in range(10)
                ]
            )
            busy.start()
            out = tmp_path / "backup" / "hadir.backup"
            assert "cadangan ditulis ke" in run(env, "backup", str(out))
            busy.join()
            assert serverside.send(server.port, serverside.new_event(phones[1], "check_out"))[0]
            run(env, "checkpoint")
        finally:
            server.stop()
        after = sum(count_stored(database_url).values())
        assert "dipulihkan dari" in run(env, "restore", str(out), "--yes")
        restored = sum(count_stored(database_url).values())
        assert before <= restored < after
        log = out.with_name(out.name + ".checkpoints.jsonl")
        assert "1 checkpoint sesuai" in run(env, "verify-chain", "--checkpoints", str(log))
        newer = serverside.hadir(
            env, "verify-chain", "--checkpoints", str(var / "checkpoints.jsonl")
        )
        assert newer.returncode != 0
        assert f"ditandatangani pada {after} baris, rantai berisi {restored}" in newer.stderr


def test_restore_asks_before_replacing_the_database(tmp_path):
    env = serverside.server_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "var")
    backup = tmp_path / "some.backup"
    backup.write_bytes(b"")
    result = serverside.hadir(env, "restore", str(backup))
    assert result.returncode != 0
    assert "--yes" in result.stderr
