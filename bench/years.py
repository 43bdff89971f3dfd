"""years: the dashboard and the state view on ten times the data, and a worker's memory.

Two generated stores (bench/scale_data.py): the large one with 500 organisations x 20 yearly
cycles (about two million events; 50 with --quick) and a small one with a tenth of the
organisations. Each is served by `qualizyklus serve` with one worker; coordinators of a few
organisations and the state coordinator of the Land with the most organisations sign in through
the form. Sequential GETs alternate between the two servers, round by round; the figure is the
large store's p95 latency against the small store's, per page. Afterwards the resident memory
(VmRSS) of the large store's worker is read from /proc and set against the 300 MB limit.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import Row, median, progress
from bench.pages import Client, p95, server_process
from bench.scale_data import DATASETS, ensure_dataset
from engine.application.bootstrap import open_engine
from engine.application.state_office import grant
from engine.infrastructure.passwords import hash_password
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, read_model
from engine.readmodels.insights import pending_cycles

NAME = "years"
TARGET = "<= 1.5"
MEMORY_LIMIT_MB = 300.0
PASSWORD = "bench-years-password"
CLI = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))
SAMPLED = 8
"""How many organisations' coordinators take turns asking for their dashboard."""


def sizes(quick: bool) -> dict[str, int]:
    """Organisations in the large store, GETs per page and store, warm-up, rounds."""
    if quick:
        return {"organisations": 50, "requests": 40, "warmup": 4, "rounds": 4}
    return {"organisations": 500, "requests": 200, "warmup": 16, "rounds": 8}


@dataclass(frozen=True)
class People:
    """Who signs in: coordinators with their organisation's slug, and the state coordinator."""

    coordinators: list[tuple[str, str]]
    state_coordinator: str


def prepare(path: Path) -> People:
    """Bring the read models up to date and give a few people a password (profiles only)."""
    settings = Settings(database=f"sqlite:///{path.resolve()}")
    with open_engine(settings, create_tables=True) as app:  # as `qualizyklus init` would
        follower = Follower(app)
        if follower.behind():
            progress(f"{NAME}: building the read models of {path.name}")
            started = time.perf_counter()
            applied = follower.catch_up()
            progress(f"{NAME}: {applied} events applied in {time.perf_counter() - started:.0f} s")
        closed = len(pending_cycles(follower.view))
        if closed:
            progress(f"{NAME}: the themes' insights into {closed} closed cycles")
            started = time.perf_counter()
            follower.refresh_insights()
            progress(f"{NAME}: insights kept in {time.perf_counter() - started:.0f} s")
        view = read_model(app)
        rows = view.query(
            "SELECT o.slug, o.land, m.member_id FROM qz_organisations o JOIN qz_members m "
            "ON m.organisation_id = o.organisation_id WHERE m.role = 'coordinator' "
            "ORDER BY o.slug"
        )
        step = max(1, len(rows) // SAMPLED)
        chosen = rows[::step][:SAMPLED]
        lands = view.query(
            "SELECT land, COUNT(*) AS n FROM qz_organisations GROUP BY land ORDER BY n DESC, land"
        )
        coordinators = []
        for row in chosen:
            coordinators.append((_with_password(app, row["member_id"]), row["slug"]))
        state_person = chosen[0]["member_id"]
        grant(app, state_person, lands[0]["land"], actor="bench")
        return People(coordinators, _with_password(app, state_person))


def _with_password(app: object, person_id: str) -> str:
    """Give a generated person a password; return their e-mail address."""
    profiles = app.profiles  # type: ignore[attr-defined]
    profiles.set_password_hash(person_id, hash_password(PASSWORD))
    return str(profiles.get(person_id)["email"])


@dataclass
class Site:
    """One served store with its signed-in people."""

    dashboards: list[tuple[Client, str]]
    state: tuple[Client, str]
    pid: int


@contextmanager
def site(path: Path, people: People, folder: Path) -> Iterator[Site]:
    """Serve a store with one worker and sign its people in."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    env = {
        "QUALIZYKLUS_DATABASE": f"sqlite:///{path.resolve()}",
        "QUALIZYKLUS_SECRET_KEY": "bench-secret",
        "QUALIZYKLUS_ATTACHMENTS": str(folder / "attachments"),
        "QUALIZYKLUS_FOLLOWER": "0",  # the read models are up to date and nothing is written
    }
    command = [CLI, "serve", "--bind", "127.0.0.1:{port}", "--workers", "1"]
    with server_process(command, env, "/healthz") as (port, server):
        dashboards = []
        for email, slug in people.coordinators:
            client = Client(port)
            client.sign_in(email, PASSWORD)
            dashboards.append((client, f"/o/{slug}/dashboard"))
        lako = Client(port)
        lako.sign_in(people.state_coordinator, PASSWORD)
        yield Site(dashboards, (lako, "/land"), server.pid)


def timed_gets(targets: list[tuple[Client, str]], count: int) -> list[float]:
    """Milliseconds of ``count`` sequential GETs, taking the targets in turn."""
    times = []
    for n in range(count):
        client, path = targets[n % len(targets)]
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1_000)
    return times


def worker_rss_mb(master_pid: int) -> float:
    """Resident memory of the gunicorn master's (only) worker, in MB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes_mb = []
    for child in children:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes_mb.append(int(line.split()[1]) / 1024)
    return max(sizes_mb)


def measure(quick: bool) -> list[Row]:
    """Generate (or reuse) both stores, serve them, time the pages, read the memory."""
    size = sizes(quick)
    large_n, small_n = size["organisations"], size["organisations"] // 10
    stores = {}
    for label, organisations in (("large", large_n), ("small", small_n)):
        progress(f"{NAME}: store of {organisations} organisations x 20 cycles")
        stores[label] = Path(ensure_dataset(DATASETS, organisations, 20))
    people = {label: prepare(path) for label, path in stores.items()}
    times: dict[str, dict[str, list[float]]] = {
        page: {"large": [], "small": []} for page in ("dashboard", "state")
    }
    with (
        tempfile.TemporaryDirectory(prefix="qualizyklus-bench-years-") as folder,
        ExitStack() as stack,
    ):
        sites = {
            label: stack.enter_context(site(path, people[label], Path(folder) / label))
            for label, path in stores.items()
        }
        pages: dict[str, Callable[[Site], list[tuple[Client, str]]]] = {
            "dashboard": lambda s: s.dashboards,
            "state": lambda s: [s.state],
        }
        for targets in pages.values():
            for served in sites.values():
                timed_gets(targets(served), size["warmup"])
        per_round = max(1, size["requests"] // size["rounds"])
        progress(f"{NAME}: {size['requests']} GETs of each page on each store")
        for n in range(size["rounds"]):
            for page, targets in pages.items():
                order = ("large", "small") if n % 2 == 0 else ("small", "large")
                for label in order:
                    times[page][label] += timed_gets(targets(sites[label]), per_round)
        rss = worker_rss_mb(sites["large"].pid)
    names = (f"{large_n} organisations", f"{small_n} organisations")
    rows = [
        Row(
            f"{NAME}/{page}/p95",
            p95(times[page]["large"]),
            "ms",
            p95(times[page]["small"]),
            TARGET,
            *names,
            note=f"median {median(times[page]['large']):.1f} vs "
            f"{median(times[page]['small']):.1f} ms",
        )
        for page in ("dashboard", "state")
    ]
    rows.append(
        Row(
            f"{NAME}/worker-memory",
            rss,
            "MB",
            MEMORY_LIMIT_MB,
            "<= 1",
            f"worker RSS, {large_n} organisations",
            "limit",
        )
    )
    return rows


def run(*, quick: bool = False) -> list[Row]:
    """Dashboard and state view p95, large store against small; the worker's memory."""
    return measure(quick)
