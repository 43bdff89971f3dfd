"""A cycle's overview: where it stands, what the next step needs, the phase changes, insights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import current_app, g, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField

from engine.application.recent import Recent
from engine.domain import shapes
from engine.domain.errors import GateRefused, Reason
from web import kept_pages
from web.feedback import Problem, note, tell
from web.forms import Form, text, text_area
from web.i18n import PHASES, language
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person, run

FRAGMENTS = 64


class VersionForm(Form):
    """A form that carries the version of the cycle the person saw."""

    version = HiddenField()

    def expected(self) -> int | None:
        """The version the page showed (None if the form did not say)."""
        version = text(self.version)
        return int(version) if version.isdigit() else None


class GatedForm(VersionForm):
    """A phase change that the workflow's gates may refuse: the reasons are shown in place."""

    blocked: list[Reason] | None = None
    """Why the engine refused the last attempt (shown next to the button), if it did."""

    def problems(self) -> list[Problem]:
        """The refusal as one entry of the error summary, linked to the reasons."""
        if not self.blocked:
            return []
        return [Problem(str(_l("Der Phasenwechsel ist noch nicht möglich.")), self.blocked_id)]

    @property
    def blocked_id(self) -> str:
        """The id of the element that lists the reasons."""
        return f"{self._prefix}blocked"

    def attempt(self, command: Callable[[], Any]) -> Callable[[], None]:
        """``command``, with a refusal by the gates kept on this form instead of raised."""

        def attempted() -> None:
            try:
                command()
            except GateRefused as error:
                self.blocked = list(error.reasons)
                note(self)

        return attempted


class AdvanceForm(GatedForm):
    """Move on to the next phase."""


class CloseForm(GatedForm):
    """Close the cycle after its review."""

    summary = text_area(
        _l("Zusammenfassung"),
        shapes.CLOSING["summary"],
        _l("Fassen Sie zusammen, was der Zyklus erreicht hat."),
    )
    follow_up = text_area(_l("Wie geht es weiter?"), shapes.CLOSING["follow_up"])


class ReopenForm(VersionForm):
    """Go back to an earlier phase, with a reason."""

    to_phase = SelectField(_l("Zurück zur Phase"))
    reason = text_area(
        _l("Begründung"),
        shapes.REOPENING["reason"],
        _l("Geben Sie an, warum die Phase wieder geöffnet wird."),
    )


def _forms(page: CyclePage) -> dict[str, VersionForm]:
    definition = engine().definition_of(page.id)
    reopen = ReopenForm(prefix="reopen")
    reopen.to_phase.choices = [
        (t.target, str(PHASES.get(t.target, t.target)))
        for t in definition.transitions
        if t.source == page.cycle["phase"] and t.kind == "reopen"
    ]
    forms: dict[str, VersionForm] = {
        "advance": AdvanceForm(prefix="advance"),
        "close": CloseForm(prefix="close"),
        "reopen": reopen,
    }
    for form in forms.values():
        form.version.data = form.version.data or str(page.cycle["version"])
    return forms


def _render(page: CyclePage, forms: dict[str, VersionForm], status: int = 200) -> tuple[str, int]:
    """The overview with the given forms (refused ones with their errors)."""
    app = engine()
    step = app.next_step(page.id, actor_id=person())
    definition = app.definition_of(page.id)
    follow_up = None
    if step["next"] is None:
        cycles = app.cycles_of(UUID(page.member.organisation["id"]), actor_id=person())
        follow_up = next((c for c in cycles if c["follows"] == page.cycle["id"]), None)
    return (
        render_template(
            "ui/cycle.html",
            page=page,
            step=step,
            follow_up=follow_up,
            insights_html=_insights_html(page),
            definition=definition,
            forms=forms,
            themes=app.themes,
        ),
        status,
    )


def _insights_html(page: CyclePage) -> Markup:
    """The insights section; the same for every reader of a version (and for each reader in
    the blind first round, whose figures leave out the criteria not yet rated), so rendered
    once per key."""
    insights = engine().insights(page.id, actor_id=person())
    if insights.notices:
        g.insights_with_notices = True
    fragments: Recent[tuple[Any, ...], Markup] = current_app.extensions.setdefault(
        "qualizyklus.fragments", Recent(FRAGMENTS)
    )
    return fragments.get(
        ("insights", insights.key, language()),
        lambda: Markup(render_template("ui/_insights.html", insights=insights)),
        keep=lambda _html: bool(insights.key) and not insights.notices,
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/")
@login_required
def cycle(slug: str, cycle_id: str) -> kept_pages.Answer:
    """The cycle's overview (kept a few minutes per reader and version, see ``_data_key``)."""
    page = cycle_page(slug, cycle_id)
    key = _data_key(page)
    if key is None:
        return _render(page, _forms(page))
    return kept_pages.kept(
        key,
        lambda: _render(page, _forms(page)),
        keep=lambda got: got[1] == 200 and not g.get("insights_with_notices"),
    )


def _data_key(page: CyclePage) -> tuple[Any, ...] | None:
    """What the overview shows depends on, or None when it must be rendered afresh.

    Besides the reader, their language, session and the day (web/kept_pages.py), the page is a
    function of the cycle's and the organisation's versions and the version of the cycle it
    follows (the insights compare with it); a page with a refused form or a plugin's notice is
    never kept.
    """
    submitted = ("comment_form", "upload_form", "withdraw_form")
    if any(g.get(n) for n in submitted):
        return None
    follows = page.cycle["follows"]
    return (
        "overview",
        page.cycle["version"],
        page.member.organisation["version"],
        follows and engine().version_of(UUID(follows)),
    )


@blueprint.post("/o/<slug>/cycles/<cycle_id>/advance")
@login_required
def advance(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Move on to the next phase if every gate passes; else the overview again (409) with
    every reason next to the button."""
    page = cycle_page(slug, cycle_id, "moderate")
    forms = _forms(page)
    form = forms["advance"]
    assert isinstance(form, GatedForm)
    target = engine().next_step(page.id, actor_id=person())["next"]
    command = form.attempt(
        lambda: engine().advance_phase(page.id, actor_id=person(), expected_version=form.expected())
    )
    done = form.validate_on_submit() and run(command) and not form.blocked
    return _after(
        page,
        forms,
        bool(done),
        _l("Die Phase „%(phase)s“ hat begonnen.", phase=PHASES.get(target, target)),
        409 if form.blocked else 400,
    )


@blueprint.post("/o/<slug>/cycles/<cycle_id>/close")
@login_required
def close(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Close the cycle with a summary and what follows."""
    page = cycle_page(slug, cycle_id, "moderate")
    forms = _forms(page)
    form = forms["close"]
    assert isinstance(form, GatedForm)
    command = form.attempt(
        lambda: engine().close_cycle(
            page.id,
            actor_id=person(),
            summary=text(form.summary),
            follow_up=text(form.follow_up),
            expected_version=form.expected(),
        )
    )
    done = form.validate_on_submit() and run(command, form) and not form.blocked
    return _after(
        page,
        forms,
        bool(done),
        _l("Sie haben den Zyklus abgeschlossen."),
        409 if form.blocked else 400,
    )


@blueprint.post("/o/<slug>/cycles/<cycle_id>/reopen")
@login_required
def reopen(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Go back to an earlier phase, for a stated reason."""
    page = cycle_page(slug, cycle_id, "moderate")
    forms = _forms(page)
    form = forms["reopen"]
    return _after(
        page,
        forms,
        form.validate_on_submit()
        and run(
            lambda: engine().reopen_phase(
                page.id,
                actor_id=person(),
                to_phase=text(form.to_phase),
                reason=text(form.reason),
                expected_version=form.expected(),
            ),
            form,
        ),
        _l(
            "Die Phase „%(phase)s“ ist wieder geöffnet.",
            phase=PHASES.get(text(form.to_phase), text(form.to_phase)),
        ),
    )


def _after(
    page: CyclePage,
    forms: dict[str, VersionForm],
    done: bool,
    success: Any = None,
    status: int = 400,
) -> Response | tuple[str, int]:
    """Back to the overview after a change (saying what ``success`` says); the page again,
    with the refusal and ``status``, otherwise."""
    if done:
        if success is not None:
            tell(str(success))
        return redirect(url_for("ui.cycle", slug=page.slug, cycle_id=page.id))
    return _render(cycle_page(page.slug, str(page.id)), forms, status)
