"""`qualizyklus users …` and `qualizyklus organisations …`: people, sign-ins and tenants.

These run as the installation's administrator (the command line has the database anyway).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import click

from engine.application.service import SYSTEM_ACTOR, Qualizyklus
from engine.cli.invite import LANGUAGE, invite_command, mail_link, mail_outbox
from engine.domain.errors import DomainError
from engine.domain.organisation import LAENDER, ROLES
from engine.infrastructure.passwords import PasswordTooWeak, hash_password

Opener = Callable[[], Any]


def _person(app: Qualizyklus, email: str) -> dict[str, Any]:
    profile = app.profiles.by_email(email)
    if profile is None:
        raise click.ClickException(f"Keine Person mit / no person with {email}")
    return profile


def _new_password(read_stdin: bool) -> str:
    if read_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Passwort / password", hide_input=True, confirmation_prompt=True)
    try:
        return hash_password(password)
    except PasswordTooWeak as error:
        raise click.ClickException(f"Passwort zu kurz / password too short: {error}") from None


def users_group(open_engine: Opener) -> click.Group:
    """The `users` command group, opening the engine with ``open_engine``."""

    @click.group()
    def users() -> None:
        """People who can sign in (names and e-mail addresses live outside the history)."""

    @users.command("create")
    @click.option("--email", required=True)
    @click.option("--name", required=True, help="display name")
    @click.option("--admin", is_flag=True, help="installation administrator")
    @click.option("--password-stdin", is_flag=True, help="read the password from stdin")
    @click.option("--invite", is_flag=True, help="no password: mail a link to set one")
    @LANGUAGE
    def create(
        email: str, name: str, admin: bool, password_stdin: bool, invite: bool, language: str
    ) -> None:
        """Create a person who can sign in; prints the person id."""
        if invite and password_stdin:
            raise click.UsageError("--invite oder / or --password-stdin")
        outbox = mail_outbox() if invite else None
        with open_engine() as app:
            if app.profiles.by_email(email) is not None:
                raise click.ClickException(f"{email} gibt es schon / exists already")
            password_hash = "" if invite else _new_password(password_stdin)
            person_id = f"person-{uuid4().hex[:16]}"
            app.profiles.put(person_id, display_name=name, email=email)
            if password_hash:
                app.profiles.set_password_hash(person_id, password_hash)
            app.profiles.set_admin(person_id, admin)
            click.echo(person_id)
            if outbox is not None:
                mail_link(app, outbox, app.profiles.get(person_id), language)

    @users.command("set-password")
    @click.argument("email")
    @click.option("--password-stdin", is_flag=True)
    def set_password(email: str, password_stdin: bool) -> None:
        """Set a new password: ends the person's sessions and lifts the wait after failures.

        The store and the person are checked before the password is asked for."""
        with open_engine() as app:
            person_id = _person(app, email)["person_id"]
            app.profiles.set_password_hash(person_id, _new_password(password_stdin))
        click.echo("OK")

    @users.command("sign-out")
    @click.argument("email")
    def sign_out(email: str) -> None:
        """End every session of a person at once (sign out everywhere)."""
        with open_engine() as app:
            ended = app.profiles.sessions.end_all(_person(app, email)["person_id"])
        click.echo(f"{ended} Sitzung(en) beendet / session(s) ended")

    @users.command("grant")
    @click.argument("email")
    @click.option("--org", "slug", required=True)
    @click.option("--role", type=click.Choice(ROLES), required=True)
    def grant(email: str, slug: str, role: str) -> None:
        """Give a person a role in an organisation (recorded in its history)."""
        with open_engine() as app:
            organisation = app.organisation_by_slug(slug)
            app.grant_role(
                UUID(organisation["id"]),
                actor_id=SYSTEM_ACTOR,
                member_id=_person(app, email)["person_id"],
                role=role,
                reason="Kommandozeile / command line",
                as_administrator=True,
            )
        click.echo("OK")

    @users.command("state-coordinator")
    @click.argument("email")
    @click.option("--land", type=click.Choice(LAENDER), help="the Land to coordinate")
    @click.option("--revoke", is_flag=True, help="end the role instead")
    def state_coordinator(email: str, land: str | None, revoke: bool) -> None:
        """Make a person the state coordinator (LaKo) of one Land, or end the role."""
        from engine.application.state_office import state_office

        if revoke == (land is not None):
            raise click.UsageError("--land LAND oder / or --revoke")
        with open_engine() as app:
            person_id = _person(app, email)["person_id"]
            office = state_office(app)
            if land is not None:
                office.grant(person_id, land, actor="command line")
            elif not office.revoke(person_id, actor="command line"):
                raise click.ClickException(
                    f"{email} ist keine Landeskoordinierung / is no state coordinator"
                )
        click.echo("OK")

    @users.command("list")
    @click.option("--json", "as_json", is_flag=True)
    def list_users(as_json: bool) -> None:
        """Everyone with a profile, with their organisations and roles."""
        with open_engine() as app:
            rows = [
                {
                    "person_id": p["person_id"],
                    "name": p["display_name"],
                    "email": p["email"],
                    "admin": bool(p["is_admin"]),
                    "memberships": app.memberships(p["person_id"]),
                }
                for p in app.profiles.everyone()
            ]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            roles = ", ".join(f"{m['slug']}:{m['role']}" for m in row["memberships"])
            admin = " (Administration)" if row["admin"] else ""
            click.echo(f"{row['email']:<32} {row['name']}{admin}  {roles}")

    @users.command("erase")
    @click.argument("email")
    @click.confirmation_option(prompt="Person und Anmeldedaten löschen? / erase person?")
    def erase(email: str) -> None:
        """Erase a person (DSGVO): leave every organisation, delete the profile."""
        with open_engine() as app:
            person_id = _person(app, email)["person_id"]
            for member in app.memberships(person_id):
                app.revoke_role(
                    UUID(member["organisation_id"]),
                    actor_id=SYSTEM_ACTOR,
                    member_id=person_id,
                    reason="Löschung auf Wunsch / erased on request",
                    as_administrator=True,
                )
            app.profiles.erase(person_id)
        click.echo(
            "gelöscht / erased; die Historie zeigt ein Pseudonym / history shows a pseudonym"
        )

    users.add_command(invite_command(open_engine))
    return users


def organisations_group(open_engine: Opener) -> click.Group:
    """The `organisations` command group."""

    @click.group()
    def organisations() -> None:
        """Tenants: municipalities and districts with their networks."""

    @organisations.command("create")
    @click.option("--name", required=True)
    @click.option("--slug", required=True)
    @click.option("--land", type=click.Choice(LAENDER), required=True)
    @click.option("--coordinator", "email", required=True, help="e-mail of the first coordinator")
    def create(name: str, slug: str, land: str, email: str) -> None:
        """Register an organisation with its first coordinator."""
        with open_engine() as app:
            coordinator = _person(app, email)["person_id"]
            try:
                app.register_organisation(
                    name=name, slug=slug, land=land, coordinator_id=coordinator
                )
            except DomainError as error:
                raise click.ClickException(f"{error.de} / {error.en}") from None
        click.echo("OK")

    @organisations.command("list")
    def list_organisations() -> None:
        """Every organisation with its number of members and cycles."""
        with open_engine() as app:
            for organisation_id in app.organisation_ids():
                o = app.organisation(organisation_id)
                click.echo(
                    f"{o['slug']:<24} {o['name']:<32} {o['land']}  "
                    f"{len(o['members'])} Mitglieder, {len(o['cycles'])} Zyklen"
                )

    return organisations
