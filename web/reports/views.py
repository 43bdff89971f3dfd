"""The report's pages and files: printable HTML, PDF, and the CSV and XLSX exports.

Every route reads only; each checks like the other cycle pages that the caller is a member of
the cycle's organisation (any role may read): signed out leads to the sign-in page, a cycle
of another organisation or an unknown one is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import login_required

from web.access import CyclePage, cycle_page, person
from web.charts import svg
from web.reports import exports
from web.reports.content import Report, build_report
from web.reports.evidence import report_evidence, shown
from web.reports.pdf import render_pdf
from web.services import engine

blueprint = Blueprint("reports", __name__)

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
SHEETS: dict[str, Callable[[CyclePage], exports.Sheet]] = {
    "measures": lambda page: exports.measures_sheet(page.cycle, engine().themes, _names(page)),
    "goals": lambda page: exports.goals_sheet(page.cycle, engine().themes),
    "indicators": lambda page: exports.indicators_sheet(page.cycle),
}
"""The CSV exports by the name in their address."""


def _names(page: CyclePage) -> dict[str, str]:
    return engine().display_names(exports.responsible_ids(page.cycle))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stem(page: CyclePage) -> str:
    """The start of a file's name: the organisation's slug and the cycle's id."""
    return f"{page.slug}-{page.id}"


@blueprint.get("/o/<slug>/cycles/<cycle_id>/report")
@login_required
def report(slug: str, cycle_id: str) -> str:
    """The Qualitätsbericht as a printable page."""
    page = cycle_page(slug, cycle_id)
    return _page(page, build_report(page, actor_id=person()))


def _page(page: CyclePage, report: Report) -> str:
    """The report page's HTML: the same for the screen, the browser's print and the PDF."""
    evidence = shown(report_evidence(page))
    return render_template(
        "reports/report.html", page=page, report=report, svg=svg, evidence=evidence
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/report.pdf")
@login_required
def report_pdf(slug: str, cycle_id: str) -> Response:
    """The Qualitätsbericht as PDF: the page's own HTML, printed (tagged, A4)."""
    page = cycle_page(slug, cycle_id)
    report = build_report(page, actor_id=person())
    evidence = report_evidence(page)
    body = render_pdf(
        _page(page, report),
        base_url=request.url_root,
        static=(Path(str(current_app.static_folder)), str(current_app.static_url_path)),
        title=f"{report.title}: {report.cycle_title}",
        author=_author(),
        evidence=evidence.line() if evidence else "",
    )
    response = Response(body, mimetype=PDF)
    response.headers["Content-Disposition"] = (
        f'inline; filename="qualitaetsbericht-{_stem(page)}.pdf"'
    )
    return response


def _author() -> str:
    actor = person()
    return engine().display_names([actor]).get(actor, "")


@blueprint.get("/o/<slug>/cycles/<cycle_id>/export/<name>.csv")
@login_required
def export_csv(slug: str, cycle_id: str, name: str) -> Response:
    """One export as CSV: measures, goals or indicators."""
    page = cycle_page(slug, cycle_id)
    make = SHEETS.get(name)
    if make is None:
        abort(404)
    sheet = make(page)
    return _download(exports.to_csv(sheet), CSV, f"{sheet.name}-{_stem(page)}.csv")


@blueprint.get("/o/<slug>/cycles/<cycle_id>/export/plan.xlsx")
@login_required
def export_xlsx(slug: str, cycle_id: str) -> Response:
    """The three exports as one workbook with a sheet each."""
    page = cycle_page(slug, cycle_id)
    sheets = [make(page) for make in SHEETS.values()]
    return _download(exports.to_xlsx(sheets), XLSX, f"plan-{_stem(page)}.xlsx")
