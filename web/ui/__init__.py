"""Server-rendered pages, German first, usable without JavaScript.

One blueprint; each module adds the pages of one part of the cycle.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("ui", __name__)


def _add_pages() -> None:
    """Import every module of this package: each adds its pages to the blueprint."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_add_pages()
