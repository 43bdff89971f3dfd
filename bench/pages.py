"""pages: the overview page of a cycle with 5,000 events (1,000 with --quick), served by
`qualizyklus serve`, against a bare Flask app under the same gunicorn settings that renders a
cached template of the same bytes.

Both servers run with one worker and the project's gunicorn.conf.py; the client is one person
signed in through the form (CSRF token, Referer), sending sequential GETs on a new connection
each (gunicorn's sync worker closes every connection), in rounds that alternate the two servers.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode
from uuid import UUID

from bench.common import STORES, Row, UrlFor, median, progress, skipped
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_ORGANISATIONS, DEMO_PASSWORD, load_demo
from engine.domain.catalogue import Scale, Theme
from engine.infrastructure.settings import Settings

NAME = "pages"
TARGET = "<= 3"
ROOT = Path(__file__).resolve().parents[1]
CLI = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
DEMO = DEMO_ORGANISATIONS[0]
START_TIMEOUT = 60.0


def sizes(quick: bool) -> dict[str, int]:
    """The cycle's events, timed GETs per server, warm-up GETs, rounds."""
    if quick:
        return {"events": 1_000, "requests": 40, "warmup": 5, "rounds": 4}
    return {"events": 5_000, "requests": 300, "warmup": 20, "rounds": 10}


# The cycle ---------------------------------------------------------------------------------


class LongCycle:
    """A cycle of the demo network grown through the service to exactly ``events`` events.

    About half of its history is the analysis (ratings of every criterion of the installed
    themes by the network's raters, re-rated as opinions change, with a comment now and then),
    then findings, priorities, goals and measures from the themes' templates, and the rest is
    implementation: measures moving between running, blocked and planned, indicator values and
    comments, as a cycle that runs for two years collects them.
    """

    def __init__(self, app: Qualizyklus, events: int) -> None:
        self.app = app
        self.events = events
        self.rng = random.Random(5_000)
        self.themes: list[Theme] = sorted(app.themes.values(), key=lambda t: t.id)
        ids = {person.key: person.person_id(DEMO.slug) for person in DEMO.people}
        self.coordinator = ids[DEMO.people[0].key]
        self.raters = [ids[p.key] for p in DEMO.people if p.role != "viewer"]
        self.contributors = [ids[p.key] for p in DEMO.people if p.role == "contributor"]
        self.version = 0

    def build(self) -> UUID:
        """Start the cycle and run it to ``events`` events in the implementation phase."""
        organisation = self.app.organisation_by_slug(DEMO.slug)
        self.cycle_id = self.app.start_cycle(
            UUID(organisation["id"]),
            actor_id=self.coordinator,
            title="Qualitätszyklus 2027/28 – Landkreis Musterland",
            themes=[theme.id for theme in self.themes],
            period_start=date(2027, 1, 1),
            period_end=date(2028, 12, 31),
        )
        self.version = 1
        self._analyse(self.events // 2)
        goals, measures = self._plan()
        self._implement(goals, measures)
        built = self.app.cycle(self.cycle_id)["version"]
        if built != self.events:
            msg = f"built a cycle of {built} events, not {self.events}"
            raise AssertionError(msg)
        return self.cycle_id

    def _did(self, version: int | None = None) -> None:
        self.version = version if version is not None else self.version + 1

    def _comment(self, n: int, about: str = "cycle") -> None:
        self._did(
            self.app.add_comment(
                self.cycle_id,
                actor_id=self.contributors[n % len(self.contributors)],
                subject=about,
                text=f"Rückmeldung {n}: In der Steuerungsgruppe besprochen, "
                "Protokoll liegt bei der Netzwerkkoordination.",
            )
        )

    def _analyse(self, until: int) -> None:
        criteria = [(theme.id, c) for theme in self.themes for c in theme.criteria]
        n = 0
        while self.version < until:
            if n % 10 == 9:
                self._comment(n)
            else:
                theme_id, criterion = criteria[(n // len(self.raters)) % len(criteria)]
                self._did(
                    self.app.record_assessment(
                        self.cycle_id,
                        actor_id=self.coordinator,
                        rater_id=self.raters[n % len(self.raters)],
                        theme_id=theme_id,
                        criterion_id=criterion.id,
                        value=self._rating(criterion.scale),
                    )
                )
            n += 1
        needs = []
        for theme in self.themes:
            for kind in ("strength", "need"):
                finding_id = f"{kind}-{theme.id}"[:64]
                self._did(
                    self.app.record_finding(
                        self.cycle_id,
                        actor_id=self.coordinator,
                        kind=kind,
                        theme_id=theme.id,
                        finding_id=finding_id,
                        text=f"{theme.title.de}: festgehalten in der Netzwerkkonferenz.",
                    )
                )
            needs.append(f"need-{theme.id}"[:64])
        self._did(
            self.app.set_priorities(self.cycle_id, actor_id=self.coordinator, finding_ids=needs)
        )
        self._advance()

    def _rating(self, scale: Scale) -> float | str:
        if scale.kind == "levels":
            return self.rng.choice(scale.levels).id
        steps = int((scale.maximum - scale.minimum) / scale.step)
        value = scale.minimum + self.rng.randint(0, steps) * scale.step
        return int(value) if float(value).is_integer() else value

    def _plan(self) -> tuple[list[str], list[str]]:
        goals: list[str] = []
        measures: list[str] = []
        for theme in self.themes:
            for template in [t for t in theme.templates if t.kind == "goal"][:1]:
                goal_id = f"ziel-{len(goals) + 1}"
                self._did(
                    self.app.set_goal(
                        self.cycle_id,
                        actor_id=self.coordinator,
                        goal_id=goal_id,
                        theme_id=theme.id,
                        title=template.title.de,
                        indicator=f"Kennzahl: {template.title.de}",
                        unit="Anzahl",
                        baseline=2.0,
                        target=8.0,
                        due=date(2028, 11, 30),
                        attrs=dict(template.attrs),
                    )
                )
                goals.append(goal_id)
            for template in [t for t in theme.templates if t.kind == "measure"][:2]:
                measure_id = f"massnahme-{len(measures) + 1}"
                self._did(
                    self.app.plan_measure(
                        self.cycle_id,
                        actor_id=self.coordinator,
                        measure_id=measure_id,
                        title=template.title.de,
                        goal_id=goals[-1] if goals else None,
                        theme_id=theme.id,
                        responsible_member_id=self.raters[len(measures) % len(self.raters)],
                        start=date(2027, 3, 1),
                        due=date(2028, 10, 31),
                        attrs=dict(template.attrs),
                    )
                )
                measures.append(measure_id)
        if not goals or not measures:
            msg = "the installed themes offer no goal or measure templates"
            raise RuntimeError(msg)
        self._advance()
        return goals, measures

    def _implement(self, goals: list[str], measures: list[str]) -> None:
        moves = ("running", "blocked", "running", "planned")
        n = changes = 0
        while self.version < self.events:
            if n % 5 == 4:
                self._comment(n, f"measure:{measures[n % len(measures)]}")
            elif n % 10 == 3:
                self._did(
                    self.app.record_indicator_value(
                        self.cycle_id,
                        actor_id=self.contributors[0],
                        goal_id=goals[n % len(goals)],
                        value=float(2 + n % 7),
                        measured_on=date(2027 + n % 2, 1 + n % 12, 15),
                        source="Netzwerkstatistik",
                    )
                )
            else:  # each measure in turn takes its next move
                status = moves[(changes // len(measures)) % len(moves)]
                self._did(
                    self.app.change_measure_status(
                        self.cycle_id,
                        actor_id=self.coordinator,
                        measure_id=measures[changes % len(measures)],
                        status=status,
                        reason="Die Finanzierung ist noch offen." if status == "blocked" else "",
                    )
                )
                changes += 1
            n += 1

    def _advance(self) -> None:
        self._did(self.app.advance_phase(self.cycle_id, actor_id=self.coordinator))


# HTTP ----------------------------------------------------------------------------------------


class Client:
    """One person's browser, reduced to cookies: sequential requests, a new connection each."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; keep the cookies the answer sets."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {"User-Agent": "qualizyklus-bench", **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), content
        finally:
            connection.close()

    def get(self, path: str) -> bytes:
        """GET that must answer 200."""
        status, _, content = self.request("GET", path)
        if status != 200:
            msg = f"GET {path} answered {status}"
            raise RuntimeError(msg)
        return content

    def sign_in(self, email: str, password: str) -> None:
        """Through the form: fetch its CSRF token, post it back with a same-site Referer."""
        found = TOKEN.search(self.get("/login").decode("utf-8"))
        if found is None:
            msg = "no CSRF token on /login"
            raise RuntimeError(msg)
        form = {"csrf_token": found.group(1) or found.group(2), "email": email}
        status, _, _ = self.request(
            "POST",
            "/login",
            body=urlencode({**form, "password": password}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login",
            },
        )
        if status != 302:
            msg = f"sign-in answered {status}, not a redirect"
            raise RuntimeError(msg)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(command: list[str], env: dict[str, str], ready: str) -> Iterator[int]:
    """Run a gunicorn command on a free port (``{port}`` in it) until ``ready`` answers 200."""
    with server_process(command, env, ready) as (port, _):
        yield port


@contextmanager
def server_process(
    command: list[str], env: dict[str, str], ready: str
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """As :func:`serving`, giving the port and the server's process (the gunicorn master)."""
    port = _free_port()
    server = subprocess.Popen(
        [part.format(port=port) for part in command],
        env={**os.environ, **env},
        cwd=ROOT,  # the project's gunicorn.conf.py for both
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if Client(port).request("GET", ready)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                msg = f"{' '.join(command)} did not come up"
                raise RuntimeError(msg)
            time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def latencies(
    gets: dict[str, tuple[Client, str]], *, count: int, warmup: int, rounds: int
) -> dict[str, list[float]]:
    """Milliseconds of each GET: warm-up first, then ``count`` per page in alternating rounds."""
    for client, path in gets.values():
        for _ in range(warmup):
            client.get(path)
    times: dict[str, list[float]] = {name: [] for name in gets}
    per_round = max(1, count // rounds)
    for n in range(rounds):
        for name in list(gets)[:: 1 if n % 2 == 0 else -1]:
            client, path = gets[name]
            for _ in range(per_round):
                started = time.perf_counter()
                client.get(path)
                times[name].append((time.perf_counter() - started) * 1_000)
    return times


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


# The benchmark -------------------------------------------------------------------------------


def measure(kind: str, url_for: UrlFor, quick: bool) -> list[Row]:
    """Build the demo and a long cycle, serve both pages, time sequential GETs of each."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    size = sizes(quick)
    url = url_for("pages")
    progress(f"{NAME} on {kind}: loading the demo and building a cycle of {size['events']} events")
    with open_engine(Settings(database=url), create_tables=True) as app:
        load_demo(app)
        cycle_id = LongCycle(app, size["events"]).build()
    path = f"/o/{DEMO.slug}/cycles/{cycle_id}/"
    email = DEMO.people[0].email
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-pages-") as folder:
        env = {
            "QUALIZYKLUS_DATABASE": url,
            "QUALIZYKLUS_SECRET_KEY": "bench-secret",
            "QUALIZYKLUS_ATTACHMENTS": str(Path(folder) / "attachments"),
        }
        serve = [CLI, "serve", "--bind", "127.0.0.1:{port}", "--workers", "1"]
        with serving(serve, env, "/healthz") as port:
            person = Client(port)
            person.sign_in(email, DEMO_PASSWORD)
            html = person.get(path)
            page_file = Path(folder) / "page.html"
            page_file.write_bytes(html)
            bare = [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                "127.0.0.1:{port}",
                "--workers",
                "1",
                "bench.bare_page:app",
            ]
            with serving(bare, {"BENCH_BARE_PAGE": str(page_file)}, "/healthz") as bare_port:
                baseline = Client(bare_port)
                if baseline.get("/page") != html:
                    msg = "the bare page does not have the cycle page's bytes"
                    raise AssertionError(msg)
                progress(f"{NAME} on {kind}: {size['requests']} GETs of each page")
                times = latencies(
                    {"cycle": (person, path), "bare": (baseline, "/page")},
                    count=size["requests"],
                    warmup=size["warmup"],
                    rounds=size["rounds"],
                )
    names = ("cycle page", "bare page")
    note = f"{len(html):,} bytes of HTML, {size['events']:,} events"
    return [
        Row(
            f"{NAME}/{kind}",
            median(times["cycle"]),
            "ms",
            median(times["bare"]),
            TARGET,
            *names,
            note=note,
        ),
        Row(
            f"{NAME}/{kind}/p95",
            p95(times["cycle"]),
            "ms",
            p95(times["bare"]),
            None,
            "cycle page p95",
            "bare page p95",
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """Median and p95 latency of the cycle page against the bare page, SQLite and PostgreSQL."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(f"{NAME}/{kind}", "ms", TARGET))
                rows.append(skipped(f"{NAME}/{kind}/p95", "ms", None))
                continue
            rows.extend(measure(kind, url_for, quick))
    return rows
