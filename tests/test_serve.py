"""`hadir serve` runs the production server (gunicorn) with static files, on the given port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

HADIR = str(Path(sys.executable).with_name("hadir"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        "HADIR_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    subprocess.run([HADIR, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    process = subprocess.Popen(
        [HADIR, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            get(base + "/api/v1/time")
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_the_server_shows_the_login_in_indonesian_with_its_styles(server):
    status, page = get(server + "/admin/login/")
    assert status == 200
    assert "Masuk" in page.decode()
    assert get(server + "/static/admin/css/base.css")[0] == 200


def test_the_server_refuses_a_bad_port():
    result = subprocess.run([HADIR, "serve", "--port", "70000"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "--port" in result.stderr
