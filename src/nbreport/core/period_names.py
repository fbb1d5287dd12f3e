"""How a report names its period: the cover line, the comparisons, the title's grain word.

A weekly report says "Weekly report, 19–25 October 2026" on its cover and compares
"vs previous week" and "vs same week last year"; a quarterly one says "Quarterly report,
Q3 2026 (July–September)". A report title may carry ``{grain}`` or ``{Grain}`` ("Weekly",
"Monthly", nothing for a custom range) so that one title serves every kind of period; a title
that names a fixed grain other than the period's ("Monthly ..." on a week) is an error
(:func:`title_grain_conflict`).
"""

from __future__ import annotations

import re

from nbreport.core.period import Period
from nbreport.i18n import N_, _, ngettext
from nbreport.i18n.dates import MONTH_ALONE, MONTH_YEAR, dates_text, pattern_date

__all__ = ["as_of_key", "comparison_names", "cover_line", "dates_text", "period_words",
           "resolve_title", "title_grain_conflict"]

GRAIN_ADJECTIVES = {"week": "weekly", "month": "monthly", "quarter": "quarterly",
                    "year": "yearly", "custom": ""}
# the words a title may use for a grain, and the kind each one names
_TITLE_GRAINS = {"weekly": "week", "monthly": "month", "quarterly": "quarter",
                 "yearly": "year", "annual": "year", "daily": "custom"}
_GRAIN_WORD = re.compile(r"\b(" + "|".join(_TITLE_GRAINS) + r")\b", re.IGNORECASE)

COVER_LINES = {"week": N_("Weekly report, %(period)s"), "month": N_("Monthly report, %(period)s"),
               "quarter": N_("Quarterly report, %(period)s"),
               "year": N_("Yearly report, %(period)s"), "custom": N_("Report, %(period)s")}
PREVIOUS = {"week": N_("previous week"), "month": N_("previous month"),
            "quarter": N_("previous quarter"), "year": N_("previous year")}
SAME_LAST_YEAR = {"week": N_("same week last year"), "month": N_("same month last year"),
                  "quarter": N_("same quarter last year"), "year": N_("previous year")}
PREVIOUS_SAME_DAYS = {"week": N_("same days of the previous week"),
                      "month": N_("same days of the previous month"),
                      "quarter": N_("same days of the previous quarter"),
                      "year": N_("same days of the previous year")}


def period_words(period: Period) -> str:
    """The period as the cover names it, without the grain: ``19–25 October 2026``,
    ``October 2026``, ``Q3 2026 (July–September)``, ``2026``."""
    if period.kind == "month":
        return pattern_date(period.start, MONTH_YEAR)
    if period.kind == "quarter":
        return _("%(quarter)s (%(first)s\u2013%(last)s)", quarter=period.label,
                 first=pattern_date(period.start, MONTH_ALONE),
                 last=pattern_date(period.end, MONTH_ALONE))
    if period.kind == "year":
        return str(period.start.year)
    return dates_text(period.start, period.end)


def cover_line(period: Period, reported: Period | None = None) -> str:
    """``Weekly report, 19–25 October 2026``; ``Report, 3–16 October 2026`` for a custom range.

    ``reported`` (a period to date, ``as_of``) gives the dates when it is shorter than
    ``period``: ``Monthly report, 1–15 October 2026``; the cover marks it "to date".
    """
    shown = period if reported is None or reported == period else reported
    return _(COVER_LINES[period.kind], period=period_words(shown))


def comparison_names(period: Period, reported: Period | None = None) -> dict[str, str]:
    """How the report names what it compares with: ``previous`` ("previous week") and
    ``last_year`` ("same week last year"); the same days of each for a period to date."""
    partial = reported is not None and reported != period
    if period.kind == "custom":
        return {"previous": ngettext("previous %(n)s day", "previous %(n)s days", period.days),
                "last_year": _("same days last year")}
    if partial:
        return {"previous": _(PREVIOUS_SAME_DAYS[period.kind]),
                "last_year": _("same days last year")}
    return {"previous": _(PREVIOUS[period.kind]), "last_year": _(SAME_LAST_YEAR[period.kind])}


def resolve_title(title: str, period: Period) -> str:
    """``title`` with ``{grain}``/``{Grain}`` replaced by the period's grain ("weekly",
    "Weekly"; nothing for a custom range), spaces tidied and the first letter capitalised."""
    grain = GRAIN_ADJECTIVES[period.kind]
    text = title.replace("{Grain}", grain.capitalize()).replace("{grain}", grain)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:1].upper() + text[1:]


def title_grain_conflict(title: str, period: Period) -> str | None:
    """Why ``title`` contradicts ``period`` ("Monthly ..." on a week), or ``None``."""
    for found in _GRAIN_WORD.finditer(title):
        if _TITLE_GRAINS[found[1].lower()] != period.kind:
            fixed = _GRAIN_WORD.sub("{Grain}", title, count=1)
            return (f"the title says '{found[1]}' but the period {period.key} is "
                    f"{_kind_phrase(period)}; write '{fixed}' so the title follows the period "
                    "(the cover names the period itself)")
    return None


def as_of_key(period: Period, reported: Period) -> str:
    """The output folder of a run: ``2026-10``, or ``2026-10-as-of-2026-10-15`` for a period
    to date, so that it never overwrites the period's final report."""
    if reported == period:
        return period.key
    return f"{period.key}-as-of-{reported.end.isoformat()}"


def _kind_phrase(period: Period) -> str:
    return "a custom range" if period.kind == "custom" else f"a {period.kind}"
