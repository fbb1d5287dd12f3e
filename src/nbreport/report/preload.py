"""Importing this module readies a process to compute reports (for warm batch kernels).

A report imports some modules only when a cell first needs them (prophet's holiday
calendars and its Stan backend, the commentary's Markdown, Pillow's PNG writer...)
and compiles each Jinja template of its sections on first use. In a kernel that
runs one client, each of those costs that client. The batch engine imports
modules in a parent process before it forks the kernels; with this module among
them, every kernel starts with that work done, and shares its memory pages.

Unlike the rest of the library, this module does its work when imported: that is
its purpose. It reads nothing of any client and writes nothing (it reads nbreport's own
source files, for the digests that name the compute cache's entries).
"""

from __future__ import annotations

import importlib
import logging

log = logging.getLogger(__name__)

# What a report run imports on first use, beyond nbreport.report and its sections
# (found with ``make bench-report``, which lists the modules a run still imports).
MODULES = (
    "nbreport.report.summary",  # the run summary (nbreport.report loads its names on first use)
    "nbreport.commentary.compose",  # the analyst's commentary
    "mistune",  # its Markdown
    "nbreport.forecast.engine",
    "prophet.models",  # the Stan backend
    "cmdstanpy",
    "prophet.make_holidays",
    "holidays.countries",  # every country's calendar: imported whole on first use
    "pyarrow.csv",
    "pyarrow.acero",  # Table.group_by in the data checks
    "PIL.PngImagePlugin",
    "python_calamine",  # Excel exports
    "pandas.io.excel._calamine",
    "bs4",  # the data pack reads the report's tables from its HTML
    "openpyxl",  # and writes them to a workbook
)


def preload() -> list[str]:
    """Import :data:`MODULES` and compile the report's templates; returns what was loaded.

    A module that is not installed (prophet is optional) is skipped.
    """
    from nbreport.report.fragment import _environment
    from nbreport.report.warmup import warm_up

    loaded = []
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            log.debug("not preloaded: %s (%s)", name, exc)
            continue
        loaded.append(name)
    environment = _environment()
    for template in environment.list_templates():
        environment.get_template(template)
    _cache_keys_ready()
    warm_up()  # then every kernel forked from here starts with the first chart's caches full
    return loaded


def _cache_keys_ready() -> None:
    """Digest the code and versions behind the compute cache's entries once, here: each kernel
    then names its entries after the code it was forked with (and saves the reading)."""
    from nbreport.charts.chart_cache import CHART_LIBRARIES, EMBED_MODULE
    from nbreport.core.code_digest import code_digest
    from nbreport.core.compute_cache import library_versions
    from nbreport.forecast.fit_cache import FIT_LIBRARIES, FIT_MODULE
    from nbreport.sources.parse_cache import PARSE_LIBRARIES, PARSE_MODULE

    for module, libraries in ((FIT_MODULE, FIT_LIBRARIES), (PARSE_MODULE, PARSE_LIBRARIES),
                              (EMBED_MODULE, CHART_LIBRARIES)):
        code_digest(module)
        library_versions(*libraries)
    for builder in ("nbreport.charts.trend", "nbreport.charts.forecast", "nbreport.charts.compare"):
        code_digest(builder)  # the chart builders the report's sections use


preload()
