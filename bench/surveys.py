"""surveys: parents answering at once, and the results page of a large survey.

1. 1,000 answers (200 with --quick) sent by 100 concurrent clients (20) to one survey on
   `qualizyklus serve` (2 workers, the project's gunicorn.conf.py), all-on-one-page form posts:
   p95 latency against a bare Flask form post under the same gunicorn settings (timed first;
   each burst starts once the read models have caught up), and a count of the answers stored
   afterwards (zero lost, zero doubled). Both servers are warmed up first with two posts per
   client (the answers go to a survey of their own and are recorded before the timed burst):
   the figure is a running server's, not a just-started worker's first requests. The two bursts
   run three times in turn (once with --quick), and the row shows the round with the median
   ratio, the note every round's: a single burst's p95 swings by half from run to run.
2. The coordinator's results page of a survey with 10,000 answers (2,000 with --quick; one in
   ten with a free text) against one with 100: p95 of sequential GETs by a signed-in coordinator.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode
from uuid import UUID

from bench.common import STORES, Row, UrlFor, progress, skipped
from bench.pages import CLI, DEMO, Client, latencies, p95, serving
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_PASSWORD, load_demo
from engine.infrastructure.settings import Settings

NAME = "surveys"
ANSWER_TARGET = "<= 2"
RESULTS_TARGET = "<= 3"
FORM = {"all": "1", "q-heard": "yes", "q-learned": ["family", "print"], "q-rating": "4"}
BODY = urlencode(FORM, doseq=True)
HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def sizes(quick: bool) -> dict[str, int]:
    """Clients, answers each, the large survey's answers, timed GETs."""
    if quick:
        return {"clients": 20, "each": 10, "large": 2_000, "small": 100, "gets": 40, "rounds": 1}
    return {"clients": 100, "each": 10, "large": 10_000, "small": 100, "gets": 200, "rounds": 3}


def _survey(app: Qualizyklus, cycle_id: UUID, coordinator: str, title: str) -> str:
    return app.create_survey(
        cycle_id,
        actor_id=coordinator,
        title=title,
        question_set_id="parents-good-practice",
        closes_on=date.today() + timedelta(days=30),
        max_answers=100_000,
    )


def _fill(app: Qualizyklus, cycle_id: UUID, survey_id: str, answers: int) -> None:
    for n in range(answers):
        app.answer_survey(
            cycle_id,
            survey_id,
            language=("de", "tr", "ar", "ls")[n % 4],
            choices={"heard": [("yes", "partly", "no")[n % 3]], "rating": [str(n % 5 + 1)]},
            texts={"open": f"Antwort {n}: mehr Angebote am Nachmittag"} if n % 10 == 0 else {},
        )


def _setup(url: str, quick: bool) -> tuple[str, str, str, str, str]:
    """The demo, a cycle on the participation theme, an empty, a small and a large survey, and
    one for warming up."""
    size = sizes(quick)
    with open_engine(Settings(database=url), create_tables=True) as app:
        load_demo(app)
        organisation = app.organisation_by_slug(DEMO.slug)
        coordinator = DEMO.people[0].person_id(DEMO.slug)
        cycle_id = app.start_cycle(
            UUID(organisation["id"]),
            actor_id=coordinator,
            title="Befragungen",
            themes=["parent-participation"],
            period_start=date(2027, 1, 1),
            period_end=date(2027, 12, 31),
        )
        concurrent = _survey(app, cycle_id, coordinator, "gleichzeitig")
        warm_up = _survey(app, cycle_id, coordinator, "zum Aufwärmen")
        small = _survey(app, cycle_id, coordinator, "klein")
        large = _survey(app, cycle_id, coordinator, "groß")
        _fill(app, cycle_id, small, size["small"])
        progress(f"{NAME}: {size['large']} answers for the large survey")
        _fill(app, cycle_id, large, size["large"])
    return str(cycle_id), concurrent, small, large, warm_up


def _warm_up(port: int, bare_port: int, path: str, url: str, size: dict[str, int]) -> None:
    """Two posts per client on each server; the answers recorded before anything is timed."""
    _posts(bare_port, "/form", size["clients"], 2)
    _posts(port, path, size["clients"], 2)
    _record_waiting(url, path)


def _record_waiting(url: str, path: str) -> None:
    """Record the answers waiting in the inbox for the survey of ``path`` on its cycle, so that
    the servers' folders have nothing left to do in the next burst."""
    cycle_id, survey_id = path.split("/")[2:4]
    with open_engine(Settings(database=url)) as app:
        app.survey(UUID(cycle_id), survey_id)  # reading it records what waits in the inbox


def _posts(port: int, path: str, clients: int, each: int) -> tuple[list[float], int]:
    """Every client posts ``each`` answers at once with the others; latencies and failures."""
    times: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        nonlocal failures
        own = Client(port)
        start.wait()
        for _ in range(each):
            began = time.perf_counter()
            status, _, _ = own.request("POST", path, body=BODY, headers=HEADERS)
            took = (time.perf_counter() - began) * 1_000
            with lock:
                times.append(took)
                failures += status != 303

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failures


@dataclass(frozen=True)
class Round:
    """One bare burst and one burst of answers, in turn."""

    answers: list[float]
    bare: list[float]
    refused: int
    seconds: float

    @property
    def ratio(self) -> float:
        """The answers' p95 against the bare posts'."""
        return p95(self.answers) / p95(self.bare)


def _rounds(
    port: int, bare_port: int, path: str, url: str, size: dict[str, int], kind: str
) -> list[Round]:
    """``rounds`` times: the bare burst, then the answers' (each once the read models caught
    up), then the answers recorded on the cycle; the rounds sorted by their ratio."""
    clients, each = size["clients"], size["each"]
    done: list[Round] = []
    for number in range(size["rounds"]):
        _quiet(port)
        bare_times, _ = _posts(bare_port, "/form", clients, each)
        _quiet(port)
        progress(f"{NAME} on {kind}: round {number + 1}, {clients * each} answers")
        began = time.monotonic()
        answer_times, refused = _posts(port, path, clients, each)
        done.append(Round(answer_times, bare_times, refused, time.monotonic() - began))
        _record_waiting(url, path)
    return sorted(done, key=lambda round_: round_.ratio)


def _quiet(port: int, seconds: float = 120.0) -> None:
    """Wait until the read models of the server on ``port`` lag no event behind."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, body = Client(port).request("GET", "/readyz")
        if status == 200 and json.loads(body).get("lag") == 0:
            return
        time.sleep(0.2)
    progress(f"{NAME}: the read models still lag after {seconds:.0f} s")


def measure(kind: str, url_for: UrlFor, quick: bool) -> list[Row]:
    """Set up, serve, post concurrently, count, then time the two results pages."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    size = sizes(quick)
    url = url_for("surveys")
    progress(f"{NAME} on {kind}: loading the demo and filling two surveys")
    cycle_id, concurrent, small, large, warm_up = _setup(url, quick)
    total = size["clients"] * size["each"] * size["rounds"]
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-surveys-") as folder:
        env = {
            "QUALIZYKLUS_DATABASE": url,
            "QUALIZYKLUS_SECRET_KEY": "bench-secret",
            "QUALIZYKLUS_ATTACHMENTS": str(Path(folder) / "attachments"),
            "QUALIZYKLUS_SURVEY_ANSWERS_PER_CLIENT": str(total * 10),  # all from 127.0.0.1
        }
        serve = [CLI, "serve", "--bind", "127.0.0.1:{port}", "--workers", "2"]
        bare = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        bare += ["--bind", "127.0.0.1:{port}", "--workers", "2", "bench.bare_form:app"]
        with serving(serve, env, "/healthz") as port, serving(bare, {}, "/healthz") as bare_port:
            # the bare posts first: the answers are folded into events once they pause, and
            # that work must not land on the baseline's burst; each burst starts once the
            # read models' follower has caught up (its work lands on neither)
            _quiet(port)
            _warm_up(port, bare_port, f"/befragung/{cycle_id}/{warm_up}/de/senden", url, size)
            path = f"/befragung/{cycle_id}/{concurrent}/de/senden"
            rounds = _rounds(port, bare_port, path, url, size, kind)
            person = Client(port)
            person.sign_in(DEMO.people[0].email, DEMO_PASSWORD)
            base = f"/o/{DEMO.slug}/cycles/{cycle_id}/surveys"
            progress(f"{NAME} on {kind}: results pages")
            pages = latencies(
                {"large": (person, f"{base}/{large}"), "small": (person, f"{base}/{small}")},
                count=size["gets"],
                warmup=5,
                rounds=4,
            )
    with open_engine(Settings(database=url)) as app:
        stored = app.survey(UUID(cycle_id), concurrent)["answers"]
    median = rounds[len(rounds) // 2]
    ratios = ", ".join(f"{round_.ratio:.2f}" for round_ in rounds)
    refused = sum(round_.refused for round_ in rounds)
    note = (
        f"median of {len(rounds)} rounds (ratios {ratios}); {stored} of {total} stored, "
        f"{refused} refused; its burst took {median.seconds:.1f} s"
    )
    return [
        Row(
            f"{NAME}/{kind}/answer-p95",
            p95(median.answers),
            "ms",
            p95(median.bare),
            ANSWER_TARGET,
            "survey answer p95",
            "bare form post p95",
            note=note,
        ),
        Row(
            f"{NAME}/{kind}/results-p95",
            p95(pages["large"]),
            "ms",
            p95(pages["small"]),
            RESULTS_TARGET,
            f"results page, {size['large']:,} answers, p95",
            f"{size['small']} answers, p95",
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """Both figures on SQLite and PostgreSQL."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(f"{NAME}/{kind}/answer-p95", "ms", ANSWER_TARGET))
                rows.append(skipped(f"{NAME}/{kind}/results-p95", "ms", RESULTS_TARGET))
                continue
            rows.extend(measure(kind, url_for, quick))
    return rows
