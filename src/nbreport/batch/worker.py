"""What a worker process does: get ready once, then produce one client's report after another.

A worker imports papermill and nbconvert, compiles the report template and
reads the master notebook once, and starts the kernel zygote (see
:mod:`nbreport.render.kernels`) so that it imports in parallel. It never
handles Ctrl-C itself: the run that owns it decides and tells it through the
stop signal. If that run disappears, the worker kills its kernels and exits.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from nbreport.batch.pipeline import Check, ClientTask, StopToken, run_client
from nbreport.batch.results import ClientResult
from nbreport.settings import Settings

log = logging.getLogger(__name__)
PARENT_POLL_S = 1.0
# Optional modules other packages import for features a batch never uses, at a high start-up
# cost: jsonschema (under nbformat) builds an IRI grammar with rfc3987_syntax for ~2 s of CPU,
# for a format that notebook validation never checks. Worker processes skip them.
SKIPPED_OPTIONAL_MODULES = ("rfc3987_syntax",)

_stop: StopToken | None = None


def warm(settings: Settings) -> None:
    """Do once per process what every client would otherwise pay for."""
    from nbreport.render.kernels import start_zygote

    start_zygote()
    from papermill.engines import papermill_engines  # noqa: F401 - imports nbformat, nbclient

    from nbreport.render.execute import read_master

    read_master(settings.notebook)
    _warm_exporter(settings)


def _warm_exporter(settings: Settings) -> None:
    """Export a tiny notebook: compiles the template and nbconvert's filters (about a second)."""
    import nbformat

    from nbreport.render.export import export_html

    output = nbformat.v4.new_output("display_data", data={"text/html": "<p>warm-up</p>"})
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Warm-up"),
                                               nbformat.v4.new_code_cell("", outputs=[output])])
    try:
        export_html(notebook, {}, settings.templates_dir)
    except Exception:  # noqa: BLE001 - only a warm-up: the real export reports real problems
        log.debug("exporter warm-up failed", exc_info=True)


def init_local_worker(settings: Settings, stop: StopToken) -> None:
    """Initializer of a local worker process (``ProcessPoolExecutor``)."""
    global _stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run to handle
    for name in SKIPPED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] - None: "not installed"
    _stop = stop
    _exit_with_parent()
    warm(settings)


def run_task(task: ClientTask, settings: Settings, stop: StopToken | None = None,
             checks: tuple[Check, ...] = ()) -> ClientResult:
    """One client, in this worker (the stop signal defaults to the one the worker was given)."""
    return run_client(task, settings, stop=stop if stop is not None else _stop, checks=checks)


def _exit_with_parent() -> None:
    """Kill this worker's kernels and exit when the process that started it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        from nbreport.render.kernels import kill_all_kernels

        kill_all_kernels()
        os._exit(1)

    threading.Thread(target=watch, name="nbreport-parent-watch", daemon=True).start()


def warm_dask_worker(settings: Any) -> bool:
    """Run on every Dask worker before the clients: starts the zygote only (it returns at once)."""
    from nbreport.render.kernels import start_zygote

    return start_zygote()
