"""Every page module of the UI, imported so that each adds its pages to the ``ui`` blueprint.

The factory registers ``blueprint`` from here. A new page module is added to ``PAGE_MODULES``
(tests/web/test_no_import_cycles.py fails for a page module that is missing).
"""

from __future__ import annotations

from types import ModuleType

from web.ui import (
    admin,
    analyse,
    attachments,
    audit,
    comments,
    cycles,
    dashboard,
    implement,
    members,
    organisations,
    plan,
    reminders,
    review,
    state,
    tokens,
)
from web.ui import blueprint as blueprint

PAGE_MODULES: tuple[ModuleType, ...] = (
    admin,
    analyse,
    attachments,
    audit,
    comments,
    cycles,
    dashboard,
    implement,
    members,
    organisations,
    plan,
    reminders,
    review,
    state,
    tokens,
)
"""The modules whose views make up the UI, in no particular order."""

__all__ = ["PAGE_MODULES", "blueprint"]
