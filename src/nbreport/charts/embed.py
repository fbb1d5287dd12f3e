"""Figures as embedded images: PNG at twice the display size, palette-quantised, with alt text.

Charts are flat colours plus anti-aliased edges, so a 256-colour palette is visually
lossless for them and makes each PNG several times smaller than full colour: a report
with a dozen charts stays far below its size budget.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from markupsafe import escape

from nbreport.charts.theme import CHART_WIDTH_PX, DPI, PHONE_CHART_WIDTH_PX, PIXEL_DENSITY

PHONE_MEDIA = "(max-width: 40rem)"  # screens narrower than this show the phone version

PALETTE_COLOURS = 256


def figure_to_png(figure: "matplotlib.figure.Figure", *, quantise: bool = True) -> bytes:  # noqa: F821
    """The figure as PNG bytes at the theme's resolution; palette-quantised unless told not to."""
    buffer = io.BytesIO()
    # the resolution is set here, not by the theme's rc settings, which apply only while
    # a chart is built
    figure.savefig(buffer, format="png", dpi=DPI * PIXEL_DENSITY, metadata={"Software": None})
    return quantise_png(buffer.getvalue()) if quantise else buffer.getvalue()


def quantise_png(png: bytes, colours: int = PALETTE_COLOURS) -> bytes:
    """``png`` with at most ``colours`` colours (an indexed PNG), same pixel size."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        indexed = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    indexed.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def figure_html(figure: "matplotlib.figure.Figure", alt: str, caption: str = "",  # noqa: F821
                phone: "matplotlib.figure.Figure | None" = None) -> str:  # noqa: F821
    """``<figure class="chart">`` with the chart as a data-URI PNG, its alt text and an
    optional caption; ``phone``, the same chart built for a phone's width, is shown instead
    on narrow screens.

    Raises
    ------
    ValueError
        When ``alt`` is empty: every chart needs a text alternative that says what it shows.
    """
    if not alt.strip():
        raise ValueError("a chart needs alt text that says what it shows (e.g. the trend and "
                         "the latest value)")
    image = _img(figure, f' alt="{escape(alt)}"')
    if phone is not None:
        image = (f'<picture><source media="{PHONE_MEDIA}" {_img(phone, "", source=True)}>'
                 f'{image}</picture>')
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{image}{caption_html}</figure>'


def chart_html(build: Callable[..., "matplotlib.figure.Figure"], alt: str,  # noqa: F821
               caption: str = "") -> str:
    """Build a chart for wide screens and paper and again for phones, and embed both.

    ``build(width_px=...)`` returns the figure for a width, e.g.
    ``functools.partial(monthly_bars, values, title=..., unit=..., fmt=..., theme=...)``.
    """
    return figure_html(build(width_px=CHART_WIDTH_PX), alt, caption,
                       phone=build(width_px=PHONE_CHART_WIDTH_PX))


def _img(figure: "matplotlib.figure.Figure", alt_attribute: str, *, source: bool = False) -> str:  # noqa: F821
    """``<img src=...>`` (or a ``<source srcset=...>``'s attributes) with the CSS size."""
    data = base64.b64encode(figure_to_png(figure)).decode("ascii")
    width_in, height_in = figure.get_size_inches()
    width, height = round(width_in * figure.dpi), round(height_in * figure.dpi)
    if source:
        return f'srcset="data:image/png;base64,{data}" width="{width}" height="{height}"'
    return f'<img src="data:image/png;base64,{data}"{alt_attribute} width="{width}" height="{height}">'
