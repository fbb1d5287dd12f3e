"""Numbers no report can show: a budget of 10^30 or a target of 10^25 is a typo, not a plan.

Money and counts are written with Babel, whose decimal arithmetic holds 28 digits: beyond
about 10^25 a report would fail half-way with ``InvalidOperation``. The params refuse such a
number up front, with the key that holds it; the limit (10^15, a thousand trillion) is far
above any real budget, target or threshold and far below what breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

Loc = tuple[str | int, ...]

LARGEST = 10**15
LARGEST_TEXT = "10^15 (1,000,000,000,000,000)"
# Settings of a source describe its export (SQL query parameters, constants written into
# rows), not amounts the report writes out: an id of 19 digits there is no typo.
NOT_AMOUNTS = frozenset({"sources"})


def magnitude_problems(params: BaseModel) -> list[tuple[Loc, str]]:
    """``(key, message)`` for every number of ``params`` larger than :data:`LARGEST`."""
    plain = params.model_dump(mode="python", exclude=set(NOT_AMOUNTS))
    return [(loc, _message(value)) for loc, value in _numbers(plain, ())
            if abs(value) > LARGEST]


def _numbers(node: Any, loc: Loc) -> Iterator[tuple[Loc, float]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _numbers(child, (*loc, str(key)))
    elif isinstance(node, (list, tuple)):
        for index, child in enumerate(node):
            yield from _numbers(child, (*loc, index))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield loc, node


def _message(value: float) -> str:
    written = f"{value:,.0f}" if abs(value) < 1e21 else f"{value:.3g}"
    return (f"{written} is larger than any real amount (the limit is {LARGEST_TEXT}); "
            "check for extra zeros or a misplaced decimal point")
