"""The body of a report's e-mail: email-safe HTML (tables, inline styles, no script, no image)
and the same words as plain text, in the client's language.

Every word a client reads goes through :func:`nbreport.i18n._`; the caller sets the client's
language (:func:`nbreport.i18n.language`). Values (the tiles' numbers, the summary's
sentences) come from the report as produced and are escaped, never trusted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from nbreport.delivery.summary import MailSummary
from nbreport.i18n import _, current_language

STATUS_COLOURS = {"green": "#1a7f37", "amber": "#9a6700", "red": "#cf222e", "none": "#57606a"}
TREND_COLOURS = {"good": "#1a7f37", "bad": "#cf222e", "flat": "#57606a"}


@dataclass(frozen=True)
class BodyContext:
    """What the body says besides the summary: who, which period, what is attached."""

    client_name: str
    agency: str
    title: str
    period_label: str
    attachments: list[str]  # file names
    confidentiality: str
    brand_colour: str = "#1f3a5f"
    inline_summary: bool = True


@dataclass(frozen=True)
class Body:
    html: str
    text: str


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("nbreport.delivery", "templates"),
                       autoescape=select_autoescape(enabled_extensions=("html.j2",),
                                                    default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_body(context: BodyContext, summary: MailSummary) -> Body:
    """The HTML and plain-text parts of one client's message."""
    words = _words(context)
    tiles = [{"label": tile.label, "value": tile.value, "change": tile.change,
              "arrow": tile.arrow, "status_word": _(tile.status_word) if tile.status_word else "",
              "status_colour": STATUS_COLOURS.get(tile.status, STATUS_COLOURS["none"]),
              "trend_colour": TREND_COLOURS.get(tile.trend, TREND_COLOURS["flat"])}
             for tile in summary.tiles] if context.inline_summary else []
    values: dict[str, Any] = {"c": context, "w": words, "tiles": tiles,
                              "sentences": summary.sentences if context.inline_summary else [],
                              "compared": summary.compared, "lang": current_language()}
    environment = _environment()
    return Body(html=environment.get_template("email.html.j2").render(**values),
                text=environment.get_template("email.txt.j2").render(**values))


def _words(context: BodyContext) -> dict[str, str]:
    """The fixed words of the message, in the language in use."""
    return {
        "heading": _("%(title)s, %(period)s", title=context.title, period=context.period_label),
        "intro": _("Here is your report for %(period)s.", period=context.period_label),
        "headline": _("Headline numbers"),
        "kpi": _("KPI"),
        "value": _("Value"),
        "change": _("Change"),
        "status": _("Status"),
        "summary": _("Summary"),
        "attached": _("Attached"),
        "open_report": _("Open the attached report for the details, the charts and the notes "
                         "on the data."),
        "reply": _("Reply to this message with any questions."),
        "sent_by": _("Sent by %(agency)s", agency=context.agency),
    }
