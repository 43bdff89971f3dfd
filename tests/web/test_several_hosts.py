"""Two application hosts against one PostgreSQL database; one dies (SIGKILL) under load.

Each host is `qualizyklus serve` (gunicorn, two workers) with its own `qualizyklus projections
run` follower, in a network namespace of its own (or, where none can be made, on a loopback
address of its own). Both share the database, the secret key and the attachments folder.
Writers drive comments and cycle starts through both hosts' JSON API at once (ETag/If-Match);
midway one host's master, workers and follower are killed with SIGKILL, and the writers go on
through the other host, retrying a write whose answer was lost with the same item id.

Afterwards: every acknowledged write is stored exactly once, the read models equal a rebuild,
and the audit trail verifies.
"""

from __future__ import annotations

import os
import random
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import requests

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, read_model
from tests.conftest import PostgresServer, put_demo, shared_folder
from tests.engine.test_projections import tables
from tests.web.several_hosts import Host, places, start_host, wait_until_serving

CLI = str(Path(sys.executable).parent / "qualizyklus")
REPOSITORY = Path(__file__).resolve().parents[2]
ORGANISATION = "lk-musterland"
THEME = "impact-orientation"
WRITERS = 4
WRITES_PER_WRITER = 40
KILL_AFTER = 40
"""Acknowledged writes before one host is killed."""
LOAD_SECONDS = 45.0
ATTEMPTS = 30
"""Tries of one write (stale ETag, lost answer) before the writer gives up on it."""
LOST_ANSWER = (
    requests.ConnectionError,
    requests.Timeout,
    # The host died while sending its answer: the body was cut short (chunked or not).
    requests.exceptions.ChunkedEncodingError,
)
"""What a writer meets when the host it asked is killed: no answer, or half of one."""
REQUEST_TIMEOUT = 15.0


@dataclass
class Ledger:
    """What the writers sent and what the hosts acknowledged (shared by the writer threads)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    cycles: list[str] = field(default_factory=list)
    """Cycles the comments go to (the demo's open ones, then every acknowledged start)."""
    comments: dict[str, str] = field(default_factory=dict)
    """Acknowledged comments: id -> cycle."""
    started: dict[str, str] = field(default_factory=dict)
    """Acknowledged cycle starts: id -> the host that acknowledged it."""
    attempted: set[str] = field(default_factory=set)
    by_host: Counter[str] = field(default_factory=Counter)
    after_kill: int = 0
    conflicts: int = 0
    lost_answers: int = 0
    stored_before_lost_answer: int = 0
    unknown_starts: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Traffic:
    """The writers' view of the hosts: which are alive, and the token to send."""

    bases: list[str]
    secret: str
    ledger: Ledger
    killed: threading.Event = field(default_factory=threading.Event)
    dead: set[str] = field(default_factory=set)
    deadline: float = 0.0

    def base_for(self, writer: int) -> str:
        """The writer's own host while it lives, else a surviving one."""
        alive = [base for base in self.bases if base not in self.dead]
        home = self.bases[writer % len(self.bases)]
        return home if home in alive else alive[0]


def _etag(session: requests.Session, url: str) -> str:
    response = session.get(url, timeout=REQUEST_TIMEOUT)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return str(response.headers["ETag"])


def _acknowledged(traffic: Traffic, base: str) -> None:
    ledger = traffic.ledger
    ledger.by_host[base] += 1
    if traffic.killed.is_set():
        ledger.after_kill += 1


def add_comment(traffic: Traffic, session: requests.Session, writer: int, cycle: str) -> None:
    """Comment with an id of our own; a retry after a lost answer sends the same id."""
    ledger = traffic.ledger
    comment_id = f"w{writer}-{secrets.token_hex(6)}"
    with ledger.lock:
        ledger.attempted.add(comment_id)
    answer_lost = False
    for _ in range(ATTEMPTS):
        base = traffic.base_for(writer)
        try:
            version = _etag(session, f"{base}/api/v1/cycles/{cycle}")
            response = session.post(
                f"{base}/api/v1/cycles/{cycle}/comments",
                json={"comment_id": comment_id, "text": f"Kommentar {comment_id}"},
                headers={"If-Match": version},
                timeout=REQUEST_TIMEOUT,
            )
        except LOST_ANSWER:
            answer_lost = True
            with ledger.lock:
                ledger.lost_answers += 1
            time.sleep(0.1)
            continue
        with ledger.lock:
            if response.status_code == 201:
                assert response.json()["item_id"] == comment_id
                ledger.comments[comment_id] = cycle
                _acknowledged(traffic, base)
                return
            if response.status_code == 412:
                ledger.conflicts += 1
                continue
            if response.status_code == 422 and answer_lost and "comment_id" in response.text:
                # The first try was stored; only its answer was lost with the host.
                ledger.comments[comment_id] = cycle
                ledger.stored_before_lost_answer += 1
                _acknowledged(traffic, base)
                return
            ledger.errors.append(f"comment {comment_id}: {response.status_code} {response.text}")
            return
    with ledger.lock:
        ledger.errors.append(f"comment {comment_id}: no answer after {ATTEMPTS} tries")


def start_cycle(traffic: Traffic, session: requests.Session, writer: int, number: int) -> None:
    """Start a cycle (If-Match: the organisation's version); a lost answer is not retried."""
    ledger = traffic.ledger
    for _ in range(ATTEMPTS):
        base = traffic.base_for(writer)
        try:
            url = f"{base}/api/v1/organisations/{ORGANISATION}/cycles"
            version = _etag(session, f"{url}?per_page=1")
            response = session.post(
                url,
                json={
                    "title": f"Zyklus {writer}-{number}",
                    "themes": [THEME],
                    "period_start": "2030-01-01",
                    "period_end": "2030-12-31",
                },
                headers={"If-Match": version},
                timeout=REQUEST_TIMEOUT,
            )
        except LOST_ANSWER:
            with ledger.lock:
                ledger.unknown_starts += 1  # no id to ask about: a second start would be a new one
            return
        with ledger.lock:
            if response.status_code == 201:
                cycle_id = response.json()["id"]
                ledger.started[cycle_id] = base
                ledger.cycles.append(cycle_id)
                _acknowledged(traffic, base)
                return
            if response.status_code == 412:
                ledger.conflicts += 1
                continue
            ledger.errors.append(f"start {writer}-{number}: {response.status_code} {response.text}")
            return
    with ledger.lock:
        ledger.errors.append(f"start {writer}-{number}: no answer after {ATTEMPTS} tries")


def writer_loop(traffic: Traffic, writer: int) -> None:
    """Write until the count or the time is up: mostly comments, every tenth a cycle start."""
    rng = random.Random(writer)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {traffic.secret}"
    try:
        for number in range(WRITES_PER_WRITER):
            if time.monotonic() > traffic.deadline:
                return
            if number % 10 == 9:
                start_cycle(traffic, session, writer, number)
            else:
                with traffic.ledger.lock:
                    cycle = rng.choice(traffic.ledger.cycles)
                add_comment(traffic, session, writer, cycle)
    except Exception as error:  # noqa: BLE001 -- reported by the test, not lost in a thread
        with traffic.ledger.lock:
            traffic.ledger.errors.append(f"writer {writer}: {error!r}")
    finally:
        session.close()


@pytest.fixture
def shared_database(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    """A PostgreSQL database of this test's own, dropped afterwards."""
    name = f"qz_hosts_{secrets.token_hex(4)}"
    with postgres_server.connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield PostgresServer(
        postgres_server.host,
        postgres_server.port,
        postgres_server.user,
        postgres_server.password,
        name,
    )
    with postgres_server.connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(server: PostgresServer, host: str, port: int) -> str:
    auth = f"{server.user}:{server.password}" if server.password else server.user
    return f"postgresql://{auth}@{host}:{port}/{server.dbname}?pool_size=2"


def _cli(url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *arguments],
        env={**os.environ, "QUALIZYKLUS_DATABASE": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _prepare(url: str, server: PostgresServer, shared: Path) -> str:
    """`init`, `demo` and a coordinator's token (its secret) in the shared database.

    The demo is a copy of the run's template (loaded once per run), as `demo` leaves it.
    """
    put_demo(url, shared, today=date.today(), server=server)
    done = _cli(url, "init")
    assert done.returncode == 0, done.stderr
    made = _cli(
        url, "tokens", "create", "--org", ORGANISATION, "--role", "coordinator", "--name", "hosts"
    )
    assert made.returncode == 0, made.stderr
    return next(
        line.split(": ", 1)[1] for line in made.stdout.splitlines() if line.startswith("secret: ")
    )


def _open_cycles(base: str, secret: str) -> list[str]:
    response = requests.get(
        f"{base}/api/v1/organisations/{ORGANISATION}/cycles",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return [cycle["id"] for cycle in response.json() if cycle["phase"] != "closed"]


def _stored_comments(app: Qualizyklus, cycles: list[str]) -> Counter[tuple[str, str]]:
    """How often each (cycle, comment id) was recorded in the event store."""
    counts: Counter[tuple[str, str]] = Counter()
    for cycle in set(cycles):
        for record in app.recorder.select_events(UUID(cycle)):
            if record.topic.endswith("CommentAdded"):
                event: Any = app.mapper.to_domain_event(record)
                counts[(cycle, event.comment_id)] += 1
    return counts


def _registered_cycles(app: Qualizyklus) -> Counter[str]:
    """How often each cycle was registered with the organisation."""
    organisation = app.organisation_by_slug(ORGANISATION)
    counts: Counter[str] = Counter()
    for record in app.recorder.select_events(UUID(organisation["id"])):
        if record.topic.endswith("CycleRegistered"):
            event: Any = app.mapper.to_domain_event(record)
            counts[str(event.cycle_id)] += 1
    return counts


def _api_comment_ids(base: str, secret: str, cycle: str) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        response = requests.get(
            f"{base}/api/v1/cycles/{cycle}/comments?per_page=100&page={page}",
            headers={"Authorization": f"Bearer {secret}"},
            timeout=REQUEST_TIMEOUT,
        )
        assert response.status_code == 200, response.text
        items = response.json()
        found.update(item["id"] for item in items)
        if len(items) < 100:
            return found
        page += 1


def _wait_for_quiet_read_models(app: Qualizyklus, timeout: float = 60.0) -> None:
    """Until the follower has applied every event and recomputed every changed Land."""
    follower = Follower(app)
    deadline = time.monotonic() + timeout
    while follower.behind() or follower.view.query("SELECT kind, key FROM qz_pending"):
        assert time.monotonic() < deadline, "the surviving follower did not catch up in time"
        time.sleep(0.2)


def _run_load(traffic: Traffic, victim: Host) -> list[int]:
    """Write through both hosts, kill the victim midway, finish through the survivor."""
    traffic.deadline = time.monotonic() + LOAD_SECONDS
    threads = [
        threading.Thread(target=writer_loop, args=(traffic, n), name=f"writer-{n}")
        for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    while len(traffic.ledger.by_host) < 2 or sum(traffic.ledger.by_host.values()) < KILL_AFTER:
        assert time.monotonic() < traffic.deadline, f"too few writes before the kill: {traffic}"
        assert all(thread.is_alive() for thread in threads), traffic.ledger.errors
        time.sleep(0.05)
    killed = victim.kill()  # mid-load: requests to it are in flight
    traffic.killed.set()
    traffic.dead.add(victim.place.base)
    for thread in threads:
        thread.join(LOAD_SECONDS + 2 * REQUEST_TIMEOUT)
        assert not thread.is_alive(), "a writer did not finish"
    return killed


@pytest.mark.postgres
def test_two_hosts_share_one_database_and_one_survives_the_others_death(
    shared_database: PostgresServer,
    tmp_path: Path,
    record_property: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server = shared_database
    direct = _database_url(server, server.host, server.port)
    secret = _prepare(direct, server, shared_folder(tmp_path_factory))
    attachments = tmp_path / "attachments"  # one folder for both (on NFS between machines)
    hosts: list[Host] = []
    with places(2, (server.host, server.port)) as (way, made):
        print(f"several hosts: {way}: " + "; ".join(place.name for place in made))
        record_property("hosts", way)
        try:
            for index, place in enumerate(made):
                env = {
                    **os.environ,
                    "QUALIZYKLUS_DATABASE": _database_url(
                        server, place.database_host, place.database_port
                    ),
                    "QUALIZYKLUS_SECRET_KEY": "shared-secret-of-both-hosts",
                    "QUALIZYKLUS_ATTACHMENTS": str(attachments),
                    "QUALIZYKLUS_FOLLOWER": "0",  # each host runs its own, below
                    "QUALIZYKLUS_SECURE_COOKIES": "0",
                }
                hosts.append(start_host(place, CLI, env, tmp_path / f"host-{index}", REPOSITORY))
            for host in hosts:
                wait_until_serving(host)
            victim, survivor = hosts
            ledger = Ledger(cycles=_open_cycles(survivor.place.base, secret))
            assert ledger.cycles, "the demo has open cycles to comment on"
            traffic = Traffic([host.place.base for host in hosts], secret, ledger)

            killed = _run_load(traffic, victim)

            print(
                f"{sum(ledger.by_host.values())} writes acknowledged ({dict(ledger.by_host)}), "
                f"{ledger.after_kill} after killing pids {killed}; {ledger.conflicts} stale "
                f"ETags, {ledger.lost_answers} lost answers, {ledger.stored_before_lost_answer} "
                f"of them stored before, {ledger.unknown_starts} cycle starts of unknown outcome"
            )
            assert ledger.errors == []
            assert len(killed) >= 4, "master, two workers and the follower were killed"
            assert victim.server.poll() is not None and survivor.server.poll() is None
            assert ledger.by_host[victim.place.base] > 0
            assert ledger.after_kill >= 10, "the surviving host took writes after the kill"

            with open_engine(Settings(database=direct)) as app:
                # Every acknowledged write is stored exactly once; nothing unasked for is.
                stored = _stored_comments(app, ledger.cycles)
                ours = {key: n for key, n in stored.items() if key[1] in ledger.attempted}
                assert all(n == 1 for n in ours.values()), ours
                assert {(c, i) for i, c in ledger.comments.items()} <= set(ours)
                assert len(ours) == len(ledger.comments)  # every stored one was acknowledged
                registered = _registered_cycles(app)
                assert all(registered[cycle] == 1 for cycle in ledger.started)
                assert len(registered) <= 2 + len(ledger.started) + ledger.unknown_starts
                for cycle in set(ledger.cycles):
                    expected = {i for i, c in ledger.comments.items() if c == cycle}
                    assert expected <= _api_comment_ids(survivor.place.base, secret, cycle)

                # Read models: each event counted once, and equal to a rebuild from the log.
                _wait_for_quiet_read_models(app)
                survivor.stop()
                counts = read_model(app).query("SELECT cycle_id, version, events FROM qz_cycles")
                assert all(row["events"] == row["version"] for row in counts), counts
                followed = tables(app)
                rebuilt = _cli(direct, "projections", "rebuild")
                assert rebuilt.returncode == 0, rebuilt.stderr
                assert tables(app) == followed

            audit = _cli(direct, "audit", "verify")
            assert audit.returncode == 0, audit.stderr
            assert audit.stdout.startswith("OK:")
        finally:
            for host in hosts:
                host.stop()
