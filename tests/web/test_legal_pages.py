"""What German public websites carry: Impressum, Datenschutz, Barrierefreiheit (with a feedback
contact), Leichte Sprache, Hilfe and a favicon; linked from every page's footer, signed in or not;
the operator's own texts from a folder, else defaults that say they must be adapted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.infrastructure.settings import SettingsError, SiteSettings
from tests.web.conftest import COORDINATOR, get, sign_in
from web.ui.legal import SITE_KEY

FOOTER_LINKS = {
    "/hilfe": "Hilfe",
    "/leichte-sprache": "Leichte Sprache",
    "/barrierefreiheit": "Barrierefreiheit",
    "/datenschutz": "Datenschutz",
    "/impressum": "Impressum",
}


def footer(html: str) -> str:
    """The page's footer."""
    found = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)
    assert found, "every page has the footer"
    return found.group(0)


def text_of(html: str) -> str:
    """The text without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_the_legal_pages_from_its_footer(
    client: FlaskClient, signed_in: bool
) -> None:
    if signed_in:
        sign_in(client, COORDINATOR)
    for path in ("/login", "/impressum", "/leichte-sprache") + (
        ("/o/lk-musterland/",) if signed_in else ()
    ):
        page = get(client, path)
        assert page.status_code == 200, path
        links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer(page.text)))
        assert links == FOOTER_LINKS, path


def test_the_pages_open_without_signing_in_and_the_defaults_say_they_must_be_adapted(
    client: FlaskClient,
) -> None:
    for path, heading in (
        ("/impressum", "Impressum"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ):
        page = get(client, path)
        assert page.status_code == 200
        assert f"<h1>{heading}</h1>" in page.text
        assert "Mustertext:" in page.text and "QUALIZYKLUS_LEGAL_DIR" in page.text
    feedback = get(client, "/barrierefreiheit").text
    assert 'id="feedback"' in feedback and "QUALIZYKLUS_CONTACT_EMAIL" in feedback


def test_the_operators_texts_and_contact_replace_the_defaults(
    web_app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "texte"
    folder.mkdir()
    (folder / "impressum.de.md").write_text(
        "## Anbieter\n\nLandkreis Musterland, {contact}\n\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    (folder / "impressum.en.md").write_text("## Provider\n\nMusterland district\n", "utf-8")
    web_app.config[SITE_KEY] = SiteSettings(legal_dir=folder, contact_email="fh@musterland.example")

    german = get(client, "/impressum").text
    assert "<h2>Anbieter</h2>" in german
    assert "Landkreis Musterland, fh@musterland.example" in german
    assert "<script>alert(1)</script>" not in german  # raw HTML is shown as text, never run
    assert "&lt;script&gt;" in german
    assert "Mustertext:" not in german
    statement = get(client, "/barrierefreiheit").text  # no own file: the default, with contact
    assert "Mustertext:" in statement
    assert '<a href="mailto:fh@musterland.example">fh@musterland.example</a>' in statement
    assert "fh@musterland.example" in get(client, "/leichte-sprache").text
    english = client.get(
        "/impressum", base_url="https://localhost", headers={"Accept-Language": "en"}
    ).text
    assert "<h2>Provider</h2>" in english and "Musterland district" in english


def test_english_readers_get_the_english_defaults(client: FlaskClient) -> None:
    page = client.get(
        "/datenschutz", base_url="https://localhost", headers={"Accept-Language": "en"}
    ).text
    assert '<html lang="en">' in page
    assert "<h1>Privacy notice</h1>" in page
    assert "Your rights" in page
    assert "Template text:" in page


def test_help_serves_the_user_guide_or_leads_to_the_configured_address(
    web_app: Flask, client: FlaskClient
) -> None:
    guide = get(client, "/hilfe")
    assert guide.status_code == 200
    assert "<h1>Qualizyklus – Handbuch für Netzwerke Frühe Hilfen</h1>" in guide.text
    assert "<table>" in guide.text  # the roles table, rendered

    web_app.config[SITE_KEY] = SiteSettings(help_url="https://hilfe.example.org/qualizyklus")
    assert get(client, "/hilfe").headers["Location"] == "https://hilfe.example.org/qualizyklus"
    assert 'href="https://hilfe.example.org/qualizyklus"' in footer(get(client, "/login").text)


def test_the_favicon_is_served_as_ico_and_svg(client: FlaskClient) -> None:
    icon = get(client, "/favicon.ico")
    assert icon.status_code == 200
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = get(client, "/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    head = get(client, "/login").text.split("</head>")[0]
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in head


def test_the_leichte_sprache_page_keeps_its_sentences_short(client: FlaskClient) -> None:
    """Netzwerk Leichte Sprache: short sentences, one statement each, long words split."""
    page = get(client, "/leichte-sprache").text
    article = re.search(r'<article class="easy-language" lang="de">(.*?)</article>', page, re.S)
    assert article, "the page is marked as German"
    text = text_of(article.group(1))
    sentences = [s.strip() for s in re.split(r"[.?!:]", text) if s.strip()]
    assert len(sentences) > 20
    assert max(len(s.split()) for s in sentences) <= 12
    assert "Netz·werk" in text  # compound words split with the Mediopunkt
    assert not re.search(r"\b(z\. B\.|bzw\.|usw\.|ggf\.)", text)  # no abbreviations


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"QUALIZYKLUS_CONTACT_EMAIL": "keine adresse"}, "QUALIZYKLUS_CONTACT_EMAIL"),
        ({"QUALIZYKLUS_HELP_URL": "javascript:alert(1)"}, "QUALIZYKLUS_HELP_URL"),
    ],
)
def test_wrong_site_settings_are_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        SiteSettings.from_environ(environ)


def test_site_settings_from_the_environment(tmp_path: Path) -> None:
    settings = SiteSettings.from_environ(
        {
            "QUALIZYKLUS_LEGAL_DIR": str(tmp_path),
            "QUALIZYKLUS_CONTACT_EMAIL": "fh@example.org",
            "QUALIZYKLUS_HELP_URL": "/static/handbuch.pdf",
        }
    )
    assert settings == SiteSettings(tmp_path, "fh@example.org", "/static/handbuch.pdf")
    assert SiteSettings.from_environ({}) == SiteSettings()


def test_a_wrong_contact_setting_leaves_the_pages_working(
    web_app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_app.config.pop(SITE_KEY, None)
    monkeypatch.setenv("QUALIZYKLUS_CONTACT_EMAIL", "keine adresse")

    page = get(client, "/barrierefreiheit")

    assert page.status_code == 200
    assert "keine adresse" not in page.text
    assert "QUALIZYKLUS_CONTACT_EMAIL" in page.text  # "no contact set yet"
