"""A real server (`qualizyklus serve`, gunicorn) on a PostgreSQL database of its own, whose
database goes away and comes back: 503 with Retry-After while it is away (problem details
for the API, a page for the UI), 200 for the very next request once it is back; backends
terminated under load never make a 500; /healthz lives without the database, /readyz does
not; unreadable bodies are a 400 that writes nothing.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from engine.demo.networks import DEMO_PASSWORD
from tests.conftest import PostgresServer, put_demo, shared_folder
from tests.web.test_serve import CLI, _free_port, _wait_for

SLUG = "lk-musterland"
COORDINATOR = "a.becker@musterland.example"
PROBLEM_JSON = "application/problem+json"


@dataclass
class Answer:
    """What the server answered."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Served:
    """The running server, its database and an API token of the demo's coordinator."""

    base: str
    server: PostgresServer
    dbname: str
    secret: str
    log: Path
    renamed: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, body: bytes | None = None, **headers: str) -> Answer:
        """One request with the token; HTTP errors are answers too."""
        sent = {"Authorization": f"Bearer {self.secret}", **headers}
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def page(self, browser: urllib.request.OpenerDirector, path: str) -> Answer:
        """A page as a signed-in browser gets it."""
        try:
            with browser.open(self.base + path, timeout=60) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def signed_in(self) -> urllib.request.OpenerDirector:
        """A browser signed in as the demo's coordinator."""
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        form = browser.open(f"{self.base}/login").read().decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
        assert found is not None
        data = urllib.parse.urlencode(
            {"csrf_token": found.group(1), "email": COORDINATOR, "password": DEMO_PASSWORD}
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/login", data=data, headers={"Referer": f"{self.base}/login"}
        )
        assert "Landkreis Musterland" in browser.open(request).read().decode()
        return browser

    def admin(self, statement: str) -> None:
        """Run a statement on the server's maintenance database."""
        with self.server.connect("postgres") as connection:
            connection.execute(statement)

    def terminate_backends(self, dbname: str | None = None) -> int:
        """pg_terminate_backend for every session of the app's database; how many."""
        with self.server.connect("postgres") as connection:
            rows = connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (dbname or self.dbname,),
            ).fetchall()
        return len(rows)

    def take_away(self) -> None:
        """Refuse new connections, end the open ones and rename the database."""
        self.admin(f'ALTER DATABASE "{self.dbname}" ALLOW_CONNECTIONS false')
        self.terminate_backends()
        away = f"{self.dbname}_away"
        self.admin(f'ALTER DATABASE "{self.dbname}" RENAME TO "{away}"')
        self.renamed.append(away)

    def bring_back(self) -> None:
        """Undo :meth:`take_away`."""
        away = self.renamed.pop()
        self.admin(f'ALTER DATABASE "{away}" RENAME TO "{self.dbname}"')
        self.admin(f'ALTER DATABASE "{self.dbname}" ALLOW_CONNECTIONS true')

    def running_cycle(self) -> str:
        """The demo organisation's newest cycle (read from the read models)."""
        answer = self.call("GET", f"/api/v1/organisations/{SLUG}/cycles")
        assert answer.status == 200, answer.body[:300]
        return str(answer.json()[0]["id"])

    def version(self, cycle: str) -> str:
        """The cycle's ETag."""
        answer = self.call("GET", f"/api/v1/cycles/{cycle}")
        assert answer.status == 200, answer.body[:300]
        return answer.headers["ETag"]


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def served(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """`qualizyklus serve` with two workers on a new PostgreSQL database holding the demo."""
    assert CLI is not None
    dbname = f"qz_outage_{secrets.token_hex(4)}"
    with postgres_server.connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    url = PostgresServer(
        postgres_server.host,
        postgres_server.port,
        postgres_server.user,
        postgres_server.password,
        dbname,
    ).url()
    folder = tmp_path_factory.mktemp("outage")
    env = {
        **os.environ,
        "QUALIZYKLUS_DATABASE": url,
        "QUALIZYKLUS_SECRET_KEY": "outage-test",
        "QUALIZYKLUS_SECURE_COOKIES": "0",
        "QUALIZYKLUS_READY_MAX_LAG": "0",
    }
    # The demo as `qualizyklus demo` leaves it: a copy of the run's template (loaded once).
    put_demo(url, shared_folder(tmp_path_factory), today=date.today(), server=postgres_server)
    _run([CLI, "init"], env)
    created = _run(
        [CLI, "tokens", "create", "--org", SLUG, "--role", "coordinator", "--name", "t"], env
    )
    found = re.search(r"secret: (\S+)", created)
    assert found is not None, created
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=folder,  # no gunicorn.conf.py there: no follower beside the workers
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", postgres_server, dbname, found.group(1), log)
    try:
        _wait_for(f"{served.base}/healthz")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)
        while served.renamed:
            served.bring_back()
        with postgres_server.connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _assert_unavailable(answer: Answer, *, api: bool) -> None:
    assert answer.status == 503, (answer.status, answer.body[:300])
    assert int(answer.headers["Retry-After"]) > 0
    if api:
        assert answer.headers["Content-Type"].startswith(PROBLEM_JSON)
        problem = answer.json()
        assert problem["status"] == 503 and problem["code"] == "store-unavailable"
    else:
        assert answer.headers["Content-Type"].startswith("text/html")
        assert "Datenbank ist gerade nicht erreichbar" in answer.body.decode()
    assert b"Traceback" not in answer.body


def test_a_100000_level_body_and_a_lone_surrogate_are_a_400_that_writes_nothing(
    served: Served,
) -> None:
    cycle = served.running_cycle()
    state = served.call("GET", f"/api/v1/cycles/{cycle}").json()
    measure = sorted(state["measures"])[0]
    version = served.version(cycle)
    path = f"/api/v1/cycles/{cycle}/measures/{measure}/status"
    for body in (
        b'{"status": "blocked", "reason": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"status": "blocked", "reason": "Grund \\ud800"}',
    ):
        answer = served.call(
            "PUT", path, body, **{"Content-Type": "application/json", "If-Match": version}
        )
        assert answer.status == 400, answer.body[:300]
        assert answer.headers["Content-Type"].startswith(PROBLEM_JSON)
        assert answer.json()["code"] == "malformed-body"
    assert served.version(cycle) == version


def test_while_the_database_is_away_requests_answer_503_and_the_first_after_succeeds(
    served: Served,
) -> None:
    cycle = served.running_cycle()
    browser = served.signed_in()
    served.take_away()
    try:
        assert served.call("GET", "/healthz").status == 200  # the process lives
        ready = served.call("GET", "/readyz")
        assert ready.status == 503 and int(ready.headers["Retry-After"]) > 0
        assert ready.json() == {"status": "unavailable", "database": "unreachable"}
        for _ in range(3):  # every worker, each request: 503 while it is away
            _assert_unavailable(served.call("GET", f"/api/v1/cycles/{cycle}"), api=True)
            _assert_unavailable(
                served.call("GET", f"/api/v1/organisations/{SLUG}/cycles"), api=True
            )
            _assert_unavailable(served.page(browser, f"/o/{SLUG}/"), api=False)
            _assert_unavailable(served.page(browser, "/no-such-page"), api=False)  # its layout
    finally:
        served.bring_back()
    for _ in range(4):  # the very next request succeeds, on either worker
        answer = served.call("GET", f"/api/v1/cycles/{cycle}")
        assert answer.status == 200, answer.body[:300]
    assert served.page(browser, f"/o/{SLUG}/").status == 200
    assert served.call("GET", "/readyz").status == 200


def test_backends_terminated_under_load_never_make_a_500(served: Served) -> None:
    cycle = served.running_cycle()
    paths = [f"/api/v1/cycles/{cycle}", f"/api/v1/organisations/{SLUG}/cycles", "/readyz"]
    answers: list[Answer] = []
    stop = threading.Event()

    def load(offset: int) -> None:
        index = offset
        while not stop.is_set():
            answers.append(served.call("GET", paths[index % len(paths)]))
            index += 1

    workers = [threading.Thread(target=load, args=(n,)) for n in range(3)]
    for worker in workers:
        worker.start()
    try:
        terminated = 0
        for _ in range(15):
            terminated += served.terminate_backends()
            time.sleep(0.2)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=120)
    assert terminated > 0, "the app's backends were there to terminate"
    statuses = {answer.status for answer in answers}
    assert statuses <= {200, 503}, statuses
    assert 200 in statuses
    for answer in answers:
        if answer.status == 503:
            assert int(answer.headers["Retry-After"]) > 0
    served.terminate_backends()  # every pooled connection is stale now
    for path in paths:
        assert served.call("GET", path).status == 200, path


def test_readiness_answers_503_while_the_read_models_lag(served: Served) -> None:
    cycle = served.running_cycle()  # a list: the read models are caught up
    assert served.call("GET", "/readyz").json()["status"] == "ready"
    state = served.call("GET", f"/api/v1/cycles/{cycle}").json()
    measure_id, measure = sorted(state["measures"].items())[0]
    status = "blocked" if measure["status"] != "blocked" else "running"
    answer = served.call(
        "PUT",
        f"/api/v1/cycles/{cycle}/measures/{measure_id}/status",
        json.dumps({"status": status, "reason": "Test"}).encode(),
        **{"Content-Type": "application/json", "If-Match": served.version(cycle)},
    )
    assert answer.status == 200, answer.body[:300]
    lagging = served.call("GET", "/readyz")
    assert lagging.status == 503 and int(lagging.headers["Retry-After"]) > 0
    assert lagging.json()["status"] == "lagging" and lagging.json()["lag"] >= 1
    served.running_cycle()  # a reader catches the read models up
    ready = served.call("GET", "/readyz")
    assert ready.status == 200 and ready.json() == {
        "status": "ready",
        "database": "ok",
        "lag": 0,
        "max_lag": 0,
    }
