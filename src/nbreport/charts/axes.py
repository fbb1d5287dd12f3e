"""Axis ticks written like every other number in the report: the client's currency and locale.

Ticks use the short form (``$600K``) once the axis reaches ten thousand, full numbers
below that, and show cents or decimals only when a tick needs them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from nbreport.core.formatting import Formatter

COMPACT_FROM = 10_000


def tick_text(fmt: Formatter, unit: str, value: float, ticks: list[float]) -> str:
    """One tick label given all the ticks of its axis (they decide the form)."""
    largest = max((abs(t) for t in ticks), default=abs(value))
    if unit in ("currency", "count", "number") and largest >= COMPACT_FROM:
        return fmt.compact(value, unit)
    fractional = any(not float(t).is_integer() for t in ticks)
    if unit == "currency":
        return fmt.money(value, cents=fractional)
    if unit == "count" and fractional:
        return fmt.value(value, "number")
    return fmt.value(value, unit)


def format_axis(axes: Any, fmt: Formatter, unit: str, which: str = "y") -> None:
    """Label the ``which`` axis (``"x"`` or ``"y"``) of ``axes`` in ``unit`` with ``fmt``."""
    axis = axes.yaxis if which == "y" else axes.xaxis
    axis.set_major_formatter(tick_formatter(lambda value, ticks: tick_text(fmt, unit, value, ticks)))


def tick_formatter(label: Callable[[float, list[float]], str]) -> Any:
    """A matplotlib tick formatter that writes each tick with ``label(value, all ticks)``.

    matplotlib asks for the labels of the same ticks many times while it lays out and
    draws a chart; each set of ticks is written once (babel's formatting is not cheap).
    """
    return _formatter_class()(label)


@functools.cache
def _formatter_class() -> type:
    from matplotlib.ticker import Formatter as TickFormatter

    class Ticks(TickFormatter):
        def __init__(self, label: Callable[[float, list[float]], str]) -> None:
            self.label = label
            self.ticks: list[float] = []
            self.written: dict[tuple[float, ...], list[str]] = {}

        def set_locs(self, locs: Any) -> None:  # the axis hands over all its ticks first
            super().set_locs(locs)
            self.ticks = [float(loc) for loc in locs]

        def format_ticks(self, values: Sequence[float]) -> list[str]:
            key = tuple(float(value) for value in values)
            if key not in self.written:
                self.set_locs(values)
                self.written[key] = [self(value, position) for position, value in enumerate(values)]
            return self.written[key]

        def __call__(self, value: float, pos: int | None = None) -> str:
            return self.label(value, self.ticks or [value])

    return Ticks
