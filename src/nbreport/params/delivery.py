"""How a client's report is e-mailed: the ``delivery:`` block of a params file.

Addresses and the subject only: the SMTP server, its user and password come from the
environment (:mod:`nbreport.delivery.smtp`), never from a params file. The block merges
key by key with ``params/_defaults.yaml`` like any other, so the agency's ``sender`` and
``subject`` can be shared and each client adds its own ``to``::

    delivery:
      to: [marketing@example.com]
      cc: [ceo@example.com]
      reply_to: account-team@example.com
      subject: "{agency}: {client}, {period}"
      attach: [html, data]
"""

from __future__ import annotations

import difflib
import re
import string
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from nbreport.core.strict_model import StrictModel

# One address, optionally with a display name ("Ana Lima <ana@example.com>"); no line breaks,
# which would let a params file add headers of its own.
_ADDRESS = re.compile(r"^(?:[^<>\r\n@]*<)?[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                      r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+>?$")

SUBJECT_PLACEHOLDERS = {
    "client": "the client's name",
    "client_id": "the client's id",
    "period": "the period in words (October 2026)",
    "period_key": "the period's key (2026-10)",
    "agency": "branding.agency_name",
    "title": "the report's title",
}
ATTACHMENTS = ("html", "pdf", "data")


def _address(value: str) -> str:
    if not _ADDRESS.match(value) or value.count("<") != value.count(">"):
        raise ValueError(f"'{value}' is not an e-mail address; write name@example.com or "
                         "'Name <name@example.com>'")
    return value


Address = Annotated[str, AfterValidator(_address)]


def subject_problem(template: str) -> str | None:
    """What is wrong with a subject template, in words, or ``None``."""
    if "\n" in template or "\r" in template:
        return "a subject is one line"
    try:
        fields = [name for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return f"{exc} (write {{{{ and }}}} for a literal brace)"
    for name in fields:
        if name not in SUBJECT_PLACEHOLDERS:
            close = difflib.get_close_matches(name, SUBJECT_PLACEHOLDERS, n=1)
            hint = f"did you mean '{{{close[0]}}}'? " if close else ""
            return (f"unknown placeholder '{{{name}}}'; {hint}placeholders: "
                    + ", ".join(f"{{{key}}}" for key in SUBJECT_PLACEHOLDERS))
    return None


class DeliverySpec(StrictModel):
    """Who receives the client's report by e-mail, and what the message holds.

    Attributes
    ----------
    to:
        Recipients. A client with none is not e-mailed (``nbreport send`` says so).
    cc:
        Copied recipients.
    reply_to:
        Where replies go (the account team), when not to the sender.
    sender:
        The ``From`` address; default ``NBREPORT_SMTP_FROM``, else the SMTP user.
    subject:
        The subject, with placeholders ``{client}``, ``{client_id}``, ``{period}``,
        ``{period_key}``, ``{agency}``, ``{title}``; default: the report's title, the client
        and the period, in the client's language.
    attach:
        Files attached: ``html`` (the report), ``pdf`` (``report.pdf``, printed with Chromium
        when missing) and ``data`` (the data pack beside the report, ``data.xlsx`` and
        ``data.zip``, when present).
    inline_summary:
        Put the report's summary (headline tiles and the executive summary's sentences) in the
        body; ``false``: a short note only.
    """

    to: list[Address] = Field(default_factory=list)
    cc: list[Address] = Field(default_factory=list)
    reply_to: Address | None = None
    sender: Address | None = None
    subject: str | None = None
    attach: list[Literal["html", "pdf", "data"]] = Field(default_factory=lambda: ["html"])
    inline_summary: bool = True

    @field_validator("subject")
    @classmethod
    def _subject_template(cls, subject: str | None) -> str | None:
        if subject is not None and (problem := subject_problem(subject)):
            raise ValueError(problem)
        return subject

    @field_validator("attach")
    @classmethod
    def _attach_once(cls, attach: list[str]) -> list[str]:
        return list(dict.fromkeys(attach))

    @property
    def recipients(self) -> list[str]:
        """Every envelope recipient (to, then cc), each address once."""
        from email.utils import parseaddr

        return list(dict.fromkeys(parseaddr(item)[1].lower() for item in [*self.to, *self.cc]))
