"""The report's pages and files: printable HTML, PDF, and the CSV and XLSX exports.

Every route reads only; each checks like the other cycle pages that the caller is a member of
the cycle's organisation (any role may read): signed out leads to the sign-in page, a cycle
of another organisation or an unknown one is 404.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, render_template
from flask_login import login_required

from engine.application.report_evidence import ReportEvidence
from web.access import CyclePage, cycle_page, person
from web.charts import svg
from web.reports import exports
from web.reports.content import Report, build_report
from web.reports.evidence import report_evidence, shown
from web.reports.files import CSV, PDF, XLSX, download, file_name
from web.reports.pdf import print_page
from web.services import engine

blueprint = Blueprint("reports", __name__)

SHEETS: dict[str, Callable[[CyclePage], exports.Sheet]] = {
    "measures": lambda page: exports.measures_sheet(page.cycle, engine().themes, _names(page)),
    "goals": lambda page: exports.goals_sheet(page.cycle, engine().themes),
    "indicators": lambda page: exports.indicators_sheet(page.cycle),
}
"""The CSV exports by the name in their address."""


def _names(page: CyclePage) -> dict[str, str]:
    return engine().display_names(exports.responsible_ids(page.cycle))


def _name(what: str, page: CyclePage, extension: str) -> str:
    """A file's name: what it holds, the organisation, the cycle and today's date."""
    organisation = str(page.member.organisation["name"])
    return file_name((what, organisation, page.cycle["title"]), extension)


@blueprint.get("/o/<slug>/cycles/<cycle_id>/report")
@login_required
def report(slug: str, cycle_id: str) -> str:
    """The Qualitätsbericht as a printable page."""
    page = cycle_page(slug, cycle_id)
    return _page(page, build_report(page, actor_id=person()), report_evidence(page))


def _page(page: CyclePage, report: Report, evidence: ReportEvidence | None) -> str:
    """The report page's HTML: the same for the screen, the browser's print and the PDF."""
    return render_template(
        "reports/report.html", page=page, report=report, svg=svg, evidence=shown(evidence)
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/report.pdf")
@login_required
def report_pdf(slug: str, cycle_id: str) -> Response:
    """The Qualitätsbericht as PDF: the page's own HTML, printed (tagged, A4)."""
    page = cycle_page(slug, cycle_id)
    report = build_report(page, actor_id=person())
    evidence = report_evidence(page)
    body = print_page(
        _page(page, report, evidence),
        f"{report.title}: {report.cycle_title}",
        evidence=evidence.line() if evidence else "",
        cycle_id=str(page.id),
    )
    return download(body, PDF, _name(report.title, page, "pdf"), inline=True)


@blueprint.get("/o/<slug>/cycles/<cycle_id>/export/<name>.csv")
@login_required
def export_csv(slug: str, cycle_id: str, name: str) -> Response:
    """One export as CSV: measures, goals or indicators."""
    page = cycle_page(slug, cycle_id)
    make = SHEETS.get(name)
    if make is None:
        abort(404)
    sheet = make(page)
    return download(exports.to_csv(sheet), CSV, _name(sheet.title, page, "csv"))


@blueprint.get("/o/<slug>/cycles/<cycle_id>/export/plan.xlsx")
@login_required
def export_xlsx(slug: str, cycle_id: str) -> Response:
    """The three exports as one workbook with a sheet each."""
    page = cycle_page(slug, cycle_id)
    sheets = [make(page) for make in SHEETS.values()]
    return download(
        exports.to_xlsx(sheets), XLSX, _name("Ziele, Maßnahmen, Indikatorwerte", page, "xlsx")
    )
