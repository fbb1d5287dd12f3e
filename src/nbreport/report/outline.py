"""The report's outline: every section, in report order, in one list.

The master notebook (``notebooks/client_report.py`` and its paired ``.ipynb``) writes each
section as a Markdown heading followed by the cells that call its ``sections`` functions;
commentary files hold one ``## heading`` per section that takes commentary. Both follow
this list (a test reads the notebook's cells and compares them with it, order included).

This module imports nothing but the standard library: params validation and the
commentary workspace read it without loading the report's libraries. The titles are marked
for the catalogue with a local ``N_`` (as :func:`nbreport.i18n.N_`, which Babel finds by name).
"""

from __future__ import annotations

from dataclasses import dataclass

COMMENTARY_CALL = "commentary"  # sections.commentary(report, "<section id>")


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name, found by Babel
    """Mark a title for the catalogue; it is shown translated (the notebook's headings)."""
    return message


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    id:
        A short name, also the section's name in commentary files and in the run summary.
    title:
        The heading as the master notebook (and a commentary file) writes it, in English
        (marked for the catalogue: the export shows it translated with the notebook's text).
    renders:
        The ``nbreport.report.sections`` functions its cells call, in order;
        ``"commentary"`` stands for ``sections.commentary(report, "<id>")``.
    commentary:
        Whether an analyst writes commentary for it (a ``## heading`` in the commentary file).
    level:
        The heading's level: 2 opens a section of the report, 3 is a part of the section above.
    appendix:
        Whether it is part of the appendix ("How this report was made"): methods, data quality,
        provenance and the analyst's detail, closed until the client opens it (printed in full).
    """

    id: str
    title: str
    renders: tuple[str, ...]
    commentary: bool = False
    level: int = 2
    appendix: bool = False


# The first screen: period and client (the cover), the headline tiles with targets and changes,
# the summary, the top win and challenge, the next steps. Then the detail, then the appendix.
APPENDIX_TITLE = N_("How this report was made")

OUTLINE: tuple[Section, ...] = (
    Section("executive-summary", N_("Executive summary"), ("executive_summary", COMMENTARY_CALL),
            commentary=True),
    # next_steps shows the "next-steps" commentary itself
    Section("next-steps", N_("Recommendations and next steps"), ("next_steps",), commentary=True,
            level=3),
    Section("wins-and-challenges", N_("Wins and challenges"), ("wins_and_challenges",)),
    Section("targets", N_("Performance against targets"), ("scorecard", COMMENTARY_CALL),
            commentary=True),
    Section("trends", N_("Trends"), ("trends", COMMENTARY_CALL), commentary=True),
    Section("forecast", N_("Forecast"), ("forecast",)),
    Section("budget", N_("Budget"), ("budget",)),
    Section("campaigns", N_("Campaigns"), ("campaigns", COMMENTARY_CALL), commentary=True),
    Section("customer-success", N_("Customer success"), ("customer_success",)),
    Section("appendix", APPENDIX_TITLE, (), appendix=True),
    Section("comparisons", N_("Comparisons and pacing"), ("comparisons",), level=3, appendix=True),
    Section("drivers", N_("What drove the changes"), ("drivers",), level=3, appendix=True),
    Section("forecast-record", N_("How the forecasts are made and how they did"),
            ("forecast_record",), level=3, appendix=True),
    Section("budget-detail", N_("Budget by channel and campaign"), ("budget_detail",), level=3,
            appendix=True),
    Section("customer-detail", N_("Customer success in detail"), ("customer_success_detail",),
            level=3, appendix=True),
    Section("triangulation", N_("Checking the numbers across sources"), ("triangulation",), level=3,
            appendix=True),
    Section("data-sources", N_("Data sources"), ("data_sources",), level=3, appendix=True),
)


def commentary_sections() -> tuple[Section, ...]:
    """The sections an analyst writes commentary for, in report order."""
    return tuple(section for section in OUTLINE if section.commentary)

