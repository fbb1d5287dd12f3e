"""Charts that compare categories: campaigns, channels, sources."""

from __future__ import annotations

import textwrap

import pandas as pd

from nbreport.charts.axes import format_axis
from nbreport.charts.theme import (
    CHART_WIDTH_PX,
    SMALL_TEXT_PT,
    ChartTheme,
    is_narrow,
    new_figure,
    set_title,
)
from nbreport.core.formatting import Formatter

BAR_HEIGHT_PX = 36  # height added per bar
MAX_BARS = 12
LABEL_CHARS = {True: 16, False: 28}  # category label width, phone and wide


def ranked_bars(
    values: pd.Series,
    *,
    title: str,
    unit: str,
    fmt: Formatter,
    theme: ChartTheme,
    highlight: str | None = None,
    limit: int = MAX_BARS,
    width_px: int = CHART_WIDTH_PX,
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Horizontal bars of ``values`` (indexed by category), largest first, each labelled with
    its value; ``highlight`` (a category) in the brand colour, or all of them when ``None``."""
    ranked = values.dropna().sort_values(ascending=False).head(limit)
    narrow = is_narrow(width_px)
    # names on up to two lines: "Shopping - All / Products" reads where "Shopping -…" does not
    labels = ["\n".join(textwrap.wrap(str(name), LABEL_CHARS[narrow], max_lines=2, placeholder="…"))
              for name in ranked.index]
    with theme.applied():
        height_px = 110 + BAR_HEIGHT_PX * max(len(ranked), 2)
        figure = new_figure(height_px / width_px, width_px)
        axes = figure.add_subplot()
        colours = [theme.primary if highlight in (None, name) else theme.muted for name in ranked.index]
        positions = list(range(len(ranked)))
        axes.barh(positions, ranked.to_numpy(), color=colours, height=0.68)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        for position, value in zip(positions, ranked.to_numpy()):
            axes.annotate(fmt.value(value, unit), (value, position), va="center", ha="left",
                          xytext=(4, 0), textcoords="offset points", fontsize=SMALL_TEXT_PT)
        format_axis(axes, fmt, unit, which="x")
        axes.xaxis.set_major_locator(_few_ticks(narrow))
        axes.margins(x=0.22 if narrow else 0.14)
        axes.grid(axis="y", visible=False)
        set_title(axes, title, width_px)
    return figure


def _few_ticks(narrow: bool) -> "matplotlib.ticker.Locator":  # noqa: F821
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=3 if narrow else 6)
