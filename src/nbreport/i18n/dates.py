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

from nbreport.i18n import SOURCE_LANGUAGE, _, babel_locale, current_language


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
