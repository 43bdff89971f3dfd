"""`qualizyklus demo --reset`: the demo store emptied and loaded afresh (SQLite only).

A store that holds any organisation besides the demo's is never reset: the command refuses,
naming one, so that a real installation cannot be wiped by a mistyped command.
"""

from __future__ import annotations

from pathlib import Path

import click

from engine.application.bootstrap import StoreNotReady, open_store
from engine.demo.people import DEMO_LAND_ORGANISATIONS, DEMO_ORGANISATIONS
from engine.infrastructure.settings import Settings

DEMO_SLUGS = frozenset(o.slug for o in DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS)
"""The organisations a demo store may hold."""


def reset_demo_store(settings: Settings) -> None:
    """Delete the SQLite demo store (after checking it holds only the demo) and create it anew."""
    if not settings.is_sqlite:
        raise click.ClickException(
            "Zurücksetzen nur für einen SQLite-Datenbestand; eine PostgreSQL-Datenbank bitte "
            "selbst leeren / reset works on a SQLite store only; empty a PostgreSQL database "
            "yourself"
        )
    path = settings.sqlite_path()
    if path.exists():
        _refuse_unless_demo(settings, path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        click.echo(f"{path}: gelöscht / deleted")
    open_store(settings, create_tables=True).close()


def _refuse_unless_demo(settings: Settings, path: Path) -> None:
    try:
        app = open_store(settings)
    except StoreNotReady:
        return  # no schema yet, or not a store: nothing of value that could be lost
    try:
        slugs = {app.organisation(o)["slug"] for o in app.organisation_ids()}
    finally:
        app.close()
    foreign = sorted(slugs - DEMO_SLUGS)
    if foreign:
        raise click.ClickException(
            f"{path} enthält Organisationen außerhalb der Demo ({foreign[0]}) und wird nicht "
            f"zurückgesetzt / {path} holds organisations besides the demo's ({foreign[0]}); "
            "not reset"
        )
