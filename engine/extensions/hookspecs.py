"""Every hook a Qualizyklus plugin can implement. These docstrings are the plugin author's reference
(docs/hooks.md is generated from them and a test keeps the two equal).

A plugin is a module (or object) with functions marked ``@engine.hookimpl`` whose names are the
hook names below, registered through the ``qualizyklus`` entry-point group. Hooks are called with
keyword arguments, and an implementation takes only the arguments it needs. Plain data goes in
(a cycle as the dict that ``Qualizyklus.cycle()`` returns) and frozen data comes out (the types in
``engine``); a plugin never sees or changes an aggregate, and never defines event classes.

Isolation: a plugin that raises, returns the wrong type or takes longer than the time limit
(``QUALIZYKLUS_PLUGIN_TIMEOUT``, 5 seconds) is named in a notice and its contribution is left out
of the page; where the hook decides whether something may happen (gates, validation), the action
is refused with a message naming the plugin and nothing is written.

Contract: each hook below says what stays as it is (**Stable**) and what a later release may
change (**May change**). A hook's name, its arguments' names and meaning and its options
(firstresult, historic) change only with an entry in the changelog at the end of this
reference; arguments are added, never removed or renamed, within a major version, and an
implementation never has to take a new argument (it takes only those it names). New hooks may
be added at any time. A test records every hook's signature (tests/docs/hook_signatures.json)
and fails when one changes without its changelog entry.

Adding or changing a hook (for engine developers): change its spec in
engine/extensions/hookspecs.py, with its **Stable**/**May change** notes; add an entry under
the hook's name in engine/extensions/hookdoc_changelog.toml (one ``[[hook_name]]`` table per
change, hooks in alphabetical order, oldest entry first, recording the arguments and options
after the change); then write the signatures and the reference anew:
``python -m engine.extensions.hookdoc --signatures > tests/docs/hook_signatures.json`` and
``python -m engine.extensions.hookdoc > docs/hooks.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from engine.domain.catalogue import Theme
    from engine.domain.contributions import FieldProblem, Insight, ReportSection
    from engine.domain.errors import Reason
    from engine.domain.question_sets import QuestionSet

hookspec = pluggy.HookspecMarker("qualizyklus")


@hookspec
def register_themes() -> list[Theme]:  # type: ignore[empty-body]
    """Return the theme catalogues this plugin contributes.

    Called once when the engine starts. Each :class:`engine.Theme` is checked as it is built
    (ids, scales, texts in German); a theme id must be unique among the installed plugins, or
    the engine refuses to start and names both. Bump ``Theme.version`` when the catalogue
    changes: every cycle records the version it was assessed against.

    A theme that keeps data of its own on a cycle beyond goals and measures (a logic model, a
    theory of change) declares its record kinds in ``Theme.record_schemas``: kind id ->
    marshmallow schema of a record's ``attrs``. Records are changed with
    ``Qualizyklus.change_records`` (several saves and removals at once, each with an optional
    free ``text`` that can be erased), reach every hook as
    ``cycle["records"][theme_id][kind][record_id] = {"attrs": {...}, "text": str}``, and are
    carried into a follow-up cycle (a list under the attrs key ``goal_ids`` is emptied there,
    as goals stay with their cycle). ``Theme.cycle_pages`` names pages of the theme's own
    blueprint (:func:`web_blueprints`) that a cycle's navigation links to: endpoint -> link
    text (:class:`engine.Text`); the view takes ``slug`` and ``cycle_id``.

    **Stable:** called once per engine start, before any command; a theme id stays the key of
    its data in every cycle; fields added to the catalogue types have defaults, so a theme
    written today still builds. **May change:** more fields on :class:`engine.Theme` and the
    types it is built from (optional ones), and more checks of a theme as it is built, each
    with a message naming the theme.
    """


@hookspec
def register_workflows() -> list[Path]:  # type: ignore[empty-body]
    """Return paths of workflow definition files (TOML, as in the ``workflows/`` folder).

    Called once at start-up. A malformed file stops the start with a message naming the file
    and the fault; an id and version that already exist are refused the same way.

    **Stable:** called once at start-up; the file format of ``workflows/standard-v2.toml``
    (phases, transitions, the core gates they name) is read as it is today. **May change:**
    new optional keys in the file format.
    """


@hookspec
def gate_reasons(  # type: ignore[empty-body]
    cycle: Mapping[str, Any], source: str, target: str, themes: Mapping[str, Theme]
) -> list[Reason]:
    """Return every reason why ``cycle`` may not move from phase ``source`` to ``target``.

    Called before each forward transition (and when a cycle migrates to a newer workflow
    version, for the transitions it has passed), besides the core gates the definition names.
    Return an empty list to let the cycle pass; look at ``cycle["themes"]`` to act only for
    cycles that use your theme. ``themes`` maps every installed theme id to its
    :class:`engine.Theme` (to name a theme or read its criteria in a reason). Each
    :class:`engine.Reason` needs a stable ``code`` and a plain-language German text (``de``)
    with English (``en``). All reasons of all plugins are shown together. A gate that raises or
    hangs blocks the transition (fail closed).

    **Stable:** the arguments and their meaning, fail closed, all reasons of all plugins shown
    together, the dict keys of ``cycle`` listed in docs/plugins.md. **May change:** how often
    the hook is called (pages that show the next step call it too; cache nothing between
    calls); new keys in ``cycle``; the phase names of workflows other than the standard one.
    """


@hookspec
def validate_item(  # type: ignore[empty-body]
    kind: str, item: Mapping[str, Any], phase: str, themes: Mapping[str, Theme]
) -> list[FieldProblem]:
    """Object to a goal, measure, assessment, feedback or a change of records before it is
    recorded.

    ``kind`` is ``"goal"``, ``"measure"``, ``"assessment"``, ``"feedback"`` or ``"records"``;
    ``item`` holds its fields as the event will (``theme_id``, ``attrs`` already checked by the
    theme's schema, dates as ``datetime.date``); ``phase`` is the cycle's current phase;
    ``themes`` maps every installed theme id to its :class:`engine.Theme`. Return
    :class:`engine.FieldProblem` objects naming the field
    (``"attrs.participation_level"``) and what is wrong; every problem of every plugin is
    shown to the user at once (each next to its field, all in the page's error summary and
    the API's ``errors``), together with the command's own field problems, and nothing is
    written.

    For ``"records"`` (a change of a theme's records, ``Qualizyklus.change_records``), ``item``
    holds ``theme_id``, ``records`` (the theme's records as they would be *after* the change:
    ``{kind: {record_id: {"attrs", "text"}}}``, each record's attrs checked by its kind's
    schema) and ``goals`` (the cycle's goals: ``{goal_id: {"theme_id", "title"}}``), so that a
    plugin can check references between records (an arrow's ends exist) and to goals. Name a
    record's field ``"records.<kind>.<record_id>.attrs.<field>"``. Schemas on the
    :class:`engine.Theme` already check a theme's own attrs;
    use this hook for rules that need more (another field, the phase). Fail closed. It runs on
    every such command, in the request: keep it to microseconds (no I/O); a call over the time
    limit refuses the command, and one that never returns is ended by the server's worker
    timeout, with nothing written.

    **Stable:** the arguments, the five kinds, the dotted field names of ``attrs`` (as the
    API's errors and the page's inputs name them), fail closed, nothing written on a
    problem, every problem shown at once. **May change:** new kinds of item (return no problem
    for a kind you do not know); the order in which problems of several plugins are listed.
    """


@hookspec
def insights(  # type: ignore[empty-body]
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None, themes: Mapping[str, Theme]
) -> list[Insight]:
    """Return figures and charts computed from ``cycle`` (and ``previous``, the cycle it follows).

    ``previous`` is None for a first cycle; ``themes`` maps every installed theme id to its
    :class:`engine.Theme`. Shown on the cycle's pages and dashboards. Return an empty list for
    cycles without your theme. Give every :class:`engine.Figure` a ``key`` that stays the same
    in every cycle (``"mean-progress"``; one per figure of an insight): the dashboard joins a
    closed cycle's figures with other years' by insight id and key, never by position, so a
    figure that only some cycles have (a comparison with ``previous``) gets its own row.
    Wording that depends on a count goes through ``Text.counted(n, one=..., other=...)``
    (each language's plural rule picks the form; ``{n}`` stands for the count), never through
    ``n == 1``; shares through ``engine.percent`` ("62,5 %", "62.5%") or as a number with the
    unit ``"%"``, which the page writes as the reader's language does.
    Keep it fast (it runs while a page renders) and pure (no writes, no network). A failing
    insight is left out and the page names your plugin in a notice. During the analysis a
    member who has not yet rated a criterion gets figures computed without its ratings (the
    blind first round): ``cycle["assessments"]`` then holds only the criteria they may see.

    **Stable:** the arguments; fail open; figures joined across years by insight id and
    ``key``. **May change:** where insights are shown (more pages, exports) and how they are
    laid out; new optional fields of :class:`engine.Insight` and its parts.
    """


@hookspec
def report_sections(  # type: ignore[empty-body]
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None, themes: Mapping[str, Theme]
) -> list[ReportSection]:
    """Return this plugin's sections of the cycle report (Qualitätsbericht) for a committee.

    ``cycle`` is the reported cycle, ``previous`` the cycle it follows (or None), ``themes``
    maps every installed theme id to its :class:`engine.Theme`. Sections hold paragraphs,
    figures, tables and charts as data (never HTML), worded as for :func:`insights` (counts
    through ``Text.counted``, shares through ``engine.percent``). A failing section is left out
    and the report names your plugin in a notice.

    A picture no chart can show (boxes and arrows, a map) goes into ``drawings`` as an
    :class:`engine.Drawing`: one ``<svg>`` per language, its title and a text alternative. The
    report rebuilds the SVG from a strict whitelist (shapes, text, markers, presentation
    attributes, local ``url(#id)`` only; no script, style, link, image or ``foreignObject``)
    and prints it on an A4 landscape page of its own, scaled to fit, with the text alternative
    under it; a drawing taller than the page is printed as wide as the page in page-high bands.
    Every element and every word of a printed SVG costs the PDF time: draw with few elements
    (one path for many lines), keep the words few and say the rest in paragraphs and tables.

    **Stable:** the arguments; fail open; sections as data, never HTML; a drawing's markup is
    whitelisted, never shown as given. **May change:** the order and layout of sections in the
    report (HTML, PDF), how a drawing is printed, new optional fields of
    :class:`engine.ReportSection`, elements and attributes added to the whitelist.
    """


@hookspec
def event_committed(event: Mapping[str, Any]) -> None:
    """Be told about each event after it has been stored.

    ``event`` holds ``name`` (e.g. ``"MeasureStatusChanged"``), ``topic``, ``aggregate_id``,
    ``version``, ``timestamp``, ``actor_id``, ``reason`` and ``data`` (the event's own fields).
    Called in the process that wrote the event, once per event, in order, shortly after the
    transaction, on a thread of its own (a slow subscriber never slows a command down; events
    still queued when the process stops are not delivered). Use it for notifications or
    caches, never to change the event (it is sealed). An exception is logged and undoes
    nothing.

    **Stable:** the keys of ``event`` named above, delivery after the commit, in order, once
    per process that wrote the event. **May change:** new event names and new fields in
    ``data`` (ignore those you do not know); a stored event's ``data`` never changes, but an
    old event may reach you upcast to its current form.
    """


@hookspec
def web_blueprints() -> list[Any]:  # type: ignore[empty-body]
    """Return Flask blueprints to mount in the web application (with their templates).

    Each blueprint's name must be unique; its ``url_prefix`` should start with
    ``/themes/<theme id>``. Views must check the caller's organisation and role exactly as the
    core views do. Called once when the web application is created.

    A view reaches the application through ``engine.page_host(current_app.extensions)``, a
    :class:`engine.PageHost` (a plugin imports neither ``web`` nor the engine's inner modules):
    ``member_cycle(slug, cycle_id, permission)`` gives the cycle as the signed-in member sees
    it (an :class:`engine.MemberCycle`: ``organisation``, ``cycle`` as hooks receive it,
    ``actor_id``, ``role``, ``closed``, ``can(permission)``; a 404 for other organisations, a
    403 without the permission), ``change_records(page, theme_id, ...)`` (with ``saves``,
    ``removals``, ``reason`` and ``expected_version``) changes the theme's records as that member
    (:class:`engine.InvalidInput` names every problem, :class:`engine.Conflict` a newer
    version), and ``themes`` the installed themes. Templates may extend the core's
    ``base.html``, post with ``csrf_token()`` and show a :class:`engine.Text` with ``t``;
    ``flask_login.login_required`` sends a visitor who is not signed in to sign in.

    **Stable:** called once per web application; blueprints mounted as Flask blueprints with
    their own templates; :class:`engine.PageHost` and :class:`engine.MemberCycle` as
    described. **May change:** the core's templates, CSS and page layout; a blueprint whose
    name is taken is left out and logged.
    """


@hookspec
def survey_question_sets() -> list[QuestionSet]:  # type: ignore[empty-body]
    """Return the question sets for parents' surveys that this plugin contributes.

    A coordinator creates a survey from one of them, leaves questions out and adds own ones.
    Build each :class:`engine.QuestionSet` with ``QuestionSet.from_data`` from plain data
    (usually a JSON file beside your catalogue): an ``id``, a ``title`` and ``questions``, each
    with an ``id``, a ``kind`` (``"single"``, ``"multi"``, ``"smiley"`` with the options
    ``"1"`` to ``"5"``, or ``"text"``), a ``text`` and, for choice questions, ``options`` with
    an ``id`` and a ``text``. Texts are given per survey language (``de``, ``ls`` for Leichte
    Sprache, ``en``, ``tr``, ``ar``, ``ru``, ``uk``); German is required, and a survey offers
    parents only the languages in which every one of its questions has a text. A survey keeps
    a copy of its questions, so changing or removing a set never changes a survey's results.
    Called when a coordinator opens the survey pages; a failing plugin's sets are left out and
    the page names the plugin in a notice.

    **Stable:** no arguments; fail open; the plain-data form ``QuestionSet.from_data`` reads
    (ids, kinds, texts per language) and that a survey keeps its own copy of the questions.
    **May change:** new question kinds and new survey languages (a set without a text in a new
    language is simply not offered in it), new optional fields of :class:`engine.QuestionSet`.
    """
