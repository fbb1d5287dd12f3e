"""One chart theme for every report: fonts, sizes, a colour-blind-safe palette, brand accents.

Figures are built as :class:`matplotlib.figure.Figure` objects, never through
``pyplot``'s global state, so a chart cannot leak into another cell or client.

The palette starts with the brand's primary and accent colours and continues with the
Okabe & Ito palette; a colour joins only when it stays distinguishable from every colour
before it, for normal vision and for protanopia, deuteranopia and tritanopia. Without
brand colours the palette is Okabe & Ito, which is colour-blind-safe by design.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from nbreport.charts.colours import distinguishable, normalise_hex

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MIN_DELTA_E = 15.0  # the closest pair of Okabe & Ito colours under simulated deficiencies is ~16

CHART_WIDTH_PX = 800  # CSS width of every chart in the report
PHONE_CHART_WIDTH_PX = 400  # CSS width of the version phones show (builders adapt their layout)
HALF_CHART_WIDTH_PX = 480  # CSS width of the version shown two abreast on wide screens
NARROW_BELOW_PX = 600
TITLE_CHAR_PX = 13  # average width of a title character at the theme's title size
AXIS_LABELS_PX = 90  # the figure's width left of the axes: tick labels and their margin
SMALL_TEXT_PT = 10.5  # the smallest text of any chart (legends, value labels): 14.6 CSS px, so
# that a chart shown down to 76% of its drawn width (a phone's or tablet's column) reads at 11 px
PIXEL_DENSITY = 2  # rendered at twice the CSS size: sharp on retina screens and on paper
DPI = 100
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib, so a chart always has its glyphs
INK = "#1d2733"
MUTED_TEXT = "#4a5563"
GRID = "#e6e9ed"


@dataclass(frozen=True)
class ChartTheme:
    """Colours and fonts for one client's charts.

    Attributes
    ----------
    primary, accent:
        Brand colours (``#rgb`` or ``#rrggbb``): the main series and the highlight.
    muted:
        Context bars and lines (earlier months, other campaigns).
    font_family:
        Font names in order of preference; the first one installed is used.
    """

    primary: str = OKABE_ITO[0]
    accent: str = OKABE_ITO[1]
    muted: str = "#9aa5b1"
    font_family: tuple[str, ...] = (FALLBACK_FONT,)

    @classmethod
    def from_branding(cls, primary: str, accent: str, font_stack: str) -> ChartTheme:
        """The theme for a params ``branding`` block (its CSS font stack included)."""
        return cls(primary=normalise_hex(primary), accent=normalise_hex(accent),
                   font_family=installed_fonts(font_stack))

    @property
    def palette(self) -> list[str]:
        """Series colours: brand first, then Okabe & Ito, each distinguishable from the others."""
        return _palette(self.primary, self.accent)

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        """Matplotlib/seaborn settings for the figures built inside the block."""
        import matplotlib as mpl
        import seaborn as sns

        style = sns.axes_style("whitegrid", {"grid.color": GRID, "axes.edgecolor": "#c8ced6"})
        rc = {**style, **sns.plotting_context("notebook", font_scale=0.95),
              "font.family": "sans-serif", "font.sans-serif": [*self.font_family, FALLBACK_FONT],
              "axes.prop_cycle": mpl.cycler(color=self.palette),
              "axes.spines.top": False, "axes.spines.right": False, "axes.titleweight": "bold",
              "axes.titlesize": 13, "axes.titlelocation": "left", "axes.titlepad": 12,
              # a fixed title position: left automatic, matplotlib measures every tick label
              # on each draw to lift the title over top ticks these charts never have
              "axes.titley": 1.0,
              "xtick.labelsize": SMALL_TEXT_PT, "ytick.labelsize": SMALL_TEXT_PT,
              "legend.fontsize": SMALL_TEXT_PT,
              "axes.labelcolor": MUTED_TEXT, "text.color": INK,
              "xtick.color": MUTED_TEXT, "ytick.color": MUTED_TEXT,
              "legend.frameon": False, "figure.facecolor": "white",
              "figure.dpi": DPI, "savefig.dpi": DPI * PIXEL_DENSITY, "savefig.facecolor": "white"}
        with mpl.rc_context(rc):
            yield


@functools.cache
def _palette(primary: str, accent: str) -> list[str]:
    chosen: list[str] = []
    for colour in (primary, accent, *OKABE_ITO):
        colour = normalise_hex(colour)
        if all(distinguishable(colour, other, MIN_DELTA_E) for other in chosen):
            chosen.append(colour)
    return chosen


@functools.cache
def installed_fonts(font_stack: str) -> tuple[str, ...]:
    """The fonts of a CSS font stack that matplotlib has, in order; the fallback when none.

    CSS generic names (``sans-serif``, ``system-ui``...) are skipped: matplotlib's own
    sans-serif font stands in for them.
    """
    from matplotlib import font_manager

    available = {font.name.lower(): font.name for font in font_manager.fontManager.ttflist}
    names = (re.sub(r"^['\"]|['\"]$", "", part.strip()) for part in font_stack.split(","))
    found = tuple(available[name.lower()] for name in names if name.lower() in available)
    return found or (FALLBACK_FONT,)


def is_narrow(width_px: int) -> bool:
    """True for the phone version of a chart: builders show fewer labels, wrap titles."""
    return width_px < NARROW_BELOW_PX


def height_ratio(width_px: int, *, wide: float, half: float, phone: float) -> float:
    """A chart's height / width for the width it is drawn at: a phone's column needs the
    tallest shape (wrapped title, legend in rows), half a wide screen less, a full width least."""
    if not is_narrow(width_px):
        return wide
    return half if width_px >= HALF_CHART_WIDTH_PX else phone


def new_figure(height_ratio: float = 0.4, width_px: int = CHART_WIDTH_PX) -> "matplotlib.figure.Figure":  # noqa: F821
    """A figure ``width_px`` CSS pixels wide; ``height_ratio`` is height / width."""
    from matplotlib.figure import Figure

    width_in = width_px / DPI
    return Figure(figsize=(width_in, width_in * height_ratio), layout="constrained")


def set_title(axes: "matplotlib.axes.Axes", title: str, width_px: int) -> None:  # noqa: F821
    """The chart's title (it states the finding), wrapped to the chart's width."""
    import textwrap

    # the title is centred over the axes, which the tick labels leave narrower than the figure
    axes.set_title(textwrap.fill(title, width=max((width_px - AXIS_LABELS_PX) // TITLE_CHAR_PX, 20)))
