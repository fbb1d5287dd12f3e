"""One client's message: headers, the two body parts and the attached files.

The message is built once and either sent (:mod:`nbreport.delivery.smtp`) or written as an
``.eml`` file (``send --dry-run``): the file is exactly what would have gone out.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from nbreport.delivery.body import Body
from nbreport.i18n import _
from nbreport.params.delivery import DeliverySpec

# CRLF line ends; headers folded only past 998 characters: Python folds a long subject right
# after "Subject:", which several readers show as a leading space.
POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Attachment:
    """A file attached under the name the client sees."""

    path: Path
    filename: str

    @property
    def mime(self) -> tuple[str, str]:
        kind = mimetypes.guess_type(self.filename)[0] or "application/octet-stream"
        main, _slash, sub = kind.partition("/")
        return main, sub


@dataclass(frozen=True)
class Envelope:
    """Who a message is from and to."""

    sender: str
    to: list[str]
    cc: list[str]
    reply_to: str | None

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]


def subject_line(delivery: DeliverySpec, *, client: str, client_id: str, period: str,
                 period_key: str, agency: str, title: str) -> str:
    """The subject: the params' template filled in, or the default in the client's language."""
    if delivery.subject:
        return delivery.subject.format(client=client, client_id=client_id, period=period,
                                       period_key=period_key, agency=agency, title=title)
    return _("%(title)s for %(client)s, %(period)s", title=title, client=client, period=period)


def new_message_id(client_id: str, period: str, sender: str) -> str:
    """A unique ``Message-ID`` on the sender's domain, naming the client and the period."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "nbreport.invalid"
    return make_msgid(idstring=f"nbreport.{client_id}.{period}", domain=domain)


def build_message(envelope: Envelope, subject: str, body: Body, attachments: list[Attachment],
                  *, message_id: str, sent_at: datetime | None = None) -> EmailMessage:
    """The complete message: ``multipart/mixed`` holding ``multipart/alternative`` (plain text,
    then HTML) and the attachments."""
    message = EmailMessage(policy=POLICY)
    message["From"] = envelope.sender
    message["To"] = ", ".join(envelope.to)
    if envelope.cc:
        message["Cc"] = ", ".join(envelope.cc)
    if envelope.reply_to:
        message["Reply-To"] = envelope.reply_to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at or datetime.now(timezone.utc))
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
    message.set_content(body.text, subtype="plain", charset="utf-8")
    message.add_alternative(body.html, subtype="html", charset="utf-8")
    for attachment in attachments:
        main, sub = attachment.mime
        message.add_attachment(attachment.path.read_bytes(), maintype=main, subtype=sub,
                               filename=attachment.filename)
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it travels (CRLF line ends): what an ``.eml`` file holds."""
    return message.as_bytes(policy=POLICY)
