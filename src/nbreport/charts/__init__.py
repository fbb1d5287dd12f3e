"""Chart builders: each returns a matplotlib Figure; one theme; never ``plt.show()``."""

from nbreport.charts.embed import chart_html, figure_html, figure_to_png, quantise_png
from nbreport.charts.theme import OKABE_ITO, ChartTheme, new_figure

__all__ = ["OKABE_ITO", "ChartTheme", "chart_html", "figure_html", "figure_to_png", "new_figure", "quantise_png"]
