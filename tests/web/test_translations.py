"""The English catalogue: complete for the current msgids, sound, compiled, and used by the pages.

The msgids are the German UI texts (``_``, ``_l``, ``ngettext`` in web/**/*.py, ``_()`` in the
templates). After changing them, ``make translations`` extracts, updates and compiles; these tests
say what is still to be translated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.web.conftest import COORDINATOR, cycle_ids, get, post_form, sign_in

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
SLUG = "lk-musterland"
# The same extraction as the Makefile's `translations` target (run from the project's root).
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext"]
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The msgids in the code now, extracted as ``make translations`` does."""
    template = tmp_path_factory.mktemp("extract") / "messages.pot"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        CommandLineInterface().run(["pybabel", "-q", *EXTRACT, "-o", str(template), "web"])
    with template.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    """The English catalogue as committed."""
    with PO.open("rb") as file:
        return read_po(file, locale="en")


def entries(catalog: Catalog) -> list[Message]:
    """The catalogue's messages without the header."""
    return [message for message in catalog if message.id]


def where(message: Message) -> str:
    """Where a message is used, for failure reports."""
    return ", ".join(f"{path}:{line}" for path, line in message.locations) or "?"


def placeholders(text: str) -> tuple[list[str], int]:
    """The %-placeholders of a text (sorted) and how many stray percent signs it has."""
    found = [match.group(0) for match in PLACEHOLDER.finditer(text)]
    stray = text.count("%") - sum(spec.count("%") for spec in found)
    return sorted(found), stray


def test_extraction_finds_the_templates_and_the_python_modules(extracted: Catalog) -> None:
    files = {path for message in entries(extracted) for path, _line in message.locations}
    assert any(path.startswith("web/templates/") for path in files)
    assert any(path.startswith("web/ui/") and path.endswith(".py") for path in files)
    ids = {message.id for message in entries(extracted)}
    assert "Einschätzung von %(name)s" in ids  # a template msgid with a placeholder
    assert "Bestands- und Bedarfsanalyse" in ids  # lazy_gettext as _l
    assert ("%(num)d Maßnahme ist überfällig", "%(num)d Maßnahmen sind überfällig") in ids


def test_every_msgid_in_the_code_is_in_the_catalogue(
    extracted: Catalog, catalogue: Catalog
) -> None:
    missing = [
        f"{message.id!r} ({where(message)})"
        for message in entries(extracted)
        if catalogue.get(message.id) is None
    ]
    assert not missing, "run `make translations` and translate:\n" + "\n".join(missing)
    plural_changed = [
        repr(message.id)
        for message in entries(extracted)
        if message.pluralizable != catalogue[message.id].pluralizable
    ]
    assert not plural_changed, "singular/plural changed; run `make translations`"


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue: Catalog) -> None:
    assert not catalogue.fuzzy
    assert catalogue.num_plurals == 2
    untranslated, fuzzy = [], []
    for message in entries(catalogue):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = catalogue.num_plurals if message.pluralizable else 1
        if len(strings) != expected or not all(s and s.strip() for s in strings):
            untranslated.append(f"{message.id!r} ({where(message)})")
        if message.fuzzy:
            fuzzy.append(f"{message.id!r} ({where(message)})")
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy)


def test_placeholders_match_and_translations_carry_no_markup(catalogue: Catalog) -> None:
    wrong = []
    for message in entries(catalogue):
        if message.pluralizable:
            singular, plural = message.id
            pairs = [(singular, message.string[0])] + [(plural, s) for s in message.string[1:]]
        else:
            pairs = [(message.id, message.string)]
        for original, translation in pairs:
            if placeholders(original) != placeholders(translation):
                wrong.append(f"{original!r} -> {translation!r}: placeholders differ")
            if re.search(r"<[a-zA-Z/]", translation) and not re.search(r"<[a-zA-Z/]", original):
                wrong.append(f"{original!r} -> {translation!r}: markup")
    assert not wrong, "\n".join(wrong)


def compiled(path: Path) -> tuple[dict[object, object], str]:
    """The messages of a .mo file (msgid to msgstr; plurals as tuples) and its plural rule."""
    with path.open("rb") as file:
        catalog = read_mo(file)
    messages = {
        tuple(m.id) if isinstance(m.id, list) else m.id: (
            tuple(m.string) if isinstance(m.string, list) else m.string
        )
        for m in entries(catalog)
    }
    return messages, catalog.plural_forms


def test_the_compiled_catalogue_is_up_to_date(catalogue: Catalog, tmp_path: Path) -> None:
    fresh = tmp_path / "messages.mo"
    with fresh.open("wb") as file:
        write_mo(file, catalogue)
    expected, expected_plurals = compiled(fresh)
    actual, actual_plurals = compiled(MO)
    stale = [repr(key) for key in expected.keys() ^ actual.keys()]
    stale += [repr(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key]]
    assert not stale, "messages.mo is out of date; run `make translations`:\n" + "\n".join(stale)
    assert actual_plurals == expected_plurals


def page_text(client: FlaskClient, path: str) -> str:
    page = get(client, path)
    assert page.status_code == 200, path
    return page.get_data(as_text=True)


def assert_english(html: str, english: list[str], german: list[str]) -> None:
    assert '<html lang="en">' in html
    for phrase in english:
        assert phrase in html, phrase
    for phrase in german:
        assert phrase not in html, phrase


SIGN_IN_EN = ["Sign in", "Email address", "Password", "Skip to main content"]
SIGN_IN_DE = ["Anmelden", "E-Mail-Adresse", "Passwort", "Zum Inhalt springen"]
ORGANISATION_EN = ["Your role:", "Network coordinator", "Start a new cycle", "Members and roles"]
ORGANISATION_DE = ["Ihre Rolle:", "Netzwerkkoordination", "Neuen Zyklus beginnen", "Mitglieder"]
CYCLE_EN = ["Next step", "Current phase:", "Overview", "Analysis", "History", "State as of"]
CYCLE_DE = ["Nächster Schritt", "Aktuelle Phase:", "Überblick", "Verlauf", "Stand am"]


def test_the_browser_asking_for_english_gets_english_pages(client: FlaskClient) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9,de;q=0.5"
    assert_english(page_text(client, "/login"), SIGN_IN_EN, SIGN_IN_DE)
    assert sign_in(client, COORDINATOR).status_code == 302
    assert_english(page_text(client, f"/o/{SLUG}/"), ORGANISATION_EN, ORGANISATION_DE)
    newest = cycle_ids(client, SLUG)[0]
    cycle = page_text(client, f"/o/{SLUG}/cycles/{newest}/")
    assert_english(cycle, CYCLE_EN, CYCLE_DE)
    assert "Implementation" in cycle  # a phase label (lazy_gettext)


def test_the_language_switch_chooses_english_over_the_browser(client: FlaskClient) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE,de"
    post_form(client, "/login", "/language", {"language": "en", "next": "/login"})
    assert_english(page_text(client, "/login"), SIGN_IN_EN, SIGN_IN_DE)
    sign_in(client, COORDINATOR)  # the choice survives signing in
    assert_english(page_text(client, f"/o/{SLUG}/"), ORGANISATION_EN, ORGANISATION_DE)
    post_form(client, f"/o/{SLUG}/", "/language", {"language": "de", "next": f"/o/{SLUG}/"})
    html = page_text(client, f"/o/{SLUG}/")
    assert '<html lang="de">' in html
    assert "Ihre Rolle:" in html
    assert "Your role:" not in html


@pytest.mark.parametrize("accept", [None, "fr-FR,fr", "de-DE,de;q=0.9,en;q=0.8"])
def test_german_stays_the_default(client: FlaskClient, accept: str | None) -> None:
    if accept:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    html = page_text(client, "/login")
    assert '<html lang="de">' in html
    assert "Anmelden" in html
    assert "E-Mail-Adresse" in html
    assert "Sign in" not in html
    sign_in(client, COORDINATOR)
    html = page_text(client, f"/o/{SLUG}/")
    assert "Ihre Rolle:" in html
    assert "Netzwerkkoordination" in html
    assert "Your role:" not in html
    newest = cycle_ids(client, SLUG)[0]
    html = page_text(client, f"/o/{SLUG}/cycles/{newest}/")
    assert "Nächster Schritt" in html
    assert "Next step" not in html
