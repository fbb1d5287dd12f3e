"""Axis ticks written like every other number in the report: the client's currency and locale.

Ticks use the short form (``$600K``) once the axis reaches ten thousand, full numbers
below that, and show cents or decimals only when a tick needs them.
"""

from __future__ import annotations

from typing import Any

from nbreport.formatting import Formatter

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
    from matplotlib.ticker import Formatter as TickFormatter

    class _Ticks(TickFormatter):
        ticks: list[float] = []

        def set_locs(self, locs: Any) -> None:  # the axis hands over all its ticks first
            super().set_locs(locs)
            self.ticks = [float(loc) for loc in locs]

        def __call__(self, value: float, pos: int | None = None) -> str:
            return tick_text(fmt, unit, value, self.ticks or [value])

    axis = axes.yaxis if which == "y" else axes.xaxis
    axis.set_major_formatter(_Ticks())
