"""Probes for load balancers: ``/healthz`` (the process lives) and ``/readyz`` (it can serve).

``/healthz`` touches nothing but the process, so that a database outage does not make an
orchestrator restart healthy workers. ``/readyz`` asks the database for the notification
log's newest position and the read models' tracking position: 503 while the database cannot
be reached, or while the read models lag more than ``QUALIZYKLUS_READY_MAX_LAG`` events
behind (the follower is down or far behind, so lists would be stale or slow); 200 otherwise.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, current_app

from engine.domain.errors import StoreUnavailable
from engine.readmodels import follower_of
from engine.readmodels.follower import INLINE_LIMIT

MAX_LAG_KEY = "QUALIZYKLUS_READY_MAX_LAG"
NO_STORE = {"Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    """Mount ``/readyz`` with its lag threshold (``/healthz`` is the factory's)."""
    app.config.setdefault(MAX_LAG_KEY, int(os.environ.get(MAX_LAG_KEY, str(INLINE_LIMIT))))
    app.add_url_rule("/readyz", "ready", ready)


def ready() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Ready when the database answers and the read models are at most the threshold behind."""
    max_lag = int(current_app.config[MAX_LAG_KEY])
    unready = {**NO_STORE, "Retry-After": str(StoreUnavailable.retry_after)}
    try:
        lag = follower_of(current_app.extensions["qualizyklus"]).behind()
    except StoreUnavailable:
        return {"status": "unavailable", "database": "unreachable"}, 503, unready
    body: dict[str, Any] = {"database": "ok", "lag": lag, "max_lag": max_lag}
    if lag > max_lag:
        return {"status": "lagging", **body}, 503, unready
    return {"status": "ready", **body}, 200, NO_STORE
