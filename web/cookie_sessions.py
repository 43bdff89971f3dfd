"""Flask's signed cookie sessions, with the signing serializer built once per set of keys.

Flask builds a new ``URLSafeTimedSerializer`` for every request when it opens the session,
also on the parents' survey pages, which never use one: about 4 % of the processor time of a
parent's answer. The serializer depends only on the secret key and its fallbacks,
and signing with it keeps no state, so one is kept per set of keys and built anew when they
change.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

Keys = tuple[object, tuple[object, ...]]


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions, signing with a serializer kept while the keys stay the same."""

    def __init__(self) -> None:
        super().__init__()
        self._kept: tuple[Keys, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer of the app's current keys (None without a secret key)."""
        keys: Keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = (keys, super().get_signing_serializer(app))
            self._kept = kept  # one assignment: a thread sees the old pair or the new one
        return kept[1]


def init_app(app: Flask) -> None:
    """Use the kept serializer for the app's sessions."""
    app.session_interface = KeptSerializerSessionInterface()
