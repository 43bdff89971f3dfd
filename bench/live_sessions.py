"""live-sessions: five rating sessions at once, 40 phones each, 30 criteria, on `qualizyklus serve`.

The server is started exactly as ``make run`` starts it (``qualizyklus serve``: the project's
gunicorn.conf.py, its worker class, workers and threads), on a SQLite file with the demo loaded.
Five cycles in their analysis each get a session on 30 criteria. 200 clients (threads, each a
phone without an account: its own cookies, a new connection per request) join by code and rate
every criterion once, one request per rating, spread over the run; one facilitator per session
polls the screen's ``live.json`` every 0.5 s, as the screen's script does.

Figures:

- lost and doubled ratings: the stored ``AssessmentRecorded`` events of each session, and the
  raters per criterion on the facilitator's endpoint, against the ratings the clients sent
  (target: 0 and 0).
- visibility: for each rating, the time from sending its request to the facilitator's first poll
  whose count includes it (the n-th answered rating of a criterion is taken as the n-th counted);
  p95 against 1 s (ratio <= 1).
- rating latency: p95 of a participant's rating request under this load against the p95 of a
  signed-in member's single rating (the analysis page's form) on the same server: idle, measured
  first (``rating-p95``), and during the meeting, one every 0.5 s on a cycle of its own
  (``rating-p95-same-load``: what the session's path adds, the load being equal). Target for
  both: ratio <= 2.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from uuid import UUID

from bench.common import Row, median, progress, sqlite_store
from bench.pages import CLI, TOKEN, Client, p95, serving
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_ORGANISATIONS, DEMO_PASSWORD, load_demo
from engine.infrastructure.settings import Settings

NAME = "live-sessions"
DEMO = DEMO_ORGANISATIONS[0]
POLL = 0.5
"""Seconds between the facilitator's polls (as web/static/sessions-live.js)."""


def sizes(quick: bool) -> dict[str, int]:
    """Sessions, participants per session, criteria, the run's length and member ratings."""
    if quick:
        return {"sessions": 2, "participants": 10, "criteria": 10, "seconds": 40, "member": 30}
    return {"sessions": 5, "participants": 40, "criteria": 30, "seconds": 180, "member": 100}


def coordinator_email() -> str:
    """The demo organisation's coordinator (signs in as the member and the facilitators)."""
    return DEMO.people[0].email


@dataclass
class Setup:
    """The cycles, sessions and criteria the run uses."""

    member_cycle: UUID
    sessions: list[tuple[UUID, str, str]]  # cycle, session id, code
    criteria: list[str]


def prepare(url: str, size: dict[str, int]) -> Setup:
    """Load the demo, start one cycle per session and one for the member, open the sessions."""
    with open_engine(Settings(database=url), create_tables=True) as app:
        load_demo(app)
        organisation = app.organisation_by_slug(DEMO.slug)
        actor = DEMO.people[0].person_id(DEMO.slug)
        criteria = [
            f"{theme_id}/{criterion.id}"
            for theme_id in sorted(app.themes)
            for criterion in app.themes[theme_id].criteria
        ][: size["criteria"]]
        themes = sorted({key.split("/")[0] for key in criteria})

        def cycle(title: str) -> UUID:
            return app.start_cycle(
                UUID(organisation["id"]),
                actor_id=actor,
                title=title,
                themes=themes,
                period_start="2027-01-01",
                period_end="2027-12-31",
            )

        member_cycle = cycle("Bench: Einzelbewertung")
        sessions = []
        for n in range(size["sessions"]):
            cycle_id = cycle(f"Bench: Sitzung {n + 1}")
            opened = app.open_rating_session(
                cycle_id,
                actor_id=actor,
                title=f"Treffen {n + 1}",
                criteria=criteria,
                ends_at=datetime.now(UTC) + timedelta(hours=2),
            )
            sessions.append((cycle_id, opened["session_id"], opened["code"]))
    return Setup(member_cycle, sessions, criteria)


def csrf(client: Client, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    found = TOKEN.search(client.get(path).decode("utf-8"))
    if found is None:
        msg = f"no CSRF token on {path}"
        raise RuntimeError(msg)
    return found.group(1) or found.group(2)


def post(client: Client, path: str, form: dict[str, str], referer: str) -> int:
    """POST a form as a browser does; the status."""
    status, _, _ = client.request(
        "POST",
        path,
        body=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{client.port}{referer}",
        },
    )
    return status


def member_ratings(
    port: int,
    cycle_id: UUID,
    criteria: list[str],
    count: int,
    *,
    pause: float = 0.0,
    stop: threading.Event | None = None,
) -> list[float]:
    """Milliseconds of a signed-in member's single ratings (the analysis page's form): ``count``
    of them, or with ``stop`` until it is set, ``pause`` seconds apart."""
    member = Client(port)
    member.sign_in(coordinator_email(), DEMO_PASSWORD)
    page = f"/o/{DEMO.slug}/cycles/{cycle_id}/analyse"
    html = member.get(page).decode("utf-8")
    times: list[float] = []
    n = -1
    while (stop is None and n + 1 < count) or (stop is not None and not stop.is_set()):
        n += 1
        theme_id, _, criterion_id = criteria[n % len(criteria)].partition("/")
        prefix = f"rate-{theme_id}-{criterion_id}-"
        token = re.search(rf'name="rate-{theme_id}-csrf_token"[^>]*value="([^"]+)"', html)
        values = re.findall(rf'name="{prefix}value"[^>]*value="([^"]+)"', html)
        if token is None or len(values) < 2:
            msg = f"no rating form for {criteria[n % len(criteria)]}"
            raise RuntimeError(msg)
        # The theme's form with one criterion filled in, a level other than the last time
        # (an unchanged rating is not recorded again); no version: a rating of one's own.
        value = values[(n // len(criteria)) % len(values)]
        form = {f"rate-{theme_id}-csrf_token": token.group(1), f"{prefix}value": value}
        started = time.perf_counter()
        status = post(member, f"{page}/rate/{theme_id}", form, page)
        times.append((time.perf_counter() - started) * 1_000)
        if status != 302:
            msg = f"a member's rating answered {status}"
            raise RuntimeError(msg)
        time.sleep(pause)
    return times


@dataclass
class Tally:
    """What the clients sent and saw (shared by the threads, under a lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    sent: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    answered: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    visible: list[float] = field(default_factory=list)


def participant(port: int, code: str, criteria: list[str], seconds: int, tally: Tally) -> None:
    """A phone: join, then rate each criterion once (one request each), spread over the run."""
    phone = Client(port)
    try:
        token = csrf(phone, f"/s/{code}")
        status = post(phone, f"/s/{code}/join", {"csrf_token": token, "field": "Bildung"}, "/")
        if status != 302:
            tally.failures.append(f"join answered {status}")
            return
        token = csrf(phone, f"/s/{code}")
        pause = seconds / len(criteria)
        order = random.sample(criteria, len(criteria))
        time.sleep(random.uniform(0, pause))
        for key in order:
            started = time.perf_counter()
            form = {"csrf_token": token, f"rate-{key}": str(random.randint(0, 1))}
            status = post(phone, f"/s/{code}/rate", form, f"/s/{code}")
            ended = time.perf_counter()
            with tally.lock:
                tally.latencies.append((ended - started) * 1_000)
                tally.sent[(code, key)].append(started)
                tally.answered[(code, key)].append(ended)
            if status != 302:
                tally.failures.append(f"rating answered {status}")
            time.sleep(max(0.0, random.uniform(0.5, 1.5) * pause - (ended - started)))
    except Exception as error:  # noqa: BLE001 -- counted and reported
        tally.failures.append(repr(error))


def facilitator(
    port: int, live: str, code: str, stop: threading.Event, tally: Tally
) -> dict[str, int]:
    """Poll the screen's endpoint every POLL seconds; note when each rating became visible."""
    screen = Client(port)
    screen.sign_in(coordinator_email(), DEMO_PASSWORD)
    seen: dict[str, int] = {}
    while True:
        finished = stop.is_set()
        status, _, body = screen.request("GET", live)
        now = time.perf_counter()
        if status == 200:
            raters = json.loads(body)["raters"]
            for key, rounds in raters.items():
                count = rounds.get("1", 0)
                before = seen.get(key, 0)
                if count > before:
                    with tally.lock:
                        order = sorted(
                            zip(tally.answered[(code, key)], tally.sent[(code, key)], strict=True)
                        )
                        for _, sent in order[before:count]:
                            tally.visible.append((now - sent) * 1_000)
                    seen[key] = count
        if finished:
            return seen
        time.sleep(POLL)


def stored_ratings(url: str, sessions: list[tuple[UUID, str, str]]) -> dict[str, int]:
    """The session ratings stored per session (AssessmentRecorded with the session's id)."""
    counts: dict[str, int] = {}
    app = Qualizyklus(Settings(database=url))
    try:
        for cycle_id, session_id, code in sessions:
            events = [
                app.mapper.to_domain_event(stored)
                for stored in app.recorder.select_events(cycle_id)
                if stored.topic == "qualizyklus:Cycle.AssessmentRecorded"
            ]
            counts[code] = sum(1 for e in events if e.session_id == session_id)
    finally:
        app.close()
    return counts


def measure(url: str, quick: bool) -> list[Row]:
    """Prepare, serve as `make run` does, run the meeting, count and time."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    size = sizes(quick)
    progress(f"{NAME}: loading the demo and opening {size['sessions']} sessions")
    setup = prepare(url, size)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-live-") as folder:
        env = {
            "QUALIZYKLUS_DATABASE": url,
            "QUALIZYKLUS_SECRET_KEY": "bench-secret",
            "QUALIZYKLUS_ATTACHMENTS": str(Path(folder) / "attachments"),
        }
        with serving([CLI, "serve", "--bind", "127.0.0.1:{port}"], env, "/healthz") as port:
            progress(f"{NAME}: {size['member']} single ratings by a signed-in member (idle)")
            member = member_ratings(port, setup.member_cycle, setup.criteria, size["member"])
            stop = threading.Event()
            screens = []
            results: dict[str, dict[str, int]] = {}
            for cycle_id, session_id, code in setup.sessions:
                live = f"/o/{DEMO.slug}/cycles/{cycle_id}/sessions/{session_id}/live.json"

                def watch(live: str = live, code: str = code) -> None:
                    results[code] = facilitator(port, live, code, stop, tally)

                screens.append(threading.Thread(target=watch))
            loaded: list[float] = []
            phones_done = threading.Event()

            def member_under_load() -> None:
                loaded.extend(
                    member_ratings(
                        port, setup.member_cycle, setup.criteria, 0, pause=0.5, stop=phones_done
                    )
                )

            screens.append(threading.Thread(target=member_under_load))
            phones = [
                threading.Thread(
                    target=participant,
                    args=(port, code, setup.criteria, size["seconds"], tally),
                )
                for _, _, code in setup.sessions
                for _ in range(size["participants"])
            ]
            clients = len(phones)
            progress(f"{NAME}: {clients} phones rating {len(setup.criteria)} criteria each")
            started = time.perf_counter()
            for thread in screens + phones:
                thread.start()
            for thread in phones:
                thread.join()
            elapsed = time.perf_counter() - started
            phones_done.set()
            time.sleep(2 * POLL)
            stop.set()
            for thread in screens:
                thread.join()
    stored = stored_ratings(url, setup.sessions)
    expected = size["participants"] * len(setup.criteria)
    sent = len(tally.latencies)
    lost = sum(max(0, expected - n) for n in stored.values())
    doubled = sum(max(0, n - expected) for n in stored.values())
    shown = sum(sum(seen.values()) for seen in results.values())
    note = (
        f"{clients} clients, {sent} ratings sent in {elapsed:.0f} s, {len(tally.failures)} "
        f"failed requests, stored {sum(stored.values())}, shown {shown}"
    )
    if tally.failures:
        progress(f"{NAME}: first failures: {tally.failures[:3]}")
    return [
        Row(f"{NAME}/lost", float(lost), "ratings", float(expected), "<= 0", note=note),
        Row(f"{NAME}/doubled", float(doubled), "ratings", float(expected), "<= 0"),
        Row(f"{NAME}/visible-p95", p95(tally.visible), "ms", 1_000.0, "<= 1", "to the screen"),
        Row(
            f"{NAME}/rating-p95",
            p95(tally.latencies),
            "ms",
            p95(member),
            "<= 2",
            "participant rating p95",
            "member rating p95",
            note=f"medians {median(tally.latencies):.0f} ms / {median(member):.0f} ms (idle)",
        ),
        Row(
            f"{NAME}/rating-p95-same-load",
            p95(tally.latencies),
            "ms",
            p95(loaded),
            "<= 2",
            "participant rating p95",
            "member rating p95 under the same load",
            note=f"{len(loaded)} member ratings during the meeting, median {median(loaded):.0f} ms",
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """The benchmark on a SQLite file (the store `make run` uses)."""
    with sqlite_store() as url_for:
        return measure(url_for(NAME), quick)
