"""Plain numbers in sentences written in the report's language (``1,234`` or ``1.234``), where
no client locale is at hand (the data-quality warnings of the sources)."""

from __future__ import annotations

from babel.numbers import format_decimal

from nbreport.i18n import babel_locale, current_language


def whole(value: float) -> str:
    """``1,234`` (English), ``1.234`` (German)."""
    return format_decimal(round(value), format="#,##0", locale=babel_locale(current_language()))


def decimal(value: float, digits: int) -> str:
    """``1,234.50`` / ``1.234,50`` with ``digits`` decimals."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale(current_language()))
