"""The regular expression Python's own ``datetime.strptime`` builds for a format.

:mod:`nbreport.sources.strptime` runs that very expression over a whole column with Arrow
(so a column is read exactly as Python reads each value, at Arrow's speed), and
:mod:`nbreport.sources.dates` uses it to tell an impossible date from a misshapen one.

Private API touched: the standard library's ``_strptime._TimeRE_cache`` (its ``pattern``
and ``compile`` methods), which ``datetime.strptime`` itself uses.
"""

from __future__ import annotations

import re
from typing import Any


def strptime_pattern(fmt: str) -> str:
    """The regular expression's source ``datetime.strptime`` matches ``fmt``'s values with.

    Raises what ``datetime.strptime`` raises for a bad format (``ValueError``, ``KeyError``,
    ``re.error``).
    """
    from _strptime import _TimeRE_cache

    return _TimeRE_cache.pattern(fmt)


def strptime_regex(fmt: str) -> re.Pattern[str]:
    """The compiled regular expression ``datetime.strptime`` matches ``fmt``'s values with
    (case-insensitive, as Python's)."""
    from _strptime import _TimeRE_cache

    return _TimeRE_cache.compile(fmt)



def strptime_locale() -> Any:
    """The current locale's words ``datetime.strptime`` reads: ``f_month`` and ``a_month``
    (lower case, index 1 = January), ``am_pm`` (lower case)."""
    from _strptime import _TimeRE_cache

    return _TimeRE_cache.locale_time
