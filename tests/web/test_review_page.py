"""The review page: judging goals, lessons learned, parents' feedback, the way to closing and
to the follow-up cycle; who may do what; refusals that write nothing."""

from __future__ import annotations

from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    post_form,
    sign_in,
)
from tests.web.test_implement_page import engine_of, error_next_to, person_id, state

SLUG = "lk-musterland"


def review_page(cycle_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/review"


def judge_url(cycle_id: str, goal_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/review/goals/{goal_id}"


def bring_to_review(web_app: Flask, cycle_id: str) -> None:
    """Settle every open measure and move the running demo cycle on to its review."""
    app = engine_of(web_app)
    coordinator = person_id(web_app, COORDINATOR)
    cycle = UUID(cycle_id)
    for measure_id, measure in app.cycle(cycle)["measures"].items():
        if measure["status"] == "running":
            app.change_measure_status(
                cycle, actor_id=coordinator, measure_id=measure_id, status="done"
            )
        elif measure["status"] in ("planned", "blocked"):
            app.change_measure_status(
                cycle,
                actor_id=coordinator,
                measure_id=measure_id,
                status="dropped",
                reason="Wird nicht weiterverfolgt.",
            )
    app.advance_phase(cycle, actor_id=coordinator)
    assert app.cycle(cycle)["phase"] == "review"


def reviewing(client: FlaskClient, web_app: Flask, email: str) -> str:
    sign_in(client, email)
    cycle_id = cycle_ids(client, SLUG)[0]
    bring_to_review(web_app, cycle_id)
    return cycle_id


def judgement(
    goal_id: str, verdict: str, evidence: str, version: int, reason: str = ""
) -> dict[str, str]:
    prefix = f"r-{goal_id}"
    return {
        f"{prefix}-verdict": verdict,
        f"{prefix}-evidence": evidence,
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(version),
    }


def test_a_coordinator_judges_goals_records_lessons_and_parents_feedback_then_closes(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, COORDINATOR)
    page = review_page(cycle_id)
    html = get(client, page).get_data(as_text=True)
    assert "Ist das Ziel erreicht?" in html and "<legend>" in html
    assert "0 von 3 Zielen sind bewertet." in html

    verdicts = ["reached", "partly", "not"]
    for goal_id, verdict in zip(state(web_app, cycle_id)["goals"], verdicts, strict=True):
        version = state(web_app, cycle_id)["version"]
        evidence = f"Indikatorwerte der Netzwerkstatistik ({verdict})."
        response = post_form(
            client,
            page,
            judge_url(cycle_id, goal_id),
            judgement(goal_id, verdict, evidence, version),
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"].endswith(f"/review#goal-{goal_id}")
        assert state(web_app, cycle_id)["goals"][goal_id]["review"] == {
            "verdict": verdict,
            "evidence": evidence,
        }
    # re-judging, with the optional reason
    goal_id = next(iter(state(web_app, cycle_id)["goals"]))
    html = get(client, page).get_data(as_text=True)
    assert "Warum neu bewertet? (optional)" in html and "Neu bewerten" in html
    response = post_form(
        client,
        page,
        judge_url(cycle_id, goal_id),
        judgement(
            goal_id,
            "partly",
            "Nachzählung im Januar.",
            state(web_app, cycle_id)["version"],
            "Zahlen korrigiert.",
        ),
    )
    assert response.status_code == 302
    assert state(web_app, cycle_id)["goals"][goal_id]["review"]["verdict"] == "partly"

    lesson = "Eltern früher einladen: die Termine am Abend anbieten."
    response = post_form(
        client,
        page,
        f"/o/{SLUG}/cycles/{cycle_id}/review/lessons",
        {
            "lesson-text": lesson,
            "lesson-theme": "",
            "lesson-version": str(state(web_app, cycle_id)["version"]),
        },
    )
    assert response.status_code == 302
    assert [item["text"] for item in state(web_app, cycle_id)["lessons"].values()] == [lesson]

    parents = "Elterncafé: Die Sprechstunde am Samstag wird gut angenommen."
    response = post_form(
        client,
        page,
        f"/o/{SLUG}/cycles/{cycle_id}/review/feedback",
        {
            "feedback-source": "parents",
            "feedback-theme": "parent-participation",
            "feedback-text": parents,
            "feedback-version": str(state(web_app, cycle_id)["version"]),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    feedback = list(state(web_app, cycle_id)["feedback"].values())
    assert [(f["source"], f["theme_id"], f["text"]) for f in feedback] == [
        ("parents", "parent-participation", parents)
    ]

    html = get(client, page).get_data(as_text=True)
    assert "3 von 3 Zielen sind bewertet." in html
    assert lesson in html
    parents_section = html.split('id="feedback-parents"', 1)[1].split("</section>", 1)[0]
    assert "Eltern <span" in parents_section and parents in parents_section
    assert "Alle Voraussetzungen für den Abschluss sind erfüllt." in html
    assert f'href="/o/{SLUG}/cycles/{cycle_id}/#next-step"' in html

    engine_of(web_app).close_cycle(
        UUID(cycle_id),
        actor_id=person_id(web_app, COORDINATOR),
        summary="Gut vorangekommen.",
        follow_up="Weiter mit Eltern planen.",
    )
    closed = get(client, page).get_data(as_text=True)
    assert "Der Zyklus ist abgeschlossen." in closed
    assert f'href="/o/{SLUG}/cycles/new?follows={cycle_id}"' in closed
    assert (
        "Ist das Ziel erreicht?" not in closed
        and 'action="' not in closed.split("</header>", 1)[1].split("<footer", 1)[0]
    )


def test_closing_waits_for_parents_feedback_and_says_so(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, COORDINATOR)
    html = get(client, review_page(cycle_id)).get_data(as_text=True)
    assert "Bevor der Zyklus abgeschlossen werden kann, fehlt noch:" in html
    assert "Rückmeldungen von Eltern" in html


def test_a_contributor_records_feedback_but_cannot_judge_or_record_lessons(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, CONTRIBUTOR)
    page = review_page(cycle_id)
    html = get(client, page).get_data(as_text=True)
    assert "Ist das Ziel erreicht?" not in html and "Erkenntnis speichern" not in html
    assert "Rückmeldung speichern" in html
    before = state(web_app, cycle_id)
    goal_id = next(iter(before["goals"]))
    judged = post_form(
        client,
        page,
        judge_url(cycle_id, goal_id),
        judgement(goal_id, "reached", "Sieht gut aus.", before["version"]),
    )
    learned = post_form(
        client,
        page,
        f"/o/{SLUG}/cycles/{cycle_id}/review/lessons",
        {"lesson-text": "Etwas", "lesson-theme": "", "lesson-version": str(before["version"])},
    )
    assert judged.status_code == learned.status_code == 403
    assert state(web_app, cycle_id) == before
    told = post_form(
        client,
        page,
        f"/o/{SLUG}/cycles/{cycle_id}/review/feedback",
        {
            "feedback-source": "practitioners",
            "feedback-theme": "",
            "feedback-text": "Die Fallberatung hilft.",
            "feedback-version": str(before["version"]),
        },
    )
    assert told.status_code == 302
    assert state(web_app, cycle_id)["version"] == before["version"] + 1


def test_a_viewer_reads_the_review_without_forms(client: FlaskClient, web_app: Flask) -> None:
    sign_in(client, VIEWER)
    cycle_id = cycle_ids(client, SLUG)[0]
    bring_to_review(web_app, cycle_id)
    before = state(web_app, cycle_id)
    html = get(client, review_page(cycle_id)).get_data(as_text=True)
    assert "Ziele und ihre Bewertung" in html
    assert "/review/" not in html
    response = post_form(
        client,
        review_page(cycle_id),
        f"/o/{SLUG}/cycles/{cycle_id}/review/feedback",
        {"feedback-source": "parents", "feedback-theme": "", "feedback-text": "x"},
    )
    assert response.status_code == 403
    assert state(web_app, cycle_id) == before


def test_a_judgement_without_verdict_or_evidence_shows_errors_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, COORDINATOR)
    before = state(web_app, cycle_id)
    goal_id = next(iter(before["goals"]))
    response = post_form(
        client,
        review_page(cycle_id),
        judge_url(cycle_id, goal_id),
        judgement(goal_id, "vielleicht", "  ", before["version"]),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "erreicht" in error_next_to(html, f"r-{goal_id}-verdict")
    assert error_next_to(html, f"r-{goal_id}-evidence")
    assert state(web_app, cycle_id) == before


def test_feedback_from_an_unknown_source_is_refused_next_to_the_field(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, COORDINATOR)
    before = state(web_app, cycle_id)
    response = post_form(
        client,
        review_page(cycle_id),
        f"/o/{SLUG}/cycles/{cycle_id}/review/feedback",
        {
            "feedback-source": "nachbarn",
            "feedback-theme": "",
            "feedback-text": "Text",
            "feedback-version": str(before["version"]),
        },
    )
    assert response.status_code == 400
    assert "von wem" in error_next_to(response.get_data(as_text=True), "feedback-source")
    assert state(web_app, cycle_id) == before


def test_a_stale_judgement_gets_a_conflict_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = reviewing(client, web_app, COORDINATOR)
    before = state(web_app, cycle_id)
    goal_id = next(iter(before["goals"]))
    response = post_form(
        client,
        review_page(cycle_id),
        judge_url(cycle_id, goal_id),
        judgement(goal_id, "reached", "Belegt.", before["version"] - 3),
    )
    assert response.status_code == 409
    assert "inzwischen etwas geändert" in response.get_data(as_text=True)
    assert state(web_app, cycle_id) == before


def test_before_the_review_the_page_says_when_goals_are_judged(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)
    cycle_id = cycle_ids(client, SLUG)[0]
    html = get(client, review_page(cycle_id)).get_data(as_text=True)
    assert "Ziele werden in der Phase „Evaluation und Weiterentwicklung“ bewertet" in html
    assert "Ist das Ziel erreicht?" not in html
    assert "Rückmeldung speichern" in html  # feedback is gathered during implementation too


def test_a_closed_cycle_offers_the_follow_up_to_coordinators_only(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)
    closed = cycle_ids(client, SLUG)[1]
    html = get(client, review_page(closed)).get_data(as_text=True)
    assert f'href="/o/{SLUG}/cycles/new?follows={closed}"' in html
    assert "Elterncafé im Familienzentrum" in html  # the demo's parents' feedback
    viewer = web_app.test_client()
    sign_in(viewer, VIEWER)
    assert "follows=" not in get(viewer, review_page(closed)).get_data(as_text=True)
    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    assert get(stranger, review_page(closed)).status_code == 404
