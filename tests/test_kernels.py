"""Kernels forked from the zygote, started the way the batch engine starts them, and the
papermill engine that puts the tricks together (``papermill --engine nbreport``)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import subprocess
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import nbformat
import pytest
import zmq

from nbreport.speedups.client import client_class
from nbreport.speedups.manager import kernel_manager_class

pytestmark = pytest.mark.kernel


def test_the_client_waits_for_its_own_sign_that_the_kernel_is_ready(tmp_path: Path) -> None:
    """jupyter_client's wait ends with 0.2 s of silence on IOPub; ours ends when the kernel has
    replied and IOPub is connected, and its sockets do not wait 100 ms to connect again.
    (AsyncKernelClient binds ``wait_for_ready`` to its own function, so the override must be
    bound again, or it is never called.)"""
    ready = client_class()
    assert ready.wait_for_ready is ready._async_wait_for_ready
    seen: list[str] = []

    async def run() -> str:
        manager = kernel_manager_class()(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        original = client._idle_after

        async def idle_after(request: str, timeout: float) -> bool:
            connected = await original(request, timeout)
            seen.append("connected" if connected else "not yet")
            return connected

        client._idle_after = idle_after
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("print(6 * 7)", timeout=30, output_hook=_keep)
            # a socket that connects before the new kernel listens retries within milliseconds,
            # not after zmq's default 100 ms (the client connects right after the fork)
            sockets = [client.shell_channel.socket, client.iopub_channel.socket,
                       manager._control_socket]
            retries = {socket.getsockopt(zmq.RECONNECT_IVL) for socket in sockets}
            return f'{reply["content"]["status"]}, retry after {retries} ms'

        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    assert _in_own_loop(run()) == "ok, retry after {5} ms"
    assert seen and seen[-1] == "connected"


def _keep(message: dict) -> None:
    pass


def _in_own_loop(coroutine: Coroutine[Any, Any, str]) -> str:
    """Run ``coroutine`` in an event loop of its own (another test may have one running here)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_papermill_runs_a_notebook_on_a_forked_kernel_with_engine_nbreport(tmp_path: Path) -> None:
    """``papermill --engine nbreport`` (the entry point in pyproject.toml): the notebook runs, its
    parameters injected, in a kernel that papermill did not start itself (its parent is the
    zygote) and that already had pandas imported."""
    source = tmp_path / "in.ipynb"
    parameters = nbformat.v4.new_code_cell("factor = 1")
    parameters.metadata["tags"] = ["parameters"]
    probe = nbformat.v4.new_code_cell(
        "import os, sys, json\n"
        "print(json.dumps({'ppid': os.getppid(), 'pandas': 'pandas' in sys.modules, "
        "'answer': 6 * factor}))")
    notebook = nbformat.v4.new_notebook(cells=[parameters, probe])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, source)
    papermill = subprocess.Popen(
        [str(Path(sys.executable).parent / "papermill"), "--engine", "nbreport", str(source),
         str(tmp_path / "out.ipynb"), "-p", "factor", "7", "--no-progress-bar"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = papermill.communicate(timeout=180)
    assert papermill.returncode == 0, err
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    seen = json.loads(executed.cells[-1].outputs[0]["text"])
    assert seen["answer"] == 42
    assert seen["ppid"] != papermill.pid  # forked by the zygote, not launched by papermill
    assert seen["pandas"] is True  # imported once by the zygote, before this kernel existed
