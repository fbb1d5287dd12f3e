"""What the HTML template needs beyond the notebook: branding, names, dates (plain values).

The words among them (the cover line, the generated date, the default title and
confidentiality line) are in the report's language (``report.language``)."""

from __future__ import annotations

import base64
import re
import mimetypes
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from babel.dates import format_date

from nbreport import __version__
from nbreport.core.errors import ParamsError, ParamsIssue
from nbreport.core.period_names import cover_line
from nbreport.i18n import SOURCE_LANGUAGE, N_, _, babel_locale, current_language, language
from nbreport.params import ClientParams, params_hash
from nbreport.render.brand import brand_css_variables, css_string

# the cover's and the footer's date ("07 December 2026"): a Babel pattern each language may
# write its own way ("dd. MMMM y")
GENERATED_DATE = N_("dd MMMM y")
# the printed page's number; the style sheet writes the English one, a translation replaces it
PAGE_NUMBER = N_("Page %(page)s of %(pages)s")


def report_meta(params: ClientParams, project_dir: Path, *, generated: datetime | None = None) -> dict[str, Any]:
    """Template resources for one report; the logo is embedded as a data URI."""
    with language(params.report.language):
        return _meta(params, project_dir, generated or datetime.now(timezone.utc))


def _meta(params: ClientParams, project_dir: Path, when: datetime) -> dict[str, Any]:
    """:func:`report_meta`'s values, in the language in use."""
    branding = params.branding
    return {
        "client_id": params.client.id,
        "client_name": params.client.name,
        "industry": params.client.industry or "",
        "title": params.title,
        "period_key": params.period.key,
        "period_label": params.report_period.label,
        "period_cover": cover_line(params.period, params.report_period),
        "period_is_partial": params.report_period != params.period,
        "generated": format_date(when, _(GENERATED_DATE),
                                 locale=babel_locale(params.report.language)),
        "generated_iso": when.isoformat(timespec="seconds"),
        "agency_name": branding.agency_name,
        "logo": logo_data_uri(branding.logo, project_dir) if branding.logo else None,
        "primary_color": branding.primary_color,
        "accent_color": branding.accent_color,
        "font_family": branding.font_family,
        "confidentiality": params.confidentiality,
        "feedback": feedback_link(params.report.feedback),
        "language": params.report.language,
        "params_hash": params_hash(params),
        "version": __version__,
        "brand_css": brand_css_variables(branding.primary_color, branding.accent_color,
                                         branding.font_family),
        "page_label_css": css_string(f"{params.client.name} \u00b7 {params.report_period.label}"),
        "page_number_css": page_number_css(),
    }


def page_number_css() -> str | None:
    """The CSS ``content`` of the printed page number in the language in use (``"Seite "
    counter(page) " von " counter(pages)``); ``None`` in English, which the style sheet has."""
    if current_language() == SOURCE_LANGUAGE:
        return None
    # "Seite %(page)s von %(pages)s" -> text, counter, text, counter (re.split keeps the names)
    pieces = re.split(r"%\((page|pages)\)s", _(PAGE_NUMBER).replace("%%", "%"))
    parts = [f"counter({piece})" if index % 2 else css_string(piece)
             for index, piece in enumerate(pieces) if index % 2 or piece]
    return " ".join(parts)


def logo_data_uri(logo: str, project_dir: Path) -> str:
    """The logo file (relative to the project) as a ``data:`` URI, so the report needs no other file."""
    path = (project_dir / logo).resolve()
    if not path.is_relative_to(project_dir.resolve()) or not path.is_file():
        raise ParamsError("branding.logo", [ParamsIssue(
            "branding.logo", f"'{logo}' is not a file inside the project folder")])
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def feedback_link(feedback: str | None) -> dict[str, str] | None:
    """``{"href", "text"}`` for the validated feedback URL or e-mail address."""
    if not feedback:
        return None
    href = feedback if feedback.startswith(("https://", "http://")) else f"mailto:{feedback}"
    return {"href": href, "text": feedback}
