"""Every command answers a store it cannot use with one line saying what to do, and exits non-zero.

The commands are taken from the command line's parser, so a command added later is covered too.
Each runs against a missing SQLite file, an unreachable PostgreSQL server, a malformed URL, a
file that is no database, a folder where the file should be, and a PostgreSQL database without
the schema. The line goes to stderr, nothing else does, and no traceback appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from engine.cli.main import main
from tests.conftest import PostgresServer


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command that does something (not a group), from the parser."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name)


def command_of(path: tuple[str, ...]) -> click.Command:
    """The parser's command at ``path``."""
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


EXTRA: dict[tuple[str, ...], tuple[str, ...]] = {
    ("users", "state-coordinator"): ("--land", "NI"),
    ("users", "erase"): ("--yes",),
}
"""Options a command needs beyond its required parameters (one of two; the confirmation)."""


def arguments(path: tuple[str, ...], readable: Path) -> list[str]:
    """The command with a plausible value for each required parameter."""
    args = [*path, *EXTRA.get(path, ())]
    for parameter in command_of(path).params:
        if not parameter.required:
            continue
        if isinstance(parameter.type, (click.File, click.Path)):
            value = str(readable)  # a file that exists, so the store is what fails
        elif isinstance(parameter.type, click.Choice):
            value = str(parameter.type.choices[0])
        elif isinstance(parameter.type, click.types.IntParamType):
            value = "1"
        else:
            value = "jemand@example.org" if parameter.name == "email" else "beispiel"
        if isinstance(parameter, click.Option):
            args.append(parameter.opts[0])
        args.append(value)
    return args


COMMANDS = list(leaf_commands(main))
CREATING = frozenset({("init",)})
"""Commands that create a missing store (the answer to the others' complaint)."""
STORELESS = frozenset({("audit", "keygen"), ("audit", "verify-checkpoint")})
"""Commands that by design work without any store: making a key, and a witness's check of a
checkpoint file with nothing but the public key (tested below to leave the store alone)."""


MAIL = {
    "QUALIZYKLUS_SMTP_HOST": "127.0.0.1",
    "QUALIZYKLUS_SMTP_FROM": "qz@example.org",
    "QUALIZYKLUS_BASE_URL": "https://qz.example.org",
}
"""E-mail set up, so that `reminders send` and `users invite` get as far as the store."""


def run_each(
    url: str, tmp_path: Path, *, skip: frozenset[tuple[str, ...]] = frozenset()
) -> list[str]:
    """Run every command against ``url``; return the single stderr line of each (named)."""
    readable = tmp_path / "export.jsonl"
    readable.write_text("{}\n", encoding="utf-8")
    runner = CliRunner(env={"QUALIZYKLUS_DATABASE": url, **MAIL})
    lines = []
    for path in COMMANDS:
        if path in skip or path in STORELESS:
            continue
        result = runner.invoke(main, arguments(path, readable), input="Passwort-123456\n" * 2)
        shown = " ".join(path)
        assert result.exit_code != 0, f"{shown}: exit 0 with a store it cannot use"
        assert isinstance(result.exception, SystemExit), (
            f"{shown}: {result.exception!r} escaped instead of one line"
        )
        assert "Traceback" not in result.stderr + result.stdout, shown
        stderr = result.stderr.strip().splitlines()
        assert len(stderr) == 1, f"{shown}: stderr has {len(stderr)} lines: {result.stderr}"
        lines.append(f"{shown}: {stderr[0]}")
    return lines


def test_the_parser_lists_the_commands_this_test_runs() -> None:
    assert {("organisations", "list"), ("audit", "verify"), ("serve",), ("demo",)} <= set(COMMANDS)


def test_a_missing_store_says_run_init_first(tmp_path: Path) -> None:
    database = tmp_path / "var" / "qualizyklus.db"
    lines = run_each(f"sqlite:///{database}", tmp_path, skip=CREATING)
    for line in lines:
        assert f"Kein Datenbestand unter {database}" in line
        assert "zuerst `qualizyklus init` ausführen" in line
    assert not database.exists(), "no command created the store it complained about"
    assert not database.parent.exists()


def test_an_unreachable_postgresql_server_names_the_setting(tmp_path: Path) -> None:
    # Nothing listens on port 9: the server refuses at once. connect_timeout=0 lets the pool give
    # up at once too (libpq itself still gets 1 s), instead of waiting a second per command.
    url = "postgresql://qualizyklus:geheim@127.0.0.1:9/qualizyklus?connect_timeout=0"
    for line in run_each(url, tmp_path):
        assert "Die Datenbank 127.0.0.1:9/qualizyklus ist nicht erreichbar" in line
        assert "QUALIZYKLUS_DATABASE" in line
        assert "geheim" not in line  # never the password


@pytest.mark.parametrize(
    "url",
    [
        "mysql://localhost/qualizyklus",
        "sqlite://server/qualizyklus.db",
        "postgresql://127.0.0.1:5432/",
        "postgresql://127.0.0.1:port/qualizyklus",
    ],
)
def test_a_malformed_url_is_named(url: str, tmp_path: Path) -> None:
    for line in run_each(url, tmp_path):
        assert "Error: Ungültige Einstellung:" in line
        assert "QUALIZYKLUS_DATABASE prüfen" in line


def test_a_file_that_is_no_database_is_refused_unchanged(tmp_path: Path) -> None:
    database = tmp_path / "qualizyklus.db"
    database.write_bytes(b"Notizen, keine Datenbank\n" * 200)
    before = database.read_bytes()
    for line in run_each(f"sqlite:///{database}", tmp_path):
        assert str(database) in line
        assert "Datei und Zugriffsrechte prüfen" in line or "keine Qualizyklus-Datenbank" in line
    assert database.read_bytes() == before


def test_a_folder_in_place_of_the_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "qualizyklus.db"
    folder.mkdir()
    for line in run_each(f"sqlite:///{folder}", tmp_path):
        assert f"{folder} ist ein Ordner" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of their mode")
def test_an_unreadable_file_names_the_permissions(tmp_path: Path) -> None:
    database = tmp_path / "qualizyklus.db"
    runner = CliRunner(env={"QUALIZYKLUS_DATABASE": f"sqlite:///{database}"})
    assert runner.invoke(main, ["init"]).exit_code == 0
    database.chmod(0)
    for line in run_each(f"sqlite:///{database}", tmp_path):
        assert "Zugriffsrechte" in line


def test_a_postgresql_database_without_schema_says_run_init_first(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    schema = "ohne_schema"
    with postgres_server.connect() as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{schema}"')
    lines = run_each(postgres_server.url(schema), tmp_path, skip=CREATING)
    for line in lines:
        assert "ist nicht eingerichtet – zuerst `qualizyklus init` ausführen" in line


def test_outside_a_set_up_folder_the_installed_command_prints_one_line(tmp_path: Path) -> None:
    """The real executable, as a person runs it in an empty folder: no traceback."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUALIZYKLUS_")}
    for command in (["organisations", "list"], ["audit", "verify"]):
        done = subprocess.run(
            [str(Path(sys.executable).parent / "qualizyklus"), *command],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [
            "Error: Kein Datenbestand unter var/qualizyklus.db – zuerst `qualizyklus init` "
            "ausführen (oder QUALIZYKLUS_DATABASE setzen) / no store at var/qualizyklus.db: "
            "run `qualizyklus init` first (or set QUALIZYKLUS_DATABASE)"
        ]
        assert not (tmp_path / "var").exists()


def test_the_storeless_commands_work_without_creating_a_store(tmp_path: Path) -> None:
    database = tmp_path / "var" / "qualizyklus.db"
    runner = CliRunner(env={"QUALIZYKLUS_DATABASE": f"sqlite:///{database}"})
    key = tmp_path / "checkpoint.key"
    made = runner.invoke(main, ["audit", "keygen", str(key)])
    assert made.exit_code == 0, made.output
    assert key.exists()
    forged = tmp_path / "checkpoint.txt"
    forged.write_text("kein Prüfpunkt\n", encoding="utf-8")
    public = key.with_name(key.name + ".pub")
    checked = runner.invoke(
        main, ["audit", "verify-checkpoint", str(forged), "--public-key", str(public)]
    )
    assert checked.exit_code != 0
    assert "Traceback" not in checked.output
    assert not database.parent.exists(), "neither command touched the store"
