"""Kernels forked from the zygote, started the way the batch engine starts them."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
import zmq

from nbreport.render import kernels

pytestmark = pytest.mark.kernel


def test_the_client_waits_for_its_own_sign_that_the_kernel_is_ready(tmp_path: Path) -> None:
    """jupyter_client's wait ends with 0.2 s of silence on IOPub; ours ends when the kernel has
    replied and IOPub is connected, and its sockets do not wait 100 ms to connect again.
    (AsyncKernelClient binds ``wait_for_ready`` to its own function, so the override must be
    bound again, or it is never called.)"""
    client_class = kernels._client_class()
    assert client_class.wait_for_ready is client_class._async_wait_for_ready
    seen: list[str] = []

    async def run() -> str:
        manager = kernels.kernel_manager_class()(kernel_name="python3")
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
