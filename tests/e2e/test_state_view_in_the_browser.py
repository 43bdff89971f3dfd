"""The state view in a real Chromium: a state coordinator reads the Land's comparison, the
charts have accessible names and their numbers as tables, axe finds nothing, and only the
organisation that chose to share is named."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Page, expect

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.state_office import grant
from engine.infrastructure.passwords import hash_password
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower
from tests.e2e.conftest import LiveServer, axe, serving, sign_in

LAKO_EMAIL = "lako@niedersachsen.example"
LAKO_PASSWORD = "landeskoordination-2026"
SHARING = "Landkreis Probe 0"
NOT_SHARING = ("Landkreis Probe 3", "Landkreis Musterland")


def rate_every_criterion(app: Qualizyklus, organisation_id: UUID, actor: str, step: int) -> None:
    """A cycle on every installed theme, each criterion rated by the coordinator."""
    themes = sorted(app.themes.values(), key=lambda theme: theme.id)
    cycle_id = app.start_cycle(
        organisation_id,
        actor_id=actor,
        title="Qualitätszyklus 2025",
        themes=[theme.id for theme in themes],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    for theme in themes:
        for criterion in theme.criteria:
            scale = criterion.scale
            value = (
                scale.levels[step % len(scale.levels)].id
                if scale.kind == "levels"
                else scale.minimum + step % int(scale.span + 1)
            )
            app.record_assessment(
                cycle_id, actor_id=actor, theme_id=theme.id, criterion_id=criterion.id, value=value
            )


@pytest.fixture
def land_server(demo_database: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The demo plus five organisations in Lower Saxony, one sharing, and its coordinator."""
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    with open_engine(Settings(database=f"sqlite:///{database}")) as app:
        for number in range(5):
            coordinator = f"koordination-probe-{number}"
            organisation_id = app.register_organisation(
                name=f"Landkreis Probe {number}",
                slug=f"lk-probe-{number}",
                land="NI",
                coordinator_id=coordinator,
            )
            rate_every_criterion(app, organisation_id, coordinator, number)
            if number == 0:
                app.set_state_sharing(
                    organisation_id, actor_id=coordinator, shares=True, reason="Landesvergleich"
                )
        app.profiles.put("lako-ni", display_name="Landeskoordination NI", email=LAKO_EMAIL)
        app.profiles.set_password_hash("lako-ni", hash_password(LAKO_PASSWORD))
        grant(app, "lako-ni", "NI", actor="test")
        Follower(app).catch_up()
    with serving(database, tmp_path) as server:
        yield server


def test_a_state_coordinator_reads_the_lands_comparison_accessibly(
    page: Page, land_server: LiveServer
) -> None:
    sign_in(page, LAKO_EMAIL, LAKO_PASSWORD)
    page.goto("/land")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Niedersachsen")

    html = page.content()
    assert SHARING in html
    for name in NOT_SHARING:
        assert name not in html, f"{name} does not share and must not be named"

    charts = page.get_by_role("img")
    assert charts.count() >= 1
    for index in range(charts.count()):
        name = charts.nth(index).evaluate(
            "(svg) => svg.getAttribute('aria-labelledby').split(' ')"
            ".map((id) => document.getElementById(id).textContent).join(' ')"
        )
        assert len(name.strip()) > 20, f"chart {index} has no meaningful name"

    violations = axe(page)
    assert violations == [], [(v["id"], v["impact"], v["targets"]) for v in violations]

    figure = page.locator("figure").filter(has=page.get_by_role("img")).first
    expect(figure.get_by_role("table")).to_be_visible()  # the chart's numbers as a table
    expect(figure.locator("caption")).not_to_be_empty()
    page.keyboard.press("Tab")  # the page is usable from the keyboard: focus lands on a link
    assert page.evaluate("document.activeElement.tagName") in {"A", "BUTTON", "INPUT"}
