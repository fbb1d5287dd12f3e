"""One chart theme for every report: fonts, sizes, a colour-blind-safe palette, brand accents.

Figures are built as :class:`matplotlib.figure.Figure` objects, never through
``pyplot``'s global state, so a chart cannot leak into another cell or client.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

CHART_WIDTH_PX = 800  # CSS width of every chart in the report
PIXEL_DENSITY = 2  # rendered at twice the CSS size: sharp on retina screens and on paper
DPI = 100


@dataclass(frozen=True)
class ChartTheme:
    """Colours and fonts for one client's charts."""

    primary: str = OKABE_ITO[0]
    accent: str = OKABE_ITO[1]
    muted: str = "#9aa5b1"
    font_family: tuple[str, ...] = ("DejaVu Sans", "Arial", "sans-serif")

    @property
    def palette(self) -> list[str]:
        rest = [c for c in OKABE_ITO if c.lower() not in (self.primary.lower(), self.accent.lower())]
        return [self.primary, self.accent, *rest]

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        """Matplotlib/seaborn settings for the figures built inside the block."""
        import matplotlib as mpl
        import seaborn as sns

        style = sns.axes_style("whitegrid", {"grid.color": "#e6e9ed", "axes.edgecolor": "#c8ced6"})
        rc = {**style, **sns.plotting_context("notebook", font_scale=0.95),
              "font.family": installed_fonts(self.font_family),
              "axes.prop_cycle": mpl.cycler(color=self.palette),
              "axes.spines.top": False, "axes.spines.right": False, "axes.titleweight": "bold",
              "axes.titlesize": 13, "axes.titlelocation": "left", "figure.dpi": DPI,
              "savefig.dpi": DPI * PIXEL_DENSITY}
        with mpl.rc_context(rc):
            yield


def new_figure(height_ratio: float = 0.4) -> "matplotlib.figure.Figure":  # noqa: F821
    """A figure as wide as a report chart; ``height_ratio`` is height / width."""
    from matplotlib.figure import Figure

    width_in = CHART_WIDTH_PX / DPI
    return Figure(figsize=(width_in, width_in * height_ratio), layout="constrained")


@functools.cache
def installed_fonts(families: tuple[str, ...]) -> list[str]:
    """``families`` without the fonts this machine lacks: matplotlib would otherwise look each
    missing one up and log a warning for every piece of text (hundreds per chart)."""
    from matplotlib import font_manager

    generic = {"serif", "sans-serif", "cursive", "fantasy", "monospace"}
    names = {font.name for font in font_manager.fontManager.ttflist}
    return [family for family in families if family in generic or family in names] or ["sans-serif"]
