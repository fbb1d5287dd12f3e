"""Numbers no report can show: a budget of 10^30 or a target of 10^25 is a typo, not a plan.

The params refuse a number larger than :data:`~nbreport.core.limits.LARGEST_AMOUNT` up front,
with the key that holds it, instead of a report failing half-way with ``InvalidOperation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

Loc = tuple[str | int, ...]

from nbreport.core.limits import LARGEST_AMOUNT as LARGEST
from nbreport.core.limits import LARGEST_AMOUNT_TEXT as LARGEST_TEXT

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
