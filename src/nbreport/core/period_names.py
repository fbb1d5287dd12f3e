"""How a report names its period: the cover line, the comparisons, the title's grain word.

A weekly report says "Weekly report, 19–25 October 2026" on its cover and compares
"vs previous week" and "vs same week last year"; a quarterly one says "Quarterly report,
Q3 2026 (July–September)". A report title may carry ``{grain}`` or ``{Grain}`` ("Weekly",
"Monthly", nothing for a custom range) so that one title serves every kind of period; a title
that names a fixed grain other than the period's ("Monthly ..." on a week) is an error
(:func:`title_grain_conflict`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from nbreport.core.period import Period

GRAIN_ADJECTIVES = {"week": "weekly", "month": "monthly", "quarter": "quarterly",
                    "year": "yearly", "custom": ""}
# the words a title may use for a grain, and the kind each one names
_TITLE_GRAINS = {"weekly": "week", "monthly": "month", "quarterly": "quarter",
                 "yearly": "year", "annual": "year", "daily": "custom"}
_GRAIN_WORD = re.compile(r"\b(" + "|".join(_TITLE_GRAINS) + r")\b", re.IGNORECASE)


def dates_text(start: date, end: date) -> str:
    """``19–25 October 2026``, ``28 September – 4 October 2026``, ``3 October 2026``."""
    if start == end:
        return f"{end.day} {calendar.month_name[end.month]} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {calendar.month_name[end.month]} {end.year}"
    left = f"{start.day} {calendar.month_name[start.month]}"
    if start.year != end.year:
        left += f" {start.year}"
    return f"{left} \u2013 {end.day} {calendar.month_name[end.month]} {end.year}"


def period_words(period: Period) -> str:
    """The period as the cover names it, without the grain: ``19–25 October 2026``,
    ``October 2026``, ``Q3 2026 (July–September)``, ``2026``."""
    if period.kind == "month":
        return period.label
    if period.kind == "quarter":
        first, last = calendar.month_name[period.start.month], calendar.month_name[period.end.month]
        return f"{period.label} ({first}\u2013{last})"
    if period.kind == "year":
        return str(period.start.year)
    return dates_text(period.start, period.end)


def cover_line(period: Period, reported: Period | None = None) -> str:
    """``Weekly report, 19–25 October 2026``; ``Report, 3–16 October 2026`` for a custom range.

    ``reported`` (a period to date, ``as_of``) gives the dates when it is shorter than
    ``period``: ``Monthly report, 1–15 October 2026``; the cover marks it "to date".
    """
    shown = period if reported is None or reported == period else reported
    grain = GRAIN_ADJECTIVES[period.kind]
    head = f"{grain.capitalize()} report" if grain else "Report"
    return f"{head}, {period_words(shown)}"


def comparison_names(period: Period, reported: Period | None = None) -> dict[str, str]:
    """How the report names what it compares with: ``previous`` ("previous week") and
    ``last_year`` ("same week last year"); the same days of each for a period to date."""
    partial = reported is not None and reported != period
    if period.kind == "custom":
        days = period.days
        return {"previous": f"previous {days} days", "last_year": "same days last year"}
    noun = period.kind
    if partial:
        return {"previous": f"same days of the previous {noun}", "last_year": "same days last year"}
    if period.kind == "year":
        return {"previous": "previous year", "last_year": "previous year"}
    return {"previous": f"previous {noun}", "last_year": f"same {noun} last year"}


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
