"""Browser tests: the demo served by `qualizyklus serve` (gunicorn), driven by a real Chromium.

Each test gets its own copy of the demo store and its own server (two gunicorn workers, as in
production) -- or, in a module marked ``shared_server`` whose tests write nothing the others
read, one server and copy per module -- a fresh browser context in German, and a screenshot of
its last page in test-artifacts/screenshots/. Chromium is Debian's (/usr/bin/chromium; `make
test` installs it), axe-core comes from node_modules (`make test` runs `npm ci`). Without either
the tests skip, and fail when the environment variable CI is set.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from engine.demo.networks import DEMO_PASSWORD
from tests.conftest import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
GERMAN_BROWSER = {**os.environ, "LANG": "de_DE.UTF-8", "LANGUAGE": "de"}
"""Chromium's own locale, as the people using the product have it: date inputs follow the
browser's locale (from LANG on Linux; ``--lang`` and the context's locale do not change it),
never the page's ``lang``, so a German browser shows 15.03.2027 (make browser-deps installs
the German locale data, chromium-l10n)."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home at start, and the closed network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CLI = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
START_TIMEOUT = 30.0

COORDINATOR = "a.becker@musterland.example"
CONTRIBUTOR = "j.wolff@musterland.example"
VIEWER = "p.koenig@musterland.example"
OTHER_COORDINATOR = "l.schmidt@beispiel.example"
SLUG = "lk-musterland"
OTHER_SLUG = "beispielstadt"


def unavailable(message: str) -> None:
    """Skip for want of a browser-test prerequisite; under CI, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this for the browser tests: {message}")
    pytest.skip(message)


# The server ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    """A running `qualizyklus serve` on a copy of the demo store."""

    url: str
    database: Path
    log: Path

    def path(self, url: str) -> str:
        """The path of a URL of this server (without the origin)."""
        return url.removeprefix(self.url)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def _wait_until_up(server: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Until /healthz answers 200; fail with the server's log if it exits or takes too long."""
    deadline = time.monotonic() + START_TIMEOUT
    while not _answers(f"{base}/healthz"):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            output = log.read_text(encoding="utf-8", errors="replace")[-4000:]
            pytest.fail(f"qualizyklus serve did not come up on {base}:\n{output}")
        time.sleep(0.1)


@pytest.fixture
def live_server(
    demo_database: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    """`qualizyklus serve` (gunicorn, 2 workers) on a fresh copy of the demo store.

    Plain HTTP on 127.0.0.1 with the production cookie settings (Secure cookies): Chromium
    counts 127.0.0.1 as a secure origin and keeps them.

    In a module marked ``pytest.mark.shared_server`` (its tests change nothing another test
    reads: they read, or are refused and write nothing) the module's tests share one server
    on one copy (:func:`module_live_server`); each still gets a fresh browser context.
    """
    if request.node.get_closest_marker("shared_server") is not None:
        yield request.getfixturevalue("module_live_server")
        return
    database = tmp_path / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    with serving(database, tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def module_live_server(
    demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One `qualizyklus serve` for a module, on its own copy of the demo store."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    with serving(database, folder) as server:
        yield server


@contextmanager
def serving(database: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """`qualizyklus serve` (gunicorn, 2 workers) on a SQLite store, until the block ends."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
        # Both workers must sign sessions with the same key.
        "QUALIZYKLUS_SECRET_KEY": "e2e-secret-key",
        "QUALIZYKLUS_ATTACHMENTS": str(tmp_path / "attachments"),
    }
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=ROOT,  # gunicorn.conf.py, as `make run` uses it
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(server, base, log)
        yield LiveServer(base, database, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# The browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver (the browser itself is Debian's Chromium)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium, launched once per test run."""
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium package)")
    launched = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=GERMAN_BROWSER
    )
    yield launched
    launched.close()


@pytest.fixture
def page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page in a fresh context (German, Berlin time) on the live server; screenshot at the end."""
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", timezone_id="Europe/Berlin"
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        try:
            opened.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        finally:
            context.close()


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save the page as it is now, as test-artifacts/screenshots/<test>-<label>.png."""

    def save(label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", f"{request.node.name}-{label}").strip("_")
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return save


# Helpers -------------------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person does, and wait until the sign-out button shows."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden", exact=True)).to_be_visible()


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now.

    The script is evaluated through the DevTools protocol, which the page's content security
    policy (script-src 'self') does not govern, so the page is checked with its CSP in force.
    """
    if not AXE_SCRIPT.exists():
        unavailable(f"no {AXE_SCRIPT.relative_to(ROOT)} (make test runs npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN, WCAG_21_AA)
    return violations


def assert_accessible(page: Page) -> None:
    """Fail listing every serious or critical WCAG 2.1 A/AA violation axe-core finds."""
    blocking = [v for v in axe(page) if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{len(blocking)} serious/critical axe violations on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {target}" for target in violation["targets"])
        pytest.fail("\n".join(lines), pytrace=False)
