"""Password hashes with scrypt (memory-hard), in Werkzeug's format ``scrypt:N:r:p$salt$hash``.

Kept in the engine so that the command line (demo, ``users``) and the web layer hash alike.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

MIN_LENGTH = 12
N, R, P = 2**15, 8, 1
_MAXMEM = 132 * N * R * P


class PasswordTooWeak(ValueError):
    """A new password is shorter than the minimum."""


def hash_password(password: str) -> str:
    """A salted scrypt hash of a new password (refused when shorter than the minimum)."""
    if len(password) < MIN_LENGTH:
        msg = f"at least {MIN_LENGTH} characters"
        raise PasswordTooWeak(msg)
    salt = secrets.token_urlsafe(12)
    return f"scrypt:{N}:{R}:{P}${salt}${_scrypt(password, salt, N, R, P)}"


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (in constant time)."""
    try:
        method, salt, expected = stored.split("$", 2)
        name, n, r, p = method.split(":")
        if name != "scrypt":
            return False
        actual = _scrypt(password, salt, int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: str, n: int, r: int, p: int) -> str:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt.encode("utf-8"), n=n, r=r, p=p, maxmem=_MAXMEM * 2
    ).hex()
