"""Data for scale: generated organisations and cycles, read back through the service."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from engine.application.audit import all_aggregate_ids, verify
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_LAND_ORGANISATIONS, DEMO_ORGANISATIONS, load_demo
from engine.demo.scale import EVENTS_PER_CYCLE, generate, plan_organisations
from engine.domain.cycle import SETTLED_STATUSES, Cycle, assessment_key
from engine.domain.errors import InvalidInput
from engine.domain.free_text import REFERENCES
from engine.domain.organisation import LAENDER
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES

TODAY = date(2026, 6, 20)
"""A fixed day, so that runs compare (the running cycle's deadlines hang on it)."""


def _events(app: Qualizyklus) -> list[tuple[str, int, dict[str, Any]]]:
    """Every stored event as (topic, version, content without timestamp and seal, and without
    the free texts' references, whose salts are random by design; the texts themselves count)."""
    found = []
    for aggregate_id in all_aggregate_ids(app):
        for record in app.recorder.select_events(aggregate_id):
            event = app.mapper.to_domain_event(record)
            content = {
                k: v for k, v in vars(event).items() if k not in ("timestamp", "seal", REFERENCES)
            }
            found.append((record.topic, record.originator_version, content))
    return found


def test_generate_reports_what_it_wrote_and_audit_verify_is_clean(app: Qualizyklus) -> None:
    ticks: list[int] = []
    summary = generate(app, 3, cycles_per_organisation=3, progress=ticks.append, today=TODAY)
    result = verify(app)
    assert result.ok, result.problems
    assert (summary.organisations, summary.skipped, summary.cycles) == (3, 0, 9)
    assert summary.events == result.events == len(_events(app))
    assert result.aggregates == 3 + 9
    assert ticks == [1, 1, 1]
    assert summary.events_per_second > 0


def test_organisations_spread_over_laender_with_many_in_each() -> None:
    large = plan_organisations(500, 1)
    per_land = Counter(o.land for o in large)
    assert set(per_land) == set(LAENDER)
    assert min(per_land.values()) >= 25
    assert Counter(o.land for o in plan_organisations(60, 1)) == {"BW": 30, "BY": 30}
    assert {o.land for o in plan_organisations(3, 1)} == {"BW"}
    assert len({o.slug for o in large}) == len({o.name for o in large}) == 500
    assert large[0].name.startswith("Landkreis ")
    assert {o.slug for o in plan_organisations(5, 1)}.isdisjoint(
        o.slug for o in plan_organisations(5, 2)
    )


def test_every_cycle_reads_back_as_a_chain_of_closed_years_and_one_running(
    app: Qualizyklus,
) -> None:
    generate(app, 3, cycles_per_organisation=3, today=TODAY)
    for planned in plan_organisations(3, 1):
        organisation = app.organisation_by_slug(planned.slug)
        assert (organisation["name"], organisation["land"]) == (planned.name, planned.land)
        roles = Counter(organisation["members"].values())
        assert roles["coordinator"] == roles["viewer"] == 1
        assert 1 <= roles["contributor"] <= 2
        cycles = [app.cycle(UUID(cycle_id)) for cycle_id in organisation["cycles"]]
        assert [c["period_start"].year for c in cycles] == [2024, 2025, 2026]
        assert [c["phase"] for c in cycles] == ["closed", "closed", "implement"]
        assert [c["follows"] for c in cycles] == [None, cycles[0]["id"], cycles[1]["id"]]
        for cycle in cycles:
            assert cycle["themes"] == organisation["themes"]
            _check_analysis(cycle, organisation["members"])
            assert 2 <= len(cycle["goals"]) <= 4
            assert all(
                g["baseline"] < g["target"] and g["indicator"] for g in cycle["goals"].values()
            )
            planned_here = [m for m in cycle["measures"].values() if not m["carried_from_cycle"]]
            assert 3 <= len(planned_here) <= 6
            assert all(m["responsible_member_id"] in organisation["members"] for m in planned_here)
        for closed in cycles[:2]:
            assert all(m["status"] in SETTLED_STATUSES for m in closed["measures"].values())
            assert all(g["review"] and g["values"] for g in closed["goals"].values())
            assert closed["lessons"] and closed["closing"]
        _check_running(cycles[2])


def _check_analysis(cycle: dict[str, Any], members: dict[str, str]) -> None:
    raters = {m for m, role in members.items() if role != "viewer"}
    for theme_id in cycle["themes"]:
        for criterion in SAMPLE_THEMES[theme_id].criteria:
            ratings = cycle["assessments"][assessment_key(theme_id, criterion.id)]
            assert set(ratings) == raters
            for rating in ratings.values():
                assert criterion.scale.validate(rating["value"]) == rating["value"]
    needs = [f for f, item in cycle["findings"].items() if item["kind"] == "need"]
    assert cycle["priorities"] == needs


def _check_running(cycle: dict[str, Any]) -> None:
    measures = [m for m in cycle["measures"].values() if m["due"]]
    open_ones = [m for m in measures if m["status"] not in SETTLED_STATUSES]
    assert any(m["due"] < TODAY for m in open_ones), "some measures are overdue"
    assert any(TODAY <= m["due"] <= TODAY + timedelta(days=14) for m in open_ones)
    values = [v for g in cycle["goals"].values() for v in g["values"]]
    assert values and all(v["measured_on"] <= TODAY for v in values)
    assert all(g["review"] is None for g in cycle["goals"].values())


def test_closed_cycles_have_the_set_number_of_events_and_the_running_one_fewer(
    app: Qualizyklus,
) -> None:
    generate(app, 2, cycles_per_organisation=3, today=TODAY)
    for planned in plan_organisations(2, 1):
        organisation = app.organisation_by_slug(planned.slug)
        versions = [app.cycle(UUID(c))["version"] for c in organisation["cycles"]]
        assert versions[:2] == [EVENTS_PER_CYCLE, EVENTS_PER_CYCLE]
        assert EVENTS_PER_CYCLE // 3 < versions[2] < EVENTS_PER_CYCLE


def test_same_seed_twice_leaves_the_store_as_it_was(app: Qualizyklus) -> None:
    generate(app, 2, cycles_per_organisation=2, today=TODAY)
    before = verify(app)
    again = generate(app, 2, cycles_per_organisation=2, today=TODAY)
    assert (again.organisations, again.skipped, again.cycles, again.events) == (0, 2, 0, 0)
    assert verify(app).digest == before.digest


def test_a_seed_gives_the_same_data_on_any_store_and_another_seed_other_data(
    app: Qualizyklus, tmp_path: Path
) -> None:
    generate(app, 2, cycles_per_organisation=2, seed=7, today=TODAY)
    settings = Settings(database=f"sqlite:///{tmp_path}/other.db")
    Qualizyklus(settings, create_tables=True).close()
    other = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        generate(other, 2, cycles_per_organisation=2, seed=7, today=TODAY)
        assert _events(other) == _events(app)
        generate(other, 2, cycles_per_organisation=2, seed=8, today=TODAY)
        assert len(_events(other)) > len(_events(app))
        slugs = {other.organisation(i)["slug"] for i in other.organisation_ids()}
        assert slugs == {o.slug for o in plan_organisations(2, 7) + plan_organisations(2, 8)}
    finally:
        other.close()


def test_scale_data_goes_beside_the_demo(app: Qualizyklus) -> None:
    load_demo(app)
    summary = generate(app, 2, cycles_per_organisation=2, today=TODAY)
    assert summary.organisations == 2
    slugs = {app.organisation(i)["slug"] for i in app.organisation_ids()}
    assert slugs == {d.slug for d in DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS} | {
        o.slug for o in plan_organisations(2, 1)
    }
    assert verify(app).ok


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"organisations": 0}, "organisations"),
        ({"organisations": -3}, "organisations"),
        ({"organisations": 2, "cycles_per_organisation": 0}, "cycles_per_organisation"),
        ({"organisations": 2, "seed": -1}, "seed"),
    ],
)
def test_bad_sizes_are_refused_and_nothing_is_written(
    app: Qualizyklus, arguments: dict[str, Any], field: str
) -> None:
    arguments = dict(arguments)  # the parameters are shared by both stores
    organisations = arguments.pop("organisations")
    with pytest.raises(InvalidInput) as refused:
        generate(app, organisations, **arguments)
    assert refused.value.field == field
    assert all_aggregate_ids(app) == []


def test_with_the_installed_plugins_every_cycle_passes_its_gates(tmp_path: Path) -> None:
    settings = Settings(database=f"sqlite:///{tmp_path}/plugins.db")
    with open_engine(settings, create_tables=True) as app:
        generate(app, 2, cycles_per_organisation=3, today=TODAY)
        assert verify(app).ok
        for organisation_id in app.organisation_ids():
            for cycle_id in app.organisation(organisation_id)["cycles"]:
                cycle = app._load(Cycle, UUID(cycle_id), for_change=False)
                definition = app._definition(cycle)
                phase = definition.first_phase
                while phase != cycle.phase:
                    transition = definition.next_transition(phase)
                    assert transition is not None
                    assert app._gate_reasons(definition, transition, cycle) == []
                    phase = transition.target
