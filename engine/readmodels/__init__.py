"""Read models: projections of the event log with exactly-once tracking.

The tables (schema.py) are written by a :class:`~engine.readmodels.follower.Follower` that
applies events in batches, each in one transaction with its tracking record (view.py); pages
ask them questions (queries.py) and never replay aggregates. ``qualizyklus projections run``
follows the log, ``qualizyklus projections rebuild`` replays it from the start.
"""

from __future__ import annotations

from engine.readmodels.follower import (
    Follower,
    Freshness,
    create_tables,
    current,
    follower_of,
    read_model,
)
from engine.readmodels.view import ReadModel

__all__ = [
    "Follower",
    "Freshness",
    "ReadModel",
    "create_tables",
    "current",
    "follower_of",
    "read_model",
]
