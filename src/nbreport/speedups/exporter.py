"""nbconvert's HTML exporter without its BeautifulSoup pass over the finished page.

That pass parses and re-serialises the whole page (half a megabyte of embedded charts) to
give images without alt text a default one and to make ``jp-`` cell wrappers focusable; the
nbreport template writes no such wrappers and gives every chart its alt text. It was most of
the export's time, paid by the run's own process for every client. Images that still lack
alt text get nbconvert's default here too (:func:`with_alt_text`).

The page is therefore the same document nbconvert's public ``HTMLExporter`` gives, without
the re-serialisation: ``str(BeautifulSoup(page, "html.parser"))`` of this page is, byte for
byte, what the plain path writes (``tests/test_plain_path.py``).

Private API touched: ``HTMLExporter._init_resources`` and ``_nb_metadata``; the filters
``HTMLExporter.from_notebook_node`` registers (``highlight_code``, ``filter_data_type``),
which :meth:`ReportExporter.from_notebook_node` registers the same way before calling
``TemplateExporter.from_notebook_node`` directly.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.I)
DEFAULT_ALT = "No description has been provided for this image"  # nbconvert's own words


@functools.cache
def report_exporter_class() -> type:
    """The exporter class (nbconvert is imported on first use)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):  # type: ignore[misc]
        """``HTMLExporter`` whose ``from_notebook_node`` skips the BeautifulSoup pass."""

        def from_notebook_node(self, nb: Any, resources: dict[str, Any] | None = None,
                               **kw: Any) -> tuple[str, dict[str, Any]]:
            resources = self._init_resources(resources)
            # the filters nbconvert's HTML exporter registers for each notebook
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="python",
                                                                  parent=self))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return with_alt_text(html), resources

    return ReportExporter


def with_alt_text(html: str) -> str:
    """``html`` with nbconvert's default alt text on every ``<img>`` that has none."""
    return _IMG_WITHOUT_ALT.sub(f'<img alt="{DEFAULT_ALT}"', html)
