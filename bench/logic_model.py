"""logic-model: the network's logic model (Wirkmodell) of 60 elements and 120 arrows.

Three parts, each with its own rows:

- ``view``: in one process, ``view_context`` plus the page partial for the generated
  60-element/120-arrow model (plugins/impact_orientation/logic_model/sample.py), against Jinja
  rendering a cached template of the same bytes; once cold (the first layout) and warm (the
  drawing is kept per model and language).
- ``page``: the theme's page ``/themes/impact-orientation/o/<slug>/cycles/<id>/wirkmodell`` of
  the demo's impact cycle, served by `qualizyklus serve`, against bench/bare_page.py serving the
  same bytes (p95, target <= 3, like the `pages` benchmark). Skipped with a note while the route
  answers 404 (the page comes with the theme's records).
- ``report-pdf``: the cycle report's PDF (cold, the PDF cache emptied first) with the model's
  section (drawing in page-wide bands, assumptions, tables) for the 60/120 model against the
  same report without it, through the web application in this process; what the section adds,
  against the 1 s the issue allows, as wall time and as this process's processor time (which a
  busy machine inflates less). And the drawing alone as the report prints it (whitelisted,
  in bands, SVG text a line at a time), against WeasyPrint's own letter-by-letter text.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Flask
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bench.common import Row, median, progress, skipped
from bench.pages import CLI, DEMO, ROOT, TOKEN, Client, latencies, p95, serving
from engine.application.bootstrap import open_engine
from engine.demo.networks import DEMO_PASSWORD, load_demo
from engine.infrastructure.settings import Settings
from plugins.impact_orientation.logic_model.report import report_drawing
from plugins.impact_orientation.logic_model.sample import generated_records
from plugins.impact_orientation.logic_model.view import view_context

NAME = "logic-model"
THEME = "impact-orientation"
PAGE = "/themes/impact-orientation/o/{slug}/cycles/{cycle_id}/wirkmodell"
TEMPLATES = ROOT / "plugins" / "impact_orientation" / "templates"
PAGE_TARGET = "<= 3"
PDF_TARGET = "<= 1"
PDF_LIMIT_MS = 1_000.0
"""What the model's PDF page may add to the report (issue 15)."""


def sizes(quick: bool) -> dict[str, int]:
    """Timed renders, timed GETs, PDFs per variant, warm-up, rounds."""
    if quick:
        return {"renders": 20, "requests": 20, "pdfs": 2, "warmup": 2, "rounds": 2}
    return {"renders": 200, "requests": 100, "pdfs": 5, "warmup": 5, "rounds": 4}


def large_cycle() -> dict[str, Any]:
    """A plain cycle mapping with the generated 60/120 model."""
    return {
        "themes": [THEME],
        "phase": "plan",
        "goals": {},
        "records": {THEME: generated_records()},
    }


# view: view_context and the partial ---------------------------------------------------------


def view_rows(quick: bool) -> list[Row]:
    """The partial with its context for the 60/120 model against a cached template's render."""
    size = sizes(quick)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )
    env.globals["url_for"] = lambda endpoint, filename: f"/static/{filename}"
    partial = env.get_template("impact_orientation/logic_model_view.html")
    cycle = large_cycle()

    def page() -> str:
        return partial.render(logic_model=view_context(cycle, "de"))

    started = time.perf_counter()
    html = page()
    cold = (time.perf_counter() - started) * 1_000
    bare = env.from_string("{% raw %}" + html + "{% endraw %}")
    assert bare.render() == html
    progress(f"{NAME}: {size['renders']} renders of the partial and of the cached template")
    times: dict[str, list[float]] = {"view": [], "bare": []}
    for number in range(size["rounds"]):
        for name in ("view", "bare")[:: 1 if number % 2 == 0 else -1]:
            render: Callable[[], str] = page if name == "view" else bare.render
            for _ in range(size["renders"] // size["rounds"]):
                started = time.perf_counter()
                render()
                times[name].append((time.perf_counter() - started) * 1_000)
    note = f"{len(html):,} bytes of HTML, 60 elements, 120 arrows"
    return [
        Row(
            f"{NAME}/view",
            median(times["view"]),
            "ms",
            median(times["bare"]),
            None,
            "context + partial",
            "cached template",
            note=note,
        ),
        Row(
            f"{NAME}/view/p95",
            p95(times["view"]),
            "ms",
            p95(times["bare"]),
            None,
            "context + partial p95",
            "cached template p95",
        ),
        Row(
            f"{NAME}/view/cold",
            cold,
            "ms",
            median(times["view"]),
            None,
            "first render (layout)",
            "warm render",
        ),
    ]


# page: the theme's page under gunicorn -----------------------------------------------------------


def demo_store(folder: Path) -> tuple[str, str, UUID]:
    """Two SQLite stores with the demo: in the first, the running impact cycle holds the
    generated 60/120 model (saved as records, as the theme's page saves them), in the second
    the same cycle has no model; their URLs and the cycle's id."""
    url = f"sqlite:///{folder}/qualizyklus.db"
    plain = folder / "plain.db"
    with open_engine(Settings(database=url), create_tables=True) as app:
        load_demo(app)
        cycle_id, coordinator = _running_impact_cycle(app)
        _replace_model(app, cycle_id, coordinator, {})
        with sqlite3.connect(folder / "qualizyklus.db") as source, sqlite3.connect(plain) as copy:
            source.backup(copy)
        _replace_model(app, cycle_id, coordinator, generated_records())
    return url, f"sqlite:///{plain}", cycle_id


def _running_impact_cycle(app: Any) -> tuple[UUID, str]:
    organisation = app.organisation_by_slug(DEMO.slug)
    for summary in app.cycles_of(UUID(str(organisation["id"]))):
        cycle = app.cycle(UUID(str(summary["id"])))
        if THEME in cycle["themes"] and cycle["closing"] is None:
            coordinator = next(
                m for m, role in organisation["members"].items() if role == "coordinator"
            )
            return UUID(str(summary["id"])), str(coordinator)
    msg = "the demo has no running cycle with the impact theme"
    raise AssertionError(msg)


def _replace_model(
    app: Any, cycle_id: UUID, actor_id: str, records: Mapping[str, Mapping[str, Any]]
) -> None:
    """The cycle's model replaced by ``records`` (removed whole when empty)."""
    old = app.cycle(cycle_id)["records"].get(THEME, {})
    removals = [{"kind": kind, "record_id": key} for kind, found in old.items() for key in found]
    if removals:
        app.change_records(cycle_id, actor_id=actor_id, theme_id=THEME, removals=removals)
    saves = [
        {"kind": kind, "record_id": key, "attrs": record["attrs"], "text": record["text"]}
        for kind, found in records.items()
        for key, record in found.items()
    ]
    for start in range(0, len(saves), 100):
        app.change_records(
            cycle_id, actor_id=actor_id, theme_id=THEME, saves=saves[start : start + 100]
        )


def page_rows(quick: bool, folder: Path, url: str, cycle_id: UUID) -> list[Row]:
    """The theme's page against the bare page of the same bytes (skipped while it is missing)."""
    size = sizes(quick)
    path = PAGE.format(slug=DEMO.slug, cycle_id=cycle_id)
    env = {
        "QUALIZYKLUS_DATABASE": url,
        "QUALIZYKLUS_SECRET_KEY": "bench-secret",
        "QUALIZYKLUS_ATTACHMENTS": str(folder / "attachments"),
    }
    serve = [str(CLI), "serve", "--bind", "127.0.0.1:{port}", "--workers", "1"]
    with serving(serve, env, "/healthz") as port:
        person = Client(port)
        person.sign_in(DEMO.people[0].email, DEMO_PASSWORD)
        status, _, html = person.request("GET", path)
        if status != 200:
            note = f"skipped: {path} answers {status} (the page is not on this branch)"
            return [skipped(f"{NAME}/page/p95", "ms", PAGE_TARGET, note)]
        page_file = folder / "page.html"
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
            progress(f"{NAME}: {size['requests']} GETs of the model page and the bare page")
            times = latencies(
                {"page": (person, path), "bare": (baseline, "/page")},
                count=size["requests"],
                warmup=size["warmup"],
                rounds=size["rounds"],
            )
    return [
        Row(
            f"{NAME}/page/p95",
            p95(times["page"]),
            "ms",
            p95(times["bare"]),
            PAGE_TARGET,
            "model page p95",
            "bare page p95",
            note=f"{len(html):,} bytes of HTML",
        ),
    ]


# report-pdf: the report with and without the model's section -----------------------------------


def _web_app(url: str, folder: Path, extra: list[object]) -> Flask:
    from web.app import create_app

    return create_app(
        {
            "QUALIZYKLUS_DATABASE": url,
            "SECRET_KEY": "bench-secret",
            "QUALIZYKLUS_ATTACHMENTS": folder / "attachments",
            "QUALIZYKLUS_PDF_CACHE": folder / "pdf-cache",
            "QUALIZYKLUS_EXTRA_PLUGINS": extra,
        }
    )


def _pdf_times(
    app: Flask, cycle_id: UUID, folder: Path, count: int
) -> tuple[list[float], list[float]]:
    """Wall and processor milliseconds of ``count`` cold report PDFs (after one to warm up)."""
    import shutil

    client = app.test_client()
    base = "https://localhost"
    found = TOKEN.search(client.get("/login", base_url=base).get_data(as_text=True))
    assert found is not None
    client.post(
        "/login",
        base_url=base,
        data={
            "csrf_token": found.group(1) or found.group(2),
            "email": DEMO.people[0].email,
            "password": DEMO_PASSWORD,
        },
        headers={"Referer": f"{base}/login"},
    )
    path = f"/o/{DEMO.slug}/cycles/{cycle_id}/report.pdf"
    times, cpu = [], []
    for _ in range(count + 1):  # the first one warms up
        shutil.rmtree(folder / "pdf-cache", ignore_errors=True)
        started, processor = time.perf_counter(), time.process_time()
        response = client.get(path, base_url=base)
        times.append((time.perf_counter() - started) * 1_000)
        cpu.append((time.process_time() - processor) * 1_000)
        assert response.status_code == 200, response.status_code
    return times[1:], cpu[1:]


def pdf_rows(quick: bool, folder: Path, urls: tuple[str, str], cycle_id: UUID) -> list[Row]:
    """The report PDF of the cycle with the 60/120 model against the same cycle without a
    model; the drawing alone."""
    size = sizes(quick)
    progress(f"{NAME}: {size['pdfs']} cold report PDFs with and without the model's section")
    with_url, plain_url = urls
    plain = _web_app(plain_url, folder / "plain", [])
    model = _web_app(with_url, folder / "model", [])
    without, without_cpu = _pdf_times(plain, cycle_id, folder / "plain", size["pdfs"])
    with_model, with_cpu = _pdf_times(model, cycle_id, folder / "model", size["pdfs"])
    for app in (plain, model):
        app.extensions["qualizyklus"].close()
    added = statistics.median(with_model) - statistics.median(without)
    added_cpu = statistics.median(with_cpu) - statistics.median(without_cpu)
    drawing, letters = drawing_pdf_ms(size["pdfs"])
    return [
        Row(
            f"{NAME}/report-pdf",
            added,
            "ms",
            PDF_LIMIT_MS,
            PDF_TARGET,
            "added by the model's section",
            "allowed",
            note=f"report PDF {median(with_model):.0f} ms with, {median(without):.0f} ms without",
        ),
        Row(
            f"{NAME}/report-pdf/cpu",
            added_cpu,
            "ms",
            PDF_LIMIT_MS,
            PDF_TARGET,
            "processor time added by the section",
            "allowed",
            note=f"{median(with_cpu):.0f} ms with, {median(without_cpu):.0f} ms without",
        ),
        Row(
            f"{NAME}/drawing-pdf",
            drawing,
            "ms",
            letters,
            None,
            "the drawing as the report prints it",
            "letter by letter, one page",
            note="processor time; bands on A4 landscape, SVG text a line at a time",
        ),
    ]


def drawing_pdf_ms(count: int) -> tuple[float, float]:
    """Median processor milliseconds for WeasyPrint to print the 60/120 drawing as the report
    does (whitelisted, in page-wide bands, text a line at a time), and as it did before (the
    whole drawing on one page, WeasyPrint's letter-by-letter text)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    from web.reports import svg_text
    from web.reports.svg_bands import bands
    from web.reports.svg_safe import sanitised

    style = (
        "<html><head><style>@page { size: A4 landscape; margin: 1.5cm; } "
        "svg { width: 100%; height: auto; } div + div { break-before: page; }</style></head><body>"
    )
    svg = sanitised(report_drawing(large_cycle(), "de"))
    banded = style + "".join(f"<div>{band}</div>" for band in bands(svg)) + "</body></html>"
    whole = style + svg + "</body></html>"

    def timed(page: str) -> float:
        HTML(string=page).write_pdf()
        times = []
        for _ in range(count):
            started = time.process_time()
            HTML(string=page).write_pdf()
            times.append((time.process_time() - started) * 1_000)
        return median(times)

    letters = timed(whole) if not svg_text.installed() else svg_text.without(timed, whole)
    svg_text.install()
    return timed(banded), letters


def run(*, quick: bool = False) -> list[Row]:
    """The partial's render, the page's p95 (once it exists) and what the model adds to the PDF."""
    rows = view_rows(quick)
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-logic-model-") as name:
        folder = Path(name)
        progress(f"{NAME}: loading the demo")
        url, plain_url, cycle_id = demo_store(folder)
        rows += page_rows(quick, folder, url, cycle_id)
        rows += pdf_rows(quick, folder, (url, plain_url), cycle_id)
    return rows


__all__ = ["NAME", "run"]
