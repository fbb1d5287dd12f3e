"""Fills, with made-up numbers, the caches a report fills on its first chart, page and workbook.

A process that has drawn one chart has loaded its fonts and measured its tick labels, and
has imported and readied what parses HTML and writes Excel; a process that has not pays for
that in its first report. A warm in-process pool pays it once per worker; a batch kernel, a
fresh process per client, would pay it for every client. The kernel zygote calls
:func:`warm_up` once, before it forks: every kernel then starts with those caches full.

No client's data is read or kept: the numbers are invented here, and nothing is written
anywhere but to memory.
"""

from __future__ import annotations

import io
import logging

import pandas as pd

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Draw the report's kinds of chart at every width, parse a page and write a workbook."""
    for step in (_draw_charts, _parse_html, _write_workbook):
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a warm-up must never stop a batch
            log.debug("warm-up step %s skipped: %s", step.__name__, exc)


def _draw_charts() -> None:
    from nbreport.charts.compare import ranked_bars
    from nbreport.charts.embed import figure_to_png
    from nbreport.charts.theme import (CHART_WIDTH_PX, HALF_CHART_WIDTH_PX, PHONE_CHART_WIDTH_PX,
                                       ChartTheme)
    from nbreport.charts.trend import monthly_bars, time_lines
    from nbreport.core.formatting import Formatter

    months = pd.date_range("2024-01-01", periods=13, freq="MS")
    monthly = pd.Series([1200.0 + 95 * i for i in range(13)], index=months)
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    daily = pd.Series([40.0 + (i % 7) for i in range(90)], index=days)
    ranked = pd.Series([5400.0, 3100.0, 900.0], index=["Search - Brand", "Social", "Display"])
    fmt, theme = Formatter(), ChartTheme()
    # each width has text sizes of its own (wide, phone, half): each fills caches of its own
    for width in (CHART_WIDTH_PX, PHONE_CHART_WIDTH_PX, HALF_CHART_WIDTH_PX):
        for figure in (
            monthly_bars(monthly, highlight=months[-1], title="Sessions", unit="count", fmt=fmt,
                         theme=theme, width_px=width),
            time_lines({"Revenue": daily}, title="Revenue", unit="currency", fmt=fmt, theme=theme,
                       target=45.0, width_px=width),
            ranked_bars(ranked, title="Spend", unit="percent", fmt=fmt, theme=theme, width_px=width),
        ):
            figure_to_png(figure)  # a plain Figure: nothing keeps it once drawn


def _parse_html() -> None:
    from bs4 import BeautifulSoup

    BeautifulSoup("<table><tr><th>a</th><td>1</td></tr></table>", "html.parser").select("table tr")


def _write_workbook() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.active.append(["a", 1.5])
    book.active.cell(row=1, column=1).font = Font(bold=True)
    book.active.cell(row=1, column=2).number_format = "#,##0.00"
    book.save(io.BytesIO())
