"""The read models' tables: one DDL text for SQLite and PostgreSQL.

Every table is a projection of the event log, rebuilt from it at will; none holds anything the
events do not. Names and e-mail addresses are not here either: members are ids, as in events.
"""

from __future__ import annotations

TABLES: dict[str, str] = {
    "qz_organisations": (
        "organisation_id TEXT PRIMARY KEY, slug TEXT NOT NULL, name TEXT NOT NULL, "
        "land TEXT NOT NULL, shares_with_state INTEGER NOT NULL DEFAULT 0"
    ),
    "qz_members": (
        "organisation_id TEXT NOT NULL, member_id TEXT NOT NULL, role TEXT NOT NULL, "
        "PRIMARY KEY (organisation_id, member_id)"
    ),
    "qz_cycles": (
        "cycle_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, title TEXT NOT NULL, "
        "year INTEGER NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
        "phase TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, themes TEXT NOT NULL, "
        "workflow_id TEXT NOT NULL, workflow_version INTEGER NOT NULL, follows TEXT, "
        "started_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, "
        "events INTEGER NOT NULL DEFAULT 0"
    ),
    "qz_ratings": (
        "cycle_id TEXT NOT NULL, theme_id TEXT NOT NULL, criterion_id TEXT NOT NULL, "
        "rater_id TEXT NOT NULL, value TEXT NOT NULL, share DOUBLE PRECISION, "
        "PRIMARY KEY (cycle_id, theme_id, criterion_id, rater_id)"
    ),
    "qz_theme_scores": (
        "cycle_id TEXT NOT NULL, theme_id TEXT NOT NULL, organisation_id TEXT NOT NULL, "
        "score DOUBLE PRECISION, raters INTEGER NOT NULL, criteria INTEGER NOT NULL, "
        "PRIMARY KEY (cycle_id, theme_id)"
    ),
    "qz_goals": (
        "cycle_id TEXT NOT NULL, goal_id TEXT NOT NULL, organisation_id TEXT NOT NULL, "
        "theme_id TEXT, title TEXT NOT NULL, indicator TEXT NOT NULL, unit TEXT NOT NULL, "
        "baseline DOUBLE PRECISION, target DOUBLE PRECISION, due TEXT, verdict TEXT, "
        "PRIMARY KEY (cycle_id, goal_id)"
    ),
    "qz_indicator_values": (
        "cycle_id TEXT NOT NULL, goal_id TEXT NOT NULL, position INTEGER NOT NULL, "
        "organisation_id TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, "
        "measured_on TEXT NOT NULL, PRIMARY KEY (cycle_id, position)"
    ),
    "qz_measures": (
        "cycle_id TEXT NOT NULL, measure_id TEXT NOT NULL, organisation_id TEXT NOT NULL, "
        "title TEXT NOT NULL, goal_id TEXT, theme_id TEXT, responsible_member_id TEXT, "
        "start_on TEXT, due TEXT, status TEXT NOT NULL, PRIMARY KEY (cycle_id, measure_id)"
    ),
    "qz_land_figures": (
        "land TEXT PRIMARY KEY, figures TEXT NOT NULL, position BIGINT NOT NULL, "
        "computed_at TEXT NOT NULL"
    ),
    "qz_pending": "kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)",
}
"""Each read-model table and its columns."""

INDEXES: dict[str, str] = {
    "qz_cycles_by_organisation": "qz_cycles (organisation_id, year)",
    "qz_organisations_by_land": "qz_organisations (land)",
    "qz_theme_scores_by_organisation": "qz_theme_scores (organisation_id)",
    "qz_goals_by_organisation": "qz_goals (organisation_id)",
    "qz_indicator_values_by_organisation": "qz_indicator_values (organisation_id)",
    "qz_measures_by_organisation": "qz_measures (organisation_id, due)",
    "qz_measures_by_responsible": "qz_measures (responsible_member_id, due)",
}
"""Indexes for the pages' questions (an organisation's cycles, a member's measures)."""


def create_statements(qualify: str = "") -> list[str]:
    """CREATE TABLE/INDEX statements; ``qualify`` is a PostgreSQL schema prefix ('s.')."""
    tables = [
        f"CREATE TABLE IF NOT EXISTS {qualify}{name} ({columns})"
        for name, columns in TABLES.items()
    ]
    indexes = [
        f"CREATE INDEX IF NOT EXISTS {name} ON {qualify}{target}"
        for name, target in INDEXES.items()
    ]
    return tables + indexes


def drop_statements(qualify: str = "") -> list[str]:
    """DELETE every read model's rows (for a rebuild; the tables stay)."""
    return [f"DELETE FROM {qualify}{name}" for name in TABLES]
