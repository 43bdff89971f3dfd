"""Web configuration from QUALIZYKLUS_* environment variables (documented in docs/operations.md)."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from engine.infrastructure.login_sessions import SessionPolicy
from engine.infrastructure.settings import Settings, SettingsError

MEGABYTE = 1024 * 1024


def shared_secret(path: Path) -> str:
    """A secret key kept in a file, created once, so that every worker signs alike.

    Without it each gunicorn worker would make up its own key, and a session signed by one
    worker would be refused by the next. The first worker creates the file (readable by its
    owner only); the others read it.
    """
    try:
        secret = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    else:  # empty while the first worker is still writing it: never sign with ""
        return secret or _wait_for_secret(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker was quicker
        return _wait_for_secret(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def _wait_for_secret(path: Path) -> str:
    for _ in range(50):
        secret = path.read_text(encoding="ascii").strip()
        if secret:
            return secret
        time.sleep(0.02)
    msg = f"{path} stays empty"
    raise RuntimeError(msg)


PATH_SETTINGS = ("QUALIZYKLUS_ATTACHMENTS",)
"""Settings naming a folder or file (the SQLite database is named by its URL instead, whose
relative path SQLite itself takes from the working directory)."""


def absolute(path: str | os.PathLike[str]) -> Path:
    """A configured path made absolute against the working directory, once, at start-up.

    Flask resolves relative paths against the app's package (``web/``) when it sends a file,
    so a relative folder must not reach a view.
    """
    return Path(path).expanduser().absolute()


def resolve_paths(config: dict[str, Any]) -> None:
    """Make every path setting of an app's configuration absolute (see :func:`absolute`)."""
    for name in PATH_SETTINGS:
        if config.get(name) is not None:
            config[name] = absolute(config[name])


def _positive(environ: Mapping[str, str], name: str, default: str) -> float:
    """A positive number from the environment, or a clear error naming the variable."""
    raw = environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        msg = f"{name} must be a positive number, not {raw!r}"
        raise SettingsError(msg)
    return value


def session_policy(environ: Mapping[str, str]) -> SessionPolicy:
    """How long a sign-in session may be idle (minutes) and last at most (hours)."""
    return SessionPolicy(
        idle=timedelta(minutes=_positive(environ, "QUALIZYKLUS_SESSION_IDLE_MINUTES", "60")),
        max_age=timedelta(hours=_positive(environ, "QUALIZYKLUS_SESSION_MAX_HOURS", "8")),
    )


def config_from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Flask settings: secret key, cookies, upload limit, attachments folder, languages.

    Relative paths are taken from the working directory, at once.
    """
    environ = os.environ if environ is None else environ
    secure = environ.get("QUALIZYKLUS_SECURE_COOKIES", "1").lower() not in ("0", "false", "no")
    upload_mb = int(environ.get("QUALIZYKLUS_MAX_UPLOAD_MB", "10"))
    policy = session_policy(environ)
    return {
        "SECRET_KEY": environ.get("QUALIZYKLUS_SECRET_KEY")
        or shared_secret(absolute(environ.get("QUALIZYKLUS_SECRET_KEY_FILE", "var/secret_key"))),
        "QUALIZYKLUS_DATABASE": Settings.from_environ(environ).database,
        "QUALIZYKLUS_ATTACHMENTS": absolute(
            environ.get("QUALIZYKLUS_ATTACHMENTS", "var/attachments")
        ),
        "MAX_CONTENT_LENGTH": upload_mb * MEGABYTE,
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "qualizyklus_session",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": policy.max_age,
        # Enforced on the server (web/auth.py): the cookie's expiry alone proves nothing.
        "QUALIZYKLUS_SESSION_POLICY": policy,
        # Reverse proxies in front whose X-Forwarded-For names the client (sign-in throttle).
        "QUALIZYKLUS_PROXY_COUNT": int(environ.get("QUALIZYKLUS_PROXY_COUNT", "0")),
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ("de", "en"),
        # Finished report PDFs (web/reports/pdf_cache.py): the folder ("off": none), its limit.
        "QUALIZYKLUS_PDF_CACHE": _optional_folder(
            environ, "QUALIZYKLUS_PDF_CACHE", "var/pdf-cache"
        ),
        "QUALIZYKLUS_PDF_CACHE_MB": _positive(environ, "QUALIZYKLUS_PDF_CACHE_MB", "100"),
    }


def _optional_folder(environ: Mapping[str, str], name: str, default: str) -> Path | None:
    """A folder from the environment, made absolute; None when set to "off" (or "0", "")."""
    raw = environ.get(name, default).strip()
    if raw.lower() in ("", "0", "off", "false", "no"):
        return None
    return absolute(raw)
