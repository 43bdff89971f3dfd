"""The audit pages of a cycle: its history (filtered, paginated, with the seal check), the
difference between two versions, and the cycle as it stood on a date or at a version.

Everything here reads; nothing is written. Names come from the profile store at the time of
reading, so an erased person appears under a pseudonym, and the seals still hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.domain import EventSourcingError
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import TopicError
from flask import render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField, StringField
from wtforms.validators import Optional

from engine.application import audit
from engine.application.store import SYSTEM_ACTOR
from engine.domain.catalogue import Criterion, Theme
from engine.infrastructure.profiles import pseudonym
from web.forms import Form, add_error, text
from web.i18n import PHASES, ROLES, STATUSES, VERDICTS, localised, number, short_date
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page

PER_PAGE = 50
"""Events per page of the history, newest first."""
SPAN_GAP = 25
"""Versions this close together on one page are replayed in one go (cheaper than one by one)."""
LONG_TEXT = 140
"""Texts longer than this are shortened in tables; the full text is a click away."""
SEAL_SHOWN = 12
"""How many characters of a seal the pages show."""
REPLAY_FAULTS = (EventSourcingError, TopicError, KeyError, ValueError, TypeError, AttributeError)
"""What reading or replaying a damaged (tampered) store can raise."""

EVENT_LABELS = {
    "CycleStarted": _l("Zyklus begonnen"),
    "ThemeAdded": _l("Thema hinzugefügt"),
    "ThemeRemoved": _l("Thema entfernt"),
    "AssessmentRecorded": _l("Einschätzung abgegeben"),
    "FindingRecorded": _l("Befund festgehalten"),
    "FindingWithdrawn": _l("Befund zurückgezogen"),
    "PrioritiesSet": _l("Prioritäten gesetzt"),
    "GoalSet": _l("Ziel gesetzt"),
    "GoalRevised": _l("Ziel überarbeitet"),
    "MeasurePlanned": _l("Maßnahme geplant"),
    "MeasureRevised": _l("Maßnahme überarbeitet"),
    "MeasureStatusChanged": _l("Status einer Maßnahme geändert"),
    "IndicatorValueRecorded": _l("Indikatorwert erfasst"),
    "GoalReviewed": _l("Ziel bewertet"),
    "LessonRecorded": _l("Erkenntnis festgehalten"),
    "FeedbackRecorded": _l("Rückmeldung erfasst"),
    "AttachmentAdded": _l("Nachweis angehängt"),
    "AttachmentRemoved": _l("Nachweis entfernt"),
    "CommentAdded": _l("Kommentar geschrieben"),
    "PhaseAdvanced": _l("Nächste Phase begonnen"),
    "PhaseReopened": _l("Frühere Phase wieder geöffnet"),
    "CycleClosed": _l("Zyklus abgeschlossen"),
    "WorkflowMigrated": _l("Auf neue Ablaufversion umgestellt"),
    "OrganisationRegistered": _l("Organisation registriert"),
    "OrganisationRenamed": _l("Organisation umbenannt"),
    "RoleGranted": _l("Rolle vergeben"),
    "RoleRevoked": _l("Mitgliedschaft beendet"),
    "ThemesChosen": _l("Themen ausgewählt"),
    "StateSharingChanged": _l("Teilen mit der Landeskoordinierungsstelle geändert"),
    "CycleRegistered": _l("Zyklus registriert"),
}
"""A German label (with English translation) per event name; unknown names are shown as is."""

FIELD_LABELS = {
    "id": _l("Kennung"),
    "organisation_id": _l("Organisation"),
    "title": _l("Titel"),
    "themes": _l("Themen"),
    "shares_with_state": _l("Teilt namentlich mit der Landeskoordinierungsstelle"),
    "theme_versions": _l("Themenversionen"),
    "workflow_id": _l("Ablauf"),
    "workflow_version": _l("Ablaufversion"),
    "phase": _l("Phase"),
    "period_start": _l("Beginn"),
    "period_end": _l("Ende"),
    "follows": _l("Setzt fort"),
    "assessments": _l("Einschätzungen"),
    "findings": _l("Befunde"),
    "priorities": _l("Prioritäten"),
    "goals": _l("Ziele"),
    "measures": _l("Maßnahmen"),
    "lessons": _l("Erkenntnisse"),
    "feedback": _l("Rückmeldungen"),
    "attachments": _l("Nachweise"),
    "comments": _l("Kommentare"),
    "closing": _l("Abschluss"),
    "name": _l("Name"),
    "slug": _l("Kennung in Adressen"),
    "land": _l("Land"),
    "members": _l("Mitglieder"),
    "cycles": _l("Zyklen"),
    "status": _l("Status"),
    "goal_id": _l("Ziel"),
    "theme_id": _l("Thema"),
    "criterion_id": _l("Kriterium"),
    "responsible_member_id": _l("Verantwortlich"),
    "start": _l("Beginn"),
    "due": _l("Fällig"),
    "resources": _l("Ressourcen"),
    "attrs": _l("Angaben des Themas"),
    "carried_from_cycle": _l("Übernommen aus Zyklus"),
    "carried_from_measure": _l("Übernommen aus Maßnahme"),
    "kind": _l("Art"),
    "text": _l("Text"),
    "withdrawn": _l("Zurückgezogen"),
    "value": _l("Wert"),
    "note": _l("Notiz"),
    "recorded_at": _l("Erfasst am"),
    "version": _l("Version"),
    "indicator": _l("Indikator"),
    "unit": _l("Einheit"),
    "baseline": _l("Ausgangswert"),
    "target": _l("Zielwert"),
    "values": _l("Messwerte"),
    "review": _l("Bewertung"),
    "verdict": _l("Ergebnis"),
    "evidence": _l("Belege"),
    "measured_on": _l("Gemessen am"),
    "source": _l("Quelle"),
    "subject": _l("Bezug"),
    "author_id": _l("Verfasst von"),
    "written_at": _l("Geschrieben am"),
    "summary": _l("Zusammenfassung"),
    "follow_up": _l("Wie geht es weiter?"),
    "filename": _l("Datei"),
    "media_type": _l("Dateityp"),
    "size": _l("Größe (Bytes)"),
    "sha256": _l("Prüfsumme"),
    "added_by": _l("Hinzugefügt von"),
    "added_at": _l("Hinzugefügt am"),
    "removed": _l("Entfernt"),
}
"""Readable names of the fields of a cycle's (or an organisation's) state."""

FINDING_KINDS = {"strength": _l("Stärke"), "need": _l("Entwicklungsbedarf")}
FEEDBACK_SOURCES = {
    "parents": _l("Eltern"),
    "practitioners": _l("Fachkräfte"),
    "partners": _l("Netzwerkpartner"),
    "politics": _l("Politik"),
    "other": _l("Andere"),
}
SUBJECT_KINDS = {
    "goal": _l("Ziel"),
    "measure": _l("Maßnahme"),
    "finding": _l("Befund"),
    "lesson": _l("Erkenntnis"),
}
LAND_NAMES = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}
"""The Länder by their codes (proper names: the same in every language)."""
PERSON_FIELDS = frozenset({"responsible_member_id", "author_id", "added_by", "rater_id"})
CYCLE_FIELDS = frozenset({"follows", "carried_from_cycle", "cycles"})
PHASE_FIELDS = frozenset({"phase", "first_phase", "from_phase", "to_phase"})
HIDDEN_PATHS = frozenset({"id"})


def actor_name(actor_id: str, names: Mapping[str, str]) -> str:
    """Who did it: a display name, a pseudonym for erased people, 'System' for the system."""
    if actor_id == SYSTEM_ACTOR:
        return str(_("System"))
    if not actor_id:
        return "–"
    return names.get(actor_id) or pseudonym(actor_id)


def event_label(name: str) -> str:
    """The German (or English) label of an event name; unknown names as they are."""
    label = EVENT_LABELS.get(name)
    return str(label) if label is not None else name


def moment(value: datetime) -> str:
    """A point in time in local time (Europe/Berlin), with seconds."""
    return str(format_datetime(value, "medium"))


# The seal chain --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainStatus:
    """The result of checking one aggregate's seal chain, for the page."""

    what: str
    events: int
    broken_at: int | None
    fault: str
    seal: str

    @property
    def intact(self) -> bool:
        """True when every event's seal matched."""
        return self.broken_at is None

    @property
    def short_seal(self) -> str:
        """The head (or last good) seal, shortened."""
        return self.seal[:SEAL_SHOWN]


def _fault_text(problem: audit.Problem) -> str:
    texts = {
        "event-missing": _("Ein Ereignis fehlt."),
        "event-out-of-order": _("Die Reihenfolge der Ereignisse wurde verändert."),
        "event-unreadable": _("Das Ereignis ist nicht lesbar."),
        "seal-broken": _(
            "Das Siegel passt nicht: Das Ereignis wurde verändert, umsortiert oder eingefügt."
        ),
    }
    return str(texts.get(problem.code, problem.fault))


def chain_status(what: str, aggregate_id: UUID, records: Sequence[StoredEvent]) -> ChainStatus:
    """Check one aggregate's stored events against their seals."""
    problem, seal = audit.check_chain(aggregate_id, records, engine().mapper)
    if problem is None:
        return ChainStatus(what, len(records), None, "", seal)
    return ChainStatus(what, len(records), problem.version, _fault_text(problem), seal)


def chains(page: CyclePage, records: Sequence[StoredEvent]) -> list[ChainStatus]:
    """The seal checks of the cycle and of its organisation."""
    organisation_id = UUID(page.member.organisation["id"])
    return [
        chain_status(_("Zyklus"), page.id, records),
        chain_status(
            _("Organisation"), organisation_id, engine().recorder.select_events(organisation_id)
        ),
    ]


# What the filters need from each event -----------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """One event's version, name, actor and time, read without replaying the cycle."""

    version: int
    name: str
    actor_id: str
    timestamp: datetime
    reason: str = ""


def stamps(records: Sequence[StoredEvent]) -> tuple[list[Stamp], int | None]:
    """The readable events' stamps, and the version of the first unreadable one (if any)."""
    mapper = engine().mapper
    found: list[Stamp] = []
    for record in records:
        try:
            event: Any = mapper.to_domain_event(record)
        except REPLAY_FAULTS:
            return found, record.originator_version
        found.append(
            Stamp(
                record.originator_version,
                audit.event_name(record.topic),
                str(getattr(event, "actor_id", "")),
                event.timestamp,
                str(getattr(event, "reason", "")),
            )
        )
    return found, None


def stamp_of(aggregate_id: UUID, version: int) -> Stamp | None:
    """The stamp of one version (None if it cannot be read)."""
    records = engine().recorder.select_events(aggregate_id, gt=version - 1, lte=version)
    found, _unreadable = stamps(records)
    return found[0] if found else None


# Showing values and paths ------------------------------------------------------------------


class Presenter:
    """Turns state paths and values into readable text: labels, names, titles, dates."""

    def __init__(
        self,
        state: Mapping[str, Any],
        themes: Mapping[str, Theme],
        names: Mapping[str, str],
        organisation: Mapping[str, Any],
        cycles: Mapping[str, str] | None = None,
    ) -> None:
        self.state = state
        self.themes = themes
        self.names = names
        self.organisation = organisation
        self.cycles = cycles or {}

    # Names of things ---------------------------------------------------------------------

    def person(self, person_id: str) -> str:
        """A person's name (pseudonym when erased)."""
        return actor_name(person_id, self.names)

    def theme(self, theme_id: str) -> str:
        """A theme's title (its id when not installed)."""
        theme = self.themes.get(theme_id)
        return localised(theme.title) if theme else theme_id

    def criterion(self, key: str) -> Criterion | None:
        """The criterion of an assessment key 'theme/criterion'."""
        theme_id, _sep, criterion_id = key.partition("/")
        theme = self.themes.get(theme_id)
        if theme is None:
            return None
        return next((c for c in theme.criteria if c.id == criterion_id), None)

    def assessment(self, key: str) -> str:
        """'Theme: criterion' for an assessment key."""
        theme_id, _sep, criterion_id = key.partition("/")
        criterion = self.criterion(key)
        title = localised(criterion.title) if criterion else criterion_id
        return f"{self.theme(theme_id)}: {title}"

    def item(self, collection: str, item_id: str) -> str:
        """A goal's or measure's title, a finding's or lesson's text (shortened), else the id."""
        found = self.state.get(collection, {}).get(item_id)
        if not isinstance(found, Mapping):
            return item_id
        wording = str(found.get("title") or found.get("text") or found.get("filename") or "")
        if not wording:
            return item_id
        return f"„{shorten(wording, 60)}“"

    def subject(self, subject: str) -> str:
        """What a comment or attachment is about: the cycle, or one of its items."""
        if subject == "cycle":
            return str(_("der Zyklus"))
        kind, _sep, item_id = subject.partition(":")
        collection = {"goal": "goals", "measure": "measures", "finding": "findings"}.get(
            kind, f"{kind}s"
        )
        label = SUBJECT_KINDS.get(kind)
        return f"{label or kind} {self.item(collection, item_id)}"

    # Paths -------------------------------------------------------------------------------

    def path(self, path: str) -> list[str]:
        """A state path ('measures.m1.status') as readable segments."""
        segments = split_path(path)
        shown: list[str] = []
        for index, segment in enumerate(segments):
            parent = segments[index - 1] if index else ""
            top = segments[0]
            if segment.startswith("["):
                shown.append(_("Nr. %(number)s", number=int(segment[1:-1]) + 1))
            elif index == 1 and top in ("goals", "measures", "findings", "lessons", "attachments"):
                shown.append(self.item(top, segment))
            elif index == 1 and top == "assessments":
                shown.append(self.assessment(segment))
            elif (index == 2 and top == "assessments") or (index == 1 and top == "members"):
                shown.append(self.person(segment))
            elif index == 1 and parent in ("theme_versions",):
                shown.append(self.theme(segment))
            else:
                shown.append(str(FIELD_LABELS.get(segment, segment)))
        return shown

    # Values ------------------------------------------------------------------------------

    def change(self, change: Mapping[str, Any]) -> dict[str, Any]:
        """One change (path, before, after) ready for the page."""
        segments = split_path(change["path"])
        named = [s for s in segments if not s.startswith("[")]
        key = named[-1] if named else ""
        criterion = (
            self.criterion(segments[1])
            if segments[0] == "assessments" and len(segments) > 1
            else None
        )
        raters = segments[0] == "assessments" and len(segments) == 2
        if segments[0] == "members":
            key = "role"
        return {
            "raw": change["path"],
            "path": self.path(change["path"]),
            "before": self.value(change["before"], key, criterion, raters),
            "after": self.value(change["after"], key, criterion, raters),
        }

    def value(
        self,
        value: Any,
        key: str = "",
        criterion: Criterion | None = None,
        raters: bool = False,
    ) -> dict[str, Any]:
        """A value as nested parts the template shows: empty, text, long, list, mapping."""
        if is_empty(value):
            return {"kind": "empty"}
        if isinstance(value, Mapping):
            return {
                "kind": "mapping",
                "items": [
                    (
                        self.person(str(k)) if raters else str(FIELD_LABELS.get(str(k), k)),
                        self.value(item, "" if raters else str(k), criterion),
                    )
                    for k, item in value.items()
                    if not (k == "version" and criterion is not None) and not is_empty(item)
                ],
            }
        if isinstance(value, list | tuple):
            return {"kind": "list", "items": [self.value(item, key, criterion) for item in value]}
        return self.scalar(value, key, criterion)

    def scalar(self, value: Any, key: str, criterion: Criterion | None) -> dict[str, Any]:
        """A single value: a label, name, title, date, number or (perhaps long) text."""
        shown = self.label(value, key, criterion)
        if len(shown) > LONG_TEXT:
            return {"kind": "long", "short": shorten(shown, LONG_TEXT - 20), "text": shown}
        return {"kind": "text", "text": shown}

    def label(self, value: Any, key: str, criterion: Criterion | None) -> str:
        """What a value means for a reader, given the field it belongs to."""
        if isinstance(value, bool):
            return str(_("ja") if value else _("nein"))
        if isinstance(value, datetime):
            return moment(value)
        if isinstance(value, date):
            return short_date(value)
        if isinstance(value, int | float):
            if key == "value" and criterion is not None:
                return criterion_value(criterion, value)
            return number(value)
        text_value = str(value)
        labels: Mapping[str, Any] | None = None
        if key in PERSON_FIELDS:
            return self.person(text_value)
        if key in ("theme_id", "themes"):
            return self.theme(text_value)
        if key == "goal_id":
            return self.item("goals", text_value)
        if key == "priorities":
            return self.item("findings", text_value)
        if key == "subject":
            return self.subject(text_value)
        if key in CYCLE_FIELDS and text_value in self.cycles:
            return f"„{self.cycles[text_value]}“"
        if key == "organisation_id" and text_value == self.organisation.get("id"):
            return str(self.organisation.get("name", text_value))
        if key == "value" and criterion is not None:
            return criterion_value(criterion, text_value)
        if key in PHASE_FIELDS:
            labels = PHASES
        elif key == "status":
            labels = STATUSES
        elif key == "verdict":
            labels = VERDICTS
        elif key == "role":
            labels = ROLES
        elif key == "kind":
            labels = FINDING_KINDS
        elif key == "source":
            labels = FEEDBACK_SOURCES
        elif key == "land":
            labels = LAND_NAMES
        if labels is not None and text_value in labels:
            return str(labels[text_value])
        return text_value

    def changes(self, changes: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The changes worth showing (no empty containers appearing), readable."""
        return [
            self.change(change)
            for change in changes
            if change["path"] not in HIDDEN_PATHS
            and not (change["before"] is None and change["after"] in ({}, [], None, ""))
        ]


def is_empty(value: Any) -> bool:
    """Whether a value holds nothing worth showing (None, '', an empty list or mapping)."""
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def criterion_value(criterion: Criterion, value: float | int | str) -> str:
    """A rating on the criterion's scale: a level's label, or the number."""
    for level in criterion.scale.levels:
        if level.id == value:
            return localised(level.label)
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def split_path(path: str) -> list[str]:
    """'goals.g1.values[0]' -> ['goals', 'g1', 'values', '[0]']."""
    segments: list[str] = []
    for part in path.split("."):
        head, bracket, rest = part.partition("[")
        if head:
            segments.append(head)
        if bracket:
            segments.extend(f"[{index}" for index in rest.split("[") if index)
    return segments or [path]


def shorten(value: str, length: int) -> str:
    """The first ``length`` characters (at a word boundary if possible) and an ellipsis."""
    if len(value) <= length:
        return value
    cut = value[:length].rsplit(" ", 1)[0] if " " in value[:length] else value[:length]
    return cut.rstrip(" ,.;:") + " …"


def people_in(state: Mapping[str, Any], organisation: Mapping[str, Any]) -> set[str]:
    """Every person id the state or the organisation names (for one lookup of names)."""
    people = set(organisation.get("members", {}))
    for ratings in state.get("assessments", {}).values():
        people.update(ratings)
    for collection in ("measures", "comments", "attachments"):
        for item in state.get(collection, {}).values():
            people.update(str(item[key]) for key in PERSON_FIELDS if isinstance(item.get(key), str))
    return people


def presenter(page: CyclePage, state: Mapping[str, Any], actors: Iterable[str]) -> Presenter:
    """A presenter for a cycle page, with every name it may need looked up at once."""
    app = engine()
    organisation = page.member.organisation
    wanted = people_in(page.cycle, organisation) | people_in(state, organisation) | set(actors)
    wanted.discard(SYSTEM_ACTOR)
    names = app.display_names(wanted)
    cycles = {c["id"]: c["title"] for c in app.cycles_of(UUID(organisation["id"]))}
    return Presenter(page.cycle, app.themes, names, organisation, cycles)


def header_context(page: CyclePage) -> dict[str, Any]:
    """What the cycle header (title, phases, navigation) needs."""
    app = engine()
    return {"page": page, "definition": app.definition_of(page.id), "themes": app.themes}


# Forms (GET) --------------------------------------------------------------------------------


def get_form(form_class: type[FlaskForm]) -> FlaskForm:
    """A form read from the query string (no CSRF token: these forms only read)."""
    return form_class(formdata=request.args, meta={"csrf": False})


def field_of(form: FlaskForm, name: str) -> Field:
    """A form's field by name (for names Python reserves, such as 'from')."""
    found: Field = form[name]
    return found


class HistoryFilter(Form):
    """Which events to show: a kind, a person, a date range."""

    event = SelectField(_l("Art des Ereignisses"), default="")
    person = SelectField(_l("Person"), default="")
    to = DateField(_l("Bis (Datum)"), validators=[Optional()])


setattr(HistoryFilter, "from", DateField(_l("Von (Datum)"), validators=[Optional()]))


class DiffForm(Form):
    """Two versions to compare."""

    to = StringField(_l("Bis Version"))


setattr(DiffForm, "from", StringField(_l("Von Version")))


class AsOfForm(Form):
    """A date, or a version, to show the cycle as it stood then."""

    date = DateField(_l("Datum"), validators=[Optional()])
    version = StringField(_l("oder Version"))


def parse_version(field: Field, latest: int) -> int | None:
    """A version number from a text field (None, with an error next to it, when invalid)."""
    raw = text(field).strip()
    if not raw.isdigit():
        add_error(field, _("Bitte geben Sie eine Versionsnummer als ganze Zahl an."))
        return None
    version = int(raw)
    if not 1 <= version <= latest:
        add_error(
            field,
            _(
                "Version %(version)s gibt es nicht; dieser Zyklus hat die Versionen 1 bis "
                "%(latest)s.",
                version=version,
                latest=latest,
            ),
        )
        return None
    return version


# The history --------------------------------------------------------------------------------


def _choices(stamps_found: Sequence[Stamp], names: Mapping[str, str]) -> dict[str, Any]:
    events = sorted({s.name for s in stamps_found}, key=lambda name: event_label(name).lower())
    actors = sorted({s.actor_id for s in stamps_found}, key=lambda a: actor_name(a, names).lower())
    return {
        "event": [("", _("alle"))] + [(name, event_label(name)) for name in events],
        "person": [("", _("alle"))] + [(a, actor_name(a, names)) for a in actors],
    }


def _matcher(form: FlaskForm) -> Callable[[Stamp], bool]:
    event, person = text(form.event), text(form.person)
    first: date | None = field_of(form, "from").data
    last: date | None = form.to.data
    start = datetime.combine(first, time.min, tzinfo=audit.LOCAL_TIME) if first else None
    end = datetime.combine(last, time.max, tzinfo=audit.LOCAL_TIME) if last else None

    def matches(stamp: Stamp) -> bool:
        return (
            (not event or stamp.name == event)
            and (not person or stamp.actor_id == person)
            and (start is None or stamp.timestamp >= start)
            and (end is None or stamp.timestamp <= end)
        )

    return matches


def history_entries(aggregate_id: UUID, versions: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The history entries of the given versions (close versions are replayed together)."""
    wanted = sorted(set(versions))
    found: dict[int, dict[str, Any]] = {}
    spans: list[list[int]] = []
    for version in wanted:
        if spans and version - spans[-1][-1] <= SPAN_GAP:
            spans[-1].append(version)
        else:
            spans.append([version])
    for span in spans:
        try:
            entries = audit.history(
                engine(), aggregate_id, start=span[0], limit=span[-1] - span[0] + 1
            )
        except REPLAY_FAULTS:
            continue  # a damaged store: the page shows the events, without their changes
        found.update((e["version"], e) for e in entries if e["version"] in span)
    return found


def page_numbers(current: int, pages: int) -> list[int | None]:
    """Page links to show: the first, the last, those around the current one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    numbers: list[int | None] = []
    for number_ in shown:
        if numbers and number_ - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number_)
    return numbers


@blueprint.get("/o/<slug>/cycles/<cycle_id>/history")
@login_required
def history(slug: str, cycle_id: str) -> tuple[str, int]:
    """Who changed what, when and why; filtered, newest first, with the seal check."""
    page = cycle_page(slug, cycle_id)
    app = engine()
    records = app.recorder.select_events(page.id)
    found, unreadable = stamps(records)
    actors = {s.actor_id for s in found}
    present = presenter(page, page.cycle, actors)
    form = get_form(HistoryFilter)
    choices = _choices(found, present.names)
    form.event.choices = choices["event"]
    form.person.choices = choices["person"]
    valid = form.validate()
    first, last = field_of(form, "from").data, form.to.data
    if valid and first and last and first > last:
        add_error(form.to, _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        valid = False
    matches = _matcher(form)
    matched = [s for s in reversed(found) if matches(s)] if valid else []
    pages = max(1, math.ceil(len(matched) / PER_PAGE))
    current = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = matched[(current - 1) * PER_PAGE : current * PER_PAGE]
    entries = history_entries(page.id, [s.version for s in shown]) if shown else {}
    rows = [
        {
            "version": stamp.version,
            "timestamp": stamp.timestamp,
            "when": moment(stamp.timestamp),
            "actor": actor_name(stamp.actor_id, present.names),
            "event": event_label(stamp.name),
            "reason": stamp.reason,
            "changes": (
                present.changes(entries[stamp.version]["changes"])
                if stamp.version in entries
                else None
            ),
        }
        for stamp in shown
    ]
    arguments: dict[str, Any] = {
        k: request.args[k] for k in ("event", "person", "from", "to") if request.args.get(k)
    }
    return (
        render_template(
            "ui/audit_history.html",
            **header_context(page),
            form=form,
            rows=rows,
            total=len(found),
            matched=len(matched),
            filtered=bool(arguments),
            current=current,
            pages=pages,
            page_numbers=page_numbers(current, pages),
            page_url=lambda n: url_for(
                "ui.history", **{**arguments, "slug": slug, "cycle_id": page.id, "page": n}
            ),
            chains=chains(page, records),
            unreadable=unreadable,
            field_of=field_of,
        ),
        200 if valid else 400,
    )


# The difference between two versions -------------------------------------------------------


@blueprint.get("/o/<slug>/cycles/<cycle_id>/diff")
@login_required
def diff(slug: str, cycle_id: str) -> tuple[str, int]:
    """What differs between two versions of the cycle (defaults: the last change)."""
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    form = get_form(DiffForm)
    first_field, second_field = field_of(form, "from"), form.to
    if not request.args.get("from"):
        first_field.data = str(max(latest - 1, 1))
    if not request.args.get("to"):
        second_field.data = str(latest)
    first = parse_version(first_field, latest)
    second = parse_version(second_field, latest)
    changes: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    damaged = False
    if first is not None and second is not None:
        stamped = [stamp_of(page.id, first), stamp_of(page.id, second)]
        present = presenter(page, page.cycle, (s.actor_id for s in stamped if s))
        try:
            changes = present.changes(audit.diff_versions(engine(), page.id, first, second))
        except REPLAY_FAULTS:
            damaged = True
        versions = [
            {
                "version": stamp.version,
                "when": moment(stamp.timestamp),
                "actor": actor_name(stamp.actor_id, present.names),
                "event": event_label(stamp.name),
            }
            for stamp in stamped
            if stamp is not None
        ]
    valid = first is not None and second is not None
    return (
        render_template(
            "ui/audit_diff.html",
            **header_context(page),
            form=form,
            first=first,
            second=second,
            latest=latest,
            changes=changes,
            versions=versions,
            damaged=damaged,
            field_of=field_of,
        ),
        200 if valid else 400,
    )


# The cycle as it stood then ------------------------------------------------------------------


def _version_on(page: CyclePage, form: FlaskForm, asked: date) -> int | None:
    """The version at the end of the asked day; None (and an error) before the cycle began."""
    version = audit.version_at(engine(), page.id, asked)
    if version > 0:
        return version
    created = stamp_of(page.id, 1)
    started = short_date(created.timestamp.astimezone(audit.LOCAL_TIME).date()) if created else ""
    add_error(
        form.date,
        _(
            "Am %(date)s gab es diesen Zyklus noch nicht; er wurde am %(start)s begonnen.",
            date=short_date(asked),
            start=started,
        ),
    )
    return None


@blueprint.get("/o/<slug>/cycles/<cycle_id>/as-of")
@login_required
def as_of(slug: str, cycle_id: str) -> tuple[str, int]:
    """The cycle as it stood at the end of a day (Berlin time) or at a version; read-only.

    A version, if given, wins over a date. A date before the cycle began says so.
    """
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    form = get_form(AsOfForm)
    valid = form.validate()
    asked: date | None = form.date.data if valid else None
    version: int | None = None
    state: dict[str, Any] | None = None
    damaged = False
    try:
        if valid and text(form.version).strip():
            asked = None
            version = parse_version(form.version, latest)
            valid = version is not None
        elif asked is not None:
            version = _version_on(page, form, asked)
        if version is not None:
            state = audit.state_at(engine(), page.id, version=version)
    except REPLAY_FAULTS:
        damaged = True
    stamp = stamp_of(page.id, version) if version is not None else None
    present = presenter(page, state or {}, [stamp.actor_id] if stamp else [])
    return (
        render_template(
            "ui/audit_as_of.html",
            **header_context(page),
            form=form,
            state=state,
            version=version,
            latest=latest,
            asked=asked,
            future=asked is not None and asked > datetime.now(audit.LOCAL_TIME).date(),
            stamp=stamp,
            when=moment(stamp.timestamp) if stamp else "",
            actor=actor_name(stamp.actor_id, present.names) if stamp else "",
            event=event_label(stamp.name) if stamp else "",
            present=present,
            number=number,
            damaged=damaged,
        ),
        200 if valid else 400,
    )
