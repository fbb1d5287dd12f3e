"""Trend charts: a metric month by month, the reported month highlighted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from nbreport.charts.theme import ChartTheme, new_figure


@dataclass(frozen=True)
class ChartAnnotation:
    """A dated event marked on a chart: a numbered marker above its bar.

    Attributes
    ----------
    at:
        The bar it belongs to (a month start for :func:`monthly_bars`).
    number:
        The marker's number, which the chart's caption explains.
    """

    at: pd.Timestamp
    number: int


def monthly_bars(
    values: pd.Series,
    *,
    highlight: pd.Timestamp,
    title: str,
    axis_format: Callable[[float], str],
    theme: ChartTheme,
    annotations: Sequence[ChartAnnotation] = (),
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Bars of ``values`` (indexed by month start), the ``highlight`` month in the brand colour.

    ``annotations`` mark dated events with numbered markers above their month.
    """
    from matplotlib.ticker import FuncFormatter

    with theme.applied():
        figure = new_figure(0.36)
        axes = figure.add_subplot()
        labels = [month.strftime("%b\n%Y") if month.month == 1 or i == 0 else month.strftime("%b")
                  for i, month in enumerate(values.index)]
        colours = [theme.primary if month == highlight else theme.muted for month in values.index]
        positions = range(len(values))
        axes.bar(positions, values.to_numpy(), color=colours, width=0.72)
        axes.set_xticks(list(positions), labels)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: axis_format(y)))
        axes.set_title(title)
        axes.grid(axis="x", visible=False)
        if highlight in values.index:
            at = list(values.index).index(highlight)
            axes.annotate(axis_format(values.iloc[at]), (at, values.iloc[at]), ha="center",
                          va="bottom", xytext=(0, 3), textcoords="offset points",
                          fontweight="bold", color=theme.primary)
        _mark_events(axes, values, annotations, theme)
    return figure


def _mark_events(axes: "matplotlib.axes.Axes", values: pd.Series,  # noqa: F821
                 annotations: Sequence[ChartAnnotation], theme: ChartTheme) -> None:
    """Numbered circles above the bars of annotated months, stacked when a month has several."""
    index = list(values.index)
    stacked: dict[int, int] = {}
    for annotation in annotations:
        if annotation.at not in index:
            continue
        at = index.index(annotation.at)
        level = stacked[at] = stacked.get(at, 0) + 1
        axes.annotate(str(annotation.number), (at, max(values.iloc[at], 0)), ha="center", va="bottom",
                      xytext=(0, 4 + 17 * level), textcoords="offset points", fontsize=8,
                      fontweight="bold", color="white",
                      bbox={"boxstyle": "circle,pad=0.3", "fc": theme.accent, "ec": "none"})
    if stacked:
        axes.margins(y=0.08 + 0.07 * max(stacked.values()))
