"""The demo looks alive: its dates lie around the day it is loaded, five of its networks share a
Land (so the state view shows figures), its state coordinator signs in, and it can be reset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from engine.application.bootstrap import open_engine, open_store
from engine.application.service import Qualizyklus
from engine.application.state_office import state_office
from engine.cli.main import main
from engine.demo.calendar import DEMO_REFERENCE_DAY, DemoCalendar
from engine.demo.networks import (
    DEMO_LAND_ORGANISATIONS,
    DEMO_ORGANISATIONS,
    DEMO_STATE_COORDINATOR,
    load_demo,
)
from engine.infrastructure.settings import Settings
from engine.readmodels.comparisons import MINIMUM_ORGANISATIONS
from tests.conftest import FillWithDemo

OPEN = ("planned", "running", "blocked")
"""A measure in one of these states can be overdue."""


@pytest.fixture
def app(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the installed theme plugins, whose templates the demo plans from."""
    engine = open_engine(settings)
    yield engine
    engine.close()


@pytest.fixture
def reference_demo(settings: Settings, fill_with_demo: FillWithDemo) -> Iterator[Qualizyklus]:
    """The engine with the installed theme plugins on the demo as ``load_demo(app,
    today=DEMO_REFERENCE_DAY)`` leaves it (a copy of the run's demo, loaded once per run)."""
    fill_with_demo(settings.database, today=DEMO_REFERENCE_DAY)
    engine = open_engine(settings)
    yield engine
    engine.close()


def running_cycle(app: Qualizyklus, slug: str) -> dict[str, Any]:
    """The organisation's cycle that is not closed."""
    for cycle_id in app.organisation_by_slug(slug)["cycles"]:
        cycle = app.cycle(UUID(cycle_id))
        if cycle["closing"] is None:
            return cycle
    raise AssertionError(f"{slug} has no running cycle")


@pytest.mark.parametrize("today", [date(2027, 2, 10), date(2026, 9, 1), date(2028, 8, 31)])
def test_measures_are_due_soon_or_overdue_by_days_around_the_day_it_is_loaded(
    app: Qualizyklus, today: date
) -> None:
    load_demo(app, today=today)

    cycle = running_cycle(app, "lk-musterland")

    start, end = cycle["period_start"], cycle["period_end"]
    assert start <= today <= end
    label = DemoCalendar(today).running_label
    assert cycle["title"] == f"Qualitätszyklus {label} – Landkreis Musterland"
    due = [m["due"] for m in cycle["measures"].values() if m["status"] in OPEN and m["due"]]
    late = [today - day for day in due if day < today]
    soon = [day - today for day in due if day >= today]
    assert late and all(timedelta(days=1) <= d <= timedelta(days=7) for d in late)
    assert soon and min(soon) <= timedelta(days=7)
    planned_here = [m for m in cycle["measures"].values() if m["due"]]  # not the carried one
    assert len(planned_here) >= 3
    for measure in planned_here:
        assert start <= measure["start"] <= measure["due"] <= end
        assert abs(measure["due"] - today) <= timedelta(days=31)
    values = [v for goal in cycle["goals"].values() for v in goal["values"]]
    assert values and all(start <= v["measured_on"] <= today for v in values)


def test_at_the_reference_day_the_demo_has_the_dates_the_tests_know(
    reference_demo: Qualizyklus,
) -> None:
    app = reference_demo

    cycle = running_cycle(app, "beispielstadt")

    assert cycle["title"] == "Qualitätszyklus 2025/26 – Stadt Beispielstadt"
    assert (cycle["period_start"], cycle["period_end"]) == (date(2025, 1, 1), date(2026, 12, 31))
    planned_here = [m for m in cycle["measures"].values() if m["due"]]  # not the carried one
    assert {m["start"] for m in planned_here} == {date(2025, 3, 1)}
    assert {g["due"] for g in cycle["goals"].values()} == {date(2025, 11, 30)}
    assert min(m["due"] for m in planned_here) == date(2025, 10, 3)


def test_five_networks_in_one_land_and_its_state_coordinator(reference_demo: Qualizyklus) -> None:
    app = reference_demo

    person_id, _, email, land = DEMO_STATE_COORDINATOR
    in_land = [o for o in DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS if o.land == land]
    assert len(in_land) >= MINIMUM_ORGANISATIONS
    for organisation in in_land:
        assert app.organisation_by_slug(organisation.slug)["land"] == land
    assert state_office(app).land_of(person_id) == land
    assert app.profiles.get(person_id)["email"] == email  # type: ignore[index]


def test_a_theme_offering_demo_records_gets_them_on_both_cycles_with_its_goals_tied(
    reference_demo: Qualizyklus,
) -> None:
    app = reference_demo
    theme = app.themes["impact-orientation"]
    assert theme.demo_records is not None
    slug = DEMO_ORGANISATIONS[0].slug
    for cycle_id in app.organisation_by_slug(slug)["cycles"]:
        cycle = app.cycle(UUID(cycle_id))
        if "impact-orientation" not in cycle["themes"]:
            continue
        model = cycle["records"]["impact-orientation"]
        expected = theme.demo_records([])
        assert set(model["element"]) | set(model["arrow"]) | set(model["setting"]) == {
            save["record_id"] for save in expected
        }
        goals = {g for g, goal in cycle["goals"].items() if goal["theme_id"] == theme.id}
        tied = {g for e in model["element"].values() for g in e["attrs"]["goal_ids"]}
        assert goals and tied == goals


def test_the_demo_prints_the_state_coordinator_and_how_to_stop_and_reset(tmp_path: Path) -> None:
    runner = CliRunner(env={"QUALIZYKLUS_DATABASE": f"sqlite:///{tmp_path}/demo.db"})
    assert runner.invoke(main, ["init"]).exit_code == 0

    result = runner.invoke(main, ["demo", "--today", "2027-02-10"])

    assert result.exit_code == 0, result.output
    assert DEMO_STATE_COORDINATOR[2] in result.output and "(/land)" in result.output
    assert "Strg+C" in result.output and "make reset-demo" in result.output


def test_reset_loads_the_demo_afresh_and_refuses_a_store_with_other_organisations(
    tmp_path: Path,
) -> None:
    database = tmp_path / "demo.db"
    settings = Settings(database=f"sqlite:///{database}")
    runner = CliRunner(env={"QUALIZYKLUS_DATABASE": settings.database})
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["demo", "--today", "2027-02-10"]).exit_code == 0
    app = open_store(settings)
    try:
        cycle = running_cycle(app, "lk-musterland")
        coordinator = DEMO_ORGANISATIONS[0].people[0].person_id("lk-musterland")
        app.add_comment(UUID(cycle["id"]), actor_id=coordinator, text="Vor dem Zurücksetzen")
    finally:
        app.close()

    reset = runner.invoke(main, ["demo", "--reset", "--today", "2028-03-01"])

    assert reset.exit_code == 0, reset.output
    app = open_store(settings)
    try:
        cycle = running_cycle(app, "lk-musterland")
        assert "Qualitätszyklus 2027/28" in cycle["title"]
        assert "Vor dem Zurücksetzen" not in str(cycle["comments"])
        app.register_organisation(
            name="Echte Organisation", slug="echt", land="HB", coordinator_id="jemand-echtes"
        )
    finally:
        app.close()
    before = database.read_bytes()

    refused = runner.invoke(main, ["demo", "--reset"])

    assert refused.exit_code == 1
    assert "außerhalb der Demo (echt)" in refused.stderr
    assert database.read_bytes() == before
