"""`qualizyklus tokens …`: API tokens for machines (create, list, revoke).

These run as the installation's administrator; the organisation's history records the
token's membership as granted and revoked by the system.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import click

from engine.application.service import SYSTEM_ACTOR
from engine.application.tokens import create_token, revoke_token, tokens_of
from engine.domain.organisation import ROLES

Opener = Callable[[], Any]


def _status(token: dict[str, Any]) -> str:
    if token["revoked_at"]:
        return "widerrufen / revoked"
    return "aktiv / active" if token["active"] else "abgelaufen / expired"


def tokens_group(open_engine: Opener) -> click.Group:
    """The `tokens` command group, opening the engine with ``open_engine``."""

    @click.group()
    def tokens() -> None:
        """API tokens: bearer secrets bound to one organisation and one role."""

    @tokens.command("create")
    @click.option("--org", "slug", required=True, help="the organisation's slug")
    @click.option("--role", type=click.Choice(ROLES), required=True)
    @click.option("--name", required=True, help="what the token is for (e.g. the tool's name)")
    @click.option(
        "--expires",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="last day of validity (YYYY-MM-DD)",
    )
    def create(slug: str, role: str, name: str, expires: Any) -> None:
        """Create a token; prints its id and the secret (shown only this once)."""
        expires_on: date | None = expires.date() if expires is not None else None
        with open_engine() as app:
            organisation = app.organisation_by_slug(slug)
            created = create_token(
                app,
                UUID(organisation["id"]),
                actor_id=SYSTEM_ACTOR,
                role=role,
                name=name,
                expires_on=expires_on,
                as_administrator=True,
            )
        click.echo(f"id: {created.token.token_id}")
        click.echo(f"secret: {created.secret}")
        click.echo(
            "Das Geheimnis wird nur jetzt angezeigt und nicht gespeichert. / "
            "The secret is shown only now and is not stored.",
            err=True,
        )

    @tokens.command("list")
    @click.option("--org", "slug", required=True, help="the organisation's slug")
    @click.option("--json", "as_json", is_flag=True, help="machine-readable output")
    def list_tokens(slug: str, as_json: bool) -> None:
        """An organisation's tokens (never their secrets)."""
        with open_engine() as app:
            organisation = app.organisation_by_slug(slug)
            rows = [t.as_dict() for t in tokens_of(app, UUID(organisation["id"]))]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            return
        for row in rows:
            expires = row["expires_on"].isoformat() if row["expires_on"] else "-"
            click.echo(
                f"{row['id']}  {row['role']:<12} {_status(row):<22} bis/until {expires:<10}  "
                f"{row['name']}"
            )

    @tokens.command("revoke")
    @click.argument("token_id")
    def revoke(token_id: str) -> None:
        """Revoke a token: it is refused from now on."""
        with open_engine() as app:
            revoke_token(app, token_id, actor_id=SYSTEM_ACTOR, as_administrator=True)
        click.echo("widerrufen / revoked")

    return tokens
