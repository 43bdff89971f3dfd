"""api: writes per second through the JSON API (a measure's status change with If-Match)
under gunicorn with two workers, against a bare Flask endpoint doing the same bare-library
change under the same gunicorn settings, in the same run; p99 latency at 16 clients beside.

Each of the 16 concurrent clients changes its own measure in its own cycle (so the clients do
not conflict with each other; each sends the ETag of its previous answer as If-Match) or,
for the baseline, its own item. Rounds alternate the servers.

The API is served as on a host where the read models' follower runs as a service of its own
(`QUALIZYKLUS_FOLLOWER=0`), as the target compares the API's write path with a bare one. A
second API server on a store of its own runs with the follower beside it, as `qualizyklus
serve` starts it, and is reported without a target: what the follower costs a shared host.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from uuid import UUID

from flask import Flask, request

from bench.commands import Bare, Item
from bench.common import STATUSES, STORES, Row, UrlFor, progress, skipped
from bench.pages import CLI, serving
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.tokens import create_token
from engine.infrastructure.settings import Settings

NAME = "api"
TARGET = ">= 0.6"
CLIENTS = 16
THEME = "impact-orientation"
COORDINATOR = "bench-coordinator"


def bare_app() -> Flask:
    """The baseline: a bare Flask endpoint doing the bare-library change of `bench.commands`
    (get the item, change its status, save), without authentication or checks.

        BENCH_BARE_DATABASE=sqlite:///... gunicorn --config gunicorn.conf.py 'bench.api:bare_app()'
    """
    app = Flask(__name__)
    settings = Settings(database=os.environ["BENCH_BARE_DATABASE"])
    bare = Bare(env=settings.eventsourcing_env(create_tables=False))

    @app.put("/items/<uuid:item_id>/status")
    def change(item_id: UUID) -> tuple[dict[str, object], int]:
        item = bare.repository.get(item_id)
        item.change_status((request.get_json(silent=True) or {}).get("status", "planned"))
        bare.save(item)
        return {"id": str(item_id), "version": item.version}, 200

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def sizes(quick: bool) -> dict[str, int]:
    """Requests per client per round, rounds, warm-up requests per client."""
    if quick:
        return {"per_client": 10, "rounds": 2, "warmup": 3}
    return {"per_client": 40, "rounds": 4, "warmup": 10}


def implementing_cycle(app: Qualizyklus, organisation_id: UUID, n: int) -> tuple[UUID, str]:
    """A cycle in the implement phase with one measure, built through the engine."""
    cycle_id = app.start_cycle(
        organisation_id,
        actor_id=COORDINATOR,
        title=f"Zyklus {n}",
        themes=[THEME],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    for criterion in app.themes[THEME].criteria:
        scale = criterion.scale
        value = scale.levels[0].id if scale.kind == "levels" else scale.minimum
        app.record_assessment(
            cycle_id, actor_id=COORDINATOR, theme_id=THEME, criterion_id=criterion.id, value=value
        )
    app.record_finding(cycle_id, actor_id=COORDINATOR, kind="need", text="Zugang", finding_id="n")
    app.set_priorities(cycle_id, actor_id=COORDINATOR, finding_ids=["n"])
    app.advance_phase(cycle_id, actor_id=COORDINATOR)
    app.set_goal(
        cycle_id,
        actor_id=COORDINATOR,
        goal_id="g",
        title="Mehr Familien erreichen",
        indicator="Anteil",
        baseline=40,
        target=60,
        theme_id=THEME,
        attrs={"impact_step": 2, "iooi_level": "output"},
    )
    app.plan_measure(
        cycle_id,
        actor_id=COORDINATOR,
        measure_id="m",
        title="Netzwerkkonferenz",
        goal_id="g",
        responsible_member_id=COORDINATOR,
        due="2025-06-30",
    )
    app.advance_phase(cycle_id, actor_id=COORDINATOR)
    return cycle_id, "m"


def prepare_api(url: str) -> tuple[str, list[tuple[str, int]]]:
    """The store for the API: an organisation, a token, one cycle per client."""
    with open_engine(Settings(database=url), create_tables=True) as app:
        organisation_id = app.register_organisation(
            name="Landkreis Benchmark", slug="bench-api", land="NI", coordinator_id=COORDINATOR
        )
        created = create_token(
            app, organisation_id, actor_id=COORDINATOR, role="coordinator", name="bench"
        )
        cycles = []
        for n in range(CLIENTS):
            cycle_id, _ = implementing_cycle(app, organisation_id, n)
            cycles.append((str(cycle_id), app.cycle(cycle_id)["version"]))
    return created.secret, cycles


def prepare_bare(url: str) -> list[str]:
    """The store for the baseline: one item per client."""
    settings = Settings(database=url)
    Bare(env=settings.eventsourcing_env(create_tables=True)).close()
    bare = Bare(env=settings.eventsourcing_env(create_tables=False))
    try:
        items = [Item() for _ in range(CLIENTS)]
        bare.save(*items)
        return [str(item.id) for item in items]
    finally:
        bare.close()


class Writer:
    """One client: sends status changes one after another, timing each."""

    def __init__(self, port: int, path: str, headers: dict[str, str], version: int | None) -> None:
        self.port = port
        self.path = path
        self.headers = headers
        self.version = version
        self.flips = 0
        self.times: list[float] = []

    def write(self) -> None:
        """One status change; with a version, If-Match and the new ETag kept."""
        body = json.dumps({"status": STATUSES[self.flips % 2]})
        self.flips += 1
        headers = {"Content-Type": "application/json", **self.headers}
        if self.version is not None:
            headers["If-Match"] = f'"{self.version}"'
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("PUT", self.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        self.times.append((time.perf_counter() - started) * 1_000)
        if response.status != 200:
            msg = f"PUT {self.path} answered {response.status}: {content[:200]!r}"
            raise RuntimeError(msg)
        if self.version is not None:
            self.version = int(json.loads(content)["version"])


def writers_of(port: int, secret: str, cycles: list[tuple[str, int]]) -> list[Writer]:
    """One API client per cycle, with the organisation's token and the cycle's version."""
    auth = {"Authorization": f"Bearer {secret}"}
    return [Writer(port, f"/api/v1/cycles/{c}/measures/m/status", auth, v) for c, v in cycles]


def burst(writers: list[Writer], count: int) -> float:
    """Every writer sends ``count`` writes at once; the writes per second of the whole burst."""
    errors: list[BaseException] = []

    def run(writer: Writer) -> None:
        try:
            for _ in range(count):
                writer.write()
        except BaseException as error:  # noqa: BLE001 -- reported after the burst
            errors.append(error)

    threads = [threading.Thread(target=run, args=(w,)) for w in writers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return len(writers) * count / elapsed


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(values, n=100, method="inclusive")[-1]


def measure(kind: str, url_for: UrlFor, quick: bool) -> list[Row]:
    """Serve both, warm up, then alternate bursts of 16 clients; rates and p99 latencies."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    size = sizes(quick)
    api_url, beside_url, bare_url = url_for("api"), url_for("beside"), url_for("bare")
    progress(f"{NAME} on {kind}: preparing {CLIENTS} cycles (twice) and {CLIENTS} bare items")
    secret, cycles = prepare_api(api_url)
    beside_secret, beside_cycles = prepare_api(beside_url)
    items = prepare_bare(bare_url)
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-api-") as folder:
        env = {
            "QUALIZYKLUS_DATABASE": api_url,
            "QUALIZYKLUS_SECRET_KEY": "bench-secret",
            "QUALIZYKLUS_ATTACHMENTS": str(Path(folder) / "attachments"),
            "QUALIZYKLUS_LOG_LEVEL": "warning",
            "QUALIZYKLUS_FOLLOWER": "0",  # the read models' follower runs as a service elsewhere
        }
        beside_env = {**env, "QUALIZYKLUS_DATABASE": beside_url, "QUALIZYKLUS_FOLLOWER": "1"}
        serve = [CLI, "serve", "--bind", "127.0.0.1:{port}", "--workers", "2"]
        bare_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            "127.0.0.1:{port}",
            "--workers",
            "2",
            "bench.api:bare_app()",
        ]
        bare_env = {"BENCH_BARE_DATABASE": bare_url, "QUALIZYKLUS_LOG_LEVEL": "warning"}
        with (
            serving(serve, env, "/healthz") as port,
            serving(serve, beside_env, "/healthz") as beside_port,
            serving(bare_command, bare_env, "/healthz") as bare_port,
        ):
            api = writers_of(port, secret, cycles)
            beside = writers_of(beside_port, beside_secret, beside_cycles)
            bare = [Writer(bare_port, f"/items/{i}/status", {}, None) for i in items]
            progress(f"{NAME} on {kind}: {size['rounds']} rounds of {CLIENTS} clients each")
            groups = {"api": api, "beside": beside, "bare": bare}
            for group in groups.values():
                burst(group, size["warmup"])
                for writer in group:
                    writer.times.clear()
            rates: dict[str, list[float]] = {name: [] for name in groups}
            for n in range(size["rounds"]):
                for name in list(groups)[:: 1 if n % 2 == 0 else -1]:
                    rates[name].append(burst(groups[name], size["per_client"]))
    latency = {
        name: p99([t for writer in group for t in writer.times])
        for name, group in (("api", api), ("bare", bare))
    }
    names = ("API status change", "bare Flask")
    return [
        Row(
            f"{NAME}/{kind}",
            statistics.median(rates["api"]),
            "ops/s",
            statistics.median(rates["bare"]),
            TARGET,
            *names,
            note=f"gunicorn 2 workers, {CLIENTS} concurrent clients",
        ),
        Row(
            f"{NAME}/{kind}/with-follower",
            statistics.median(rates["beside"]),
            "ops/s",
            statistics.median(rates["bare"]),
            None,
            "API, follower beside it",
            "bare Flask",
            note="the read models' follower on the same host, as `serve` starts it",
        ),
        Row(
            f"{NAME}/{kind}/p99",
            latency["api"],
            "ms",
            latency["bare"],
            None,
            "API p99",
            "bare p99",
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """Write rates and p99 latencies of the API against the bare endpoint, per store."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(f"{NAME}/{kind}", "ops/s", TARGET))
                rows.append(skipped(f"{NAME}/{kind}/with-follower", "ops/s", None))
                rows.append(skipped(f"{NAME}/{kind}/p99", "ms", None))
                continue
            rows.extend(measure(kind, url_for, quick))
    return rows
