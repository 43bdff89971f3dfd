"""A contributor (Fachkraft) at work, in a real Chromium: rates criteria as herself beside the
group's median and spread, reports progress on her own measure (and only on hers), comments,
and attaches a PDF as evidence that downloads unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    SLUG,
    LiveServer,
    assert_accessible,
    sign_in,
)

CONTRIBUTOR_NAME = "Jana Wolff"
RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
NEW_CYCLE = "Qualitätszyklus 2027 – Politische Verankerung"
THEME = "Politisch-strukturelle Verankerung"
NUMERIC = "Informationen fließen in beide Richtungen zwischen Politik und Praxis"
STANDARD = "Frühe Hilfen stehen regelmäßig auf der Tagesordnung der politischen Gremien"
OWN_MEASURE = "Jährliche Datenwerkstatt"  # Jana Wolff's, done
OTHERS_MEASURE = "Befragung im Elterncafé"  # Mehmet Yilmaz's, blocked
GOAL = "Mehr Familien mit Neugeborenen erreichen"
NOTE = "Im Jugendhilfeausschuss berichten wir zweimal im Jahr aus der Praxis."
COMMENT = "Die Datenwerkstatt ergänzt die Zahlen des ersten Quartals 2026."
PDF_NAME = "protokoll-datenwerkstatt.pdf"
CYCLE_URL = re.compile(rf"/o/{SLUG}/cycles/[0-9a-f-]{{36}}/$")


def minimal_pdf(text: str = "Protokoll der Datenwerkstatt") -> bytes:
    """A small, valid one-page PDF 1.4 showing ``text`` (with a correct cross-reference table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    document += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(document)


def sign_out(page: Page) -> None:
    """Sign out with the header's button; the sign-in page follows."""
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()


def cycle_nav(page: Page, label: str) -> None:
    """Follow one of the cycle's page links (Überblick, Analyse, Planung, …)."""
    page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
        "link", name=label, exact=True
    ).click()
    expect(
        page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
            "link", name=label, exact=True
        )
    ).to_have_attribute("aria-current", "page")


def open_cycle(page: Page, title: str) -> str:
    """From the organisation page to a cycle's overview; its URL."""
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def criterion(page: Page, title: str) -> Locator:
    """A criterion's card on the analysis page."""
    return page.locator("article.criterion").filter(
        has=page.get_by_role("heading", level=4, name=re.compile(rf"^{re.escape(title)}"))
    )


def figure(card: Locator, term: str) -> Locator:
    """The value next to a term of a criterion's spread (Ihre Einschätzung, Median, …)."""
    return (
        card.locator("dl.spread > div")
        .filter(has=card.page.locator("dt").get_by_text(term, exact=True))
        .locator("dd")
    )


def rate(page: Page, title: str, value: str, note: str = "") -> None:
    """Choose a value of a criterion's scale, and save it."""
    card = criterion(page, title)
    card.get_by_role("radio", name=value, exact=True).check()
    if note:
        card.get_by_label("Anmerkung (freiwillig)").fill(note)
    form = card.locator("xpath=ancestor::form")
    form.get_by_role("button", name=re.compile("^Einschätzungen speichern")).click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Einschätzung ist gespeichert.")


def start_cycle_as_coordinator(page: Page) -> str:
    """The coordinator starts a cycle on political anchoring and rates two criteria herself."""
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Neuen Zyklus beginnen").click()
    page.get_by_label("Titel").fill(NEW_CYCLE)
    page.get_by_role("group", name="Themen").get_by_role("checkbox", name=THEME).check()
    page.get_by_label("Beginn").fill("2027-01-01")
    page.get_by_label("Ende", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Zyklus beginnen").click()
    expect(page).to_have_url(CYCLE_URL)
    overview = page.url
    cycle_nav(page, "Analyse")
    rate(page, NUMERIC, "2")
    rate(page, STANDARD, "Mindestvoraussetzungen erfüllt")
    sign_out(page)
    return overview


def test_a_contributor_rates_as_herself_and_sees_her_rating_beside_the_groups_median_and_spread(
    page: Page, screenshot: Callable[[str], Path]
) -> None:
    overview = start_cycle_as_coordinator(page)

    sign_in(page, CONTRIBUTOR)
    assert open_cycle(page, NEW_CYCLE) == overview
    cycle_nav(page, "Analyse")

    # Only coordinators record ratings for others, findings and priorities
    expect(page.get_by_label("Einschätzungen erfassen für")).to_have_count(0)
    expect(page.get_by_role("button", name="Befund festhalten")).to_have_count(0)
    numeric = criterion(page, NUMERIC)
    expect(figure(numeric, "Ihre Einschätzung")).to_have_text("noch keine")
    expect(figure(numeric, "Einschätzungen")).to_have_text("1")
    expect(figure(numeric, "Median")).to_have_count(0)  # blind until she rated it herself
    expect(numeric.locator(".blind-note")).to_be_visible()
    expect(numeric.get_by_role("group", name=re.compile("^Ihre Einschätzung"))).to_be_visible()

    rate(page, NUMERIC, "4", NOTE)

    numeric = criterion(page, NUMERIC)
    expect(figure(numeric, "Ihre Einschätzung")).to_have_text("4")
    expect(figure(numeric, "Einschätzungen")).to_have_text("2")
    expect(figure(numeric, "Median")).to_have_text("3")
    expect(figure(numeric, "Spanne (niedrigste – höchste)")).to_have_text("2 – 4")
    expect(numeric.locator(".own-note")).to_have_text(f"Anmerkung: {NOTE}")
    expect(numeric.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(numeric.locator(".dialogue-note")).to_contain_text("Zuerst besprechen")

    rate(page, STANDARD, "das Mehr erfüllt")

    standard = criterion(page, STANDARD)
    expect(figure(standard, "Ihre Einschätzung")).to_have_text("das Mehr erfüllt")
    expect(figure(standard, "Einschätzungen")).to_have_text("2")
    expect(figure(standard, "Median")).to_have_text(
        "zwischen „Mindestvoraussetzungen erfüllt“ und „das Mehr erfüllt“"
    )
    expect(figure(standard, "Spanne (niedrigste – höchste)")).to_have_text(
        "Mindestvoraussetzungen erfüllt – das Mehr erfüllt"
    )
    theme = page.get_by_role("region", name=THEME, exact=True)
    overall = theme.locator(".overall dl.spread")
    expect(overall.locator("div").filter(has_text="Personen").locator("dd")).to_have_text("2")
    expect(theme.locator(".overall ol").get_by_role("link")).to_have_text([NUMERIC])
    assert screenshot("analyse").stat().st_size > 0
    assert_accessible(page)


def test_a_contributor_reports_progress_on_her_own_measure_and_has_no_form_for_others(
    page: Page,
) -> None:
    sign_in(page, CONTRIBUTOR)
    overview = open_cycle(page, RUNNING)
    cycle_nav(page, "Umsetzung")
    expect(
        page.get_by_text("Sie können den Status der Maßnahmen ändern, für die Sie verantwortlich")
    ).to_be_visible()

    # A status form in exactly the rows of her own measures
    rows = page.locator("table.measures tbody tr")
    expect(rows.first).to_be_visible()
    own_rows = []
    for index in range(rows.count()):
        row = rows.nth(index)
        own = row.locator("td").first.inner_text() == CONTRIBUTOR_NAME
        expect(row.locator("summary")).to_have_count(1 if own else 0)
        expect(row.locator("form")).to_have_count(1 if own else 0)
        if own:
            own_rows.append(row.get_by_role("rowheader").inner_text())
    assert len(own_rows) == 2, own_rows  # engine/demo/networks.py: two of the measures are hers
    assert any(title.startswith(OWN_MEASURE) for title in own_rows), own_rows
    assert rows.count() > len(own_rows), "the others' measures are listed too"
    others = page.locator("tr", has=page.get_by_role("rowheader", name=OTHERS_MEASURE))
    expect(others.locator("td").first).to_have_text("Mehmet Yilmaz")
    expect(others.get_by_text("Status ändern")).to_have_count(0)
    expect(others.get_by_role("button", name="Status speichern")).to_have_count(0)

    # Her own measure moves on
    own = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(OWN_MEASURE)))
    own.get_by_text("Status ändern").click()
    own.get_by_label("Neuer Status").select_option(label="läuft")
    own.get_by_label("Begründung").fill("Die Zahlen des ersten Quartals 2026 kommen dazu.")
    own.get_by_role("button", name="Status speichern").click()

    expect(page.get_by_role("status")).to_contain_text(
        f"Die Maßnahme „{OWN_MEASURE}“ ist jetzt „läuft“."
    )
    expect(page.get_by_role("region", name="läuft (2)")).to_contain_text(OWN_MEASURE)
    expect(page.get_by_role("region", name="erledigt (0)")).to_be_visible()

    # A forged status change for someone else's measure is refused, and nothing changes
    others_id = (others.get_attribute("id") or "").removeprefix("measure-")
    assert others_id, "the row of a measure carries its id"
    token = page.locator("input[name$=csrf_token]").first.input_value()
    forged = page.request.post(
        f"{overview}implement/measures/{others_id}/status",
        form={
            f"m-{others_id}-csrf_token": token,
            f"m-{others_id}-status": "done",
            f"m-{others_id}-reason": "",
        },
        max_redirects=0,
    )
    assert forged.status == 403, forged.status
    page.reload()
    expect(page.get_by_role("region", name="blockiert (1)")).to_contain_text(OTHERS_MEASURE)

    # An indicator value, with a decimal comma
    goal = page.get_by_role("region", name=GOAL, exact=True)
    goal.get_by_label("Wert", exact=True).fill("6,5")
    goal.get_by_label("Gemessen am").fill("2026-03-15")
    goal.get_by_label("Quelle").fill("Netzwerkstatistik, 1. Quartal 2026")
    goal.get_by_role("button", name="Wert speichern").click()

    expect(page.get_by_role("status")).to_contain_text(f"Der Wert für „{GOAL}“ ist erfasst.")
    goal = page.get_by_role("region", name=GOAL, exact=True)
    expect(goal.get_by_role("row").filter(has_text="15.03.2026")).to_contain_text(
        re.compile(r"15\.03\.2026\s*6,5\s*Netzwerkstatistik, 1\. Quartal 2026")
    )
    latest = goal.locator("dl.goal-figures > div").filter(has_text="Zuletzt gemessen")
    expect(latest.locator("dd")).to_have_text("6,5 Anzahl (15.03.2026)")


def test_a_contributor_comments_and_attaches_a_pdf_that_downloads_unchanged(
    page: Page, live_server: LiveServer
) -> None:
    pdf = minimal_pdf()
    sign_in(page, CONTRIBUTOR)
    overview = open_cycle(page, RUNNING)

    # A comment on her measure
    comments = page.get_by_role("region", name=re.compile("^Kommentare"))
    expect(comments.get_by_role("heading", level=2)).to_have_text("Kommentare (1)")
    comments.get_by_label("Bezug").select_option(label=OWN_MEASURE)
    comments.get_by_label("Kommentar", exact=True).fill(COMMENT)
    comments.get_by_role("button", name="Kommentar speichern").click()

    expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar ist gespeichert.")
    comments = page.get_by_role("region", name=re.compile("^Kommentare"))
    expect(comments.get_by_role("heading", level=2)).to_have_text("Kommentare (2)")
    newest = comments.locator("ol.comment-list > li").last
    expect(newest.locator(".comment-meta")).to_contain_text(CONTRIBUTOR_NAME)
    expect(newest.locator(".comment-meta")).to_contain_text(f"zu: Maßnahme: {OWN_MEASURE}")
    expect(newest.locator(".comment-text")).to_have_text(COMMENT)

    # A PDF as evidence for the measure
    files = page.get_by_role("region", name=re.compile("^Belege und Dateien"))
    files.get_by_label("Datei", exact=True).set_input_files(
        {"name": PDF_NAME, "mimeType": "application/pdf", "buffer": pdf}
    )
    files.get_by_label("Beleg für").select_option(label=OWN_MEASURE)
    files.get_by_role("button", name="Datei hochladen").click()

    expect(page.get_by_role("status")).to_contain_text(f"Die Datei „{PDF_NAME}“ ist angehängt.")
    files = page.get_by_role("region", name=re.compile("^Belege und Dateien"))
    row = files.get_by_role("row").filter(has=page.get_by_role("link", name=PDF_NAME))
    expect(row.get_by_role("cell")).to_have_text(
        [
            f"Maßnahme: {OWN_MEASURE}",
            "PDF-Dokument",
            f"{len(pdf)} Byte",
            re.compile(rf"^{CONTRIBUTOR_NAME}, \d\d\.\d\d\.\d{{4}}, \d\d:\d\d$"),
        ]
    )
    expect(files.get_by_text("Zurückziehen")).to_have_count(0)
    assert_accessible(page)

    # Downloading it gives back the same bytes, as an attachment
    link = row.get_by_role("link", name=PDF_NAME)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == PDF_NAME
    assert Path(download.path()).read_bytes() == pdf

    href = link.get_attribute("href") or ""
    assert href.startswith(live_server.path(overview) + "attachments/"), href
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert PDF_NAME in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    assert response.body() == pdf
