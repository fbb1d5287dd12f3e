"""The plain path: papermill's ``execute_notebook`` and nbconvert's public ``HTMLExporter``.

``nbreport run --plain`` (or ``NBREPORT_PLAIN=1``) produces every report without any of the
speed tricks of :mod:`nbreport.speedups`: each client's notebook runs through
``papermill.execute_notebook`` with papermill's own engine on a kernel papermill starts the
usual way, and is exported by nbconvert's public ``HTMLExporter`` with the project's template
(:func:`nbreport.render.export.export_html`, as on the fast path). It is what to fall back on
when a new version of jupyter_client, nbconvert or prophet breaks a trick, and the reference
the fast path is held to: ``tests/test_plain_path.py`` runs a client both ways and compares
the reports.

papermill changes this process's working folder while a notebook runs and the kernel
inherits this process's environment, so the plain path runs one client per process at a time
(:class:`nbreport.batch.executors.PlainExecutor`: worker processes, not threads).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def execute_plain(notebook: Path, output: Path, parameters: dict[str, Any], *, cwd: Path,
                  kernel_name: str, start_timeout: float,
                  timeout_func: Callable[[Any], float | None],
                  env: dict[str, str] | None = None) -> Any:
    """``papermill.execute_notebook`` in ``cwd``, the kernel getting ``env`` on top of this
    process's environment; returns the executed notebook (also written to ``output``).

    Raises what papermill raises: ``PapermillExecutionError`` for a cell that raised (the
    notebook, with papermill's banner, is saved to ``output``), nbclient's
    ``CellTimeoutError`` or ``DeadKernelError`` (the partial notebook is saved to ``output``).
    """
    import papermill

    with _environment(env or {}):
        return papermill.execute_notebook(
            str(notebook), str(output), parameters, kernel_name=kernel_name, cwd=str(cwd),
            progress_bar=False, start_timeout=int(start_timeout),
            timeout_func=timeout_func)  # nbclient's own option: a limit per cell


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    """This process's environment with ``changes`` while the block runs (the kernel that
    papermill starts inherits it). Python's temporary folder, which it works out once from
    ``TMPDIR`` and keeps, is put back too: the next client's folder is another."""
    saved = {name: os.environ.get(name) for name in changes}
    saved_tempdir = tempfile.tempdir
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        tempfile.tempdir = saved_tempdir
