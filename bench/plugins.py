"""plugins: commands per second with the three built-in themes and twenty no-op plugins loaded,
against the same engine with the same themes registered directly and no plugin hooks at all.

The no-op plugins implement every hook (gates, validation, insights, report sections, event
subscriber, ...), so the figure is the price of calling hooks on the command path.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from bench.common import STORES, Op, Row, UrlFor, interleaved_rates, progress, skipped
from engine import hookimpl
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.extensions.manager import build_plugin_manager, collect_themes
from engine.infrastructure.settings import Settings

NAME = "plugins"
TARGET = ">= 0.9"
NO_OPS = 20
THEME = "political-anchoring"


class NoOp:
    """A plugin that implements every hook and does nothing."""

    def __init__(self, number: int) -> None:
        self.name = f"no-op-{number}"

    @hookimpl
    def register_themes(self) -> list[Any]:
        return []

    @hookimpl
    def register_workflows(self) -> list[Any]:
        return []

    @hookimpl
    def gate_reasons(self, cycle: Mapping[str, Any]) -> list[Any]:
        return []

    @hookimpl
    def validate_item(self, kind: str, item: Mapping[str, Any]) -> list[Any]:
        return []

    @hookimpl
    def insights(self, cycle: Mapping[str, Any]) -> list[Any]:
        return []

    @hookimpl
    def report_sections(self, cycle: Mapping[str, Any]) -> list[Any]:
        return []

    @hookimpl
    def event_committed(self, event: Mapping[str, Any]) -> None:
        return None

    @hookimpl
    def web_blueprints(self) -> list[Any]:
        return []


def _open(url: str, *, with_plugins: bool) -> Qualizyklus:
    settings = Settings(database=url)
    if with_plugins:
        open_engine(settings, create_tables=True).close()
        return open_engine(settings, plugins=tuple(NoOp(n) for n in range(NO_OPS)))
    themes = collect_themes(build_plugin_manager())
    Qualizyklus(settings, create_tables=True, themes=themes).close()
    return Qualizyklus(settings, themes=themes)


def _rating_op(app: Qualizyklus) -> Op:
    """An organisation and a cycle on the theme; the op re-rates its numeric criteria in turn."""
    organisation_id = app.register_organisation(
        name="Landkreis Plugins", slug="bench-plugins", land="HE", coordinator_id="coord"
    )
    cycle_id = app.start_cycle(
        organisation_id,
        actor_id="coord",
        title="Zyklus 2025",
        themes=[THEME],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    criteria = [c.id for c in app.themes[THEME].criteria if c.scale.kind == "numeric"]
    counter = itertools.count()

    def op() -> None:
        n = next(counter)
        app.record_assessment(
            cycle_id,
            actor_id="coord",
            theme_id=THEME,
            criterion_id=criteria[n % len(criteria)],
            value=1 + n % 5,
        )

    return op


@contextmanager
def plugin_ops(url_for: UrlFor) -> Iterator[dict[str, Op]]:
    """'plugins' and 'none': the same rating command on two engines."""
    loaded = _open(url_for("plugins"), with_plugins=True)
    bare = _open(url_for("without"), with_plugins=False)
    try:
        yield {"plugins": _rating_op(loaded), "none": _rating_op(bare)}
    finally:
        loaded.close()
        bare.close()


def run(*, quick: bool = False) -> list[Row]:
    """Ratings per second with plugins against none, on SQLite and PostgreSQL."""
    rows: list[Row] = []
    sizes = (
        {"count": 200, "warmup": 50, "rounds": 4}
        if quick
        else {"count": 2000, "warmup": 200, "rounds": 10}
    )
    for kind, store in STORES.items():
        label = f"{NAME}/{kind}"
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(label, "ops/s", TARGET))
                continue
            progress(f"{NAME} on {kind}")
            with plugin_ops(url_for) as ops:
                rates = interleaved_rates(ops, **sizes)
        rows.append(Row(label, rates["plugins"], "ops/s", rates["none"], TARGET, "plugins", "none"))
    return rows
