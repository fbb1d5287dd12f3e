"""jupyter_client's local provisioner, driving a kernel forked from the zygote.

Private API touched: ``LocalProvisioner``'s ``process``, ``pid`` and ``pgid`` fields, which
its ``wait`` and ``cleanup`` read (a :class:`~nbreport.speedups.zygote._ForkedProcess`
stands in for the ``Popen``), and the signatures of ``launch_kernel``, ``wait`` and
``cleanup``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
from typing import Any

from nbreport.render.kernels import KernelWatch
from nbreport.speedups.zygote import (
    _ForkedProcess,
    _kernel_main,
    _tail,
    is_forkable,
    start_zygote,
    zygote_log,
)

log = logging.getLogger(__name__)
REAP_POLL_S = 0.01  # a killed kernel is gone within milliseconds: look more often than 100 ms


@functools.cache


def provisioner_class() -> type:
    """The zygote provisioner class (jupyter_client is imported on first use)."""
    from jupyter_client.provisioning import LocalProvisioner

    class ZygoteProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Forks the kernel from the zygote when it can, else launches it as usual."""

        watch: KernelWatch | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            if is_forkable(cmd) and start_zygote():
                try:
                    self._fork(cmd, kwargs)
                except (OSError, EOFError) as exc:  # a broken zygote must not cost the report
                    log.warning("forking a kernel failed (%s; the zygote wrote: %s); starting it "
                                "the usual way", exc, _tail(zygote_log()))
                    await super().launch_kernel(cmd, **kwargs)
            else:
                await super().launch_kernel(cmd, **kwargs)
            self.pgid = self.pid
            if self.watch is not None:
                self.watch.add(self.pid)
            return self.connection_info

        def _fork(self, cmd: list[str], kwargs: dict[str, Any]) -> None:
            cwd = str(kwargs.get("cwd") or os.getcwd())
            env = {key: str(value) for key, value in (kwargs.get("env") or os.environ).items()}
            context = multiprocessing.get_context("forkserver")
            process = context.Process(target=_kernel_main, args=(list(cmd[3:]), cwd, env),
                                      name="nbreport-kernel")
            process.start()
            self.process = _ForkedProcess(process)
            self.pid = process.pid
            self.cwd = cwd

        async def wait(self) -> int | None:
            # a killed kernel is gone within milliseconds: look more often than every 100 ms
            while isinstance(self.process, _ForkedProcess) and self.process.poll() is None:
                await asyncio.sleep(REAP_POLL_S)
            return await super().wait()

        async def cleanup(self, restart: bool = False) -> None:
            if self.watch is not None and self.pid is not None:
                self.watch.discard(self.pid)
            await super().cleanup(restart=restart)

    return ZygoteProvisioner
