"""Trend charts: a metric month by month, the reported month highlighted."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from nbreport.charts.theme import ChartTheme, new_figure


def monthly_bars(
    values: pd.Series,
    *,
    highlight: pd.Timestamp,
    title: str,
    axis_format: Callable[[float], str],
    theme: ChartTheme,
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Bars of ``values`` (indexed by month start), the ``highlight`` month in the brand colour."""
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
    return figure
