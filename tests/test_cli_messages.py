"""The operator commands speak Bahasa Indonesia (the catalogue's), English when chosen: each
command's refusals and the lines it prints, word for word; exit codes stay non-zero."""

import io
import json
import os
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from hadir import cli
from hadir.checkin import chain, messages, replay
from hadir.core.management.commands import serve
from hadir.fraud.analysis import CONTEXT_DAYS
from hadir.jobs.worker import Worker

pytestmark = pytest.mark.django_db


def said(command: str, *args: str, **options) -> tuple[str, str]:
    """What the command printed: (standard output, standard error)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refusal(command: str, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        said(command, *args)
    return str(refused.value)


# Refusals: Indonesian by default, English when chosen ------------------------------------------

REFUSALS = [
    (
        ["serve", "--port", "0"],
        "--port harus antara 1 dan 65535, bukan 0",
        "--port must be between 1 and 65535, not 0",
    ),
    (
        ["serve", "--workers", "0"],
        "--workers dan --threads minimal 1",
        "--workers and --threads must be at least 1",
    ),
    (
        ["worker", "--loop-seconds", "0.1"],
        "--loop-seconds harus antara 0.5 dan 3600",
        "--loop-seconds must be between 0.5 and 3600",
    ),
    (
        ["worker", "--lease-seconds", "5"],
        "--lease-seconds minimal 30",
        "--lease-seconds must be at least 30",
    ),
    (
        ["analyze", "--from", "2026-11-01"],
        "--from dan --to wajib diisi (atau --explain NIP --date D)",
        "--from and --to are required (or --explain NIP --date D)",
    ),
    (
        ["analyze", "--from", "2026-11-30", "--to", "2026-11-01"],
        "--to lebih awal dari --from",
        "--to is before --from",
    ),
    (
        ["analyze", "--from", "2025-01-01", "--to", "2026-11-01"],
        "rentang lebih dari satu tahun; analisis per bagian",
        "the range is longer than a year; analyse it in parts",
    ),
    (
        ["analyze", "--from", "2026-11-01", "--to", "2026-11-30", "--workers", "0"],
        "--workers minimal 1",
        "--workers must be at least 1",
    ),
    (
        ["analyze", "--explain", "199001012020121001"],
        "--explain memerlukan --date YYYY-MM-DD",
        "--explain needs --date YYYY-MM-DD",
    ),
    (
        ["analyze", "--explain", "000", "--date", "2026-11-02"],
        "tidak ada pegawai dengan NIP atau nomor 000",
        "no employee with NIP or number 000",
    ),
    (
        ["issue_challenges", "--at", "2026-11-02T10:00:00+07:00", "--every", "60"],
        "--at dan --every tidak dapat dipakai bersamaan",
        "--at and --every do not go together",
    ),
    (
        ["issue_challenges", "--every", "5"],
        "--every minimal 10 detik",
        "--every must be at least 10 seconds",
    ),
    (
        ["issue_challenges", "--at", "besok"],
        "--at harus waktu ISO 8601 dengan selisih UTC, bukan 'besok'",
        "--at must be an ISO 8601 time with a UTC offset, not 'besok'",
    ),
    (
        ["issue_challenges", "--at", "2026-11-02T10:00:00"],
        "--at memerlukan selisih UTC, mis. 2026-11-02T10:00:00+07:00",
        "--at needs a UTC offset, e.g. 2026-11-02T10:00:00+07:00",
    ),
    (
        ["flags", "--from", "2026-11-01", "--to", "11/30"],
        "--to harus tanggal YYYY-MM-DD, bukan '11/30'",
        "--to must be a date YYYY-MM-DD, not '11/30'",
    ),
    (
        ["flags", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "/no/such/dir/f.csv"],
        "tidak dapat menulis /no/such/dir/f.csv: No such file or directory",
        "cannot write /no/such/dir/f.csv: No such file or directory",
    ),
    (
        ["demo", "--employees", "10", "--no-serve"],
        "--employees harus antara 84 dan 20000",
        "--employees must be between 84 and 20000",
    ),
    (
        ["verify_chain", "--checkpoints", "/no/such/checkpoints.jsonl"],
        "tidak dapat membaca /no/such/checkpoints.jsonl: No such file or directory",
        "cannot read /no/such/checkpoints.jsonl: No such file or directory",
    ),
    (
        ["replay", "/no/such/archive.jsonl"],
        "tidak dapat membaca /no/such/archive.jsonl: No such file or directory",
        "cannot read /no/such/archive.jsonl: No such file or directory",
    ),
    (
        ["recap", "--month", "2026-10", "--no-compute", "--signed-on", "31-10-2026"],
        "--signed-on harus tanggal YYYY-MM-DD, bukan '31-10-2026'",
        "--signed-on must be a date YYYY-MM-DD, not '31-10-2026'",
    ),
]


@pytest.mark.parametrize(("argv", "indonesian", "english"), REFUSALS)
def test_a_refusal_is_said_in_indonesian_and_in_english_when_chosen(argv, indonesian, english):
    assert refusal(*argv) == indonesian
    if argv[0] in ("analyze", "flags"):  # they print in their --language (default: id)
        assert refusal(*argv, "--language", "en") == english
        with translation.override("en"):
            assert refusal(*argv) == indonesian
    else:
        with translation.override("en"):
            assert refusal(*argv) == english


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["serve", "--port", "70000"],
            "CommandError: --port harus antara 1 dan 65535, bukan 70000",
        ),
        (["worker", "--lease-seconds", "1"], "CommandError: --lease-seconds minimal 30"),
        (["issue-challenges", "--every", "1"], "CommandError: --every minimal 10 detik"),
        (["replay", "/no/such.jsonl"], "CommandError: tidak dapat membaca /no/such.jsonl: "),
    ],
)
def test_refusals_from_the_hadir_cli_exit_non_zero_in_indonesian(argv, line, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith(line)


# What they say when they work ------------------------------------------------------------------


def test_serve_says_where_it_serves(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    started = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: started.append(argv))
    out, _ = said("serve", "--port", "8123", "--workers", "1")
    assert out == "Hadir berjalan di http://127.0.0.1:8123/ (admin: /admin/)\n"
    assert "127.0.0.1:8123" in started[0]
    with translation.override("en"):
        out, _ = said("serve", "--port", "8123")
    assert out == "Hadir serving on http://127.0.0.1:8123/ (admin: /admin/)\n"


def test_the_worker_says_it_started_and_stopped(monkeypatch):
    monkeypatch.setattr(Worker, "loop", lambda self, seconds, parent_pid=None: None)
    name = f"{socket.gethostname()}:{os.getpid()}"[:120]
    out, _ = said("worker")
    assert out.splitlines() == [
        f"worker {name} dimulai (pid {os.getpid()}); tekan Ctrl-C untuk menghentikannya",
        f"worker {name} berhenti",
    ]
    with translation.override("en"):
        out, _ = said("worker")
    assert out.splitlines()[-1] == f"worker {name} stopped"


def test_createadmin_says_what_it_did_and_refuses_a_second_time():
    out, _ = said("createadmin", "kepala", "--password", "cukup-panjang-2026")
    assert out == "superadmin 'kepala' telah dibuat\n"
    assert refusal("createadmin", "kepala", "--password", "x") == "pengguna 'kepala' sudah ada"
    with translation.override("en"):
        out, _ = said("createadmin", "kedua", "--password", "cukup-panjang-2026")
    assert out == "superadmin 'kedua' created\n"


def test_createadmin_says_why_a_password_is_refused_in_indonesian():
    said_ = refusal("createadmin", "baru", "--password", "pendek")
    assert said_.startswith("kata sandi: Kata sandi terlalu pendek.")  # Django's own words


def test_issue_challenges_says_what_it_issued():
    out, _ = said("issue_challenges", "--at", "2026-11-02T10:00:00+07:00")
    assert out == (
        "2026-11-02 10:00:00: diterbitkan 0, dalam tantangan kelompok 0, hasil kelompok dicatat 0\n"
    )
    with translation.override("en"):
        out, _ = said("issue_challenges", "--at", "2026-11-02T10:00:00+07:00")
    assert out == (
        "2026-11-02 10:00:00: issued 0, in group challenges 0, group results recorded 0\n"
    )


def test_flags_says_what_it_wrote_in_its_language(tmp_path):
    path = tmp_path / "flags.jsonl"
    out, _ = said("flags", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(path))
    assert out == f"0 hari-pegawai bertanda ditulis ke {path}\n"
    out, _ = said(
        "flags",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        str(path),
        "--language",
        "en",
    )
    assert out == f"0 flagged employee-days written to {path}\n"


def test_verify_chain_says_an_intact_chain_in_indonesian():
    assert said("verify_chain") == ("rantai utuh: 0 baris\n", "")
    with translation.override("en"):
        assert said("verify_chain") == ("chain intact: 0 rows\n", "")


def test_replay_says_its_count_in_indonesian_and_keeps_the_verdicts_file_english(tmp_path):
    archive, verdicts = tmp_path / "archive.jsonl", tmp_path / "verdicts.jsonl"
    archive.write_text('{"received_at": "kemarin"}\n')
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "replay", str(archive), "--verdicts", str(verdicts), stdout=io.StringIO(), stderr=err
        )
    assert str(refused.value) == "1 baris tidak dapat dibaca atau dijalankan"
    assert err.getvalue() == "baris 1: tidak ada remote_addr, headers, body\n"
    assert json.loads(verdicts.read_text()) == {
        "line": 1,
        "outcome": "unreadable",
        "error": "line 1: missing remote_addr, headers, body",
    }
    archive.write_text("\n")
    out, _ = said("replay", str(archive))
    assert out == "disimpan 0 (tidak ada yang baru); sudah tersimpan: 0; baris tak terbaca: 0\n"
    with translation.override("en"):
        out, _ = said("replay", str(archive))
    assert out == "stored 0 (none new); already stored: 0; unreadable lines: 0\n"


def test_refresh_statuses_says_what_it_did():
    out, _ = said("refresh_statuses")
    assert out == (
        "0 hari-pegawai untuk presensi baru; hari ini dan kemarin: 0 hari-pegawai, 0 ditulis; "
        "0 penghitungan ulang dari antrean selesai\n"
    )
    with translation.override("en"):
        out, _ = said("refresh_statuses")
    assert out.startswith("0 employee-days for new check-ins; today and yesterday: 0 employee-days")


def test_recap_says_what_it_computed_and_wrote(tmp_path):
    path = tmp_path / "recap.csv"
    _, err = said("recap", "--month", "2026-10", "--out", str(path))
    computed, rows = err.splitlines()
    assert computed.startswith("0 hari-pegawai dihitung (0 ditulis, 0 tidak berubah, 0 dibekukan)")
    assert computed.endswith(" dtk")
    assert rows == "0 baris"
    with translation.override("en"):
        _, err = said("recap", "--month", "2026-10", "--out", str(path), "--no-compute")
    assert err == "0 rows\n"


def test_analyze_says_what_it_analysed_in_its_language():
    out, _ = said("analyze", "--from", "2026-11-02", "--to", "2026-11-02")
    first, run = out.splitlines()
    assert first == (
        f"0 kejadian dianalisis dari 2026-11-02 sampai 2026-11-02 (dengan {CONTEXT_DAYS} hari "
        "konteks): 0 hari-pegawai perlu ditinjau, 0 kuat; 0 tanda dimaafkan atau ditahan karena "
        "cuti, dinas luar atau jadwal; 0 rekaman rusak disisihkan"
    )
    assert run.startswith("proses #")
    out, _ = said("analyze", "--from", "2026-11-02", "--to", "2026-11-02", "--language", "en")
    assert out.startswith("analysed 0 events from 2026-11-02 to 2026-11-02")


def test_every_chain_problem_is_said_through_the_catalogue():
    assert set(messages.CHAIN_PROBLEMS) == set(chain.PROBLEMS)
    with translation.override("en"):
        for code, english in messages.CHAIN_PROBLEMS.items():
            assert str(english) == chain.PROBLEMS[code]
    found = chain.ProblemText("checkpoint_beyond", length=5, rows=3)
    assert found == "signed at 5 rows, the chain has 3"  # the English, for logs
    assert messages.chain_problem_text(found) == "ditandatangani pada 5 baris, rantai berisi 3"


def test_every_replay_refusal_is_said_through_the_catalogue():
    assert set(messages.REPLAY_REFUSALS) | set(messages.PASSED_ON) == set(replay.REFUSALS)
    with translation.override("en"):
        for code, english in messages.REPLAY_REFUSALS.items():
            assert str(english) == replay.REFUSALS[code]
    for code, passed_on in messages.PASSED_ON.items():
        assert passed_on == replay.REFUSALS[code]
    refused = replay.DecisionRefused(7, "leave_status", status="approved")
    assert str(refused) == "line 7: the leave request is approved"  # the --verdicts file's
    said_ = messages.decision_refusal_text(refused)
    assert said_ == "baris 7: pengajuan cuti/izin berstatus approved"
    with translation.override("en"):
        assert messages.decision_refusal_text(refused) == str(refused)
