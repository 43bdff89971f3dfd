"""report-pdf: the PDF of the demo's largest report on the server `make run` starts, beside the
HTML page of the same report and against a bare app that prints the same page.

The store is made as `make run` makes it (`qualizyklus init`, `qualizyklus demo`, a SQLite file)
and served by `qualizyklus serve` with gunicorn.conf.py's defaults (two workers, the read
models' follower beside them). A demo coordinator signs in through the form; of the reports of
their organisation's cycles the largest (by the HTML page's bytes) is timed: its PDF and its
HTML page, sequential GETs on a new connection each, in rounds that alternate with the bare
app (bench/bare_pdf.py, same gunicorn settings), which prints the same page's HTML with the
same WeasyPrint call and nothing else.

The server keeps finished PDFs in its cache folder (web/reports/pdf_cache.py), so the PDF is
timed twice: cold, the folder emptied before each GET (the first request for a report: laid
out by WeasyPrint), and warm (the same report asked for again: served from the folder).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from bench.common import Row, median, progress
from bench.pages import CLI, DEMO, ROOT, Client, latencies, p95, server_process
from engine.demo.networks import DEMO_PASSWORD

NAME = "report-pdf"
LIMIT_S = 2.0
"""The target: the PDF within two seconds on the `make run` server."""
TARGET = "<= 1.5"
"""What the application may add to WeasyPrint printing the same page (ratio)."""


def sizes(quick: bool) -> dict[str, int]:
    """Timed GETs per address, warm-up GETs, rounds."""
    if quick:
        return {"requests": 4, "warmup": 1, "rounds": 2}
    return {"requests": 12, "warmup": 2, "rounds": 4}


def make_run_store(folder: Path) -> dict[str, str]:
    """A store as `make run` makes it: `qualizyklus init`, then `qualizyklus demo`."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    env = {
        "QUALIZYKLUS_DATABASE": f"sqlite:///{folder}/qualizyklus.db",
        "QUALIZYKLUS_SECRET_KEY": "bench-secret",
        "QUALIZYKLUS_ATTACHMENTS": str(folder / "attachments"),
        "QUALIZYKLUS_PDF_CACHE": str(folder / "pdf-cache"),
    }
    for step in ("init", "demo"):
        subprocess.run(
            [CLI, step], env={**os.environ, **env}, cwd=ROOT, check=True, capture_output=True
        )
    return env


def largest_report(person: Client) -> tuple[str, bytes]:
    """The address and HTML of the largest report of the person's organisation's cycles."""
    overview = person.get(f"/o/{DEMO.slug}/").decode("utf-8")
    cycles = dict.fromkeys(re.findall(rf"/o/{DEMO.slug}/cycles/([0-9a-f-]{{36}})/", overview))
    reports = {f"/o/{DEMO.slug}/cycles/{cycle}/report": b"" for cycle in cycles}
    for path in reports:
        reports[path] = person.get(path)
    path = max(reports, key=lambda found: len(reports[found]))
    return path, reports[path]


def pages_of(pdf: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def cpu_seconds(root: int) -> float:
    """CPU seconds (user and system, from /proc) used so far by a process and its descendants:
    what a server spends, whatever its neighbours on a shared machine take."""
    parents: dict[int, int] = {}
    used: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        used[pid] = int(fields[11]) + int(fields[12])
    family = {root}
    for pid in sorted(parents):
        chain, seen = pid, set()
        while chain in parents and chain not in seen and chain not in family:
            seen.add(chain)
            chain = parents[chain]
        if chain in family:
            family |= seen
    return sum(used.get(pid, 0) for pid in family) / os.sysconf("SC_CLK_TCK")


def timed(client: Client, path: str, server: int, cache: Path | None = None) -> tuple[float, float]:
    """Milliseconds of one GET, and the server's CPU milliseconds for it; with ``cache`` the
    PDF cache folder is emptied first (a cold GET)."""
    if cache is not None:
        shutil.rmtree(cache, ignore_errors=True)
    cpu = cpu_seconds(server)
    started = time.perf_counter()
    client.get(path)
    wall = (time.perf_counter() - started) * 1_000
    return wall, (cpu_seconds(server) - cpu) * 1_000


def measure(quick: bool) -> list[Row]:
    """Serve the demo as `make run` does, time the largest report's PDF, HTML and bare PDF."""
    size = sizes(quick)
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-pdf-") as name:
        folder = Path(name)
        progress(f"{NAME}: `qualizyklus init` and `qualizyklus demo`")
        env = make_run_store(folder)
        serve = [str(CLI), "serve", "--bind", "127.0.0.1:{port}"]
        with server_process(serve, env, "/healthz") as (port, server):
            person = Client(port)
            person.sign_in(DEMO.people[0].email, DEMO_PASSWORD)
            report, html = largest_report(person)
            pdf = person.get(f"{report}.pdf")
            page_file = folder / "report.html"
            page_file.write_bytes(html)
            bare = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
            bare += ["--bind", "127.0.0.1:{port}", "bench.bare_pdf:app"]
            bare_env = {"BENCH_BARE_PAGE": str(page_file), "QUALIZYKLUS_FOLLOWER": "0"}
            with server_process(bare, bare_env, "/healthz") as (bare_port, bare_server):
                baseline = Client(bare_port)
                if pages_of(baseline.get("/page.pdf")) != pages_of(pdf):
                    msg = "the bare PDF does not have the report PDF's pages"
                    raise AssertionError(msg)
                progress(
                    f"{NAME}: {size['requests']} GETs of the cold and warm PDF, the page and "
                    "the bare PDF"
                )
                cache = Path(env["QUALIZYKLUS_PDF_CACHE"])
                times: dict[str, list[float]] = {"cold": [], "cold-cpu": [], "bare-cpu": []}
                per_round = max(1, size["requests"] // size["rounds"])
                for number in range(size["rounds"]):
                    for _ in range(per_round):  # cold and bare, back to back
                        wall, cpu = timed(person, f"{report}.pdf", server.pid, cache)
                        times["cold"].append(wall)
                        times["cold-cpu"].append(cpu)
                        times["bare-cpu"].append(timed(baseline, "/page.pdf", bare_server.pid)[1])
                    person.get(f"{report}.pdf")  # kept for the warm GETs
                    found = latencies(
                        {
                            "warm": (person, f"{report}.pdf"),
                            "html": (person, report),
                            "bare": (baseline, "/page.pdf"),
                        },
                        count=per_round,
                        warmup=0 if number else size["warmup"],
                        rounds=1,
                    )
                    for name, values in found.items():
                        times.setdefault(name, []).extend(values)
    return rows(times, pdf, html)


def rows(times: dict[str, list[float]], pdf: bytes, html: bytes) -> list[Row]:
    """The rows: the cold PDF against bare WeasyPrint, the page and the limit; the warm PDF."""
    pdf_ms = median(times["cold"])
    note = f"{pages_of(pdf)} pages, {len(pdf):,} bytes of PDF from {len(html):,} bytes of HTML"
    return [
        Row(
            f"{NAME}/sqlite",
            pdf_ms,
            "ms",
            median(times["bare"]),
            TARGET,
            "report PDF, cold",
            "bare WeasyPrint",
            note=note,
        ),
        Row(
            f"{NAME}/sqlite/html",
            pdf_ms,
            "ms",
            median(times["html"]),
            None,
            "report PDF, cold",
            "report page",
        ),
        Row(
            f"{NAME}/sqlite/warm",
            median(times["warm"]),
            "ms",
            median(times["html"]),
            None,
            "report PDF from the cache",
            "report page",
        ),
        Row(
            f"{NAME}/sqlite/p95",
            p95(times["cold"]),
            "ms",
            p95(times["html"]),
            None,
            "report PDF p95, cold",
            "report page p95",
        ),
        Row(
            f"{NAME}/sqlite/cpu",
            median(times["cold-cpu"]),
            "ms",
            median(times["bare-cpu"]),
            TARGET,
            "report PDF, cold, server CPU",
            "bare WeasyPrint, server CPU",
        ),
        Row(
            f"{NAME}/sqlite/cpu-limit",
            median(times["cold-cpu"]) / 1_000,
            "s",
            LIMIT_S,
            "<= 1",
            "report PDF, cold, server CPU",
            "limit",
        ),
        Row(
            f"{NAME}/sqlite/limit",
            pdf_ms / 1_000,
            "s",
            LIMIT_S,
            "<= 1",
            "report PDF, cold",
            "limit",
        ),
        Row(
            f"{NAME}/sqlite/warm-limit",
            median(times["warm"]) / 1_000,
            "s",
            LIMIT_S,
            "<= 1",
            "report PDF from the cache",
            "limit",
        ),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """The largest demo report's PDF on the `make run` server: against WeasyPrint alone, beside
    the HTML page, and against the two-second limit."""
    return measure(quick)
