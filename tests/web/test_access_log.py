"""gunicorn started with the project's configuration (gunicorn.conf.py) logs no client's
address, browser, referer or other request header, on any page, with its own format and with
an operator's format that asks for them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.web.test_serve import CLI, _free_port, _wait_for

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (Identifying-Browser 9.9; Kiez-Laptop)"
REFERER = "https://referer.example/newsletter"
FORWARDED = "203.0.113.57"
IDENTIFYING = (BROWSER, "Identifying-Browser", "referer.example", FORWARDED, "127.0.0.1")


def _request(url: str) -> int:
    request = urllib.request.Request(
        url, headers={"User-Agent": BROWSER, "Referer": REFERER, "X-Forwarded-For": FORWARDED}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "operator_format",
    [None, '%(h)s "%(a)s" "%(f)s" %({x-forwarded-for}i)s %(u)s "%(r)s" %(s)s'],
    ids=["project-format", "operator-format-asking-for-them"],
)
def test_the_access_log_holds_no_address_browser_or_referer(
    tmp_path: Path, operator_format: str | None
) -> None:
    env = {
        **os.environ,
        "QUALIZYKLUS_DATABASE": f"sqlite:///{tmp_path}/qualizyklus.db",
        "QUALIZYKLUS_SECRET_KEY": "access-log-test",
        "QUALIZYKLUS_FOLLOWER": "0",
        "QUALIZYKLUS_WORKERS": "1",
    }
    assert CLI is not None
    subprocess.run([CLI, "init"], env=env, check=True, capture_output=True, timeout=120)
    command = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    if operator_format is not None:
        command += ["--access-logformat", operator_format]
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz")
        statuses = [
            _request(f"{base}/login"),
            _request(f"{base}/befragung/kein-solcher-link"),
            _request(f"{base}/api/v1/organisations"),
        ]
        time.sleep(0.5)  # the access log is written after the answer
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if '"GET /' in line]

    assert statuses[0] == 200 and statuses[1] == 404 and statuses[2] == 401
    logged = [line for line in lines if any(p in line for p in ("/login", "/befragung/", "/api/"))]
    assert len(logged) == 3, lines
    for line in logged:
        assert not [found for found in IDENTIFYING if found in line], line
    assert any('"GET /login HTTP/1.1" 200' in line for line in logged), logged
