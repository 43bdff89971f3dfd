"""`pip install .` without the `postgres` extra serves the embedded SQLite store.

psycopg and the library's PostgreSQL recorders come only with ``qualizyklus[postgres]``; the
PostgreSQL code (engine/infrastructure/postgres_availability.py, engine/readmodels/postgres.py) is
imported
only when a PostgreSQL URL is configured. Two tests hold that:

- a quick guard in this virtualenv: a subprocess whose imports of psycopg, psycopg_pool and
  eventsourcing.postgres fail loads the demo, builds the web app and shows a signed-in page;
- the real thing: a virtualenv of its own with the base install (no psycopg in it at all),
  where ``qualizyklus init``, ``demo`` and ``serve`` work and a demo coordinator signs in.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

from engine.demo.calendar import DemoCalendar
from engine.demo.networks import DEMO_PASSWORD
from tests.test_packaging import NOT_BUILT, ROOT
from tests.web.test_serve import _free_port, _wait_for

COORDINATOR = "a.becker@musterland.example"
OVERVIEW = f"Qualitätszyklus {DemoCalendar(date.today()).closed_year} – Landkreis Musterland"
"""A cycle's title on the coordinator's organisation overview (the page after signing in)."""

GUARD = textwrap.dedent(
    r"""
    import re
    import sys

    BLOCKED = ("psycopg", "psycopg_pool", "eventsourcing.postgres")


    class NoPostgres:
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in BLOCKED):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None


    sys.meta_path.insert(0, NoPostgres())
    assert not [m for m in sys.modules if m.startswith(BLOCKED)], "imported at start-up"
    for name in BLOCKED:
        try:
            __import__(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"the blocker let {name} through")

    import engine.application.service
    import web
    from engine.cli.main import main
    from engine.demo.networks import DEMO_PASSWORD
    from engine.infrastructure.settings import Settings, SettingsError
    from web.app import create_app

    for command in ("init", "demo"):
        main([command], standalone_mode=False)
    app = create_app({"SECRET_KEY": "guard"})
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    page = client.post(
        "/login",
        data={"csrf_token": token, "email": sys.argv[1], "password": DEMO_PASSWORD},
        headers={"Referer": "http://localhost/login"},
        follow_redirects=True,
    )
    print("status", page.status_code)
    print("page", page.get_data(as_text=True))
    try:
        Settings(database="postgresql://postgres@127.0.0.1/qz").eventsourcing_env(
            create_tables=False
        )
    except SettingsError as error:
        print("postgres-url", error)
    app.extensions["qualizyklus"].close()
    print("imported", sorted(m for m in sys.modules if m.startswith(BLOCKED)))
    """
)
"""Run in a subprocess: PostgreSQL's modules fail to import, the SQLite store must not care."""


def _lines(output: str, key: str) -> list[str]:
    return [line.removeprefix(f"{key} ") for line in output.splitlines() if line.startswith(key)]


def test_without_psycopg_the_engine_and_web_app_serve_a_signed_in_page_on_sqlite(
    tmp_path: Path,
) -> None:
    """Fast feedback: a module that imports psycopg at its top fails this test at once."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUALIZYKLUS_")}
    env["QUALIZYKLUS_DATABASE"] = f"sqlite:///{tmp_path}/qualizyklus.db"
    env["QUALIZYKLUS_ATTACHMENTS"] = str(tmp_path / "attachments")
    env["QUALIZYKLUS_SECURE_COOKIES"] = "0"
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", GUARD, COORDINATOR],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _lines(done.stdout, "status") == ["200"]
    assert OVERVIEW in done.stdout
    assert _lines(done.stdout, "imported") == ["[]"]
    [refused] = _lines(done.stdout, "postgres-url")
    assert "pip install 'qualizyklus[postgres]'" in refused


def _pip_install_base(tmp_path: Path) -> Path:
    """A virtualenv in ``tmp_path`` with ``pip install <copy of the project>``; its bin folder."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_BUILT)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / "bin"
    installed = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return bin_dir


def _sign_in(base: str) -> tuple[int, str]:
    """Sign in as the demo coordinator through the form; the status and page it ends on."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = browser.open(f"{base}/login").read().decode()
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert found is not None, "no CSRF token on the sign-in form"
    data = urllib.parse.urlencode(
        {"csrf_token": found.group(1), "email": COORDINATOR, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login", data=data, headers={"Referer": f"{base}/login"}
    )
    with browser.open(request) as response:  # follows the redirect to the overview
        return response.status, response.read().decode()


def test_pip_install_without_extras_inits_loads_the_demo_and_serves_a_signed_in_page(
    tmp_path: Path,
) -> None:
    bin_dir = _pip_install_base(tmp_path)
    python = str(bin_dir / "python")
    lacking = subprocess.run(
        [python, "-c", "import psycopg"], cwd=tmp_path, capture_output=True, text=True
    )
    assert lacking.returncode != 0, "the base install must not bring psycopg"
    assert "No module named 'psycopg'" in lacking.stderr

    cli = str(bin_dir / "qualizyklus")
    work = tmp_path / "work"
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUALIZYKLUS_")}
    env.update(QUALIZYKLUS_DATABASE="sqlite:///var/qualizyklus.db", QUALIZYKLUS_SECURE_COOKIES="0")
    env.pop("PYTHONPATH", None)  # the installed copy, not the checkout
    for command in ("init", "demo"):
        done = subprocess.run([cli, command], env=env, cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stderr[-3000:])
    assert (work / "var" / "qualizyklus.db").is_file()

    refused = subprocess.run(
        [cli, "init"],
        env={**env, "QUALIZYKLUS_DATABASE": "postgresql://postgres@127.0.0.1/qz"},
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "pip install 'qualizyklus[postgres]'" in refused.stderr
    assert "Traceback" not in refused.stderr

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{base}/healthz")
        status, page = _sign_in(base)
        assert status == 200
        assert OVERVIEW in page
    finally:
        server.terminate()
        server.wait(timeout=20)
