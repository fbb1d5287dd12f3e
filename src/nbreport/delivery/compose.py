"""One client's message, ready to send or to write: recipients, subject, body, attachments."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from nbreport.core.errors import ConfigError, ParamsError, ReportError
from nbreport.core.layout import DATA_XLSX, DATA_ZIP, ProjectLayout
from nbreport.delivery.body import BodyContext, render_body
from nbreport.delivery.mail import (
    Attachment,
    Envelope,
    build_message,
    new_message_id,
    subject_line,
)
from nbreport.delivery.record import MessageRecord, sha256_of
from nbreport.delivery.summary import mail_summary
from nbreport.i18n import language
from nbreport.params import ClientParams


@dataclass(frozen=True)
class Composed:
    """A built message and the record it starts."""

    client_id: str
    message: EmailMessage
    sender: str  # the envelope sender (an address)
    sha256: str  # of the report.html attached or summarised
    record: MessageRecord
    sent_files: tuple[Path, ...] = ()  # files kept in sent/<client>/ beside the report

    def continuing(self, previous: MessageRecord) -> Composed:
        """This message as the rest of ``previous`` (which reached some recipients only):
        the same ``Message-ID``, so a mailbox that has it already can tell."""
        message = self.message
        del message["Message-ID"]
        message["Message-ID"] = previous.message_id
        return dataclasses.replace(self, record=previous)


def compose(layout: ProjectLayout, period: str, client_id: str,
            entry: dict[str, Any], params: ClientParams, *,
            default_sender: str | None) -> Composed | str:
    """The client's message, or why it cannot be built (a sentence with the fix)."""
    delivery = params.delivery
    assert delivery is not None
    sender = delivery.sender or default_sender
    if not sender or "@" not in parseaddr(sender)[1]:
        return (f"no sender: set delivery.sender in params/{client_id}.yaml (or "
                "params/_defaults.yaml), or NBREPORT_SMTP_FROM")
    report = layout.report_html(period, client_id)
    envelope = Envelope(sender, list(delivery.to), list(delivery.cc), delivery.reply_to)
    with tempfile.TemporaryDirectory(prefix="nbreport-send-") as scratch:
        attachments = _attachments(layout, period, client_id, delivery.attach, Path(scratch))
        if isinstance(attachments, str):
            return attachments
        try:
            with language(params.report.language):
                subject, message = _message(params, entry, report, envelope, attachments,
                                            period, client_id)
        except ParamsError as exc:
            return f"{exc}"
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    record = MessageRecord(message_id=str(message["Message-ID"]), subject=subject,
                           to=list(delivery.to), cc=list(delivery.cc),
                           recipients=delivery.recipients, report_sha256=sha256_of(report),
                           started_at=started)
    kept = tuple(a.path for a in attachments if a.path.parent == report.parent
                 and a.path != report)
    return Composed(client_id, message, parseaddr(sender)[1], record.report_sha256, record, kept)


def _message(params: ClientParams, entry: dict[str, Any], report: Path, envelope: Envelope,
             attachments: list[Attachment], period: str,
             client_id: str) -> tuple[str, EmailMessage]:
    label = str(_manifest_label(entry) or params.report_period.label)
    subject = subject_line(params.delivery, client=params.client.name,  # type: ignore[arg-type]
                           client_id=client_id, period=label, period_key=period,
                           agency=params.branding.agency_name, title=params.title)
    context = BodyContext(client_name=params.client.name, agency=params.branding.agency_name,
                          title=params.title, period_label=label,
                          attachments=[a.filename for a in attachments],
                          confidentiality=params.confidentiality,
                          brand_colour=params.branding.primary_color,
                          inline_summary=params.delivery.inline_summary)  # type: ignore[union-attr]
    summary = mail_summary(entry, report.read_text(encoding="utf-8"))
    body = render_body(context, summary)
    message_id = new_message_id(client_id, period, envelope.sender)
    return subject, build_message(envelope, subject, body, attachments, message_id=message_id)


def _manifest_label(entry: dict[str, Any]) -> str | None:
    from nbreport.core.period import Period

    full = (entry.get("summary") or {}).get("full_period") or {}
    try:
        return Period.parse(full["key"]).label if full.get("key") else None
    except ValueError:
        return None


def _attachments(layout: ProjectLayout, period: str, client_id: str, wanted: list[str],
                 scratch: Path) -> list[Attachment] | str:
    """The files the client's ``delivery.attach`` asks for, named for the client; or why
    one cannot be attached."""
    folder = layout.client_dir(period, client_id)
    stem = f"{client_id}-{period}"
    found: list[Attachment] = []
    if "html" in wanted:
        found.append(Attachment(layout.report_html(period, client_id), f"{stem}.html"))
    if "pdf" in wanted:
        pdf = _pdf(layout, period, client_id, scratch)
        if isinstance(pdf, str):
            return pdf
        found.append(Attachment(pdf, f"{stem}.pdf"))
    if "data" in wanted:  # the data pack, when the run wrote one
        found += [Attachment(folder / name, f"{stem}-{name}") for name in (DATA_XLSX, DATA_ZIP)
                  if (folder / name).is_file()]
    return found


def _pdf(layout: ProjectLayout, period: str, client_id: str, scratch: Path) -> Path | str:
    """``report.pdf`` beside the report, else printed now from the checked HTML by Chromium."""
    existing = layout.report_pdf(period, client_id)
    if existing.is_file():
        return existing
    from nbreport.render.pdf import find_chromium, html_to_pdf

    try:
        return html_to_pdf(layout.report_html(period, client_id), scratch / "report.pdf",
                           chromium=find_chromium())
    except (ConfigError, ReportError) as exc:
        return (f"delivery.attach asks for a PDF and none could be printed ({exc}); run "
                f"`nbreport run {client_id} --format html+pdf` or drop pdf from delivery.attach")
