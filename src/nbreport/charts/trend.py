"""Charts over time: a metric as bars by day, week or month, and lines over days or weeks.

Every builder takes ``width_px``: :func:`nbreport.charts.chart_html` builds each chart
twice, for wide screens and paper and for phones, and the builders adapt their layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from nbreport.charts.axes import format_axis
from nbreport.charts.theme import (
    CHART_WIDTH_PX,
    MUTED_TEXT,
    SMALL_TEXT_PT,
    ChartTheme,
    is_narrow,
    new_figure,
    set_title,
)
from nbreport.i18n.dates import short_day_month, short_month, short_weekday, uses_strftime
from nbreport.core.formatting import Formatter
from nbreport.i18n import _


def _month_labels(months: pd.DatetimeIndex, narrow: bool) -> list[str]:
    """``Oct``, with the year under January and the first month; initials on phones."""
    labels = []
    for position, month in enumerate(months):
        name = short_month(month)[0] if narrow else short_month(month)
        year = position == 0 or month.month == 1
        labels.append(f"{name}\n{month:%y}" if narrow and year else
                      f"{name}\n{month:%Y}" if year else name)
    return labels


def _day_labels(days: pd.DatetimeIndex, narrow: bool) -> list[str]:
    """``Mon`` over ``19`` (one bar per day); initials on phones, the day alone past two weeks."""
    if len(days) > 14:
        return [f"{day.day}" if narrow and position % 2 else f"{day.day}\n{short_month(day)}"
                if position == 0 or day.day == 1 else f"{day.day}"
                for position, day in enumerate(days)]
    return [f"{short_weekday(day)[0] if narrow else short_weekday(day)}\n{day.day}" for day in days]


def _week_labels(weeks: pd.DatetimeIndex, narrow: bool) -> list[str]:
    """The first day of each week: ``6`` over ``Jul`` where a month starts, else ``13``."""
    labels = []
    for position, week in enumerate(weeks):
        new_month = position == 0 or week.month != weeks[position - 1].month
        labels.append(f"{week.day}\n{short_month(week)}" if new_month else
                      ("" if narrow and position % 2 else f"{week.day}"))
    return labels


BAR_LABELS = {"day": _day_labels, "week": _week_labels, "month": _month_labels}


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
    highlight: pd.Timestamp | None,
    title: str,
    unit: str,
    fmt: Formatter,
    theme: ChartTheme,
    width_px: int = CHART_WIDTH_PX,
    annotations: Sequence[ChartAnnotation] = (),
    grain: str = "month",
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Bars of ``values`` (indexed by the first day of each ``grain``: ``day``, ``week`` or
    ``month``), the ``highlight`` bar in the brand colour and labelled with its value (no
    ``highlight``: every bar in the brand colour, the bars being the reported period's days or
    weeks). ``annotations`` mark dated events with numbered markers above their bar."""
    narrow = is_narrow(width_px)
    with theme.applied():
        figure = new_figure(0.54 if narrow else 0.36, width_px)
        axes = figure.add_subplot()
        colours = [theme.primary if highlight is None or at == highlight else theme.muted
                   for at in values.index]
        positions = range(len(values))
        axes.bar(positions, values.to_numpy(), color=colours, width=0.72)
        axes.set_xticks(list(positions), BAR_LABELS[grain](pd.DatetimeIndex(values.index), narrow))
        format_axis(axes, fmt, unit)
        set_title(axes, title, width_px)
        axes.grid(axis="x", visible=False)
        axes.margins(y=0.14)
        if highlight in values.index:
            at = list(values.index).index(highlight)
            axes.annotate(fmt.value(values.iloc[at], unit), (at, values.iloc[at]),
                          ha="right" if narrow else "center", va="bottom", xytext=(0, 3),
                          textcoords="offset points", fontweight="bold", color=theme.primary)
        _mark_events(axes, values, annotations, theme)
    return figure


def time_lines(
    series: Mapping[str, pd.Series],
    *,
    title: str,
    unit: str,
    fmt: Formatter,
    theme: ChartTheme,
    target: float | None = None,
    band: tuple[pd.Series, pd.Series] | None = None,
    band_label: str | None = None,
    width_px: int = CHART_WIDTH_PX,
) -> "matplotlib.figure.Figure":  # noqa: F821
    """Lines of date-indexed ``series`` (the first in the brand colour), an optional target
    line and an optional shaded ``band`` (lower, upper), e.g. a forecast interval, named
    ``band_label`` in the legend (default "Likely range")."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    narrow = is_narrow(width_px)
    with theme.applied():
        figure = new_figure(0.75 if narrow else 0.38, width_px)
        axes = figure.add_subplot()
        if band is not None:
            lower, upper = band
            axes.fill_between(lower.index, lower.to_numpy(), upper.to_numpy(),
                              color=theme.palette[0], alpha=0.15, linewidth=0,
                              label=band_label or _("Likely range"))
        for position, (label, values) in enumerate(series.items()):
            axes.plot(values.index, values.to_numpy(), label=label,
                      linewidth=2.4 if position == 0 else 1.6,
                      linestyle="-" if position == 0 else ("--", ":", "-.")[(position - 1) % 3])
        if target is not None:
            axes.axhline(target, color=MUTED_TEXT, linewidth=1.2, linestyle=(0, (4, 3)))
            axes.annotate(_("Target %(value)s", value=fmt.value(target, unit)), (1, target),
                          xycoords=("axes fraction", "data"), ha="right", va="bottom",
                          xytext=(0, 3), textcoords="offset points", color=MUTED_TEXT,
                          fontsize=SMALL_TEXT_PT)
        locator = AutoDateLocator(maxticks=4 if narrow else 8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator) if uses_strftime()
                                       else _date_ticks())
        format_axis(axes, fmt, unit)
        set_title(axes, title, width_px)
        if len(series) > 1 or band is not None:
            axes.legend(loc="upper left", fontsize=SMALL_TEXT_PT,
                        ncols=1 if narrow else min(len(series) + (band is not None), 4))
    return figure


def _date_ticks() -> "matplotlib.ticker.Formatter":  # noqa: F821
    """Date ticks with the report language's month names (``24 Okt.``), where matplotlib's
    concise formatter would write English ones."""
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: short_day_month(num2date(value)))


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
                      xytext=(0, 4 + 20 * level), textcoords="offset points", fontsize=SMALL_TEXT_PT,
                      fontweight="bold", color="white",
                      bbox={"boxstyle": "circle,pad=0.3", "fc": theme.accent, "ec": "none"})
    if stacked:
        axes.margins(y=0.08 + 0.07 * max(stacked.values()))
