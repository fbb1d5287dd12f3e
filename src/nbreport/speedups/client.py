"""jupyter_client's kernel client, ready as soon as the kernel has replied.

Private API touched: ``KernelClient._async_wait_for_ready`` (overridden, and bound again to
``wait_for_ready``, which ``AsyncKernelClient`` binds to the base class's function),
``_handle_kernel_info_reply``, ``_async_is_alive`` and the ``_context_default`` trait default.
"""

from __future__ import annotations

import functools
import time
from queue import Empty
from typing import Any

_IOPUB_CONNECT_S = 0.5
# How soon a socket that found no kernel listening tries again (zmq waits 100 ms by default):
# the client connects right after the fork, before the new kernel has bound its sockets.
_RECONNECT_MS = 5


@functools.cache


def client_class() -> type:
    """The ready-on-reply kernel client class (jupyter_client is imported on first use)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import default

    class ReadyKernelClient(AsyncKernelClient):  # type: ignore[misc]
        """Knows the kernel is ready as soon as it has replied and IOPub is connected.

        jupyter_client's own wait ends with 0.2 s of IOPub silence: a fixed cost on every
        client's report. Here IOPub is known to be connected when it carries the idle status
        of our kernel_info request, or the kernel's ``iopub_welcome`` (sent to each new
        subscriber by kernels that follow JEP 65), whichever comes first. Its sockets retry
        a connection the kernel was not ready for yet within milliseconds.
        """

        @default("context")
        def _context_default(self) -> Any:
            return quick_reconnects(super()._context_default())

        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            request = self.kernel_info()
            while time.monotonic() < deadline:
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    if not await self._async_is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info") from None
                    continue  # the request waits in the socket's queue until the kernel reads it
                if reply["parent_header"].get("msg_id") != request:
                    continue  # the reply to an earlier request: ours is right behind it
                if await self._idle_after(request, _IOPUB_CONNECT_S):
                    self._handle_kernel_info_reply(reply)
                    return
                request = self.kernel_info()  # IOPub was not connected yet: ask again
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

        # AsyncKernelClient binds ``wait_for_ready`` to its base class's function, so an
        # override of ``_async_wait_for_ready`` alone is never called
        wait_for_ready = _async_wait_for_ready

        async def _idle_after(self, request: str, timeout: float) -> bool:
            """Whether IOPub shows it is connected within ``timeout`` seconds: the idle status
            of ``request`` or a welcome. A subscription that is not connected yet misses the
            status; without a welcome, the request is then sent again."""
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if message["msg_type"] == "iopub_welcome":
                    return True
                if (message["msg_type"] == "status"
                        and message["parent_header"].get("msg_id") == request
                        and message["content"].get("execution_state") == "idle"):
                    return True
            return False

    return ReadyKernelClient


def quick_reconnects(context: Any) -> Any:
    """``context``, whose new sockets retry a refused connection after a few milliseconds."""
    import zmq

    context.setsockopt(zmq.RECONNECT_IVL, _RECONNECT_MS)
    return context
