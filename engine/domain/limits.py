"""The named limits of what a cycle's items may hold: written once, read by the engine's checks,
the API's schemas and the web forms (through :mod:`engine.domain.shapes`)."""

from __future__ import annotations

MAX_TEXT = 20_000
"""Characters of a long text: a finding, a note, evidence, a lesson, feedback, a comment, a
summary."""

MAX_REASON = 2_000
"""Characters of a reason (Begründung) and of a measure's resources."""

MAX_ANSWER_TEXT = 2_000
"""Characters of a parent's free-text answer in a survey."""

MAX_TITLE = 300
"""Characters of a title or a name (a cycle, a goal, a measure, an organisation)."""

MAX_DESCRIPTION = 1_000
"""Characters of a short description: a goal's indicator, the source of a measured value."""

MAX_UNIT = 50
"""Characters of a goal's unit."""

MAX_KEY = 100
"""Characters of a key the application resolves: a theme, a criterion, a member, a phase, a
workflow."""

MAX_ITEM_ID = 64
"""Characters of an item's id (a goal, a measure, a finding, ...)."""

MAX_SUBJECT = 200
"""Characters of what a comment or an attachment is about ('cycle', 'goal:ID', ...)."""

MAX_LABEL = 200
"""Characters of a person's or an API token's name, and of a person's id at a state office."""

MAX_FILENAME = 255
"""Characters of an attachment's file name and of its media type."""

MAX_ATTRS_BYTES = 64_000
"""Bytes of a theme's data on an item, encoded as JSON."""

MAX_NUMBER_TEXT = 50
"""Characters of a number typed into a form as text (a measured value) before it is read as a
number."""

MAX_THEME_RECORDS = 1_000
"""Records a theme may keep on one cycle, all kinds together (a logic model's elements and
arrows)."""

MAX_RECORD_TEXT = 4_000
"""Characters of a theme record's free text (an element's description, an arrow's assumption)."""

MAX_RECORD_CHANGES = 250
"""Records one change may save and remove together."""

ALL = {
    "MAX_TEXT": MAX_TEXT,
    "MAX_REASON": MAX_REASON,
    "MAX_TITLE": MAX_TITLE,
    "MAX_DESCRIPTION": MAX_DESCRIPTION,
    "MAX_UNIT": MAX_UNIT,
    "MAX_KEY": MAX_KEY,
    "MAX_ITEM_ID": MAX_ITEM_ID,
    "MAX_SUBJECT": MAX_SUBJECT,
    "MAX_LABEL": MAX_LABEL,
    "MAX_FILENAME": MAX_FILENAME,
    "MAX_ATTRS_BYTES": MAX_ATTRS_BYTES,
    "MAX_NUMBER_TEXT": MAX_NUMBER_TEXT,
    "MAX_THEME_RECORDS": MAX_THEME_RECORDS,
    "MAX_RECORD_TEXT": MAX_RECORD_TEXT,
    "MAX_RECORD_CHANGES": MAX_RECORD_CHANGES,
}
"""Every limit by name (for tests that look for a limit written twice)."""
