"""Charts kept in the project's compute cache: a re-run after a commentary edit draws none.

Drawing a chart three times (paper, phone, half a wide screen) and encoding its PNGs is the
costliest part of a report after its sources and forecasts. A chart's HTML is a pure
function of what its builder is given (the ``functools.partial`` handed to
:func:`nbreport.charts.embed.chart_html`: values, title, theme, formatter), its alt text and
caption, the language in use and its catalogue (legend words, month names), the chart code
and the drawing libraries. The entry's name is a digest of all of them (the builder's arguments pickled),
so a hit is the very HTML a draw would give. A builder whose arguments cannot be pickled
(a lambda) is simply drawn.

The cache in use is set once per report by :func:`nbreport.report.context.open_report`
(:func:`use_chart_cache`); without one every chart is drawn.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from nbreport.core.code_digest import code_digest
from nbreport.core.compute_cache import ComputeCache, cache_key, library_versions
from nbreport.i18n import current_language
from nbreport.i18n.catalogues import language_fingerprint

log = logging.getLogger(__name__)

KIND = "charts"
SUFFIX = ".html"
EMBED_MODULE = "nbreport.charts.embed"  # its import closure: drawing, encoding, the theme
CHART_LIBRARIES = ("matplotlib", "pillow", "numpy", "pandas")

_CACHE: ContextVar[ComputeCache | None] = ContextVar("nbreport_chart_cache", default=None)


def use_chart_cache(cache: ComputeCache | None) -> None:
    """Keep the charts drawn from now on in ``cache`` (``None``: draw every chart)."""
    _CACHE.set(cache)


def cached_chart(build: Callable[..., Any], draw: Callable[[], str], *texts: str) -> str:
    """The cached HTML of the chart ``build`` makes (with ``texts``: its alt text and
    caption), or ``draw()`` itself, then stored."""
    cache = _CACHE.get()
    key = chart_key(build, texts) if cache is not None else None
    if cache is None or key is None:
        return draw()
    stored = cache.read(KIND, key, SUFFIX)
    if stored is not None:
        try:
            return stored.decode("utf-8")
        except UnicodeDecodeError:
            log.info("compute cache: undecodable chart %s, drawing again", key[:12])
    html = draw()
    cache.write(KIND, key, SUFFIX, html.encode("utf-8"))
    return html


def chart_key(build: Callable[..., Any], texts: tuple[str, ...]) -> str | None:
    """The digest of everything the chart's HTML depends on; ``None`` when its arguments
    cannot be pickled (nothing to key it by)."""
    function = getattr(build, "func", build)
    try:
        arguments = pickle.dumps((getattr(build, "args", ()), getattr(build, "keywords", {}), texts),
                                 protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return cache_key(KIND, code_digest(EMBED_MODULE), code_digest(function.__module__),
                     f"{function.__module__}.{function.__qualname__}",
                     library_versions(*CHART_LIBRARIES),
                     language_fingerprint(current_language()), arguments)
