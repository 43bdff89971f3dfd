"""The `qualizyklus` command line: init, demo, serve, audit verify, export, import, plugins."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import click
from eventsourcing.persistence import PersistenceError

from engine.application.audit import all_aggregate_ids, verify
from engine.application.bootstrap import StoreNotReady, open_store, store_problem
from engine.application.service import Qualizyklus
from engine.application.transfer import export_organisation, import_history
from engine.cli.admin import organisations_group, users_group
from engine.cli.demo_reset import reset_demo_store
from engine.cli.evidence import check_checkpoints, register_evidence
from engine.cli.projections import projections_group
from engine.cli.reminders import reminders_group
from engine.cli.texts import texts_group
from engine.cli.tokens import tokens_group
from engine.demo.networks import (
    DEMO_ADMIN,
    DEMO_LAND_ORGANISATIONS,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DEMO_STATE_COORDINATOR,
    load_demo,
)
from engine.demo.scale import generate as generate_scale
from engine.domain.errors import DefinitionError, DomainError, StoreDamaged, StoreUnavailable
from engine.infrastructure.settings import Settings, SettingsError


@contextmanager
def _engine(*, create_tables: bool = False) -> Iterator[Qualizyklus]:
    try:
        app = open_store(create_tables=create_tables)
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    try:
        yield app
    except DomainError as error:
        raise click.ClickException(f"{error.de} / {error.en}") from None
    finally:
        app.close()


OUTAGE_LOGGERS = (
    "engine.infrastructure.availability",
    "engine.infrastructure.postgres_availability",
)


class PlainGroup(click.Group):
    """The command group: a store that cannot serve a command is one line, not a traceback.

    The check sits here, around every command and subcommand (new ones included), and in
    ``open_store`` (engine/application/bootstrap.py), where the store is opened.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a store that is missing, unreachable or unreadable says what to do."""
        try:
            return super().invoke(ctx)
        except StoreNotReady as error:
            raise click.ClickException(str(error)) from None
        except StoreDamaged as error:  # one line, exit status 1; verify names the record
            raise click.ClickException(" ".join(f"{error.de} / {error}".split())) from None
        except SettingsError as error:
            raise click.ClickException(
                f"Ungültige Einstellung / invalid setting: {error}"
            ) from None
        except (StoreUnavailable, PersistenceError, sqlite3.Error) as error:
            settings = _settings_or_none()
            if settings is None:
                raise click.ClickException(str(error)) from None
            raise click.ClickException(str(store_problem(settings, error))) from None


def _settings_or_none() -> Settings | None:
    try:
        return Settings.from_environ()
    except SettingsError:
        return None


@click.group(cls=PlainGroup)
@click.version_option(package_name="qualizyklus")
def main() -> None:
    """Qualizyklus: Qualitätsentwicklung in Netzwerken Frühe Hilfen.

    The store is set by QUALIZYKLUS_DATABASE (default sqlite:///var/qualizyklus.db).
    """
    # An outage is said once, in the command's own line (PlainGroup), not also as a log warning.
    for name in OUTAGE_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


@main.command()
def init() -> None:
    """Create the schema once (safe to repeat); app workers never create tables."""
    with _engine(create_tables=True) as app:
        click.echo(f"Schema bereit / schema ready: {app.settings.location()}")


@main.command()
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    default=None,
    help="instead: write N generated organisations with years of cycles (benchmark data)",
)
@click.option("--cycles", type=click.IntRange(min=1), default=None, help="with --scale (20)")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="with --scale (1)")
@click.option(
    "--reset",
    is_flag=True,
    help="delete the SQLite demo store first (refused if it holds other organisations)",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="the day the demo's dates are counted from (default: today)",
)
def demo(
    scale: int | None, cycles: int | None, seed: int | None, reset: bool, today: datetime | None
) -> None:
    """Load the demo organisations, cycles and people (idempotent), dated around today."""
    if scale is None:
        if cycles is not None or seed is not None:
            raise click.UsageError("--cycles und --seed nur mit --scale / need --scale")
        if reset:
            reset_demo_store(Settings.from_environ())
        with _engine() as app:
            load_demo(app, today=today.date() if today else None, progress=click.echo)
            _print_demo_people()
        return
    if reset or today:
        raise click.UsageError("--reset und --today nicht mit --scale / not with --scale")
    with _engine() as app:
        _scale_demo(app, scale, 20 if cycles is None else cycles, 1 if seed is None else seed)


def _scale_demo(app: Qualizyklus, organisations: int, cycles: int, seed: int) -> None:
    with click.progressbar(
        length=organisations, label="Erzeuge / generating", file=sys.stderr
    ) as bar:
        summary = generate_scale(
            app, organisations, cycles_per_organisation=cycles, seed=seed, progress=bar.update
        )
    click.echo(
        f"{summary.organisations} Organisationen, {summary.cycles} Zyklen, {summary.events} "
        f"Ereignisse in {summary.elapsed:.1f} s ({summary.events_per_second:.0f}/s), "
        f"{summary.skipped} schon vorhanden / organisations, cycles, events written, "
        "already there"
    )


def _print_demo_people() -> None:
    click.echo(
        f"Demo-Anmeldungen / demo sign-ins (Passwort / password: {DEMO_PASSWORD}), "
        "http://127.0.0.1:8000/login"
    )
    for organisation in DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS:
        for person in organisation.people:
            click.echo(
                f"  {person.email:<32} {person.display_name:<20} {person.role:<12} "
                f"{organisation.slug}"
            )
    _, lako_name, lako_email, land = DEMO_STATE_COORDINATOR
    click.echo(f"  {lako_email:<32} {lako_name:<20} {'state office':<12} {land} (/land)")
    click.echo(f"  {DEMO_ADMIN[2]:<32} {DEMO_ADMIN[1]:<20} administrator")
    click.echo(
        "Beenden mit Strg+C; Demo zurücksetzen: make reset-demo / stop with Ctrl+C; "
        "reset the demo: make reset-demo"
    )


@main.command()
@click.option("--bind", default=None, help="host:port (default from gunicorn.conf.py)")
@click.option("--workers", type=int, default=None, help="number of gunicorn workers")
def serve(bind: str | None, workers: int | None) -> None:
    """Serve the web application with gunicorn (http://127.0.0.1:8000)."""
    with _engine():  # a store that cannot serve is said here, not by every page
        pass
    command = [sys.executable, "-m", "gunicorn"]
    config = Path("gunicorn.conf.py")
    if config.exists():
        command += ["--config", str(config)]
    if bind:
        command += ["--bind", bind]
    if workers:
        command += ["--workers", str(workers)]
    command.append("web.app:create_app()")
    os.execv(sys.executable, command)


@main.group()
def audit() -> None:
    """Check the audit trail."""


@audit.command("verify")
@click.option(
    "--checkpoint",
    "checkpoints",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="also check that the store extends this checkpoint file (repeatable)",
)
@click.option("--public-key", default=None, help="the checkpoints' key line, or a file with it")
def audit_verify(checkpoints: tuple[Path, ...], public_key: str | None) -> None:
    """Check every seal chain and snapshot; exit 1 naming the aggregate and version at fault.

    Then check that the store extends the given checkpoint files, or else every recorded
    checkpoint (when a public key is configured), naming what is missing or changed.
    """
    with _engine() as app:
        ids = all_aggregate_ids(app)
        with click.progressbar(length=len(ids), label="Prüfe / checking", file=sys.stderr) as bar:
            result = verify(app, aggregate_ids=ids, progress=bar.update)
        logged = check_checkpoints(app, checkpoints, public_key)
    problems = [*result.problems, *(logged.problems if logged else [])]
    for problem in problems:
        click.echo(f"FEHLER / FAULT: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(
        f"OK: {result.events} Ereignisse in {result.aggregates} Datensätzen geprüft, "
        f"{result.snapshots} Snapshots / {result.events} events checked in "
        f"{result.aggregates} aggregates, {result.snapshots} snapshots"
    )
    if logged is not None and logged.checkpoints:
        click.echo(
            f"OK: Bestand setzt {logged.checkpoints} Prüfpunkte fort / store extends "
            f"{logged.checkpoints} checkpoints"
        )
    click.echo(f"Prüfsumme / digest: {result.digest}")


@main.command("export")
@click.option("--org", "slug", required=True, help="the organisation's slug")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export_command(slug: str, output: IO[str]) -> None:
    """Write an organisation's complete event history as JSON Lines."""
    with _engine() as app:
        count = export_organisation(app, slug, output)
    click.echo(f"{count} Ereignisse exportiert / events exported", err=True)


@main.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(file: IO[str]) -> None:
    """Import an export file; a corrupt or tampered file is refused and nothing is written."""
    with _engine() as app:
        report = import_history(app, file)
    click.echo(
        f"{report.events} Ereignisse in {report.aggregates} Datensätzen importiert "
        f"({report.organisation_slug}) / events imported"
    )
    if report.sessions_without_code:
        click.echo(
            f"{len(report.sessions_without_code)} Sitzung(en) ohne Code (schon vergeben) / "
            f"session(s) without a code (taken): {', '.join(report.sessions_without_code)}",
            err=True,
        )


@main.group()
def plugins() -> None:
    """Inspect the installed plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
def plugins_list(as_json: bool) -> None:
    """Each plugin's name, version, distribution and hooks; refused plugins with the reason."""
    with _engine() as app:
        assert app.plugins is not None
        rows = app.plugins.describe()
        refused = dict(app.plugins.refused)
    if as_json:
        click.echo(json.dumps({"plugins": rows, "refused": refused}, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['name']:<24} {row['distribution'] or '-'} {row['version'] or ''}  "
            f"hooks: {', '.join(row['hooks'])}"
        )
    for name, reason in refused.items():
        click.echo(f"{name:<24} ABGELEHNT / REFUSED: {reason}")


main.add_command(users_group(_engine), "users")
main.add_command(organisations_group(_engine), "organisations")
main.add_command(tokens_group(_engine), "tokens")
main.add_command(reminders_group(_engine), "reminders")
main.add_command(projections_group(_engine), "projections")
main.add_command(texts_group(_engine), "texts")
register_evidence(audit, _engine)
