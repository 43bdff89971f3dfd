"""`qualizyklus texts search | erase`: find and erase free text that people typed.

Erasing keeps every seal, the Merkle log and every signed checkpoint valid: events hold only
a reference to the text (engine/domain/free_text.py, docs/operations.md "Erasing free text").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from engine.application import free_texts
from engine.application.service import SYSTEM_ACTOR

Opener = Callable[[], Any]
PREVIEW = 60


def texts_group(open_engine: Opener) -> click.Group:
    """The `texts` command group, opening the engine with ``open_engine``."""

    @click.group()
    def texts() -> None:
        """Free texts (comments, findings, lessons, reasons ...): find and erase them."""

    @texts.command("search")
    @click.argument("fragment")
    def search(fragment: str) -> None:
        """List the texts containing FRAGMENT (ignoring case): reference, aggregate, field."""
        with open_engine() as app:
            rows = free_texts.table(app).search(fragment)
        for row in rows:
            preview = (row.text or "").replace("\n", " ")[:PREVIEW]
            click.echo(f"{row.reference}  {row.aggregate_id} v{row.version} {row.field}: {preview}")
        click.echo(f"{len(rows)} Texte / texts")

    @texts.command("erase")
    @click.argument("reference")
    @click.option("--reason", required=True, help="why (e.g. the DSGVO request's file number)")
    def erase(reference: str, reason: str) -> None:
        """Erase the text REFERENCE; the history records who, when and why, never the text."""
        with open_engine() as app:
            done = app.erase_text(reference, actor_id=SYSTEM_ACTOR, reason=reason)
        click.echo(
            f"Gelöscht / erased: {done.reference} ({done.aggregate_id}, "
            f"Ereignis / event v{done.version})"
        )

    return texts
