"""Server-rendered pages, German first, usable without JavaScript.

One blueprint, defined here and nothing else: each page module imports it and adds the pages
of one part of the cycle; web/ui/pages.py imports every page module, and the factory registers
the blueprint from there. This package imports none of its modules, so no import runs in a
circle (tests/web/test_no_import_cycles.py).
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("ui", __name__)
