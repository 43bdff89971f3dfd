"""What a plugin's own web pages (the ``web_blueprints`` hook) need of the application.

A plugin imports neither ``web`` nor the engine's inner modules, so the web application puts
one :class:`PageHost` into ``current_app.extensions[PAGE_HOST]``; a view finds it with
``engine.page_host(current_app.extensions)`` and asks it for the cycle as the signed-in member
sees it (:meth:`PageHost.member_cycle`: 404 for other organisations, 403 without the right) and
to change the theme's records (:meth:`PageHost.change_records`); a page that shows only the
cycle can be kept per reader and version (:meth:`PageHost.kept_page`). No Flask here: the web
application gives the host a function that names the signed-in person and one that keeps pages.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from engine.domain.catalogue import Theme
from engine.domain.errors import Forbidden, NotFound
from engine.domain.organisation import ROLE_PERMISSIONS

PAGE_HOST = "qualizyklus.page-host"
"""The key of the :class:`PageHost` in the Flask app's ``extensions``."""


@dataclass(frozen=True)
class MemberCycle:
    """A cycle as one signed-in member sees it: the plain data plugins' hooks receive."""

    organisation: Mapping[str, Any]
    """The organisation: ``id``, ``slug``, ``name``, ``members`` (id -> role), ..."""
    cycle: Mapping[str, Any]
    """The cycle's state, the same mapping hooks receive (``cycle["records"]`` included)."""
    actor_id: str
    """The signed-in person's id (the actor of every change)."""
    role: str
    """Their role in the organisation: coordinator, contributor or viewer."""
    closed: bool
    """Whether the cycle is closed (nothing can be changed any more)."""

    def can(self, permission: str) -> bool:
        """Whether the role carries the permission ("read", "plan", "rate", ...)."""
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())

    @property
    def slug(self) -> str:
        """The organisation's slug (for URLs)."""
        return str(self.organisation["slug"])

    @property
    def cycle_id(self) -> UUID:
        """The cycle's id."""
        return UUID(str(self.cycle["id"]))


Render = Callable[[], tuple[str, int]]
"""A page's rendering: its HTML and HTTP status."""
Answer = tuple[str | bytes, int]
"""A page as a view returns it: its HTML (the bytes sent, once kept) and HTTP status."""
Keeper = Callable[[tuple[Hashable, ...], Render], Answer]
"""Keeps pages under a key of their data (given by the web application, web/kept_pages.py)."""


def _render_afresh(_data_key: tuple[Hashable, ...], render: Render) -> Answer:
    """Keeps nothing: every page rendered afresh."""
    return render()


@dataclass(frozen=True)
class PageHost:
    """The engine as a plugin's pages use it, and who is signed in."""

    engine: Any
    """The engine (``Qualizyklus``): its public queries and commands."""
    signed_in: Callable[[], str | None]
    """The signed-in person's id, or None (given by the web application)."""
    keeper: Keeper = _render_afresh
    """Keeps rendered pages (given by the web application; by default nothing is kept)."""

    @property
    def themes(self) -> Mapping[str, Theme]:
        """Every installed theme by id."""
        return dict(self.engine.themes)

    def member_cycle(self, slug: str, cycle_id: str, permission: str = "read") -> MemberCycle:
        """The cycle of the organisation ``slug`` for the signed-in member.

        NotFound (a 404 page) when no one is signed in, the cycle is another organisation's or
        missing, or the person is not a member; Forbidden (403) when their role lacks
        ``permission``.
        """
        actor_id = self.signed_in()
        if actor_id is None:
            raise NotFound()
        try:
            found = UUID(cycle_id)
        except ValueError:
            raise NotFound() from None
        organisation, cycle = self.engine.organisation_and_cycle(slug, found)
        role = organisation["members"].get(actor_id)
        if role is None:
            raise NotFound()
        definition = self.engine.definition_of(found)
        closed = bool(definition.phase(cycle["phase"]).terminal)
        page = MemberCycle(organisation, cycle, actor_id, role, closed)
        if not page.can(permission):
            raise Forbidden(
                "Ihre Rolle erlaubt diese Aktion nicht.", "Your role does not allow this."
            )
        return page

    def kept_page(self, page: MemberCycle, render: Render) -> Answer:
        """The page ``render`` gives, kept a few minutes per reader and version, as the core
        keeps a cycle's overview.

        For a page that shows only what ``page`` holds: it is served again, without calling
        ``render``, to the same person with the same path and query, language, session and day
        for as long as the cycle's and the organisation's versions stay the same (any change to
        either raises its version), and at most ten minutes. A request other than GET, or one
        while messages wait to be shown, renders afresh; only an answer with status 200 is
        kept, as the bytes sent. A page that shows anything else (other cycles, read models,
        the time of day) must not be kept.
        """
        data_key = (str(page.cycle["id"]), page.cycle["version"], page.organisation["version"])
        return self.keeper(data_key, render)

    def change_records(
        self,
        page: MemberCycle,
        theme_id: str,
        *,
        saves: Sequence[Mapping[str, Any]] = (),
        removals: Sequence[Mapping[str, Any]] = (),
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Save and remove the theme's records on the page's cycle, as the signed-in member
        (``Qualizyklus.change_records``); the cycle's new version. InvalidInput names every
        problem (``error.problems``), and nothing is written."""
        version: int = self.engine.change_records(
            page.cycle_id,
            actor_id=page.actor_id,
            theme_id=theme_id,
            saves=saves,
            removals=removals,
            reason=reason,
            expected_version=expected_version,
        )
        return version


def page_host(extensions: Mapping[str, Any]) -> PageHost:
    """The host the web application installed (``page_host(current_app.extensions)``)."""
    host = extensions.get(PAGE_HOST)
    if not isinstance(host, PageHost):
        msg = "no PageHost installed: a plugin's pages run only inside the Qualizyklus web app"
        raise LookupError(msg)
    return host
