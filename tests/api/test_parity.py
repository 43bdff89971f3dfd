"""Everything the UI does, the API does too: a walk over the UI's URL map and the OpenAPI paths.

Every rule of a UI blueprint (every blueprint that is not the API's) must have an API
counterpart, or be named below as presentation only or as deliberately outside the API, each
with its reason. Most counterparts are found by convention (see ``conventional_path``): a page
under ``/o/<slug>/cycles/<cycle_id>/x`` matches the API's ``/cycles/{cycle_id}/x``, a page
under ``/o/<slug>/x`` the API's ``/organisations/{slug}/x``, any other ``/x`` the API's ``/x``.
A rule that accepts POST is an action (its GET is the form of it) and needs a writing
operation there; a rule that only reads needs a GET.

Adding a UI feature: give it its API route under the conventional path and nothing is to be
added here; otherwise add one line to ``COUNTERPARTS`` (or, with its reason, to
``PRESENTATION_ONLY`` or ``OUTSIDE_THE_API``).
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.routing import Rule

from tests.api.conftest import Api
from web.api.common import API_BLUEPRINTS

PREFIX = "/api/v1"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

COUNTERPARTS: dict[str, tuple[str, ...]] = {
    # UI endpoint: its API operations ("METHOD /path" as in docs/openapi.json, without /api/v1)
    "ui.home": ("GET /organisations",),
    "ui.organisation": ("GET /organisations/{slug}", "GET /organisations/{slug}/cycles"),
    "ui.start_cycle": ("POST /organisations/{slug}/cycles",),
    "ui.members_add": ("PUT /organisations/{slug}/members/{member_id}",),
    "ui.members_role": ("PUT /organisations/{slug}/members/{member_id}",),
    "ui.members_remove": ("DELETE /organisations/{slug}/members/{member_id}",),
    "ui.members_new": ("POST /organisations/{slug}/invitations",),
    "ui.members_invite": ("POST /organisations/{slug}/invitations/{member_id}",),
    "ui.members_erase": ("POST /organisations/{slug}/members/{member_id}/erasure",),
    "ui.members_themes": ("PUT /organisations/{slug}/themes",),
    "ui.members_state_sharing": ("PUT /organisations/{slug}/state-sharing",),
    "ui.state": ("GET /lands", "GET /lands/{code}"),
    "ui.state_of": ("GET /lands/{code}",),
    "ui.state_csv": ("GET /lands/{code}",),  # the same figures as a file
    "ui.state_pdf": ("GET /lands/{code}",),  # the page printed
    "ui.analyse": ("GET /cycles/{cycle_id}", "GET /cycles/{cycle_id}/assessment-summary"),
    "ui.analyse_rate": ("POST /cycles/{cycle_id}/assessments",),
    "ui.analyse_finding": ("POST /cycles/{cycle_id}/findings",),
    "ui.analyse_withdraw": ("POST /cycles/{cycle_id}/findings/{finding_id}/withdrawal",),
    "ui.analyse_priorities": ("PUT /cycles/{cycle_id}/priorities",),
    "ui.as_of": ("GET /cycles/{cycle_id}/state",),
    # The impact-orientation theme's logic model page (its plugin's blueprint): the theme's
    # records, read and changed in batches through the generic records API.
    "impact_orientation.logic_model": ("GET /cycles/{cycle_id}/themes/{theme_id}/records",),
    "impact_orientation.save_element": ("POST /cycles/{cycle_id}/themes/{theme_id}/records",),
    "impact_orientation.remove_elements": ("POST /cycles/{cycle_id}/themes/{theme_id}/records",),
    "impact_orientation.save_arrow": ("POST /cycles/{cycle_id}/themes/{theme_id}/records",),
    "impact_orientation.remove_arrows": ("POST /cycles/{cycle_id}/themes/{theme_id}/records",),
    "impact_orientation.choose_gate": ("POST /cycles/{cycle_id}/themes/{theme_id}/records",),
    "ui.plan": ("GET /cycles/{cycle_id}/goals", "GET /cycles/{cycle_id}/measures"),
    "ui.plan_new_goal": ("POST /cycles/{cycle_id}/goals",),
    "ui.plan_revise_goal": ("PUT /cycles/{cycle_id}/goals/{goal_id}",),
    "ui.plan_new_measure": ("POST /cycles/{cycle_id}/measures",),
    "ui.plan_revise_measure": ("PUT /cycles/{cycle_id}/measures/{measure_id}",),
    "ui.implement": ("GET /cycles/{cycle_id}/measures", "GET /cycles/{cycle_id}/goals"),
    "ui.implement_status": ("PUT /cycles/{cycle_id}/measures/{measure_id}/status",),
    "ui.implement_value": ("POST /cycles/{cycle_id}/goals/{goal_id}/values",),
    "ui.implement_value_page": ("GET /cycles/{cycle_id}/goals/{goal_id}",),
    "ui.implement_correct_value": ("PUT /cycles/{cycle_id}/goals/{goal_id}/values/{position}",),
    "ui.implement_withdraw_value": (
        "POST /cycles/{cycle_id}/goals/{goal_id}/values/{position}/withdrawal",
    ),
    "ui.review": ("GET /cycles/{cycle_id}/goals",),
    "ui.review_judge": ("PUT /cycles/{cycle_id}/goals/{goal_id}/review",),
    "ui.review_lesson": ("POST /cycles/{cycle_id}/lessons",),
    "ui.review_feedback": ("POST /cycles/{cycle_id}/feedback",),
    "ui.upload_attachment": ("POST /cycles/{cycle_id}/attachments/upload",),
    "ui.download_attachment": ("GET /cycles/{cycle_id}/attachments/{attachment_id}/content",),
    "ui.withdraw_attachment": ("DELETE /cycles/{cycle_id}/attachments/{attachment_id}",),
    "ui.sessions": ("GET /cycles/{cycle_id}/sessions",),
    "ui.session_screen": ("GET /cycles/{cycle_id}/sessions",),  # each session with its results
    "ui.session_live": ("GET /cycles/{cycle_id}/sessions",),  # the screen's figures, polled
    "ui.session_round": ("POST /cycles/{cycle_id}/sessions/{session_id}/rounds",),
    "ui.session_finding": ("POST /cycles/{cycle_id}/findings",),  # a discussion note as finding
    "ui.session_erase_name": (
        "POST /cycles/{cycle_id}/sessions/participants/{participant_id}/erasure",
    ),
    "ui.erase_free_text": ("POST /cycles/{cycle_id}/texts/{reference}/erasure",),
    "ui.surveys": ("GET /cycles/{cycle_id}/surveys", "GET /question-sets"),
    "ui.paper_answer": ("POST /cycles/{cycle_id}/surveys/{survey_id}/paper-answers",),
    "reports.report": ("GET /cycles/{cycle_id}", "GET /cycles/{cycle_id}/insights"),
    "reports.report_pdf": ("GET /cycles/{cycle_id}", "GET /cycles/{cycle_id}/insights"),
    "reports.export_csv": ("GET /cycles/{cycle_id}/goals", "GET /cycles/{cycle_id}/measures"),
    "reports.export_xlsx": ("GET /cycles/{cycle_id}/plan.csv",),
}

PRESENTATION_ONLY: dict[str, str] = {
    # UI endpoint: why it has no API counterpart (it shows nothing a client needs)
    "ui.favicon": "the site's icon",
    "impact_orientation.static": "the logic model page's style sheet",
    "ui.help_page": "the user guide, a text for readers",
    "ui.figures_help": "how the figures are calculated, a text for readers",
    "ui.easy_language": "the site explained in easy language, a text for readers",
    "ui.accessibility": "the accessibility statement, a legal text",
    "ui.privacy": "the privacy notice, a legal text",
    "ui.imprint": "the imprint, a legal text",
    "ui.survey_qr": "a survey's QR code as a picture; the API gives the survey and its link",
    "ui.survey_print": "a survey's poster, flyer and paper form, printables for people",
    "auth.choose_language": "the pages' language; every API answer carries both languages",
}

OUTSIDE_THE_API: dict[str, str] = {
    # UI endpoint: why it is deliberately not in the API
    "auth.sign_in": "a person signs in; machines send a bearer token instead",
    "auth.sign_out": "ends the browser's session; a token is revoked by a coordinator",
    "ui.password_set": "a person sets their own password through a mailed one-time link",
    "ui.password_forgot": "asks for such a link; no client handles people's passwords",
    "ui.tokens": "tokens are managed by people (page or CLI): a leaked token must not mint more",
    "ui.tokens_create": "tokens are created by people (page or CLI), never by another token",
    "ui.tokens_revoke": "tokens are revoked by people (page or CLI)",
    "ui.admin": "the installation's administration (pages and CLI), no organisation's business",
    "ui.admin_organisation": "the installation's administration: registering organisations",
    "ui.admin_person": "the installation's administration: people across organisations",
    "ui.admin_invite": "the installation's administration: people across organisations",
    "ui.admin_right": "the installation's administration: who administers it",
    "ui.admin_sign_out": "the installation's administration: ending someone's sessions",
    "ui.admin_state_coordinator": "the installation's administration: state office roles",
    "ui.admin_state_coordinator_revoke": "the installation's administration: state office roles",
    "ui.survey_export": "parents' single answers leave only as the coordinator's file (#14)",
    "ui.erase_survey_text": "free-text answers are single answers the API never carries (#14)",
    "parents.start": "parents answer on the survey's own pages; no account, no token",
    "parents.layout": "parents answer on the survey's own pages; no account, no token",
    "parents.all_questions": "parents answer on the survey's own pages; no account, no token",
    "parents.one_question": "parents answer on the survey's own pages; no account, no token",
    "parents.review": "parents answer on the survey's own pages; no account, no token",
    "parents.send": "parents answer on the survey's own pages; no account, no token",
    "parents.thanks": "parents answer on the survey's own pages; no account, no token",
    "ui.session_code": "participants of a meeting enter its code on a phone; no account",
    "ui.session_page": "a participant's page of a session, reached by code or QR code",
    "ui.session_join": "a participant joins a session with a pseudonym; no account, no token",
    "ui.session_rate": "a participant rates in a session; no account, no token",
}


def api_operations(spec: dict[str, Any]) -> set[str]:
    """Every operation of the spec as "METHOD /path" (without the prefix)."""
    return {
        f"{method.upper()} {path.removeprefix(PREFIX)}"
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    }


def ui_rules(app: Any) -> list[Rule]:
    """Every rule of a blueprint that is not the API's (the pages, their files, signing in)."""
    api = {blueprint.name for blueprint in API_BLUEPRINTS}
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "." in rule.endpoint
        and rule.endpoint.split(".")[0] not in api
        and not rule.rule.startswith(PREFIX)
    ]


def conventional_path(rule: Rule) -> str:
    """The API path a page's rule has by convention."""
    path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule).rstrip("/") or "/"
    if path.startswith("/o/{slug}/cycles/{cycle_id}"):
        return path.removeprefix("/o/{slug}")
    return re.sub(r"^/o/\{slug\}", "/organisations/{slug}", path)


def wanted_methods(rule: Rule) -> frozenset[str]:
    """A rule that accepts POST is an action (writes); one that only reads, a view (GET)."""
    return WRITES if "POST" in (rule.methods or ()) else frozenset({"GET"})


def test_every_ui_action_and_view_has_an_api_counterpart(anonymous: Api) -> None:
    operations = api_operations(anonymous.get(f"{PREFIX}/openapi.json").get_json())
    missing = []
    for rule in ui_rules(anonymous.app):
        endpoint = rule.endpoint
        if endpoint in PRESENTATION_ONLY or endpoint in OUTSIDE_THE_API:
            continue
        if endpoint in COUNTERPARTS:
            continue
        path = conventional_path(rule)
        if not any(f"{method} {path}" in operations for method in wanted_methods(rule)):
            missing.append(
                f"{endpoint} {rule.rule} (looked for {sorted(wanted_methods(rule))} {path})"
            )
    assert not missing, (
        "UI rules without an API counterpart; add the API route, or a line to COUNTERPARTS, "
        "PRESENTATION_ONLY or OUTSIDE_THE_API in tests/api/test_parity.py:\n" + "\n".join(missing)
    )


def test_the_tables_name_real_pages_and_real_operations(anonymous: Api) -> None:
    operations = api_operations(anonymous.get(f"{PREFIX}/openapi.json").get_json())
    endpoints = {rule.endpoint for rule in ui_rules(anonymous.app)}
    named = [*COUNTERPARTS, *PRESENTATION_ONLY, *OUTSIDE_THE_API]
    assert len(named) == len(set(named)), "an endpoint is listed twice"
    assert not set(named) - endpoints, "entries for pages that no longer exist"
    unknown = {op for ops in COUNTERPARTS.values() for op in ops} - operations
    assert not unknown, f"counterparts that the API does not have: {sorted(unknown)}"
    assert all(reason.strip() for reason in {**PRESENTATION_ONLY, **OUTSIDE_THE_API}.values())


def test_the_convention_maps_pages_onto_api_paths() -> None:
    def rule(path: str, *methods: str) -> Rule:
        return Rule(path, methods=list(methods) or ["GET"], endpoint="ui.x")

    assert conventional_path(rule("/o/<slug>/cycles/<cycle_id>/")) == "/cycles/{cycle_id}"
    assert conventional_path(rule("/o/<slug>/dashboard")) == "/organisations/{slug}/dashboard"
    assert conventional_path(rule("/reminders")) == "/reminders"
    assert (
        conventional_path(rule("/o/<slug>/cycles/<cycle_id>/goals/<goal_id>/values/<int:position>"))
        == "/cycles/{cycle_id}/goals/{goal_id}/values/{position}"
    )
    assert wanted_methods(rule("/o/<slug>/themes", "GET", "POST")) == WRITES
    assert wanted_methods(rule("/o/<slug>/themes", "GET")) == {"GET"}
