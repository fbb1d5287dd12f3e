"""Reading the numbers people write in commentary, the way the client's locale writes them.

``$582,046``, ``582k``, ``12.3%``, ``+4 pp``, ``7.6x`` in ``en_US``; ``56.659 €`` and
``+6,2 %`` in ``de_DE``. Each number keeps how precisely it was written, so that
"12%" is read as "12, give or take a unit" and "48,000" as "to the nearest thousand".
Years, dates, ordinals and codes such as ``Q3`` are not numbers here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

NumberKind = Literal["percent", "points", "currency", "multiple", "plain"]

_CURRENCY_SIGNS = "$€£¥₹"
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_SPACES = " \u00a0\u202f"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.I)  # "October 12"
_MONTH_AFTER = re.compile(rf"^\s*(?:{_MONTHS})\b", re.I)  # "12 October"


@dataclass(frozen=True)
class StatedNumber:
    """A number found in text.

    Attributes
    ----------
    start, end:
        Its position in the text (sign and unit included).
    value:
        The number in natural units; percentages and points in percent (``12.3`` for 12.3%).
    kind:
        ``percent``, ``points`` (percentage points), ``currency``, ``multiple`` or ``plain``.
    precision:
        The unit of its last written digit, in the same scale as ``value`` (``1`` for "12%",
        ``500`` for "48,000", read as rounded to the thousand; ``100000`` for "1.2m").
    sign:
        ``+1`` or ``-1`` when written with a sign, else ``0``.
    text:
        As written.
    """

    start: int
    end: int
    value: float
    kind: NumberKind
    precision: float
    sign: int
    text: str


class NumberReader:
    """Finds numbers in text written for one locale and currency."""

    def __init__(self, locale: str = "en_US", currency: str = "USD") -> None:
        self.pattern, self.decimal, self.groups = _compile(locale, currency)

    def find(self, text: str) -> list[StatedNumber]:
        """Every number in ``text``, left to right, dates and years left out."""
        numbers = []
        for match in self.pattern.finditer(text):
            number = self._read(match, text)
            if number is not None:
                numbers.append(number)
        return numbers

    def _read(self, match: re.Match[str], text: str) -> StatedNumber | None:
        digits = match["number"]
        before, after = text[max(0, match.start() - 12):match.start()], text[match.end():match.end() + 12]
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
            return None
        unit = (match["unit"] or "").strip().lower()
        currency = bool(match["currency"] or match["currency_after"])
        plain = digits
        for group in self.groups:
            plain = plain.replace(group, "")
        plain = plain.replace(self.decimal, ".")
        if not unit and not currency and re.fullmatch(r"(19|20)\d\d", plain):
            return None  # a year
        value = float(plain)
        precision = _precision(plain, kind_is_percent=unit in ("%", "percent", "per cent"))
        kind = _kind(unit, currency)
        scale = _SCALES.get(unit, 1.0)
        sign = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}.get(match["sign"] or "", 0)
        return StatedNumber(match.start(), match.end(), value * scale, kind, precision * scale, sign,
                            match.group(0))


def _kind(unit: str, currency: bool) -> NumberKind:
    if unit in ("%", "percent", "per cent"):
        return "percent"
    if unit in ("pp", "points", "point", "percentage points", "percentage point", "% points"):
        return "points"
    if unit in ("x", "\u00d7", "times"):
        return "multiple"
    return "currency" if currency else "plain"


def _precision(plain: str, *, kind_is_percent: bool) -> float:
    """The unit of the last written digit: decimals count; trailing zeros of big numbers round."""
    if "." in plain:
        return 10.0 ** -len(plain.split(".")[1])
    if kind_is_percent or len(plain) < 4:
        return 1.0
    zeros = len(plain) - len(plain.rstrip("0"))
    return 10.0 ** zeros / 2 if zeros else 1.0  # "48,000" is 48,000 to the nearest thousand


@functools.cache
def _compile(locale: str, currency: str) -> tuple[re.Pattern[str], str, tuple[str, ...]]:
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_group_symbol

    decimal = get_decimal_symbol(locale)
    group = get_group_symbol(locale)
    groups = tuple(dict.fromkeys([group, *(_SPACES if group in _SPACES else ())]))
    if group in ("\u2019", "'"):
        groups = ("\u2019", "'")
    group_class = "[" + "".join(re.escape(g) for g in groups) + "]"
    symbol = get_currency_symbol(currency, locale)
    signs = sorted({*_CURRENCY_SIGNS, symbol, currency}, key=len, reverse=True)
    currency_re = "|".join(re.escape(s) for s in signs)
    number = (rf"\d{{1,3}}(?:{group_class}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
              rf"|\d+(?:{re.escape(decimal)}\d+)?")
    unit = (r"%\s?points|%|percentage points?|percent|per cent|pp|points?|x|\u00d7|times"
            r"|thousand|million|billion|mn|bn|k|m")
    space = f"[{_SPACES}]?"
    pattern = re.compile(
        rf"(?<![\w.,/\-\u2212\u2013$€£¥₹])"
        rf"(?P<sign>[+\-\u2212\u2013])?{space}"
        rf"(?P<currency>(?:{currency_re}){space})?"
        rf"(?P<number>{number})"
        rf"(?P<unit>{space}(?:{unit})(?![^\W\d_]))?"
        rf"(?P<currency_after>{space}(?:{currency_re})(?![^\W\d_]))?"
        rf"(?![^\W_])",
        re.I,
    )
    return pattern, decimal, groups
