"""One database URL (QUALIZYKLUS_DATABASE) turned into the eventsourcing library's environment."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATABASE = "sqlite:///var/qualizyklus.db"
DEFAULT_CACHE_SIZE = 500
SNAPSHOT_INTERVAL = 50
CONNECT_TIMEOUT = 5
"""Seconds a request waits for a PostgreSQL connection before the store counts as down."""


class SettingsError(ValueError):
    """A setting has a value the engine cannot use."""


def whole_number_setting(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """A positive whole number from the environment variable ``name`` (``default`` when unset);
    SettingsError naming the variable otherwise."""
    raw = (os.environ if environ is None else environ).get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        msg = f"{name} must be a positive whole number, not {raw!r}"
        raise SettingsError(msg)
    return int(raw)


@dataclass(frozen=True)
class Settings:
    """Engine settings, read from ``QUALIZYKLUS_*`` environment variables."""

    database: str = DEFAULT_DATABASE
    cache_size: int = DEFAULT_CACHE_SIZE

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read QUALIZYKLUS_DATABASE and QUALIZYKLUS_CACHE_SIZE."""
        environ = os.environ if environ is None else environ
        raw_cache = environ.get("QUALIZYKLUS_CACHE_SIZE", str(DEFAULT_CACHE_SIZE))
        try:
            cache_size = int(raw_cache)
        except ValueError:
            msg = f"QUALIZYKLUS_CACHE_SIZE must be a whole number, not {raw_cache!r}"
            raise SettingsError(msg) from None
        return cls(
            database=environ.get("QUALIZYKLUS_DATABASE") or DEFAULT_DATABASE,
            cache_size=cache_size,
        )

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is the embedded SQLite file."""
        return self.database.startswith("sqlite:")

    def sqlite_path(self) -> Path:
        """The SQLite file's path (relative paths are relative to the working directory)."""
        parts = urlsplit(self.database)
        if parts.scheme != "sqlite" or not parts.path.startswith("/") or parts.netloc:
            msg = f"expected sqlite:///relative/path or sqlite:////absolute/path: {self.database}"
            raise SettingsError(msg)
        return Path(unquote(parts.path[1:]))

    def location(self) -> str:
        """Where the store is, for messages: its SQLite file or host:port/database (no password)."""
        if self.is_sqlite:
            try:
                return str(self.sqlite_path())
            except SettingsError:
                return self.database
        parts = urlsplit(self.database)
        return f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}{parts.path}"

    def eventsourcing_env(self, *, create_tables: bool) -> dict[str, str]:
        """The library's environment for this database; tables only when asked."""
        env = {
            "CREATE_TABLE": "y" if create_tables else "n",
            "AGGREGATE_CACHE_MAXSIZE": str(self.cache_size),
            "IS_SNAPSHOTTING_ENABLED": "y",
        }
        if self.is_sqlite:
            env.update(
                PERSISTENCE_MODULE="engine.infrastructure.availability:GuardedSQLiteFactory",
                SQLITE_DBNAME=str(self.sqlite_path()),
                SQLITE_LOCK_TIMEOUT="30",
            )
        elif self.database.startswith(("postgresql:", "postgres:")):
            env.update(postgres_env(self.database))
        else:
            msg = (
                f"QUALIZYKLUS_DATABASE must start with sqlite:// or postgresql://: {self.database}"
            )
            raise SettingsError(msg)
        return env


def postgres_env(url: str) -> dict[str, str]:
    """Split a postgresql:// URL into the library's POSTGRES_* keys.

    ``?schema=name`` selects a schema; ``?pool_size=n`` sizes the connection pool;
    ``?connect_timeout=s`` bounds the wait for a connection
    (engine/infrastructure/postgres_availability.py).
    """
    parts = urlsplit(url)
    try:
        port = parts.port or 5432
    except ValueError:
        msg = f"the PostgreSQL URL has no valid port: {url}"
        raise SettingsError(msg) from None
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        msg = f"the PostgreSQL URL names no database: {url}"
        raise SettingsError(msg)
    if not postgres_installed():
        msg = (
            "a PostgreSQL URL needs the `postgres` extra (psycopg): "
            "pip install 'qualizyklus[postgres]'"
        )
        raise SettingsError(msg)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    env = {
        "PERSISTENCE_MODULE": "engine.infrastructure.postgres_availability:GuardedPostgresFactory",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        # How long a request waits for a connection before the store counts as unreachable.
        "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", str(CONNECT_TIMEOUT)),
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"]
    if "pool_size" in query:
        env["POSTGRES_POOL_SIZE"] = query["pool_size"]
    return env


POSTGRES_MODULES = ("psycopg", "psycopg_pool")
"""What the PostgreSQL store needs beyond the base install (the `postgres` extra)."""


def postgres_installed() -> bool:
    """Whether the `postgres` extra is installed (found without importing it)."""
    for name in POSTGRES_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return False
        except ImportError:
            return False
    return True


@dataclass(frozen=True)
class SiteSettings:
    """What the operator says on the public pages (imprint, privacy, accessibility, help).

    ``QUALIZYKLUS_LEGAL_DIR``: a folder with the operator's texts as Markdown
    (``impressum.de.md``, ``datenschutz.en.md``, ``barrierefreiheit.de.md`` ...); a page whose
    file is missing shows the shipped default, which says it must be adapted.
    ``QUALIZYKLUS_CONTACT_EMAIL``: the address for feedback and questions (accessibility
    statement, imprint). ``QUALIZYKLUS_HELP_URL``: where "Hilfe" leads instead of the user guide
    served at /hilfe.
    """

    legal_dir: Path | None = None
    contact_email: str = ""
    help_url: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SiteSettings:
        """Read QUALIZYKLUS_LEGAL_DIR, QUALIZYKLUS_CONTACT_EMAIL and QUALIZYKLUS_HELP_URL."""
        environ = os.environ if environ is None else environ
        folder = environ.get("QUALIZYKLUS_LEGAL_DIR", "").strip()
        email = environ.get("QUALIZYKLUS_CONTACT_EMAIL", "").strip()
        if email and ("@" not in email or any(c.isspace() for c in email)):
            msg = f"QUALIZYKLUS_CONTACT_EMAIL must be an e-mail address, not {email!r}"
            raise SettingsError(msg)
        help_url = environ.get("QUALIZYKLUS_HELP_URL", "").strip()
        if help_url and not help_url.startswith(("https://", "http://", "/")):
            msg = f"QUALIZYKLUS_HELP_URL must start with https://, http:// or /: {help_url!r}"
            raise SettingsError(msg)
        return cls(
            legal_dir=Path(folder).expanduser().absolute() if folder else None,
            contact_email=email,
            help_url=help_url,
        )
