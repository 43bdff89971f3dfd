"""web/ imports in one direction: no module reaches itself again, and every page is registered.

Every import counts, also one inside a function or under ``TYPE_CHECKING`` (grimp reads them
all). import-linter's ``acyclic_siblings`` contract in pyproject.toml checks the packages; these
tests check single modules, a package's ``__init__`` and its own modules included.
"""

from __future__ import annotations

import grimp
import pytest


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """Every import between the modules of web/, read from the source."""
    return grimp.build_graph("web", cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """One shortest circle through each import that closes one, each circle listed once."""
    found: dict[frozenset[str], tuple[str, ...]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                circle = (importer, *back)
                found.setdefault(frozenset(circle), circle)
    return sorted(found.values())


def test_no_module_of_web_imports_itself_through_others(graph: grimp.ImportGraph) -> None:
    found = cycles(graph)

    assert not found, "import circles in web/:\n" + "\n".join(" -> ".join(c) for c in found)


def test_nothing_in_web_imports_the_factory_but_the_spec_writer(graph: grimp.ImportGraph) -> None:
    importers = graph.find_modules_that_directly_import("web.app")

    # web/api/openapi.py builds an app to write docs/openapi.json: a command, like wsgi.py
    assert importers <= {"web.api.openapi"}


def test_every_module_that_adds_pages_is_registered(graph: grimp.ImportGraph) -> None:
    adding_pages = graph.find_modules_that_directly_import("web.ui")

    registered = graph.find_modules_directly_imported_by("web.ui.pages")

    assert adding_pages <= registered, f"not in web/ui/pages.py: {adding_pages - registered}"
