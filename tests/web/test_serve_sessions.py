"""Real servers sharing one store: a copied cookie dies at sign-out on every worker and host,
and the sign-in throttle holds across them, alike for known and unknown addresses.

Server A is `qualizyklus serve` with two gunicorn workers; server B is a second host's server
on the same database, so that "another process" is certain and not left to chance.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from engine.demo.networks import DEMO_PASSWORD
from tests.conftest import FillWithDemo
from tests.web.test_serve import CLI, _free_port, _wait_for

COORDINATOR = "a.becker@musterland.example"
PAGE = "/o/lk-musterland/"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Browser:
    """A minimal browser: one cookie jar, no redirects followed, any server of the installation."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Status, body and Location of one request; cookies are kept."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Referer": f"http://127.0.0.1:{port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, text, response.headers.get("Location", "")
        finally:
            connection.close()

    def submit(self, port: int, page: str, action: str, form: dict[str, str]) -> int:
        """Fill in the form of ``page`` (with its CSRF token) and send it to ``action``."""
        status, text, _ = self.request(port, "GET", page)
        assert status == 200, (page, status)
        found = TOKEN.search(text)
        assert found is not None
        return self.request(port, "POST", action, {"csrf_token": found.group(1), **form})[0]


def _start(env: dict[str, str], workers: int, cwd: Path) -> tuple[subprocess.Popen[bytes], int]:
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    port = _free_port()
    server = subprocess.Popen(
        [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, port


@pytest.fixture
def two_servers(
    database_url: str, tmp_path: Path, fill_with_demo: FillWithDemo
) -> Iterator[tuple[int, int]]:
    """Ports of server A (two workers) and server B (one worker) on one demo store (a copy of
    the run's demo, dated from today as `qualizyklus demo` dates it)."""
    env = {
        **os.environ,
        "QUALIZYKLUS_DATABASE": database_url,
        "QUALIZYKLUS_SECURE_COOKIES": "0",
        "QUALIZYKLUS_SECRET_KEY": "one key for every host of the installation",
    }
    fill_with_demo(database_url, today=date.today())
    subprocess.run([CLI or "qualizyklus", "init"], env=env, check=True, capture_output=True)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, port_a = _start(env, 2, tmp_path / "a")
    second, port_b = _start({**env, "QUALIZYKLUS_FOLLOWER": "0"}, 1, tmp_path / "b")
    try:
        _wait_for(f"http://127.0.0.1:{port_a}/healthz")
        _wait_for(f"http://127.0.0.1:{port_b}/healthz")
        yield port_a, port_b
    finally:
        for server in (first, second):
            server.terminate()
        for server in (first, second):
            server.wait(timeout=20)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_cookie_copied_before_sign_out_is_refused_after_it_by_every_worker_and_host(
    two_servers: tuple[int, int],
) -> None:
    a, b = two_servers
    browser = Browser()
    signed_in = browser.submit(
        a, "/login", "/login", {"email": COORDINATOR, "password": DEMO_PASSWORD}
    )
    assert signed_in == 302
    thief = Browser({"qualizyklus_session": browser.cookies["qualizyklus_session"]})
    before = [thief.request(port, "GET", PAGE)[0] for port in (a, a, a, a, b, b)]
    assert before == [200] * 6  # the copy works on both workers of A and on B

    assert browser.submit(a, PAGE, "/logout", {}) == 302

    after = [thief.request(port, "GET", PAGE) for port in (a, a, a, a, b, b)]
    assert [status for status, _, _ in after] == [302] * 6
    assert all(location.startswith("/login") for _, _, location in after)
    assert thief.request(b, "GET", "/api/v1/organisations/lk-musterland")[0] == 401


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_sign_in_throttle_holds_across_hosts_alike_for_unknown_addresses(
    two_servers: tuple[int, int],
) -> None:
    a, b = two_servers
    sequences = {}
    for address in (COORDINATOR, "niemand@musterland.example"):
        browser = Browser()
        sequences[address] = [
            browser.submit(port, "/login", "/login", {"email": address, "password": "falsch"})
            for port in (a, b, a, b, a)  # every attempt on another server than the one before
        ]
    assert sequences[COORDINATOR] == [401, 401, 401, 429, 429]
    assert sequences["niemand@musterland.example"] == [401, 401, 401, 429, 429]
