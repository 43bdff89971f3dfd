"""The audit pages of a cycle, what they share: labels of events and fields, times, the
read-only forms' helpers and the cycle header.

The pages themselves: :mod:`web.ui.history` (who changed what, with the seal check),
:mod:`web.ui.diff` (two versions compared) and :mod:`web.ui.as_of` (the cycle as it stood on a
date or at a version); :mod:`web.ui.presenter` makes state paths and values readable.
Everything there reads; nothing is written. Names come from the profile store at the time of
reading, so an erased person appears under a pseudonym, and the seals still hold. During the
blind first round a reader sees of a criterion they have not rated that ratings were recorded,
by whom and when, never their levels (:func:`blind_round`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field

from engine.domain.assessment import BlindRound
from web.access import CyclePage, person
from web.forms import add_error, text
from web.services import engine

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
    "IndicatorValueCorrected": _l("Indikatorwert korrigiert"),
    "IndicatorValueWithdrawn": _l("Indikatorwert zurückgezogen"),
    "GoalNeedsNamed": _l("Entwicklungsbedarfe eines Ziels benannt"),
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
    "RatingSessionOpened": _l("Sitzung zum gemeinsamen Einschätzen eröffnet"),
    "SessionParticipantJoined": _l("Teilnahme an einer Sitzung"),
    "RatingRoundOpened": _l("Neue Runde einer Sitzung eröffnet"),
    "SessionResultsRevealed": _l("Ergebnisse einer Sitzung aufgedeckt"),
    "RatingSessionClosed": _l("Sitzung beendet"),
    "SurveyCreated": _l("Elternbefragung angelegt"),
    "SurveyClosed": _l("Elternbefragung beendet"),
    "SurveyAnswered": _l("Antwort auf eine Elternbefragung"),
    "SurveyTextErased": _l("Freie Antwort einer Befragung gelöscht"),
    "ThemeRecordSaved": _l("Eintrag eines Themas gespeichert (z. B. im Wirkmodell)"),
    "ThemeRecordRemoved": _l("Eintrag eines Themas entfernt (z. B. aus dem Wirkmodell)"),
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
    "hidden": _l("Wert verdeckt (blinde erste Runde)"),
    "version": _l("Version"),
    "indicator": _l("Indikator"),
    "unit": _l("Einheit"),
    "baseline": _l("Ausgangswert"),
    "target": _l("Zielwert"),
    "values": _l("Messwerte"),
    "withdrawn_values": _l("Zurückgezogene Messwerte"),
    "surveys": _l("Elternbefragungen"),
    "need_ids": _l("Beantwortete Bedarfe"),
    "outside_period": _l("Außerhalb des Zyklus-Zeitraums"),
    "corrected": _l("Korrigiert"),
    "position": _l("Position"),
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
    "uninstalled_themes": _l("Nicht mehr installierte Themen"),
    "rater_id": _l("Eingeschätzt von"),
    "first_phase": _l("Erste Phase"),
    "to_phase": _l("Zur Phase"),
    "records": _l("Einträge der Themen (z. B. Wirkmodell)"),
    "record_id": _l("Eintrag"),
    "element": _l("Elemente"),
    "arrow": _l("Pfeile"),
    "setting": _l("Einstellungen"),
    "column": _l("Spalte"),
    "step": _l("Stufe der Wirkungstreppe"),
    "level": _l("Ebene (IOOI)"),
    "goal_ids": _l("Verknüpfte Ziele"),
    "check": _l("Prüfung als Voraussetzung"),
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
HIDDEN_KEYS = frozenset({"id"})
"""Keys of an item's own data that no reader needs (its internal id)."""
ITEM_COLLECTIONS = frozenset(
    {"goals", "measures", "findings", "lessons", "attachments", "comments", "feedback"}
)
"""A cycle's collections of items, each named on the pages by its title or text."""
POSITION_NOUNS = {
    "priorities": _l("Priorität"),
    "values": _l("Messwert"),
    "themes": _l("Thema"),
}
"""What one entry of a list is called ('1. Priorität'); others are '1. Eintrag'."""


def event_label(name: str) -> str:
    """The German (or English) label of an event name; unknown names as they are."""
    label = EVENT_LABELS.get(name)
    return str(label) if label is not None else name


def moment(value: datetime) -> str:
    """A point in time in local time (Europe/Berlin), with seconds."""
    return str(format_datetime(value, "medium"))


def blind_round(page: CyclePage) -> BlindRound | None:
    """What the reader may not see of the cycle's ratings now (None: everything shows)."""
    return engine().blind_round(page.id, actor_id=person())


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
