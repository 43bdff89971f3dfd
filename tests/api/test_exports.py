"""Exports: goals and measures as CSV that import again (round trip), history as JSON Lines."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Flask

from engine.application.bootstrap import open_engine
from engine.application.transfer import import_history
from engine.infrastructure.settings import Settings
from tests.api.conftest import OWN, Api, engine_of, person_id, running_cycle


def plan_phase_cycle(api: Api, themes: list[str]) -> str:
    """A new cycle of lk-musterland in the plan phase (analysis done through the engine)."""
    engine = engine_of(api.app)
    organisation_id = UUID(engine.organisation_by_slug(OWN.slug)["id"])
    coordinator = person_id(OWN.slug, "coordinator")
    cycle_id = engine.start_cycle(
        organisation_id,
        actor_id=coordinator,
        title="Import-Ziel",
        themes=themes,
        period_start="2030-01-01",
        period_end="2030-12-31",
    )
    for theme_id in themes:
        for criterion in engine.themes[theme_id].criteria:
            scale = criterion.scale
            value = scale.levels[0].id if scale.kind == "levels" else scale.minimum
            engine.record_assessment(
                cycle_id,
                actor_id=coordinator,
                theme_id=theme_id,
                criterion_id=criterion.id,
                value=value,
            )
    engine.record_finding(cycle_id, actor_id=coordinator, kind="need", text="x", finding_id="n1")
    engine.set_priorities(cycle_id, actor_id=coordinator, finding_ids=["n1"])
    engine.advance_phase(cycle_id, actor_id=coordinator)
    assert engine.cycle(cycle_id)["phase"] == "plan"
    return str(cycle_id)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def without_status(found: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "status"} for row in found]


def upload(api: Api, cycle: str, text: str, version: str | None = None) -> Any:
    return api.post(
        f"/api/v1/cycles/{cycle}/plan.csv",
        data=text.encode("utf-8"),
        content_type="text/csv",
        headers={"If-Match": version or api.version(f"/api/v1/cycles/{cycle}")},
    )


def test_goals_and_measures_round_trip_through_csv(coordinator: Api) -> None:
    source = running_cycle(coordinator)
    exported = coordinator.get(f"/api/v1/cycles/{source}/plan.csv")
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    original = rows(text)
    assert {row["kind"] for row in original} == {"goal", "measure"}
    themes = coordinator.get(f"/api/v1/cycles/{source}").get_json()["themes"]
    target = plan_phase_cycle(coordinator, themes)

    imported = upload(coordinator, target, text)
    assert imported.status_code == 201, imported.get_json()
    counts = imported.get_json()
    assert (counts["goals"], counts["measures"]) == (
        sum(r["kind"] == "goal" for r in original),
        sum(r["kind"] == "measure" for r in original),
    )
    again = rows(coordinator.get(f"/api/v1/cycles/{target}/plan.csv").get_data(as_text=True))
    assert without_status(again) == without_status(original)
    assert {row["status"] for row in again if row["kind"] == "measure"} == {"planned"}
    source_goals = coordinator.get(f"/api/v1/cycles/{source}/goals").get_json()
    target_goals = coordinator.get(f"/api/v1/cycles/{target}/goals").get_json()
    fields = ("id", "title", "indicator", "unit", "baseline", "target", "due", "theme_id", "attrs")
    assert [{f: g[f] for f in fields} for g in target_goals] == [
        {f: g[f] for f in fields} for g in source_goals
    ]


def test_the_plan_csv_is_named_after_organisation_cycle_and_day(coordinator: Api) -> None:
    source = running_cycle(coordinator)
    exported = coordinator.get(f"/api/v1/cycles/{source}/plan.csv")
    title = coordinator.get(f"/api/v1/cycles/{source}").get_json()["title"]

    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    disposition = exported.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Plan - Landkreis Musterland - ')
    assert "filename*=UTF-8''Plan%20-%20Landkreis%20Musterland%20-%20" in disposition
    assert quote(title.replace("/", "-")) in disposition and source not in disposition
    assert "Qualitaetszyklus 2025-26 - Landkreis Musterland - " in disposition  # ASCII name
    assert re.search(r"\d{4}-\d{2}-\d{2}\.csv\"", disposition)
    assert not exported.data.startswith("\ufeff".encode())  # a file for programs: no BOM


def test_a_refused_import_writes_nothing(coordinator: Api) -> None:
    source = running_cycle(coordinator)
    text = coordinator.get(f"/api/v1/cycles/{source}/plan.csv").get_data(as_text=True)
    themes = coordinator.get(f"/api/v1/cycles/{source}").get_json()["themes"]
    target = plan_phase_cycle(coordinator, themes)
    before = coordinator.version(f"/api/v1/cycles/{target}")
    broken = text.rstrip("\r\n") + "\r\nmeasure,,Ohne Ziel,gibt-es-nicht,,,,,,,,,,,\r\n"
    refused = upload(coordinator, target, broken)
    assert refused.status_code == 422
    assert any(key.startswith("row ") for key in refused.get_json()["errors"])
    assert coordinator.version(f"/api/v1/cycles/{target}") == before
    assert upload(coordinator, target, text).status_code == 201
    twice = upload(coordinator, target, text)  # the ids are taken now
    assert twice.status_code == 422
    for bad in ("", "kind,title\r\nidea,x\r\n", "wrong,header\r\n1,2\r\n"):
        assert upload(coordinator, target, bad).status_code == 422


def test_csv_cells_that_look_like_formulas_are_defused_and_restored(coordinator: Api) -> None:
    source = running_cycle(coordinator)
    themes = coordinator.get(f"/api/v1/cycles/{source}").get_json()["themes"]
    target = plan_phase_cycle(coordinator, themes)
    version = coordinator.version(f"/api/v1/cycles/{target}")
    created = coordinator.post(
        f"/api/v1/cycles/{target}/goals",
        json={"goal_id": "g1", "title": "=HYPERLINK(1)", "indicator": "'zitiert", "unit": "-"},
        headers={"If-Match": version},
    )
    assert created.status_code == 201, created.get_json()
    text = coordinator.get(f"/api/v1/cycles/{target}/plan.csv").get_data(as_text=True)
    row = rows(text)[0]
    assert (row["title"], row["indicator"], row["unit"]) == ("'=HYPERLINK(1)", "''zitiert", "'-")
    other = plan_phase_cycle(coordinator, themes)
    assert upload(coordinator, other, text).status_code == 201
    goal = coordinator.get(f"/api/v1/cycles/{other}/goals/g1").get_json()
    assert (goal["title"], goal["indicator"], goal["unit"]) == ("=HYPERLINK(1)", "'zitiert", "-")


def test_a_contributor_cannot_import_a_plan(contributor: Api) -> None:
    source = running_cycle(contributor)
    text = contributor.get(f"/api/v1/cycles/{source}/plan.csv").get_data(as_text=True)
    assert upload(contributor, source, text).status_code == 403


def test_the_history_export_is_json_lines_that_import_into_an_empty_store(
    coordinator: Api, contributor: Api, tmp_path: Any
) -> None:
    response = coordinator.get(f"/api/v1/organisations/{OWN.slug}/history.jsonl")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    with open_engine(
        Settings(database=f"sqlite:///{tmp_path}/fresh.db"), create_tables=True
    ) as fresh:
        report = import_history(fresh, lines)
        assert report.organisation_slug == OWN.slug
        assert report.events == len(lines) - 2
    assert contributor.get(f"/api/v1/organisations/{OWN.slug}/history.jsonl").status_code == 403


def test_an_export_of_an_organisation_needs_its_coordinator(api_app: Flask, other: Api) -> None:
    assert other.get(f"/api/v1/organisations/{OWN.slug}/history.jsonl").status_code == 404
