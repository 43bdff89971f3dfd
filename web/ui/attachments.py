"""Evidence documents of a cycle: upload (type checked by content), list, download for members
only, and withdrawal by coordinators (the file stays for the history).

The overview's template includes ``ui/_attachments.html``, which asks ``attachments_of(page)``
for what to show; after a refused upload or withdrawal the overview is shown again with the
messages next to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, g, redirect, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms import SelectField

from engine.domain import shapes
from web import attachments as files
from web.config import MEGABYTE
from web.forms import Form, add_error, text, text_area
from web.services import engine
from web.ui import blueprint
from web.ui.comments import subject_choices, subject_label, subject_values
from web.ui.common import CyclePage, cycle_page, person, run
from web.ui.cycles import VersionForm
from web.ui.cycles import cycle as overview
from web.ui.implement import attempt, show_again, with_version

KINDS = {
    files.PDF: _l("PDF-Dokument"),
    files.PNG: _l("Bild (PNG)"),
    files.JPEG: _l("Bild (JPEG)"),
    files.GIF: _l("Bild (GIF)"),
    files.DOCX: _l("Word-Dokument"),
    files.XLSX: _l("Excel-Tabelle"),
    files.PPTX: _l("PowerPoint-Präsentation"),
    files.ODT: _l("OpenDocument-Text"),
    files.ODS: _l("OpenDocument-Tabelle"),
    files.ODP: _l("OpenDocument-Präsentation"),
    files.ODG: _l("OpenDocument-Zeichnung"),
    files.DOC: _l("Word-Dokument (alt)"),
    files.XLS: _l("Excel-Tabelle (alt)"),
    files.PPT: _l("PowerPoint-Präsentation (alt)"),
}
"""Each accepted media type, in words."""


class UploadForm(Form):
    """An evidence file and what it documents.

    Uploads only add to a cycle, so they carry no version.
    """

    file = FileField(
        _l("Datei"),
        validators=[FileRequired()],
        render_kw={"accept": ",".join(e for ends in files.EXTENSIONS.values() for e in ends)},
    )
    subject = SelectField(_l("Beleg für"), validate_choice=False)


class WithdrawForm(VersionForm):
    """Withdraw an attachment, for a reason."""

    reason = text_area(_l("Begründung"), shapes.REASON)


@dataclass
class AttachmentRow:
    """One attachment as the list shows it."""

    id: str
    attachment: dict[str, Any]
    subject: str
    kind: str
    size: str
    added_by: str
    withdraw: WithdrawForm | None


@dataclass
class AttachmentsView:
    """What the attachments partial shows."""

    rows: list[AttachmentRow]
    upload: UploadForm | None
    limit: str


def store(page: CyclePage) -> files.AttachmentStore:
    """The files of the cycle's organisation (in the QUALIZYKLUS_ATTACHMENTS folder)."""
    return files.organisation_files(current_app.config, page.cycle["organisation_id"])


def upload_limit() -> int:
    """The largest file accepted, in bytes (the app's MAX_CONTENT_LENGTH)."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * MEGABYTE)


def size_text(size: int) -> str:
    """A file size as people read it (12 KB, 3,4 MB)."""
    if size < 1024:
        return str(_("%(size)s Byte", size=size))
    if size < MEGABYTE:
        return str(_("%(size)s KB", size=format_decimal(round(size / 1024, 1), format="#,##0.#")))
    megabytes = format_decimal(round(size / MEGABYTE, 1), format="#,##0.#")
    return str(_("%(size)s MB", size=megabytes))


def _allows(page: CyclePage, command: str) -> bool:
    return engine().definition_of(page.id).allows(page.cycle["phase"], command)


def _upload_form(page: CyclePage, *, bound: bool = False) -> UploadForm:
    form = UploadForm(prefix="upload", **({} if bound else {"formdata": None}))
    form.subject.choices = subject_choices(page.cycle)
    if not bound:
        form.subject.data = "cycle"
    return form


def _withdraw_form(attachment_id: str, *, bound: bool = False) -> WithdrawForm:
    return WithdrawForm(prefix=f"w-{attachment_id}", **({} if bound else {"formdata": None}))


def attachments_of(page: CyclePage) -> AttachmentsView:
    """The cycle's attachments, newest first, and the forms the member may use."""
    items = sorted(
        page.cycle["attachments"].items(), key=lambda item: item[1]["added_at"], reverse=True
    )
    names = engine().display_names(a["added_by"] for _i, a in items)
    withdrawable = page.member.can("moderate") and _allows(page, "remove_attachment")
    submitted: tuple[str, WithdrawForm] | None = g.get("withdraw_form")
    rows = []
    for attachment_id, attachment in items:
        withdraw: WithdrawForm | None = None
        if withdrawable and not attachment["removed"]:
            if submitted is not None and submitted[0] == attachment_id:
                withdraw = submitted[1]
            else:
                withdraw = _withdraw_form(attachment_id)
            with_version(withdraw, page)
        rows.append(
            AttachmentRow(
                attachment_id,
                attachment,
                subject_label(page.cycle, attachment["subject"]),
                str(KINDS.get(attachment["media_type"], attachment["media_type"])),
                size_text(attachment["size"]),
                names.get(attachment["added_by"], ""),
                withdraw,
            )
        )
    upload: UploadForm | None = None
    if page.member.can("report-progress") and _allows(page, "attach_evidence"):
        upload = g.get("upload_form") or _upload_form(page)
    return AttachmentsView(rows, upload, size_text(upload_limit()))


@blueprint.context_processor
def _attachment_helpers() -> dict[str, Any]:
    return {"attachments_of": attachments_of}


def _show_overview_again(slug: str, cycle_id: str, code: int = 400) -> tuple[str, int]:
    form: FlaskForm | None = g.get("upload_form")
    if form is not None:
        show_again(form, cycle_page(slug, cycle_id), code, _("Datei anhängen"))
    body, _status = overview(slug, cycle_id)
    return body, code


@blueprint.post("/o/<slug>/cycles/<cycle_id>/attachments")
@login_required
def upload_attachment(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Store an evidence file (PDF, image or office document, by content) and record it."""
    page = cycle_page(slug, cycle_id, "report-progress")
    form = _upload_form(page, bound=True)
    g.upload_form = form
    valid = form.validate_on_submit()
    if text(form.subject) not in subject_values(page.cycle):
        add_error(form.subject, _("Bitte wählen Sie aus, wofür die Datei ein Beleg ist."))
        return _show_overview_again(slug, cycle_id)
    if not valid:
        return _show_overview_again(slug, cycle_id)
    if not _allows(page, "attach_evidence"):
        flash(_("In dieser Phase lassen sich keine Dateien anhängen."), "error")
        return _show_overview_again(slug, cycle_id)
    upload: FileStorage = form.file.data
    try:
        stored = store(page).store(upload.stream, limit=upload_limit())
    except files.Refused as refused:
        add_error(form.file, _refusal(refused, upload.filename or ""))
        return _show_overview_again(slug, cycle_id, 413 if refused.reason == "size" else 400)
    filename = files.safe_filename(upload.filename or "", stored.media_type)
    recorded = run(
        lambda: engine().attach_evidence(
            page.id,
            actor_id=person(),
            sha256=stored.sha256,
            filename=filename,
            media_type=stored.media_type,
            size=stored.size,
            subject=text(form.subject),
        ),
        form,
    )
    if not recorded:
        store(page).discard(stored)
        return _show_overview_again(slug, cycle_id)
    current_app.logger.info("attachment %s stored in cycle %s", stored.sha256, page.id)
    flash(_("Die Datei „%(name)s“ ist angehängt.", name=filename))
    return redirect(url_for("ui.cycle", slug=slug, cycle_id=page.id, _anchor="attachments"))


def _refusal(refused: files.Refused, filename: str) -> str:
    if refused.reason == "empty":
        return str(_("Die Datei ist leer."))
    if refused.reason == "size":
        return str(
            _("Die Datei ist zu groß (höchstens %(limit)s).", limit=size_text(upload_limit()))
        )
    return str(
        _(
            "Die Datei „%(name)s“ wurde nicht angenommen: Ihr Inhalt ist kein PDF, kein Bild (PNG, "
            "JPEG, GIF) und kein Office-Dokument (Word, Excel, PowerPoint, OpenDocument). Der "
            "Dateiname allein genügt nicht; bitte speichern Sie das Dokument zum Beispiel als PDF.",
            name=files.safe_filename(filename, ""),
        )
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/attachments/<attachment_id>")
@login_required
def download_attachment(slug: str, cycle_id: str, attachment_id: str) -> Response:
    """The file, for members of the cycle's organisation only, as a download."""
    page = cycle_page(slug, cycle_id)
    attachment = page.cycle["attachments"].get(attachment_id)
    if attachment is None or (attachment["removed"] and not page.member.can("moderate")):
        abort(404)
    response = files.send_attachment(store(page), attachment_id, attachment)
    if response is None:
        abort(404)
    return response


@blueprint.post("/o/<slug>/cycles/<cycle_id>/attachments/<attachment_id>/withdraw")
@login_required
def withdraw_attachment(slug: str, cycle_id: str, attachment_id: str) -> Response | tuple[str, int]:
    """Withdraw an attachment, for a reason; the file stays for the history."""
    page = cycle_page(slug, cycle_id, "moderate")
    attachment = page.cycle["attachments"].get(attachment_id)
    if attachment is None:
        abort(404)
    form = _withdraw_form(attachment_id, bound=True)
    code = 400
    if form.validate_on_submit():
        found = attempt(
            lambda: engine().remove_attachment(
                page.id,
                actor_id=person(),
                attachment_id=attachment_id,
                reason=text(form.reason),
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(_("Die Datei „%(name)s“ ist zurückgezogen.", name=attachment["filename"]))
            return redirect(url_for("ui.cycle", slug=slug, cycle_id=page.id, _anchor="attachments"))
        code = found
    show_again(form, cycle_page(slug, cycle_id), code, attachment["filename"])
    g.withdraw_form = (attachment_id, form)
    body, _status = overview(slug, cycle_id)
    return body, code
