"""Execute the master notebook for one client with papermill, in-process, in a fresh kernel.

papermill's own steps are used (parameter injection, its nbclient engine, its
error banner), but the master notebook is read once per process and the
executed notebook stays in hand when execution stops half-way, so a cell that
times out or a kernel that dies still leaves a partial notebook with a banner
saying where and why it stopped.

Cell time limits: a cell's own limit (metadata ``{"nbreport": {"timeout": 120}}``
or the tag ``timeout=120``) wins over the report's (``cell_timeout``).
"""

from __future__ import annotations

import copy
import functools
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from nbreport.core.errors import ReportError, ReportInterrupted, ReportTimeout, data_location
from nbreport.core.files import write_atomic
from nbreport.render.kernels import KernelWatch

log = logging.getLogger(__name__)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMEOUT_TAG = re.compile(r"^timeout=(\d+(?:\.\d+)?)$")


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    kernel_name: str,
    start_timeout: float,
    cell_timeout: float | None,
    kernels: KernelWatch | None = None,
    env: dict[str, str] | None = None,
    plain: bool = False,
) -> Any:
    """Run ``notebook`` with ``parameters`` injected; the executed notebook is written to ``output``.

    Parameters
    ----------
    kernels:
        Records the kernel process, so that another thread can kill it to stop the run
        (not on the plain path, whose kernel papermill starts out of reach).
    env:
        Environment variables the kernel gets on top of this process's.
    plain:
        Run through ``papermill.execute_notebook`` with papermill's own engine and kernel
        (see :mod:`nbreport.render.plain`), not on a kernel forked from the zygote.

    Raises
    ------
    ReportError
        With the failing cell's index, exception name and message; :class:`ReportTimeout`
        when a cell ran out of time, :class:`ReportInterrupted` when the kernel was killed
        through ``kernels``. The partial notebook, with an error banner, is still written
        to ``output``.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if plain:
        from nbreport.render.plain import execute_plain

        def run() -> Any:
            return execute_plain(notebook, output, parameters, cwd=cwd, kernel_name=kernel_name,
                                 start_timeout=start_timeout,
                                 timeout_func=cell_timeouts(cell_timeout), env=env)

        def partial() -> Any:  # papermill saved it when execution stopped
            return _read_notebook(output) if output.exists() else None
    else:
        nb = _parameterised(notebook, output, parameters, kernel_name)

        def run() -> Any:
            return _execute_fast(nb, notebook, output, cwd=cwd, kernel_name=kernel_name,
                                 start_timeout=start_timeout, cell_timeout=cell_timeout,
                                 kernels=kernels, env=env)

        def partial() -> Any:  # executed in place, as far as it went
            return nb
    try:
        return run()
    except PapermillExecutionError as exc:
        raise cell_error(exc.cell_index, exc.ename, exc.evalue, exc.traceback or []) from None
    except (CellTimeoutError, DeadKernelError, RuntimeError) as exc:
        stopped_nb = partial()
        error = _stopped(stopped_nb, exc, kernels, cell_timeout)
        if stopped_nb is not None:
            _save_with_banner(stopped_nb, output, error)
        raise error from None


def cell_error(cell_index: int | None, ename: str, evalue: str,
               traceback: list[str]) -> ReportError:
    """The error of a cell that raised in the kernel. A data error reads as ``nbreport validate``
    writes it (source, file, row, column: what is wrong), with its fields in ``location``; any
    other exception names its cell (``cell 4 raised ValueError: ...``)."""
    message = clean_message(evalue)
    location = data_location(traceback)
    where = _where(location or {})
    # another exception raised while handling a DataError shows the DataError's note too
    if ename == "DataError" or (where and message.startswith(where)):
        located = message if not where or message.startswith(where) else f"{where}: {message}"
        return ReportError(located, cell_index=cell_index, ename=ename, evalue=message,
                           location=location)
    return ReportError(f"cell {cell_index} raised {ename}: {message}", cell_index=cell_index,
                       ename=ename, evalue=message, location=location)


def _where(location: dict[str, Any]) -> str:
    """A DataError's location as its message begins: ``source 'ads', ads.csv, row 7, column 'Cost'``."""
    return ", ".join(part for part in (
        f"source '{location['source']}'" if "source" in location else "",
        str(location.get("path", "")),
        f"row {location['row']}" if "row" in location else "",
        f"column '{location['column']}'" if "column" in location else "") if part)


def _parameterised(notebook: Path, output: Path, parameters: dict[str, Any],
                   kernel_name: str) -> Any:
    """The master notebook (read once per process) with papermill's parameters cell and metadata."""
    from papermill.execute import prepare_notebook_metadata
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(copy.deepcopy(read_master(notebook)), parameters,
                               kernel_name=kernel_name)
    return prepare_notebook_metadata(nb, str(notebook), str(output))


def _execute_fast(nb: Any, notebook: Path, output: Path, *, cwd: Path, kernel_name: str,
                  start_timeout: float, cell_timeout: float | None,
                  kernels: KernelWatch | None, env: dict[str, str] | None) -> Any:
    """Execute ``nb`` in place with the :class:`~nbreport.speedups.engine.NbreportEngine`
    (a kernel forked from the zygote); write it to ``output``."""
    from papermill.execute import raise_for_execution_errors

    from nbreport.speedups.engine import engine_class

    engine_class().execute_notebook(
        nb, kernel_name, input_path=str(notebook), output_path=None, progress_bar=False,
        log_output=False, start_timeout=int(start_timeout),
        timeout_func=cell_timeouts(cell_timeout), resources={"metadata": {"path": str(cwd)}},
        kernel_watch=kernels, kernel_env=env)
    raise_for_execution_errors(nb, str(output))  # on error: banner, save, raise
    write_notebook(nb, output)
    return nb


def _read_notebook(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


@functools.lru_cache(maxsize=8)
def _read_master(path: str, mtime_ns: int) -> Any:
    from papermill.iorw import load_notebook_node

    return load_notebook_node(path)


def read_master(path: Path) -> Any:
    """The master notebook, read and validated once per process (again when the file changes)."""
    return _read_master(str(path), path.stat().st_mtime_ns)


def write_notebook(nb: Any, path: Path) -> None:
    import nbformat

    write_atomic(path, nbformat.writes(nb))


def cell_timeouts(default: float | None) -> Any:
    """nbclient's ``timeout_func``: the cell's own limit, else ``default`` (None: no limit)."""

    def timeout(cell: Any) -> float | None:
        return cell_timeout(cell) or default

    return timeout


def cell_timeout(cell: Any) -> float | None:
    """Seconds this cell may run, from its metadata or a ``timeout=SECONDS`` tag; None if unset."""
    value = cell.get("metadata", {}).get("nbreport", {}).get("timeout")
    if value is not None:
        return float(value)
    for tag in cell.get("metadata", {}).get("tags", []):
        if match := TIMEOUT_TAG.match(tag):
            return float(match[1])
    return None


def _stopped(nb: Any, exc: Exception, kernels: KernelWatch | None,
             default_timeout: float | None) -> ReportError:
    """The error for a run that stopped without a cell error: timeout, dead or killed kernel."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    index, cell = _last_started_cell(nb) if nb is not None else (None, None)
    where = f"cell {index} ({_first_line(cell)})" if cell is not None else "the kernel's start"
    if kernels is not None and kernels.killed:
        return ReportInterrupted(f"stopped at {where}: the run was interrupted",
                                 cell_index=index, ename="Interrupted")
    if isinstance(exc, CellTimeoutError):
        limit = (cell_timeout(cell) if cell is not None else None) or default_timeout
        return ReportTimeout(f"{where} did not finish within its {limit:g} s time limit",
                             cell_index=index, ename="CellTimeoutError",
                             evalue=f"timed out after {limit:g} s")
    if isinstance(exc, DeadKernelError):
        return ReportError(f"the kernel died while running {where}", cell_index=index,
                           ename="DeadKernelError", evalue=clean_message(str(exc)))
    return ReportError(f"{where}: {clean_message(str(exc))}", cell_index=index,
                       ename=type(exc).__name__, evalue=clean_message(str(exc)))


def _last_started_cell(nb: Any) -> tuple[int | None, Any]:
    started = [(i, cell) for i, cell in enumerate(nb.cells)
               if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return started[-1] if started else (None, None)


def _first_line(cell: Any) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")]
    text = lines[0].strip() if lines else cell.source.strip()[:60]
    return text if len(text) <= 60 else text[:57] + "..."


def _save_with_banner(nb: Any, output: Path, error: ReportError) -> None:
    """Write the partial notebook with papermill's error banner at the top and at the cell."""
    import nbformat
    from papermill.execute import ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_STYLE

    banner = nbformat.v4.new_markdown_cell(
        f'<span {ERROR_STYLE}>Execution stopped: {_escape(str(error))}. '
        f'<a href="#papermill-error-cell">Go to the cell</a>.</span>')
    anchor = nbformat.v4.new_markdown_cell(ERROR_ANCHOR_MSG)
    for cell in (banner, anchor):
        cell.metadata["tags"] = [ERROR_MARKER_TAG]
    if error.cell_index is not None:
        nb.cells.insert(error.cell_index, anchor)
    nb.cells.insert(0, banner)
    nb.metadata.setdefault("papermill", {})["end_time"] = datetime.now().astimezone().isoformat()
    write_notebook(nb, output)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stage_seconds(nb: Any, started: datetime) -> dict[str, float]:
    """Kernel start (from ``started`` to the first cell) and execution time, from papermill's
    per-cell timestamps."""
    times = [(cell.metadata["papermill"].get("start_time"), cell.metadata["papermill"].get("end_time"))
             for cell in nb.cells if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not times:
        return {}
    first = datetime.fromisoformat(times[0][0])
    last = datetime.fromisoformat(times[-1][1] or times[-1][0])
    return {"kernel_start": round(max((first - started).total_seconds(), 0.0), 3),
            "execute": round(max((last - first).total_seconds(), 0.0), 3)}


def clean_message(text: str) -> str:
    """An exception message without terminal colour codes."""
    return _ANSI.sub("", str(text)).strip()
