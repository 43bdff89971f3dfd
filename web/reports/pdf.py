"""The Qualitätsbericht as PDF: the same :class:`Report` as the page, laid out with reportlab.

Charts are vector drawings (reportlab.graphics), each followed by its text alternative and its
numbers as a table. The document carries its title, author, subject and language. Every text
from the report is escaped before it goes into a paragraph: reportlab's paragraphs read a
small markup, and a goal's title must never be taken for it.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, PropertySet, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from engine.domain.contributions import Chart
from web.charts import PALETTE
from web.i18n import localised, number
from web.reports.blocks import Grid, Picture
from web.reports.content import Report

MARGIN = 2 * cm
WIDTH = A4[0] - 2 * MARGIN
BAR_ROW = 14
LABEL_SHARE = 0.38
LABEL_CHARS = 48
CHAR = 5.5
"""About the width of a character in a table cell (8 points), to size columns."""
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
"""Where DejaVu Sans may be installed (it covers names in most European scripts)."""


@cache
def fonts() -> tuple[str, str]:
    """The regular and bold font: DejaVu Sans where installed, else Helvetica (Latin-1 only)."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("Report", str(regular)))
            pdfmetrics.registerFont(TTFont("Report-Bold", str(bold)))
            pdfmetrics.registerFontFamily(
                "Report",
                normal="Report",
                bold="Report-Bold",
                italic="Report",
                boldItalic="Report-Bold",
            )
            return "Report", "Report-Bold"
    return "Helvetica", "Helvetica-Bold"


def styles() -> StyleSheet1:
    """The sample styles with a few of our own (cells, small print, the title page)."""
    sheet = getSampleStyleSheet()
    regular, bold = fonts()
    for style in sheet.byName.values():
        if isinstance(style, ParagraphStyle):
            style.fontName = bold if "Bold" in style.fontName else regular
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=8, leading=10))
    sheet.add(ParagraphStyle("Number", parent=sheet["Cell"], alignment=TA_RIGHT))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8.5, leading=11))
    sheet.add(ParagraphStyle("Notice", parent=sheet["BodyText"], textColor=colors.darkred))
    sheet.add(ParagraphStyle("Big", parent=sheet["Title"], fontSize=26, leading=32))
    return sheet


def text(value: str, style: PropertySet) -> Paragraph:
    """A paragraph of plain text (escaped, line breaks kept)."""
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def column_widths(grid: Grid) -> list[float]:
    """Widths by each column's content, each wide enough for its longest word where possible."""
    columns = [[heading, *(row[i] for row in grid.rows)] for i, heading in enumerate(grid.columns)]
    natural = [min(max(len(cell) for cell in column), 60) + 2 for column in columns]
    least = [
        min(
            CHAR * max(len(word) for cell in column for word in [*cell.split(), ""]) + 14, WIDTH / 3
        )
        for column in columns
    ]
    widths = [max(WIDTH * n / sum(natural), low) for n, low in zip(natural, least, strict=True)]
    spare = sum(w - low for w, low in zip(widths, least, strict=True))
    excess = sum(widths) - WIDTH
    if excess > 0 and spare > 0:
        share = min(excess / spare, 1)
        widths = [w - (w - low) * share for w, low in zip(widths, least, strict=True)]
    return widths


def table(grid: Grid, sheet: StyleSheet1, caption: str = "") -> list[Flowable]:
    """A grid as a table that wraps its cells and repeats its header on each page."""
    if not grid.columns:
        return []
    widths = column_widths(grid)

    def cell(value: str, index: int, bold: bool = False) -> Paragraph:
        style = sheet["Number"] if index in grid.numeric else sheet["Cell"]
        shown = escape(value)
        return Paragraph(f"<b>{shown}</b>" if bold else shown, style)

    data = [[cell(column, index, True) for index, column in enumerate(grid.columns)]]
    data += [[cell(value, index) for index, value in enumerate(row)] for row in grid.rows]
    layout = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    layout.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    found: list[Flowable] = [text(caption, sheet["Small"])] if caption else []
    return [*found, layout, Spacer(1, 8)]


def drawing(chart: Chart) -> Drawing:
    """A chart as horizontal bars, one group per category, with the values beside them."""
    values = [v for series in chart.series for v in series.values if v is not None]
    top = max(values, default=0) or 1
    label_width = WIDTH * LABEL_SHARE
    bar_width = WIDTH - label_width - 40
    per_group = max(len(chart.series), 1)
    height = BAR_ROW * len(chart.categories) * per_group + BAR_ROW
    picture = Drawing(WIDTH, height)
    y = height - BAR_ROW
    for index, category in enumerate(chart.categories):
        label = localised(category)
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1] + "…"
        picture.add(String(0, y - 9, label, fontName=fonts()[0], fontSize=8))
        for position, series in enumerate(chart.series):
            value = series.values[index]
            width = 0 if value is None else bar_width * value / top
            colour = colors.HexColor(PALETTE[position % len(PALETTE)])
            bar = Rect(label_width, y - 11, width, BAR_ROW - 4)
            bar.fillColor = colour
            bar.strokeWidth = 0
            picture.add(bar)
            picture.add(
                String(
                    label_width + width + 4, y - 9, number(value), fontName=fonts()[0], fontSize=8
                )
            )
            y -= BAR_ROW
    picture.add(Line(label_width, 0, label_width, height, strokeColor=colors.grey, strokeWidth=0.5))
    return picture


def figure(item: Picture, report: Report, sheet: StyleSheet1) -> list[Flowable]:
    """A chart, its text alternative and its numbers as a table."""
    return [
        KeepTogether(
            [
                text(item.title, sheet["Heading4"]),
                drawing(item.chart),
                text(item.description, sheet["Small"]),
            ]
        ),
        *table(item.data, sheet, report.headings["chart_data"]),
    ]


def title_page(report: Report, sheet: StyleSheet1) -> list[Flowable]:
    """Organisation, title, cycle, the facts (period, phase, date, author, seal) and notices."""
    facts = Table(
        [
            [text(label, sheet["BodyText"]), text(value, sheet["BodyText"])]
            for label, value in report.facts
        ],
        colWidths=[WIDTH * 0.3, WIDTH * 0.7],
        hAlign="LEFT",
    )
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Spacer(1, 3 * cm),
        text(report.organisation, sheet["Heading3"]),
        text(report.title, sheet["Big"]),
        text(report.cycle_title, sheet["Heading2"]),
        Spacer(1, 1 * cm),
        facts,
        Spacer(1, 0.5 * cm),
        *(text(notice, sheet["Notice"]) for notice in report.notices),
        PageBreak(),
    ]


def themes(report: Report, sheet: StyleSheet1) -> list[Flowable]:
    """Each theme's section: paragraphs, key figures, charts and tables."""
    story: list[Flowable] = [text(report.headings["themes"], sheet["Heading1"])]
    if not report.parts:
        story.append(text(report.headings["no_themes"], sheet["BodyText"]))
    for part in report.parts:
        story += [CondPageBreak(4 * cm), text(part.title, sheet["Heading2"])]
        story += [text(paragraph, sheet["BodyText"]) for paragraph in part.paragraphs]
        story += [
            text(f"{f.label}: {f.value}" + (f" ({f.note})" if f.note else ""), sheet["Bullet"])
            for f in part.figures
        ]
        for item in part.pictures:
            story += figure(item, report, sheet)
        for grid in part.grids:
            story += table(grid, sheet)
    return story


def plan(report: Report, sheet: StyleSheet1) -> list[Flowable]:
    """Goals, reviews, measures, indicator results, lessons and the closing."""
    headings = report.headings
    story: list[Flowable] = [PageBreak(), text(headings["goals"], sheet["Heading1"])]
    story += (
        table(report.goals, sheet)
        if report.goals.rows
        else [text(headings["no_goals"], sheet["BodyText"])]
    )
    if report.reviews:
        story.append(text(headings["reviews"], sheet["Heading2"]))
        for review in report.reviews:
            story.append(text(f"{review.goal}: {review.verdict}", sheet["Heading4"]))
            if review.evidence:
                story.append(text(review.evidence, sheet["BodyText"]))
    story += [CondPageBreak(6 * cm), text(headings["measures"], sheet["Heading1"])]
    story += (
        table(report.measures, sheet)
        if report.measures.rows
        else [text(headings["no_measures"], sheet["BodyText"])]
    )
    story += [PageBreak(), text(headings["indicators"], sheet["Heading1"])]
    for result in report.indicators:
        story += [CondPageBreak(5 * cm), text(result.goal, sheet["Heading2"])]
        if result.indicator:
            story.append(text(f"{headings['indicator']} {result.indicator}", sheet["BodyText"]))
        if result.picture is not None:
            story += figure(result.picture, report, sheet)
            story += table(result.values, sheet)
        else:
            story.append(text(headings["no_values"], sheet["BodyText"]))
    story += [CondPageBreak(5 * cm), text(headings["lessons"], sheet["Heading1"])]
    story += [
        text(f"{lesson.theme}: {lesson.text}" if lesson.theme else lesson.text, sheet["Bullet"])
        for lesson in report.lessons
    ] or [text(headings["no_lessons"], sheet["BodyText"])]
    if report.closing:
        story.append(text(headings["closing"], sheet["Heading1"]))
        for label, body in report.closing:
            story += [text(label, sheet["Heading3"]), text(body, sheet["BodyText"])]
    return story


def seal(report: Report, sheet: StyleSheet1) -> list[Flowable]:
    """The seal checks of the cycle and its organisation, stated plainly."""
    intact = all(found.intact for found in report.seals)
    story: list[Flowable] = [
        CondPageBreak(5 * cm),
        text(report.headings["seal"], sheet["Heading1"]),
        text(report.seal_summary, sheet["Heading4" if intact else "Notice"]),
    ]
    for found in report.seals:
        story.append(
            text(
                f"{found.what}: {found.text} {found.seal_label} {found.short_seal}", sheet["Bullet"]
            )
        )
    story.append(text(report.seal_hint, sheet["Small"]))
    return story


def render_pdf(report: Report, *, author: str) -> bytes:
    """The report as a PDF document (A4, numbered pages, title/author/language set)."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{report.title}: {report.cycle_title}",
        author=author,
        subject=report.organisation,
        creator="Qualizyklus",
        lang=report.language,
    )
    sheet = styles()
    story = [
        *title_page(report, sheet),
        *themes(report, sheet),
        *plan(report, sheet),
        *seal(report, sheet),
    ]

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts()[0], 8)
        canvas.drawString(MARGIN, MARGIN / 2, f"{report.title}: {report.cycle_title}")
        canvas.drawRightString(
            A4[0] - MARGIN, MARGIN / 2, report.headings["page"] % {"page": doc.page}
        )
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
