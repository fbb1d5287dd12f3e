"""Figures as embedded images: PNG at twice the display size, with alt text."""

from __future__ import annotations

import base64
import io

from markupsafe import escape

from nbreport.charts.theme import CHART_WIDTH_PX


def figure_to_png(figure: "matplotlib.figure.Figure") -> bytes:  # noqa: F821
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def figure_html(figure: "matplotlib.figure.Figure", alt: str, caption: str = "") -> str:  # noqa: F821
    """``<figure>`` with the chart as a data-URI PNG, its alt text and an optional caption."""
    png = figure_to_png(figure)
    width, height = figure.get_size_inches() * figure.dpi
    display_height = round(CHART_WIDTH_PX * height / width)
    data = base64.b64encode(png).decode("ascii")
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{escape(alt)}" '
            f'width="{CHART_WIDTH_PX}" height="{display_height}">{caption_html}</figure>')
