"""Open the engine with everything installed: plugins, their themes and workflows.

:func:`open_store` is the same for a command that needs a working store (the command line): a
store that is missing, cannot be reached or read, has no schema or is named by a wrong URL is
refused there, once for every command, with :class:`StoreNotReady` saying in one line what to do.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from eventsourcing.persistence import PersistenceError

from engine.application.service import Qualizyklus
from engine.domain.errors import StoreUnavailable
from engine.domain.workflow import WorkflowRegistry, builtin_definitions, load_definition_file
from engine.extensions.manager import PROJECT, build_plugin_manager, collect_themes
from engine.infrastructure.settings import Settings, SettingsError

INIT = "`qualizyklus init`"


def open_engine(
    settings: Settings | None = None,
    *,
    create_tables: bool = False,
    plugins: tuple[Any, ...] = (),
    entry_point_group: str | None = PROJECT,
) -> Qualizyklus:
    """The application with the installed plugins (plus ``plugins``) loaded."""
    loaded = build_plugin_manager(entry_point_group=entry_point_group, plugins=plugins)
    workflows = WorkflowRegistry(builtin_definitions())
    for paths in loaded.manager.hook.register_workflows():
        for path in paths:
            workflows.add(load_definition_file(path))
    return Qualizyklus(
        settings,
        create_tables=create_tables,
        themes=collect_themes(loaded),
        workflows=workflows,
        plugins=loaded,
    )


class StoreNotReady(Exception):
    """The configured store cannot serve a command; the message says what to do (de / en)."""

    def __init__(self, de: str, en: str) -> None:
        super().__init__(f"{de} / {en}")
        self.de = de
        self.en = en


def open_store(settings: Settings | None = None, *, create_tables: bool = False) -> Qualizyklus:
    """The engine on a store checked to be usable (``create_tables``: set it up first).

    Raises :class:`StoreNotReady` for a wrong setting, a missing SQLite file (unless creating
    it), a store that cannot be reached or read, missing permissions or a missing schema.
    """
    try:
        settings = settings or Settings.from_environ()
        settings.eventsourcing_env(create_tables=create_tables)  # a wrong URL says so here
        if settings.is_sqlite:
            _check_sqlite_file(settings, create_tables=create_tables)
    except SettingsError as error:
        raise StoreNotReady(
            f"Ungültige Einstellung: {error} – QUALIZYKLUS_DATABASE prüfen",
            f"invalid setting: {error}; check QUALIZYKLUS_DATABASE",
        ) from None
    try:
        app = open_engine(settings, create_tables=create_tables)
    except (StoreUnavailable, PersistenceError, sqlite3.Error, OSError) as error:
        raise store_problem(settings, error) from None
    try:
        app.profiles.get("")  # one small read: reachable, readable, with its tables
    except (StoreUnavailable, PersistenceError, sqlite3.Error, OSError) as error:
        app.close()
        raise store_problem(settings, error) from None
    return app


def _check_sqlite_file(settings: Settings, *, create_tables: bool) -> None:
    path = settings.sqlite_path()
    if path.is_dir():
        raise StoreNotReady(
            f"{path} ist ein Ordner, kein Datenbestand – QUALIZYKLUS_DATABASE prüfen",
            f"{path} is a folder, not a store; check QUALIZYKLUS_DATABASE",
        )
    if path.exists():
        return
    if not create_tables:
        raise StoreNotReady(
            f"Kein Datenbestand unter {path} – zuerst {INIT} ausführen "
            "(oder QUALIZYKLUS_DATABASE setzen)",
            f"no store at {path}: run {INIT} first (or set QUALIZYKLUS_DATABASE)",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreNotReady(
            f"Ordner {path.parent} lässt sich nicht anlegen ({error.strerror}) – "
            "Pfad und Zugriffsrechte prüfen",
            f"cannot create the folder {path.parent} ({error.strerror}): "
            "check the path and permissions",
        ) from None


def store_problem(settings: Settings, error: BaseException) -> StoreNotReady:
    """What a failure to open or read the store means, as one line saying what to do."""
    where = settings.location()
    detail = _innermost(error)
    text = str(detail).lower()
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return StoreNotReady(
            f"Der Datenbestand {where} ist nicht eingerichtet – zuerst {INIT} ausführen",
            f"the store {where} has no schema yet: run {INIT} first",
        )
    if "permission denied" in text or "readonly" in text or "read-only" in text:
        return StoreNotReady(
            f"Keine Berechtigung für den Datenbestand {where} – Zugriffsrechte "
            "(Datei bzw. Datenbankrolle) prüfen",
            f"no permission on the store {where}: check the file's or database role's rights",
        )
    if "not a database" in text or "malformed" in text:
        return StoreNotReady(
            f"{where} ist keine Qualizyklus-Datenbank – QUALIZYKLUS_DATABASE prüfen",
            f"{where} is not a Qualizyklus database: check QUALIZYKLUS_DATABASE",
        )
    if settings.is_sqlite:
        return StoreNotReady(
            f"Der Datenbestand {where} lässt sich nicht öffnen – Datei und Zugriffsrechte prüfen",
            f"cannot open the store {where}: check the file and its permissions",
        )
    return StoreNotReady(
        f"Die Datenbank {where} ist nicht erreichbar – läuft der Server, stimmen Adresse, "
        "Datenbankname und Zugangsdaten in QUALIZYKLUS_DATABASE?",
        f"cannot reach the database {where}: is the server running, are the host, database "
        "name and credentials in QUALIZYKLUS_DATABASE right?",
    )


def _innermost(error: BaseException) -> BaseException:
    """The driver's own error under the library's wrappers (its message says what failed)."""
    seen = 0
    while (error.__cause__ or error.__context__) is not None and seen < 10:
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
        seen += 1
    return error
