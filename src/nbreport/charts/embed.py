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

from nbreport.charts.chart_cache import cached_chart
from nbreport.charts.theme import (CHART_WIDTH_PX, DPI, HALF_CHART_WIDTH_PX, PHONE_CHART_WIDTH_PX,
                                   PIXEL_DENSITY)

# screens narrower than this show the phone version; from here the wide version is shown at
# 79% of its width or more, so its smallest text (theme.SMALL_TEXT_PT) stays above 11 px
PHONE_MEDIA = "(max-width: 45rem)"
# from here the report sets charts two abreast (summary.css, .nbr-charts): each is shown about
# 390-460 px wide, so a version built for HALF_CHART_WIDTH_PX keeps its text above 11 px
TWO_ABREAST_MEDIA = "(min-width: 60rem)"

PALETTE_COLOURS = 256
EXACT_PALETTE_UP_TO = 4096  # distinct colours a chart may have for its palette to be chosen exactly
PNG_COMPRESS_LEVEL = 6  # zlib's default: a few percent larger than level 9, several times faster


def figure_to_png(figure: "matplotlib.figure.Figure", *, quantise: bool = True) -> bytes:  # noqa: F821
    """The figure as PNG bytes at the theme's resolution; palette-quantised unless told not to."""
    from PIL import Image

    pixels = render_rgba(figure)
    image = indexed_image(pixels) if quantise else Image.fromarray(pixels).convert("RGB")
    return _png_bytes(image)


def render_rgba(figure: "matplotlib.figure.Figure") -> "np.ndarray":  # noqa: F821
    """The figure drawn once at the theme's resolution: RGBA pixels (height, width, 4).

    One draw, in which the figure's layout engine places the axes; ``savefig`` would lay
    the figure out and draw it twice, then encode a PNG only to have it decoded again.
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    _place_empty_axis_labels(figure)
    css_dpi = figure.dpi
    # the resolution is set here, not by the theme's rc settings, which apply only while
    # a chart is built
    figure.set_dpi(DPI * PIXEL_DENSITY)
    try:
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        return np.array(canvas.buffer_rgba())
    finally:
        figure.set_dpi(css_dpi)


def quantise_png(png: bytes, colours: int = PALETTE_COLOURS) -> bytes:
    """``png`` with at most ``colours`` colours (an indexed PNG), same pixel size."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGBA"))
    return _png_bytes(indexed_image(pixels, colours))


def indexed_image(pixels: "np.ndarray", colours: int = PALETTE_COLOURS) -> "PIL.Image.Image":  # noqa: F821
    """RGBA ``pixels`` (on white where they are not opaque) as a palette image of at most
    ``colours`` colours.

    A chart is a few flat colours plus anti-aliased edges: its most frequent colours
    become the palette exactly (brand colours stay true), and each rarer edge colour
    takes the nearest of them. Images with many more colours go through Pillow's
    median cut.
    """
    import numpy as np
    from PIL import Image

    opaque = _on_white(pixels)
    codes = opaque.view("<u4")[..., 0] & 0xFFFFFF  # one 24-bit code per pixel: 0xBBGGRR
    found, counts = np.unique(codes, return_counts=True)
    if len(found) > EXACT_PALETTE_UP_TO:
        return Image.fromarray(opaque[..., :3]).quantize(
            colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    by_frequency = found[np.argsort(counts, kind="stable")[::-1]]
    palette = _channels(by_frequency[:colours])
    nearest = np.arange(len(by_frequency))
    if len(by_frequency) > colours:
        rarer = _channels(by_frequency[colours:])
        # squared distances |a - b|^2 = |a|^2 - 2 a.b + |b|^2, exact in integers
        distance = ((rarer ** 2).sum(axis=1)[:, None] - 2 * rarer @ palette.T
                    + (palette ** 2).sum(axis=1)[None, :])
        nearest[colours:] = distance.argmin(axis=1)
    lookup = np.zeros(1 << 24, dtype=np.uint8)  # colour code -> palette index
    lookup[by_frequency] = nearest
    image = Image.fromarray(lookup[codes], mode="P")
    image.putpalette(palette.astype(np.uint8).tobytes())
    return image


def _on_white(pixels: "np.ndarray") -> "np.ndarray":  # noqa: F821
    """RGBA ``pixels`` (height, width, 4) made opaque on white; charts are opaque already."""
    import numpy as np

    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    alpha = pixels[..., 3:4]
    if alpha.min() == 255:
        return pixels
    share = alpha.astype(np.float32) / 255
    rgb = np.rint(pixels[..., :3] * share + 255 * (1 - share)).astype(np.uint8)
    return np.concatenate([rgb, np.full_like(alpha, 255)], axis=2)


def _channels(codes: "np.ndarray") -> "np.ndarray":  # noqa: F821
    """(n, 3) red, green, blue of 24-bit colour codes (0xBBGGRR)."""
    import numpy as np

    return np.stack([codes & 0xFF, codes >> 8 & 0xFF, codes >> 16 & 0xFF], axis=1).astype(np.int64)


def _png_bytes(image: "PIL.Image.Image") -> bytes:  # noqa: F821
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _place_empty_axis_labels(figure: "matplotlib.figure.Figure") -> None:  # noqa: F821
    """Pin the position of axis labels without text (the theme's charts have none), so that
    matplotlib does not measure every tick label again to place them on each draw."""
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            if not axis.label.get_text():
                axis.set_label_coords(0.5, 0.5)  # anywhere: nothing is drawn


def figure_html(figure: "matplotlib.figure.Figure", alt: str, caption: str = "",  # noqa: F821
                phone: "matplotlib.figure.Figure | None" = None,  # noqa: F821
                half: "matplotlib.figure.Figure | None" = None) -> str:  # noqa: F821
    """``<figure class="chart">`` with the chart as a data-URI PNG, its alt text and an
    optional caption; ``phone``, the same chart built for a phone's width, is shown instead
    on narrow screens, and ``half``, built for half the width, where charts stand two abreast.

    Raises
    ------
    ValueError
        When ``alt`` is empty: every chart needs a text alternative that says what it shows.
    """
    if not alt.strip():
        raise ValueError("a chart needs alt text that says what it shows (e.g. the trend and "
                         "the latest value)")
    image = _img(figure, f' alt="{escape(alt)}"')
    sources = "".join(f'<source media="{media}" {_img(variant, "", source=True)}>'
                      for media, variant in ((PHONE_MEDIA, phone), (TWO_ABREAST_MEDIA, half))
                      if variant is not None)
    if sources:
        image = f"<picture>{sources}{image}</picture>"
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{image}{caption_html}</figure>'


def chart_html(build: Callable[..., "matplotlib.figure.Figure"], alt: str,  # noqa: F821
               caption: str = "") -> str:
    """Build a chart for paper and mid-width screens, again for phones and for half a wide
    screen (charts two abreast), and embed all three.

    ``build(width_px=...)`` returns the figure for a width, e.g.
    ``functools.partial(monthly_bars, values, title=..., unit=..., fmt=..., theme=...)``.
    A chart drawn before from the same arguments comes from the project's compute cache
    (:mod:`nbreport.charts.chart_cache`).
    """
    return cached_chart(build, lambda: figure_html(build(width_px=CHART_WIDTH_PX), alt, caption,
                                                   phone=build(width_px=PHONE_CHART_WIDTH_PX),
                                                   half=build(width_px=HALF_CHART_WIDTH_PX)),
                        alt, caption)


def smallest_text_px(figure: "matplotlib.figure.Figure") -> float:  # noqa: F821
    """The font size, in CSS pixels at the figure's drawn width, of its smallest visible
    text (tick labels, legend, annotations, title): what a browser test scales by the width
    the chart is shown at to check it stays readable."""
    from matplotlib.text import Text

    sizes = [text.get_fontsize() for text in figure.findobj(Text)
             if text.get_visible() and text.get_text().strip()]
    return round(min(sizes) * figure.dpi / 72, 2) if sizes else 0.0


def _img(figure: "matplotlib.figure.Figure", alt_attribute: str, *, source: bool = False) -> str:  # noqa: F821
    """``<img src=...>`` (or a ``<source srcset=...>``'s attributes) with the CSS size and
    the smallest text's size (``data-text-px``)."""
    data = base64.b64encode(figure_to_png(figure)).decode("ascii")
    width_in, height_in = figure.get_size_inches()
    width, height = round(width_in * figure.dpi), round(height_in * figure.dpi)
    sizes = f'width="{width}" height="{height}" data-text-px="{smallest_text_px(figure)}"'
    if source:
        return f'srcset="data:image/png;base64,{data}" {sizes}'
    return f'<img src="data:image/png;base64,{data}"{alt_attribute} {sizes}>'
