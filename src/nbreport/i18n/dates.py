"""Dates, month and weekday names in the report's language: charts, tables, sentences.

``strftime`` writes the C library's English names whatever the report's language. In
English the report keeps its house style (``7 December 2026``, ``Oct``) exactly as
``strftime`` writes it; in any other language the names and the order come from Babel's
CLDR data in the locale of the language in use (:func:`nbreport.i18n.current_language`),
e.g. ``7. Dezember 2026`` or ``7 de dezembro de 2026``.
"""

from __future__ import annotations

import functools
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

from nbreport.i18n import N_, SOURCE_LANGUAGE, _, babel_locale, current_language


@functools.cache
def _locale(language: str) -> Locale:
    try:
        return babel_locale(language)
    except (UnknownLocaleError, ValueError):  # a pseudo-language (``qps``) has no CLDR data
        return babel_locale(SOURCE_LANGUAGE)


def uses_strftime() -> bool:
    """Whether the language in use is English, whose dates ``strftime`` writes."""
    return current_language().split("-")[0] == SOURCE_LANGUAGE


def _written(day: date, english: str, skeleton: str) -> str:
    """``day`` with strftime's ``english`` format in English, else in the locale's form of
    CLDR's ``skeleton`` (a single field, such as ``LLL``, is used as the pattern itself)."""
    if uses_strftime():
        return day.strftime(english)
    language = current_language()
    if len(set(skeleton)) == 1:
        return format_date(day, skeleton, locale=_locale(language))
    return format_skeleton(skeleton, day, locale=_locale(language))


def month_name(day: date) -> str:
    """``October``, as a sentence names it."""
    return _written(day, "%B", "MMMM")


def month_year(day: date) -> str:
    """``October 2026``."""
    return _written(day, "%B %Y", "yMMMM")


def short_month(day: date) -> str:
    """``Oct`` on its own (a tick label)."""
    return _written(day, "%b", "LLL")


def short_weekday(day: date) -> str:
    """``Mon`` on its own (a tick label)."""
    return _written(day, "%a", "ccc")


def short_day_month(day: date) -> str:
    """``24 Oct``."""
    return _written(day, "%-d %b", "MMMd")


def day_month(day: date) -> str:
    """``24 October``."""
    return _written(day, "%-d %B", "MMMMd")


def day_month_year(day: date) -> str:
    """``24 October 2026``."""
    return _written(day, "%-d %B %Y", "yMMMMd")


def short_date(day: date) -> str:
    """``24 Oct 2026``."""
    return _written(day, "%-d %b %Y", "yMMMd")


def weekday_name(day: date) -> str:
    """``Saturday``."""
    return _written(day, "%A", "EEEE")


def weekday_day_month(day: date, *, year: bool = False) -> str:
    """``Saturday 24 October`` (``Saturday 24 October 2026`` with ``year``): CLDR's skeletons
    shorten the weekday, so the catalogue says how the language joins the two."""
    # Translators: a weekday and a date, e.g. "Saturday 24 October" (German: "%(weekday)s, %(day)s")
    return _("%(weekday)s %(day)s", weekday=weekday_name(day),
             day=day_month_year(day) if year else day_month(day))

# Babel date patterns (period names and ranges), translatable so that each language writes a date its own way
# ("3. Oktober 2026", "3 de outubro de 2026"): LDML, d day, MMMM month, LLLL month alone, y year
DAY_MONTH_YEAR = N_("d MMMM y")
DAY_MONTH = N_("d MMMM")
DAY = N_("d")
MONTH_YEAR = N_("LLLL y")
MONTH_ALONE = N_("LLLL")


def pattern_date(day: date, pattern: str) -> str:
    """``day`` written with the Babel ``pattern`` (translated) in the language in use."""
    return format_date(day, _(pattern), locale=babel_locale(current_language()))


def dates_text(start: date, end: date) -> str:
    """``19–25 October 2026``, ``28 September – 4 October 2026``, ``3 October 2026``, in the
    language in use (month names from Babel, the order from the catalogue)."""
    if start == end:
        return pattern_date(end, DAY_MONTH_YEAR)
    if (start.year, start.month) == (end.year, end.month):
        return _("%(first)s\u2013%(last)s", first=pattern_date(start, DAY),
                 last=pattern_date(end, DAY_MONTH_YEAR))
    first = pattern_date(start, DAY_MONTH if start.year == end.year else DAY_MONTH_YEAR)
    return _("%(first)s \u2013 %(last)s", first=first, last=pattern_date(end, DAY_MONTH_YEAR))


def period_label(kind: str, start: date, end: date) -> str:
    """A period's name in a language other than English (:attr:`Period.label` asks for it):
    ``Oktober 2026``, ``Q3 2026``, ``KW 43, 2026``, ``19.–25. Oktober 2026``."""
    if kind == "month":
        return pattern_date(start, MONTH_YEAR)
    if kind == "quarter":
        return _("Q%(quarter)s %(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)
    if kind == "week":
        iso = start.isocalendar()
        return _("Week %(week)s, %(year)s", week=iso.week, year=iso.year)
    if kind == "year":
        return str(start.year)
    return dates_text(start, end)
