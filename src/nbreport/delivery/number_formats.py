"""A report's formatted number as an Excel number format that shows the same text.

A data pack's cells hold the number behind each figure (so that a client's sums and ratios
start from the report's own numbers, not from rounded ones) with a number format under
which Excel shows what the report shows: ``612345.67`` under ``"$"#,##0`` reads ``$612,346``
like the report. The format is read from the report's text (prefix, digits, decimals,
suffix) and kept only when writing the number under it, the way Excel does (half away from
zero), gives the report's text back, in the client's locale; anything else (``<1%``,
``+2.8 pts``, ``n/a``) stays the report's text.

Excel writes format codes with ``,`` and ``.`` and shows them with the reader's own
separators: a German client's Excel shows ``1.234,50 €`` like the German report.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_decimal_symbol, get_group_symbol

SIGNIFICANT_DIGITS = 12  # as nbreport.core.formatting: the last digits of a float are noise
SIGNS = ("+", "\u2212", "\u00b1")  # a change's signs: plus, minus, plus-minus (for zero)
HYPHEN_MINUS = "-"


@dataclass(frozen=True)
class NumberLook:
    """How a number is written: what comes before and after its digits, its decimals, whether
    it is grouped, a percentage (shown times 100) and signed (``+``/``−``/``±`` always shown)."""

    prefix: str
    suffix: str
    decimals: int
    grouped: bool
    percent: bool
    signed: bool

    def excel_format(self) -> str:
        """The Excel number format code that writes numbers this way."""
        body = ("#,##0" if self.grouped else "0") + ("." + "0" * self.decimals if self.decimals else "")
        suffix = _quoted(self.suffix.replace("%", "")) + "%" if self.percent else _quoted(self.suffix)
        if not self.signed:
            return _quoted(self.prefix) + body + suffix
        positive, negative, zero = (_quoted(sign + self.prefix) + body + suffix for sign in SIGNS)
        return f"{positive};{negative};{zero}"

    def write(self, value: float, locale: str) -> str:
        """``value`` written as Excel writes it under :meth:`excel_format`, in ``locale``."""
        number = Decimal(repr(float(f"{value:.{SIGNIFICANT_DIGITS}g}")))
        if self.percent:
            number *= 100
        rounded = number.copy_abs().quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)
        digits = f"{rounded:,.{self.decimals}f}" if self.grouped else f"{rounded:.{self.decimals}f}"
        digits = digits.translate(str.maketrans({",": get_group_symbol(locale),
                                                 ".": get_decimal_symbol(locale)}))
        text = self.prefix + digits + self.suffix
        if self.signed:
            return SIGNS[0 if value > 0 else 1 if value < 0 else 2] + text
        return HYPHEN_MINUS + text if value < 0 and rounded != 0 else text


def look_of(shown: str, value: float, locale: str) -> NumberLook | None:
    """The look under which ``value`` reads exactly ``shown`` in Excel (``None``: no number
    format does, keep the text)."""
    if not math.isfinite(value):
        return None
    match = _number_pattern(locale).fullmatch(shown)
    if match is None:
        return None
    prefix, digits, suffix = match["prefix"], match["digits"], match["suffix"]
    signed = prefix[:1] in SIGNS
    if signed:
        prefix = prefix[1:]
    elif prefix.startswith(HYPHEN_MINUS):  # Excel's own minus for a negative number
        prefix = prefix[1:]
    if any(character.isdigit() or character == '"' for character in prefix + suffix):
        return None
    decimal_symbol = get_decimal_symbol(locale)
    whole, _, fraction = digits.partition(decimal_symbol)
    look = NumberLook(prefix=prefix, suffix=suffix, decimals=len(fraction),
                      grouped=get_group_symbol(locale) in whole or len(whole) < 4,
                      percent="%" in suffix, signed=signed)
    return look if _writes(look, value, shown, locale) else None


def _writes(look: NumberLook, value: float, shown: str, locale: str) -> bool:
    try:
        return look.write(value, locale) == shown
    except (InvalidOperation, ValueError):
        return False


def _number_pattern(locale: str) -> re.Pattern[str]:
    group, decimal = re.escape(get_group_symbol(locale)), re.escape(get_decimal_symbol(locale))
    return re.compile(rf"(?P<prefix>\D*?)(?P<digits>\d(?:[\d{group}]*\d)?(?:{decimal}\d+)?)"
                      rf"(?P<suffix>\D*)")


def _quoted(text: str) -> str:
    """Literal text in a number format, in double quotes (:func:`look_of` keeps no text
    holding one)."""
    return f'"{text}"' if text else ""
