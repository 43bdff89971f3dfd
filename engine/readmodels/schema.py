"""The read models' tables: columns, keys and indexes, one definition for SQLite and PostgreSQL.

Every table is a projection of the event log, rebuilt from it at will; none holds anything the
events do not. Names and e-mail addresses are not here either: members are ids, as in events.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """A read-model table: its columns (name, SQL type) and primary key."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    json: frozenset[str] = frozenset()
    """Columns holding JSON text (Python values in memory)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(name for name, _ in self.columns)

    def ddl(self, qualify: str = "") -> str:
        """CREATE TABLE statement."""
        columns = ", ".join(f"{name} {kind}" for name, kind in self.columns)
        return (
            f"CREATE TABLE IF NOT EXISTS {qualify}{self.name} ({columns}, "
            f"PRIMARY KEY ({', '.join(self.key)}))"
        )


TEXT, NUMBER, INTEGER = "TEXT", "DOUBLE PRECISION", "BIGINT"
REQUIRED_TEXT, REQUIRED_INTEGER = "TEXT NOT NULL", "BIGINT NOT NULL"

ORGANISATIONS = Table(
    "qz_organisations",
    (
        ("organisation_id", REQUIRED_TEXT),
        ("slug", REQUIRED_TEXT),
        ("name", REQUIRED_TEXT),
        ("land", REQUIRED_TEXT),
        ("shares_with_state", REQUIRED_INTEGER),
    ),
    ("organisation_id",),
)
MEMBERS = Table(
    "qz_members",
    (("organisation_id", REQUIRED_TEXT), ("member_id", REQUIRED_TEXT), ("role", REQUIRED_TEXT)),
    ("organisation_id", "member_id"),
)
CYCLES = Table(
    "qz_cycles",
    (
        ("cycle_id", REQUIRED_TEXT),
        ("organisation_id", REQUIRED_TEXT),
        ("title", REQUIRED_TEXT),
        ("year", REQUIRED_INTEGER),
        ("period_start", REQUIRED_TEXT),
        ("period_end", REQUIRED_TEXT),
        ("phase", REQUIRED_TEXT),
        ("closed", REQUIRED_INTEGER),
        ("themes", REQUIRED_TEXT),
        ("workflow_id", REQUIRED_TEXT),
        ("workflow_version", REQUIRED_INTEGER),
        ("follows", TEXT),
        ("started_at", REQUIRED_TEXT),
        ("updated_at", REQUIRED_TEXT),
        ("version", REQUIRED_INTEGER),
        ("events", REQUIRED_INTEGER),
    ),
    ("cycle_id",),
)
ASSESSMENTS = Table(
    "qz_assessments",
    (
        ("cycle_id", REQUIRED_TEXT),
        ("theme_id", REQUIRED_TEXT),
        ("organisation_id", REQUIRED_TEXT),
        ("ratings", REQUIRED_TEXT),
        ("score", NUMBER),
        ("raters", REQUIRED_INTEGER),
        ("criteria", REQUIRED_INTEGER),
    ),
    ("cycle_id", "theme_id"),
    json=frozenset({"ratings"}),
)
"""A theme's assessment in a cycle: every rater's newest rating per criterion as
{criterion: {rater: [value, position]}} (position 0 = lowest, 1 = highest level, None if
the theme is not installed), and the theme's score: the median of the raters' mean positions."""
GOALS = Table(
    "qz_goals",
    (
        ("cycle_id", REQUIRED_TEXT),
        ("goal_id", REQUIRED_TEXT),
        ("organisation_id", REQUIRED_TEXT),
        ("theme_id", TEXT),
        ("title", REQUIRED_TEXT),
        ("indicator", REQUIRED_TEXT),
        ("unit", REQUIRED_TEXT),
        ("baseline", NUMBER),
        ("target", NUMBER),
        ("due", TEXT),
        ("verdict", TEXT),
        ("measurements", REQUIRED_TEXT),
    ),
    ("cycle_id", "goal_id"),
    json=frozenset({"measurements"}),
)
"""A goal with its indicator; ``measurements`` are [measured_on, value, event version] by
position in the goal's series (null where a value was withdrawn)."""
MEASURES = Table(
    "qz_measures",
    (
        ("cycle_id", REQUIRED_TEXT),
        ("measure_id", REQUIRED_TEXT),
        ("organisation_id", REQUIRED_TEXT),
        ("title", REQUIRED_TEXT),
        ("goal_id", TEXT),
        ("theme_id", TEXT),
        ("responsible_member_id", TEXT),
        ("start_on", TEXT),
        ("due", TEXT),
        ("status", REQUIRED_TEXT),
    ),
    ("cycle_id", "measure_id"),
)
INSIGHT_FIGURES = Table(
    "qz_insight_figures",
    (
        ("cycle_id", REQUIRED_TEXT),
        ("theme_id", REQUIRED_TEXT),
        ("insight_id", REQUIRED_TEXT),
        ("figure_key", REQUIRED_TEXT),
        ("figure", REQUIRED_INTEGER),
        ("organisation_id", REQUIRED_TEXT),
        ("insight_de", REQUIRED_TEXT),
        ("insight_en", REQUIRED_TEXT),
        ("label_de", REQUIRED_TEXT),
        ("label_en", REQUIRED_TEXT),
        ("value", f"{NUMBER} NOT NULL"),
        ("unit_de", REQUIRED_TEXT),
        ("unit_en", REQUIRED_TEXT),
    ),
    ("cycle_id", "theme_id", "insight_id", "figure_key"),
)
"""The numeric figures of the themes' insights into a closed cycle, kept when it closed, so
that the dashboard can show them over the years without replaying any cycle. A figure is
known by its key (``Figure.key``), which joins it across the years; ``figure`` is only its
position in that cycle's insight, for the order of the rows."""
LAND_FIGURES = Table(
    "qz_land_figures",
    (
        ("land", REQUIRED_TEXT),
        ("figures", REQUIRED_TEXT),
        ("position", REQUIRED_INTEGER),
        ("computed_at", REQUIRED_TEXT),
    ),
    ("land",),
)
PENDING = Table(
    "qz_pending",
    (("kind", REQUIRED_TEXT), ("key", REQUIRED_TEXT), ("position", REQUIRED_INTEGER)),
    ("kind", "key"),
)
"""Marks that derived figures are out of date (kind 'land': a Land's comparison), each with
the position of the batch that made it: whoever computed the figures before that position
must leave the mark (several followers may compute at once)."""

SET_ASIDE = Table(
    "qz_set_aside",
    (
        ("notification_id", REQUIRED_INTEGER),
        ("originator_id", REQUIRED_TEXT),
        ("originator_version", REQUIRED_INTEGER),
        ("topic", REQUIRED_TEXT),
        ("held", REQUIRED_INTEGER),
        ("error", REQUIRED_TEXT),
        ("set_aside_at", REQUIRED_TEXT),
    ),
    ("notification_id",),
)
"""Events the follower could not apply (``held`` 0, with the error), and the later events of
their aggregates, held back behind them (``held`` 1) so that no read model is built on a
history with a gap. ``qualizyklus projections retry`` (and a rebuild) applies them again."""

TABLES: tuple[Table, ...] = (
    ORGANISATIONS,
    MEMBERS,
    CYCLES,
    ASSESSMENTS,
    GOALS,
    MEASURES,
    INSIGHT_FIGURES,
    LAND_FIGURES,
    PENDING,
    SET_ASIDE,
)
"""Every read-model table."""

INDEXES: dict[str, str] = {
    "qz_cycles_by_organisation": "qz_cycles (organisation_id, year)",
    "qz_organisations_by_land": "qz_organisations (land)",
    "qz_assessments_by_organisation": "qz_assessments (organisation_id)",
    "qz_goals_by_organisation": "qz_goals (organisation_id)",
    "qz_insight_figures_by_organisation": "qz_insight_figures (organisation_id)",
    "qz_measures_by_organisation": "qz_measures (organisation_id, due)",
    "qz_measures_by_responsible": "qz_measures (responsible_member_id, due)",
    "qz_set_aside_by_aggregate": "qz_set_aside (originator_id, notification_id)",
}
"""Indexes for the pages' questions (an organisation's cycles, a member's measures)."""


DERIVED_VERSION = 2
"""Raise when what is computed into the tables changes (a Land's figures, a score), so that
``qualizyklus init`` rebuilds read models computed the older way."""

SCHEMA_TABLE = "qz_schema"
"""One row: the fingerprint of the table definitions the read models were built with."""


def fingerprint() -> str:
    """A digest of every table and index definition (it changes with any of them)."""
    definitions = [f"derived {DERIVED_VERSION}", *(table.ddl() for table in TABLES)]
    definitions += sorted(f"{name} {target}" for name, target in INDEXES.items())
    text = "\n".join(definitions)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def create_statements(qualify: str = "") -> list[str]:
    """CREATE TABLE/INDEX statements; ``qualify`` is a PostgreSQL schema prefix ('s.')."""
    tables = [table.ddl(qualify) for table in TABLES]
    indexes = [
        f"CREATE INDEX IF NOT EXISTS {name} ON {qualify}{target}"
        for name, target in INDEXES.items()
    ]
    return tables + indexes


def drop_statements(qualify: str = "") -> list[str]:
    """DELETE every read model's rows (for a rebuild; the tables stay)."""
    return [f"DELETE FROM {qualify}{table.name}" for table in TABLES]


def discard_statements(qualify: str, names: list[str]) -> list[str]:
    """DROP the named read-model tables (built with other definitions)."""
    return [f"DROP TABLE IF EXISTS {qualify}{name}" for name in names]


TABLE_NAMES = re.compile(
    r'(?<![\w."])('
    + "|".join(sorted([*(t.name for t in TABLES), SCHEMA_TABLE], key=len, reverse=True))
    + r')(?![\w."])'
)
"""A read-model table named in a statement, on its own: not part of another name (a schema
``my_qz_test``), nor already qualified or quoted."""


def schema_prefix(schema: str) -> str:
    """The prefix that names a table in PostgreSQL schema ``schema``, quoted ('"s".'), or ''."""
    return '"' + schema.replace('"', '""') + '".' if schema else ""


def qualified(statement: str, qualify: str) -> str:
    """The statement with every read-model table it names put in the schema ``qualify``
    (:func:`schema_prefix`); nothing else in it is touched."""
    if not qualify:
        return statement
    return TABLE_NAMES.sub(lambda match: qualify + match.group(1), statement)
