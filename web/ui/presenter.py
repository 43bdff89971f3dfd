"""Readable audit data: state paths and values turned into labels, names, titles and dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask_babel import gettext as _

from engine.application.store import SYSTEM_ACTOR
from engine.application.trail import Stamp
from engine.domain.catalogue import Criterion, Theme
from web.access import CyclePage
from web.audit_text import actor_name, short_digest
from web.i18n import PHASES, ROLES, STATUSES, VERDICTS, localised, number, short_date
from web.services import engine
from web.ui.attrs_schema import FieldSpec, humanise
from web.ui.attrs_values import readable
from web.ui.audit import (
    CYCLE_FIELDS,
    FEEDBACK_SOURCES,
    FIELD_LABELS,
    FINDING_KINDS,
    HIDDEN_KEYS,
    HIDDEN_PATHS,
    ITEM_COLLECTIONS,
    LAND_NAMES,
    PERSON_FIELDS,
    PHASE_FIELDS,
    POSITION_NOUNS,
    SUBJECT_KINDS,
    event_label,
    moment,
)
from web.ui.record_names import record_name
from web.ui.theme_fields import ThemeFields, attr_rows, field_label, spec_at

LONG_TEXT = 140
"""Texts longer than this are shortened in tables; the full text is a click away."""


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
        self.fields = ThemeFields(themes)

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
        """A goal's or measure's title, a finding's, lesson's or comment's text (shortened), an
        attachment's file name; never the internal id."""
        found = self.state.get(collection, {}).get(item_id)
        wording = ""
        if isinstance(found, Mapping):
            wording = str(found.get("title") or found.get("text") or found.get("filename") or "")
        if not wording:
            return str(_("(ohne Titel)"))
        return quoted(shorten(wording, 60))

    def theme_data(self, collection: str, item: Mapping[str, Any]) -> list[tuple[str, str]]:
        """An item's theme data as (label, value) in the reader's language, schema order."""
        specs = self.fields.specs(collection, item.get("theme_id"))
        return attr_rows(specs, item.get("attrs") or {})

    def record(self, state: Mapping[str, Any], *keys: str) -> str:
        """A theme record (theme, kind, id) named as it stood in ``state`` (an as-of state)."""
        return record_name(state, ["records", *keys])

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
        """A state path ('measures.m1.status') as readable segments: fields by their names in
        the reader's language, theme fields by their schema's labels, items by their titles,
        list positions as '1. Priorität'."""
        segments = split_path(path)
        specs = self.fields.of_item(self.state, segments)
        shown: list[str] = []
        below_attrs: list[str] | None = None
        for index, segment in enumerate(segments):
            top = segments[0]
            if segment.startswith("["):
                shown.append(position(segments[:index], int(segment[1:-1]) + 1))
            elif below_attrs is not None:
                below_attrs.append(segment)
                shown.append(field_label(specs, below_attrs))
            elif index == 1 and top in ITEM_COLLECTIONS:
                shown.append(self.item(top, segment))
            elif index == 1 and top == "assessments":
                shown.append(self.assessment(segment))
            elif (index == 2 and top == "assessments") or (index == 1 and top == "members"):
                shown.append(self.person(segment))
            elif index == 1 and top in ("theme_versions", "records"):
                shown.append(self.theme(segment))
            elif index == 3 and top == "records":
                shown.append(record_name(self.state, segments))
            else:
                below_attrs = [] if segment == "attrs" and index else None
                shown.append(field_name(segment))
        return shown

    # Values ------------------------------------------------------------------------------

    def change(self, change: Mapping[str, Any]) -> dict[str, Any]:
        """One change (path, before, after) ready for the page."""
        segments = split_path(change["path"])
        named = [s for s in segments if not s.startswith("[")]
        key = named[-1] if named else ""
        top = segments[0]
        rated = top == "assessments" and len(segments) > 1
        criterion = self.criterion(segments[1]) if rated else None
        raters = top == "assessments" and len(segments) == 2
        if top == "members":
            key = "role"
        specs = self.fields.of_item(self.state, segments)
        attr = None
        if "attrs" in named[1:] and named[-1] != "attrs":
            below = named[named.index("attrs", 1) + 1 :]
            attr = spec_at(specs, below) or FieldSpec(below[-1], "text", "", False, "")
        return {
            "path": self.path(change["path"]),
            "before": self.value(change["before"], key, criterion, raters, specs, attr),
            "after": self.value(change["after"], key, criterion, raters, specs, attr),
        }

    def value(
        self,
        value: Any,
        key: str = "",
        criterion: Criterion | None = None,
        raters: bool = False,
        specs: Sequence[FieldSpec] = (),
        attr: FieldSpec | None = None,
    ) -> dict[str, Any]:
        """A value as nested parts the template shows: empty, text, long, digest, list, mapping.

        ``specs`` are the theme's fields of the item the value belongs to; ``attr`` the theme
        field the value is of, if any.
        """
        if is_empty(value):
            return {"kind": "empty"}
        if attr is not None:
            return self.attr_value(attr, value)
        if isinstance(value, Mapping) and key == "attrs":
            return mapping([(label, text_value(t)) for label, t in attr_rows(specs, value)])
        if isinstance(value, Mapping):
            return mapping(
                [
                    (
                        self.person(str(k)) if raters else field_name(str(k)),
                        self.value(item, "" if raters else str(k), criterion, specs=specs),
                    )
                    for k, item in value.items()
                    if k not in HIDDEN_KEYS and not (k == "version" and criterion is not None)
                ]
            )
        if isinstance(value, list | tuple):
            return {"kind": "list", "items": [self.value(item, key, criterion) for item in value]}
        if key == "sha256" and isinstance(value, str):
            return {"kind": "digest", "short": short_digest(value), "full": value}
        return self.scalar(value, key, criterion)

    def attr_value(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        """A theme field's value: its choice labels, dates, numbers; a group's items by label."""
        if isinstance(value, Mapping) and spec.children:
            return mapping([(label, text_value(t)) for label, t in attr_rows(spec.children, value)])
        if isinstance(value, list) and spec.kind == "group":
            return {"kind": "list", "items": [self.attr_value(spec, item) for item in value]}
        return text_value(readable(spec, value))

    def scalar(self, value: Any, key: str, criterion: Criterion | None) -> dict[str, Any]:
        """A single value: a label, name, title, date, number or (perhaps long) text."""
        return text_value(self.label(value, key, criterion))

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
        if key in CYCLE_FIELDS:
            title = self.cycles.get(text_value)
            return quoted(title) if title else str(_("ein anderer Zyklus"))
        if key == "carried_from_measure":
            return str(_("eine Maßnahme des vorigen Zyklus"))
        if key == "organisation_id":
            return str(self.organisation.get("name") or _("eine andere Organisation"))
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


def text_value(shown: str) -> dict[str, Any]:
    """A text as the template shows it: whole, or shortened with the full text a click away."""
    if len(shown) > LONG_TEXT:
        return {"kind": "long", "short": shorten(shown, LONG_TEXT - 20), "text": shown}
    return {"kind": "text", "text": shown}


def quoted(title: str) -> str:
    """A title in the quotation marks of the reader's language."""
    return str(_("„%(title)s“", title=title))


def mapping(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Labelled values as the template shows them; the empty ones left out (all empty: empty)."""
    shown = [(label, item) for label, item in items if item["kind"] != "empty"]
    return {"kind": "mapping", "items": shown} if shown else {"kind": "empty"}


def field_name(key: str) -> str:
    """A field of a cycle's or an organisation's state by its name in the reader's language."""
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else humanise(key)


def position(segments: Sequence[str], number: int) -> str:
    """A list position as words: '1. Priorität', '2. Messwert', '3. Eintrag'."""
    named = [s for s in segments if not s.startswith("[")]
    noun = POSITION_NOUNS.get(named[-1] if named else "")
    return str(_("%(number)s. %(thing)s", number=number, thing=noun if noun else _("Eintrag")))


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


def history_rows(
    stamps: Sequence[Stamp], entries: Mapping[int, dict[str, Any]], present: Presenter
) -> list[dict[str, Any]]:
    """Events as rows of a history table: when, who, what, why, and their changes in words.

    ``entries`` are the replayed changes by version (engine.application.trail); a version
    missing there could not be replayed and shows no changes (None).
    """
    return [
        {
            "version": stamp.version,
            "timestamp": stamp.timestamp,
            "when": moment(stamp.timestamp),
            "actor": present.person(stamp.actor_id),
            "event": event_label(stamp.name),
            "reason": stamp.reason,
            "changes": (
                present.changes(entries[stamp.version]["changes"])
                if stamp.version in entries
                else None
            ),
        }
        for stamp in stamps
    ]
