"""HTML fragments: what each report cell displays.

Fragments are rendered from small Jinja templates with autoescaping on, so
every data value (campaign names, client names, commentary) is escaped unless
a template deliberately marks it safe. A fragment shows as HTML in JupyterLab
and in the exported report, and as one short line of text anywhere else.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from nbreport.i18n.jinja import install_translations
from nbreport.report.cell_labels import label_cells


class Fragment:
    """A piece of report HTML with a plain-text stand-in, and the data of the charts it
    draws (``chart_data``, :class:`nbreport.delivery.sheets.Sheet`, for the client's data
    pack: a chart's numbers are in no text of the HTML)."""

    def __init__(self, html: str, text: str, chart_data: tuple[Any, ...] = ()) -> None:
        self.html = html
        self.text = text
        self.chart_data = chart_data

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.html


class Omitted(Fragment):
    """What a section cell displays for a section the report leaves out: nothing a client sees.

    Only the plain-text line reaches the notebook (``_repr_html_`` returning ``None`` shows no
    HTML), so the export finds no output and drops the cell.
    """

    def __init__(self, title: str, reason: str | None) -> None:
        super().__init__("", f"Left out: {title}" + (f" ({reason})" if reason else ""))
        self.reason = reason

    def _repr_html_(self) -> None:  # type: ignore[override]
        return None


@functools.cache
def _environment() -> Environment:
    return install_translations(Environment(
        loader=PackageLoader("nbreport.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    ))


def render(template: str, text: str, *, chart_data: tuple[Any, ...] = (), **context: Any) -> Fragment:
    """Render ``templates/<template>`` with ``context`` into a :class:`Fragment`; every table
    cell carries its column's name (``data-label``) for the phone layout. ``chart_data``: the
    data of the charts it draws, in order."""
    html = label_cells(_environment().get_template(template).render(**context))
    return Fragment(html, text, tuple(chart_data))


def trusted(html: str) -> Markup:
    """Mark HTML that nbreport itself built (e.g. an ``<img>`` of a chart) as safe to insert."""
    return Markup(html)
