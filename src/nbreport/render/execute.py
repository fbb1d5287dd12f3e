"""Execute the master notebook for one client with papermill's Python API, in a real kernel."""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path
from typing import Any

from nbreport.errors import ReportError

log = logging.getLogger(__name__)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    kernel_name: str,
    start_timeout: float,
    cell_timeout: float | None,
) -> Any:
    """Run ``notebook`` with ``parameters`` injected; the executed notebook is written to ``output``.

    Raises
    ------
    ReportError
        With the failing cell's index, exception name and message. The partial
        notebook, with papermill's error banner, is still written to ``output``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel_name,
            cwd=str(cwd), progress_bar=False, log_output=False, start_timeout=int(start_timeout),
            execution_timeout=cell_timeout, request_save_on_cell_execute=False,
            kernel_manager_class=_ipc_kernel_manager())
    except PapermillExecutionError as exc:
        message = clean_message(exc.evalue)
        raise ReportError(f"cell {exc.cell_index} raised {exc.ename}: {message}",
                          cell_index=exc.cell_index, ename=exc.ename, evalue=message) from None


@functools.cache
def _ipc_kernel_manager() -> type:
    """A kernel manager talking to its kernel over Unix sockets: local only, no open TCP ports."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    class IpcKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

    return IpcKernelManager


def clean_message(text: str) -> str:
    """An exception message without terminal colour codes."""
    return _ANSI.sub("", str(text)).strip()
