"""Derived figures when several followers (several hosts, or web workers catching up) race.

A Land's comparison and a closed cycle's insight figures are computed outside the batch that
marked them out of date. A follower that computed them before a newer batch must neither
overwrite a newer result nor clear the newer mark: else stale figures stay for good, unlike a
rebuild. Each test plays the two followers' steps in the order that used to lose the news.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from uuid import UUID

import pytest

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_REFERENCE_DAY
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower
from engine.readmodels.comparisons import land_figures
from engine.readmodels.insights import figures_of, pending_cycles
from tests.conftest import FillWithDemo
from tests.engine.stories import register_network, start_cycle


def _stored_land(follower: Follower, land: str) -> object:
    [row] = follower.view.query("SELECT figures FROM qz_land_figures WHERE land = ?", (land,))
    return json.loads(row["figures"])


def test_a_slow_followers_older_land_figures_neither_overwrite_newer_nor_clear_the_mark(
    app: Qualizyklus,
) -> None:
    network = register_network(app, "lk-race")
    slow, quick = Follower(app), Follower(app)
    quick.catch_up(refresh=False)
    # The slow follower computes the Land's comparison as it stands now ...
    [land] = slow.view.lands_pending()
    position = slow.position
    stale = land_figures(slow.view, land)
    # ... while a new cycle changes it, and the quick follower applies that and recomputes.
    start_cycle(app, network, title="Neu")
    quick.catch_up(refresh=False)
    assert quick.view.lands_pending() == [land]
    slow.view.store_land_figures(land, stale, position)
    assert quick.view.lands_pending() == [land], "the newer mark must stay"
    quick.refresh_lands()
    slow.view.store_land_figures(land, stale, position)  # arrives last of all
    fresh = land_figures(quick.view, land)
    assert fresh != stale
    assert _stored_land(quick, land) == json.loads(json.dumps(fresh))
    assert quick.view.lands_pending() == []


@pytest.fixture
def demo_app(settings: Settings, fill_with_demo: FillWithDemo) -> Iterator[Qualizyklus]:
    """The demo (its themes give closed cycles numeric insight figures).
    (A copy of the demo, loaded once per run.)"""
    fill_with_demo(settings.database, today=DEMO_REFERENCE_DAY)
    app = open_engine(settings)
    yield app
    app.close()


def test_a_slow_followers_insights_of_a_cycle_reopened_meanwhile_are_not_kept(
    demo_app: Qualizyklus,
) -> None:
    app = demo_app
    slow, quick = Follower(app), Follower(app)
    quick.catch_up()
    [row] = quick.view.query(
        "SELECT cycle_id, organisation_id FROM qz_cycles WHERE closed = 1 LIMIT 1"
    )
    cycle_id = row["cycle_id"]
    [coordinator] = quick.view.query(
        "SELECT member_id FROM qz_members WHERE organisation_id = ? AND role = 'coordinator'",
        (row["organisation_id"],),
    )
    assert cycle_id in pending_cycles(slow.view)
    # The slow follower gathers the closed cycle's figures ...
    gathered = figures_of(app, slow.view, cycle_id)
    assert gathered.rows, "the closed cycle has insight figures"
    # ... the cycle is reopened, and the quick follower applies that and refreshes.
    app.reopen_phase(
        UUID(cycle_id), actor_id=coordinator["member_id"], to_phase="review", reason="Nachtrag"
    )
    quick.catch_up()
    quick.refresh_insights()
    kept = slow.view.replace_insight_figures(cycle_id, gathered.rows, version=gathered.version)
    assert not kept
    figures = "SELECT * FROM qz_insight_figures WHERE cycle_id = ?"
    assert quick.view.query(figures, (cycle_id,)) == []
    assert cycle_id not in pending_cycles(quick.view)
