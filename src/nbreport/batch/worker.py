"""What a process that runs clients does: get ready once, then one client's report after another.

Getting ready means starting the kernel zygote first (it imports pandas,
matplotlib, seaborn, ipykernel and nbreport in a process of its own while this
one goes on, see :mod:`nbreport.speedups.zygote`), then importing papermill and
nbconvert, reading the master notebook and compiling the report template. A
local run does it once in its own process; a Dask worker on its first client. The plain
path (``settings.plain``) gets nothing ready: it pays what a plain papermill run pays.
"""

from __future__ import annotations

import logging
import threading

from nbreport.batch.pipeline import Check, ClientTask, StopToken, run_client
from nbreport.batch.results import ClientResult
from nbreport.settings import Settings

log = logging.getLogger(__name__)
_warmed: set[tuple[str, str]] = set()
_warm_lock = threading.Lock()


def warm(settings: Settings) -> None:
    """Do once per process (and project) what every client would otherwise pay for."""
    if settings.plain:
        return
    key = (str(settings.notebook), str(settings.templates_dir))
    with _warm_lock:
        if key in _warmed:
            return
        from nbreport.speedups.zygote import start_zygote

        start_zygote()
        from nbreport.render.execute import read_master

        read_master(settings.notebook)  # imports papermill, nbformat, nbclient
        _warm_exporter(settings)
        _warmed.add(key)


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


def run_task(task: ClientTask, settings: Settings, stop: StopToken | None = None,
             checks: tuple[Check, ...] = ()) -> ClientResult:
    """One client, in this process (what an executor submits)."""
    warm(settings)
    return run_client(task, settings, stop=stop, checks=checks)


def warm_dask_worker(settings: Settings) -> bool:
    """Run on every Dask worker before the clients: starts the zygote only (it returns at once)."""
    from nbreport.speedups.zygote import start_zygote

    return start_zygote()
