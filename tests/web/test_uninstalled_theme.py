"""A cycle whose theme's plugin is uninstalled: the page says exactly what can still be
changed and what not, and the engine agrees with every line of it.

The theme is "uninstalled" as a person would: a cycle is worked on with a third party's theme
installed, then the application runs without it (the test's app never had it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.domain.errors import InvalidInput
from engine.domain.uninstalled import NO_LONGER_POSSIBLE, STILL_POSSIBLE
from tests.web.conftest import BASE_URL, COORDINATOR, get, sign_in
from tests.web.test_analyse_page import (
    LADDER_THEME,
    SLUG,
    engine_of,
    person_id,
    with_sample_themes,
)

GONE = "families"  # the sample theme the test's app does not have


def cycle_with_a_theme_that_goes(web_app: Flask) -> UUID:
    """A cycle in its planning phase with a goal, a measure, a rating and a need of ``GONE``,
    worked on while the theme was installed."""
    installed = with_sample_themes(web_app)
    app = engine_of(installed)
    actor = person_id(COORDINATOR)
    try:
        organisation = app.organisation_by_slug(SLUG)
        cycle_id = app.start_cycle(
            UUID(organisation["id"]),
            actor_id=actor,
            title="Zyklus mit Fremdthema",
            themes=[GONE, LADDER_THEME],
            period_start=date(2028, 1, 1),
            period_end=date(2028, 12, 31),
        )
        app.record_assessment(
            cycle_id, actor_id=actor, theme_id=GONE, criterion_id="low-threshold", value=2
        )
        app.record_assessment(
            cycle_id,
            actor_id=actor,
            theme_id=LADDER_THEME,
            criterion_id="involved-in-analysis",
            value="information",
        )
        app.record_finding(
            cycle_id, actor_id=actor, finding_id="need-1", kind="need", text="Zugang", theme_id=GONE
        )
        app.record_finding(
            cycle_id, actor_id=actor, finding_id="need-2", kind="need", text="Eltern", theme_id=None
        )
        app.set_priorities(cycle_id, actor_id=actor, finding_ids=["need-1"])
        app.advance_phase(cycle_id, actor_id=actor)
        app.set_goal(cycle_id, actor_id=actor, goal_id="goal-1", title="Erreichen", theme_id=GONE)
        app.plan_measure(
            cycle_id, actor_id=actor, measure_id="measure-1", title="Sprechstunde", theme_id=GONE
        )
    finally:
        app.close()
    return cycle_id


def refused(command: Callable[[], Any]) -> str:
    """The field an engine refusal of input names ('' when the command was accepted)."""
    try:
        command()
    except InvalidInput as error:
        return error.field
    return ""


def test_the_cycle_page_lists_what_can_still_be_changed_and_the_engine_agrees(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_with_a_theme_that_goes(web_app)
    app: Qualizyklus = engine_of(web_app)
    assert GONE not in app.themes
    actor = person_id(COORDINATOR)
    sign_in(client, COORDINATOR)

    html = get(client, f"/o/{SLUG}/cycles/{cycle_id}/").get_data(as_text=True)
    notice = html.split('class="notice uninstalled-themes"')[1].split("</div>")[0]
    assert "Das Plugin des Themas „families“ ist nicht installiert." in notice
    still, no_longer = notice.split("Nicht mehr möglich:")
    items = [re.findall(r"<li>(.*?)</li>", part, re.S) for part in (still, no_longer)]
    assert items == [[t.de for t in STILL_POSSIBLE], [t.de for t in NO_LONGER_POSSIBLE]]

    # Not possible any more: rating its criteria, anything recorded or kept under the theme
    assert refused(
        lambda: app.record_assessment(
            cycle_id, actor_id=actor, theme_id=GONE, criterion_id="low-threshold", value=3
        )
    ) == ("theme_id")
    assert refused(lambda: app.set_goal(cycle_id, actor_id=actor, title="Neu", theme_id=GONE))
    assert refused(
        lambda: app.revise_goal(
            cycle_id, actor_id=actor, goal_id="goal-1", title="Erreichen!", theme_id=GONE
        )
    )
    assert refused(lambda: app.plan_measure(cycle_id, actor_id=actor, title="Neu", theme_id=GONE))
    assert refused(
        lambda: app.record_finding(
            cycle_id, actor_id=actor, kind="strength", text="Gut", theme_id=GONE
        )
    )
    assert refused(lambda: app.record_lesson(cycle_id, actor_id=actor, text="L", theme_id=GONE))
    assert refused(
        lambda: app.record_feedback(
            cycle_id, actor_id=actor, source="parents", text="F", theme_id=GONE
        )
    )

    # Still possible: its goals and measures under another or no theme, findings, priorities,
    # comments, phase changes, statuses, values and judgements
    steps: list[Callable[[], Any]] = [
        lambda: app.reopen_phase(cycle_id, actor_id=actor, to_phase="analyse", reason="Nachtrag"),
        lambda: app.set_priorities(cycle_id, actor_id=actor, finding_ids=["need-2"]),
        lambda: app.withdraw_finding(
            cycle_id, actor_id=actor, finding_id="need-1", reason="erledigt"
        ),
        lambda: app.add_comment(cycle_id, actor_id=actor, text="Weiter so"),
        lambda: app.advance_phase(cycle_id, actor_id=actor),
        lambda: app.revise_goal(
            cycle_id,
            actor_id=actor,
            goal_id="goal-1",
            title="Erreichen",
            indicator="Erreichte Familien",
            theme_id=None,
        ),
        lambda: app.revise_measure(
            cycle_id,
            actor_id=actor,
            measure_id="measure-1",
            title="Sprechstunde",
            theme_id=LADDER_THEME,
            attrs={"participation_level": "information"},
            responsible_member_id=actor,
            due="2028-06-30",
        ),
        lambda: app.advance_phase(cycle_id, actor_id=actor),
        lambda: app.change_measure_status(
            cycle_id, actor_id=actor, measure_id="measure-1", status="done"
        ),
        lambda: app.record_indicator_value(
            cycle_id, actor_id=actor, goal_id="goal-1", value=3, measured_on="2028-05-01"
        ),
        lambda: app.advance_phase(cycle_id, actor_id=actor),
        lambda: app.review_goal(
            cycle_id, actor_id=actor, goal_id="goal-1", verdict="partly", evidence="Drei"
        ),
    ]
    for step in steps:
        assert refused(step) == ""
    assert app.cycle(cycle_id)["phase"] == "review"


def test_the_list_is_in_the_readers_language_only(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = cycle_with_a_theme_that_goes(web_app)
    sign_in(client, COORDINATOR)

    html = client.get(
        f"/o/{SLUG}/cycles/{cycle_id}/", base_url=BASE_URL, headers={"Accept-Language": "en"}
    ).get_data(as_text=True)

    notice = html.split('class="notice uninstalled-themes"')[1].split("</div>")[0]
    for line in (*STILL_POSSIBLE, *NO_LONGER_POSSIBLE):
        assert line.en in notice and line.de not in notice
    assert "Still possible:" in notice and "möglich" not in notice
