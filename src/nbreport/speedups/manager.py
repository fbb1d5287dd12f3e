"""jupyter_client's async kernel manager: Unix sockets, quick reaping, kernels from the zygote.

Private API touched: ``AsyncKernelManager._async_wait`` (its poll interval),
``_async_pre_start_kernel`` (a provisioner set before it runs is kept) and the
``_context_default`` trait default; the ``transport``, ``ip``, ``connection_file``,
``client_factory`` and ``context`` traits.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from nbreport.render.kernels import KernelWatch, runtime_dir
from nbreport.speedups.client import client_class, quick_reconnects
from nbreport.speedups.provisioner import REAP_POLL_S, provisioner_class


def kernel_manager_class(watch: KernelWatch | None = None,
                         env: dict[str, str] | None = None) -> type:
    """An async kernel manager on Unix sockets whose kernels are forked from the zygote.

    ``watch`` records the kernel's process so that a stopped run can kill it; ``env`` is added
    to the kernel's environment (this process's environment is left alone).
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    zygote_provisioner = provisioner_class()

    class ReportKernelManager(AsyncKernelManager):  # type: ignore[misc]
        # Unix sockets: local only, no open TCP port; an absolute path so the kernel's own
        # working folder does not matter.
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

        @default("client_factory")
        def _ready_client(self) -> type:
            return client_class()

        @default("context")
        def _context_default(self) -> Any:  # its control socket, like the client's sockets
            return quick_reconnects(super()._context_default())

        @default("ip")
        def _socket_path(self) -> str:
            return str(runtime_dir() / f"kernel-{uuid.uuid4().hex[:12]}")

        @default("connection_file")
        def _connection_path(self) -> str:
            # beside its kernel's sockets and named after them, not a loose file in the
            # system's temporary folder
            return f"{self.ip}.json"

        async def _async_wait(self, pollinterval: float = REAP_POLL_S) -> None:
            # after a kill, jupyter_client checks every 100 ms whether the kernel is gone: it
            # is gone within milliseconds, and every report waits for it
            await super()._async_wait(pollinterval=REAP_POLL_S)

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = zygote_provisioner(kernel_id=self.kernel_id,
                                                     kernel_spec=self.kernel_spec, parent=self)
                self.provisioner.watch = watch
            if env:
                kw["env"] = {**kw.get("env", os.environ), **env}
            return await super()._async_pre_start_kernel(**kw)

    return ReportKernelManager
