"""Numbers, money and changes written the way the client reads them (currency and locale)."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from babel import Locale
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from nbreport.i18n import N_, _

NOT_AVAILABLE = N_("n/a")  # shown translated: _(NOT_AVAILABLE)
SIGNIFICANT_DIGITS = 12  # beyond this a float's last digits are noise of the order of summation


_NON_ZERO_DIGIT = re.compile(r"[1-9]")
POINT_UNITS = ("percent", "score")  # their changes are differences, in points


def _signed(value: float, text: str, zero: str = "\u00b1") -> str:
    """``text`` with the sign of ``value``: ``+``, a true minus, or ``zero`` when ``text`` shows
    no digit but 0 (``±0.0 pts``, never ``+0.0 pts`` for a change too small to show)."""
    if value == 0 or not _NON_ZERO_DIGIT.search(text):
        return zero + text
    return ("+" if value > 0 else "\u2212") + text


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def _steady(value: float) -> float:
    """``value`` without floating-point noise, so that one number summed in two orders prints
    the same way (20.124999999999996 and 20.125000000000004 both as 20.12, half to even)."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


@functools.cache
def _currency_pattern(locale: str, cents: bool) -> str:
    """The locale's own currency pattern (symbol before or after), with or without cents."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    return pattern if cents else re.sub(r"\.0+", "", pattern)


@functools.cache
def _percent_pattern(locale: str) -> str:
    """The locale's own percent pattern (``12,3 %`` in German) with one decimal."""
    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    return pattern.replace("0%", "0.0%").replace("0\u00a0%", "0.0\u00a0%").replace("0 %", "0.0 %")


@functools.cache
def _whole_percent_pattern(locale: str) -> str:
    """The locale's own percent pattern in whole percent (``62 %`` in German)."""
    return Locale.parse(locale).percent_formats[None].pattern.split(";")[0]


@dataclass(frozen=True)
class Formatter:
    """Formats values for one client.

    Parameters
    ----------
    currency:
        ISO 4217 code, e.g. ``EUR``.
    locale:
        Babel locale, e.g. ``de_DE`` (``1.234,50 €``) or ``en_US`` (``$1,234.50``).
    """

    currency: str = "USD"
    locale: str = "en_US"

    def value(self, value: float | None, unit: str) -> str:
        """A metric value in its unit, one rule of decimals per unit: count (whole), currency
        (cents below 1,000), percent (a share, one decimal), multiple (two decimals), score (a
        signed whole number, as NPS: ``+18``) or number (one decimal)."""
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        if unit == "count":
            return format_decimal(round(value), format="#,##0", locale=self.locale)
        if unit == "currency":
            return self.money(value)
        if unit == "percent":
            return format_percent(value, format=_percent_pattern(self.locale), locale=self.locale)
        if unit == "multiple":
            return format_decimal(value, format="#,##0.00", locale=self.locale) + "\u00d7"
        if unit == "score":
            return _signed(round(value), format_decimal(abs(round(value)), format="#,##0",
                                                        locale=self.locale), zero="")
        return format_decimal(value, format="#,##0.0", locale=self.locale)

    def money(self, value: float | None, *, cents: bool | None = None) -> str:
        """Money; whole units from 1,000 up unless ``cents`` says otherwise."""
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        show_cents = abs(value) < 1000 if cents is None else cents
        pattern = _currency_pattern(self.locale, show_cents)
        return format_currency(value, self.currency, format=pattern, locale=self.locale,
                               currency_digits=False)

    def change(self, value: float | None) -> str:
        """A relative change with its sign: ``+12.3%``, ``-4.0%``."""
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        text = format_percent(abs(value), format=_percent_pattern(self.locale), locale=self.locale)
        return _signed(value, text)

    def change_in(self, unit: str, absolute: float | None, relative: float | None) -> str:
        """A change the way its unit reads: shares (percent) and scores in points (``+2.8 pts``,
        ``+3 pts``), never a percent of a percent; everything else relative (``+12.3%``)."""
        if unit in POINT_UNITS:
            return self.difference(absolute, unit)
        return self.change(relative)

    def probability(self, value: float | None) -> str:
        """A chance in whole percent: ``62%``; never 0% or 100%, which samples cannot show."""
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        pattern = _whole_percent_pattern(self.locale)  # "62%", "62 %" in German
        if value < 0.005:
            return "<" + format_percent(0.01, format=pattern, locale=self.locale)
        if value > 0.995:
            return ">" + format_percent(0.99, format=pattern, locale=self.locale)
        return format_percent(value, format=pattern, locale=self.locale)

    def difference(self, value: float | None, unit: str) -> str:
        """An absolute difference with its sign, in the metric's unit; a difference of two
        shares is in percentage points (``+2.8 pts``), never a misleading ``+2.8%``."""
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        if unit == "percent":
            points = format_decimal(abs(value) * 100, format="#,##0.0", locale=self.locale)
            text = _("%(points)s pts", points=points)  # percentage points
        elif unit == "score":
            value = float(round(value))  # whole points, as the score itself is shown
            points = format_decimal(abs(value), format="#,##0", locale=self.locale)
            text = _("%(points)s pts", points=points)
        else:
            text = self.value(abs(value), unit)
        return _signed(value, text)

    def compact(self, value: float | None, unit: str) -> str:
        """A short form for chart axes and tight spaces: ``$600K``, ``1.2M``, ``1,2 Mio. €``.

        Locales without a short form for a magnitude (German thousands) keep the full
        grouped number (``600.000 €``); percentages and multiples are written as by
        :meth:`value`.
        """
        if _missing(value):
            return _(NOT_AVAILABLE)
        assert value is not None
        value = _steady(value)
        if unit not in ("count", "currency", "number"):
            return self.value(value, unit)
        if unit == "currency":
            text = format_compact_currency(value, self.currency, locale=self.locale, fraction_digits=1)
        else:
            text = format_compact_decimal(value, locale=self.locale, fraction_digits=1)
        if abs(value) >= 1000 and re.sub(r"\D", "", text) == str(round(abs(value))):
            return self.money(value, cents=False) if unit == "currency" else self.value(value, "count")
        return text
