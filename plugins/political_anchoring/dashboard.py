"""Insights of the political anchoring theme, for cycle pages and dashboards.

What is anchored and since when (evidence per body), and the standards' median levels,
compared with the previous cycle where there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import (
    Figure,
    Insight,
    Table,
    Text,
    between,
    date_text,
    day,
    month_year,
    out_of,
    signed,
    uses_theme,
)
from plugins.political_anchoring.analysis import (
    BODY_LABELS,
    THEME_ID,
    BodyAnchoring,
    Evidence,
    StandardRating,
    by_body,
    evidence,
    minimum_met,
    standards,
)

NOT_RATED = Text("noch nicht eingeschätzt", "not rated yet")
RECORDS = (
    Text("Nachweis", "piece of evidence"),
    Text("Nachweise", "pieces of evidence"),
)
"""The unit of a body's figure: one piece of evidence, or several (or none)."""


def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """The theme's insights for ``cycle`` (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    before = previous if previous is not None and uses_theme(previous, THEME_ID) else None
    return [evidence_insight(cycle), standards_insight(cycle, before)]


# What is anchored, and since when ------------------------------------------------------------


def since(row: BodyAnchoring) -> Text:
    """Since when a body has anchored Frühe Hilfen ("seit 03/2019")."""
    if row.earliest is None:
        return Text("–", "–")
    when = month_year(row.earliest.date)
    return Text(f"seit {when}", f"since {when}")


def body_figures(rows: list[BodyAnchoring]) -> tuple[Figure, ...]:
    """One figure per body with evidence (keyed by the body): documents, and since when."""
    return tuple(
        Figure(
            row.label, row.records, Text.counted(row.records, *RECORDS), since(row), key=row.body
        )
        for row in rows
        if row.records
    )


def body_table(rows: list[BodyAnchoring]) -> Table:
    """Per body: documents, since when, and the latest document."""
    return Table(
        (
            Text("Gremium", "Body"),
            Text("Nachweise", "Evidence"),
            Text("seit", "since"),
            Text("Letzter Nachweis", "Latest evidence"),
        ),
        tuple(
            (
                row.label,
                str(row.records),
                month_year(row.earliest.date) if row.earliest else "–",
                latest_document(row.latest) if row.latest else "–",
            )
            for row in rows
        ),
    )


def latest_document(record: Evidence) -> Text:
    """A document with its date ("Haushaltsstelle Frühe Hilfen (20.11.2020)")."""
    when = date_text(record.date)
    return Text(f"{record.document} ({when.de})", f"{record.document} ({when.en})")


def documents_table(records: list[Evidence]) -> Table:
    """Every evidence document, oldest first, with the goals and measures it belongs to."""
    return Table(
        (
            Text("Datum", "Date"),
            Text("Gremium", "Body"),
            Text("Dokument", "Document"),
            Text("Zu Ziel oder Maßnahme", "For goal or measure"),
        ),
        tuple(
            (date_text(r.date), BODY_LABELS[r.body], r.document, "; ".join(r.items))
            for r in records
        ),
    )


def evidence_text(records: list[Evidence]) -> Text:
    """One sentence on how much evidence there is and since when."""
    if not records:
        return Text(
            "Zu den Zielen und Maßnahmen des Themas sind noch keine Nachweise (Beschlüsse, "
            "Haushaltsstellen, Tagesordnungspunkte) hinterlegt.",
            "No evidence (resolutions, budget lines, agenda items) is attached to the theme's "
            "goals and measures yet.",
        )
    first = records[0]
    bodies = len({record.body for record in records})
    pieces = Text.counted(
        len(records),
        Text("{n} Nachweis", "{n} piece of evidence"),
        Text("{n} Nachweise", "{n} pieces of evidence"),
    )
    sources = Text.counted(
        bodies, Text("{n} Gremium", "{n} body"), Text("{n} Gremien", "{n} bodies")
    )
    return Text(
        f"{pieces.de} aus {sources.de}; der früheste stammt vom "
        f"{day(first.date)} ({BODY_LABELS[first.body].de}: {first.document}).",
        f"{pieces.en} from {sources.en}; the earliest dates from {day(first.date, 'en')} "
        f"({BODY_LABELS[first.body].en}: {first.document}).",
    )


def evidence_insight(cycle: Mapping[str, Any]) -> Insight:
    """What is anchored and since when, per body."""
    records = evidence(cycle)
    rows = by_body(records)
    return Insight(
        theme_id=THEME_ID,
        id="anchoring-evidence",
        title=Text("Was ist verankert, und seit wann?", "What is anchored, and since when?"),
        figures=body_figures(rows),
        tables=(body_table(rows),),
        text=evidence_text(records),
    )


# Standards: Mindestvoraussetzungen and das Mehr ----------------------------------------------


def level_at(row: StandardRating) -> Text:
    """The standard's median level (between two levels for an evenly split rating)."""
    if row.median is None:
        return NOT_RATED
    levels = row.criterion.scale.levels
    if row.median.is_integer():
        return levels[int(row.median)].label
    return between(levels[int(row.median)].label, levels[int(row.median) + 1].label)


def standards_table(rows: list[StandardRating], before: list[StandardRating] | None) -> Table:
    """Per standard: raters and median level (and the previous cycle's median)."""
    columns = [
        Text("Standard", "Standard"),
        Text("Einschätzungen", "Ratings"),
        Text("Median", "Median"),
    ]
    earlier = {row.criterion.id: row for row in before or []}
    if before is not None:
        columns.append(Text("Median im Vorzyklus", "Median in the previous cycle"))
    cells = []
    for row in rows:
        line: list[Text | str] = [row.criterion.title, str(row.raters), level_at(row)]
        if before is not None:
            old = earlier.get(row.criterion.id)
            line.append(level_at(old) if old else NOT_RATED)
        cells.append(tuple(line))
    return Table(tuple(columns), tuple(cells))


def standards_figures(
    rows: list[StandardRating], before: list[StandardRating] | None
) -> tuple[Figure, ...]:
    """Standards meeting at least the minimum requirements, now and in the previous cycle."""
    now = minimum_met(rows)
    label = Text(
        "Standards mit mindestens Mindestvoraussetzungen",
        "Standards meeting at least the minimum requirements",
    )
    figures = [Figure(label, now, out_of(len(rows)), key="standards-met")]
    if before is not None:
        then = minimum_met(before)
        figures.append(
            Figure(
                Text(f"{label.de} im Vorzyklus", f"{label.en} in the previous cycle"),
                then,
                out_of(len(before)),
                key="standards-met-previous",
            )
        )
        figures.append(
            Figure(
                Text("Veränderung gegenüber dem Vorzyklus", "Change against the previous cycle"),
                signed(now - then),  # a whole number: the same in both languages
                Text.counted(
                    now - then, Text("Standard", "standard"), Text("Standards", "standards")
                ),
                key="standards-met-change",
            )
        )
    return tuple(figures)


def standards_text(rows: list[StandardRating], before: list[StandardRating] | None) -> Text:
    """One sentence on the standards met, against the previous cycle where there is one."""
    now = minimum_met(rows)
    meet = Text.counted(now, Text("erfüllt", "meets"), Text("erfüllen", "meet"))
    de = (
        f"{now} von {len(rows)} Standards {meet.de} nach dem Median der Einschätzungen "
        "mindestens die Mindestvoraussetzungen"
    )
    en = (
        f"{now} of {len(rows)} standards {meet.en} at least the minimum requirements by median "
        "rating"
    )
    more = sum(1 for row in rows if row.median is not None and row.median >= 2)
    de += f", {more} davon auch das Mehr."
    en += f", {more} of them also the aspiration ('das Mehr')."
    if before is None:
        de += " Einen Vorzyklus mit diesem Thema zum Vergleich gibt es nicht."
        en += " There is no previous cycle with this theme to compare with."
    else:
        de += f" Im Vorzyklus waren es {minimum_met(before)}."
        en += f" In the previous cycle it was {minimum_met(before)}."
    return Text(de, en)


def standards_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """The theme's standards with their median level, compared with the previous cycle."""
    rows = standards(cycle)
    before = standards(previous) if previous is not None else None
    return Insight(
        theme_id=THEME_ID,
        id="anchoring-standards",
        title=Text(
            "Standards: Mindestvoraussetzungen und das Mehr",
            "Standards: minimum requirements and the aspiration",
        ),
        figures=standards_figures(rows, before),
        tables=(standards_table(rows, before),),
        text=standards_text(rows, before),
    )
