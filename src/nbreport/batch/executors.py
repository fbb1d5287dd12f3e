"""Where client reports run: in this process, in local worker processes, or on a Dask cluster.

All three take the same task (:func:`nbreport.batch.worker.run_task`) and give
back futures; the run that uses them does not care which it has.

- ``local``: worker threads in this process; each client's notebook runs in a kernel
  process of its own, forked from one pre-imported zygote (see :mod:`nbreport.render.kernels`).
- ``dask``: the tasks are submitted to a ``distributed`` cluster; the workers must see the
  project folder at the same path (a shared file system) and run the same nbreport.

Each executor has a stop signal that the workers watch: setting it kills the
kernels of running clients, which then come back as ``interrupted``.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from nbreport.batch.pipeline import Check, ClientTask
from nbreport.batch.worker import run_task, warm, warm_dask_worker
from nbreport.core.errors import ConfigError
from nbreport.settings import Settings

log = logging.getLogger(__name__)
EXECUTORS = ("local", "dask")
DASK_POLL_S = 0.05


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalExecutor:
    """``workers`` threads in this process, each driving one client's kernel at a time.

    The work of a report happens in its kernel, a process of its own forked from the zygote;
    a worker thread only drives it and exports the result. Threads share one warm process:
    papermill, nbconvert and the template are loaded once, and there is one zygote per run.
    """

    def __init__(self, settings: Settings, checks: tuple[Check, ...], workers: int,
                 stop: threading.Event | None = None) -> None:
        self.settings, self.checks, self.slots = settings, checks, workers
        self.description = f"{workers} worker{'s' * (workers != 1)} on this machine"
        self.stop = stop or threading.Event()  # the run's own flag: set, it stops the kernels
        warm(settings)
        self._pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="nbreport")

    def submit(self, task: ClientTask) -> concurrent.futures.Future[Any]:
        return self._pool.submit(run_task, task, self.settings, self.stop, self.checks)

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        done, _ = concurrent.futures.wait(list(futures), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def request_stop(self) -> None:
        self.stop.set()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The clients as tasks on a Dask ``distributed`` cluster (a new local one without address)."""

    def __init__(self, settings: Settings, checks: tuple[Check, ...], scheduler: str | None,
                 workers: int | None) -> None:
        try:
            from distributed import Client, Event, LocalCluster
        except ImportError:  # pragma: no cover - a dependency, unless someone removed it
            raise ConfigError("--executor dask needs the 'distributed' package: "
                              "pip install 'dask[distributed]'") from None
        self.settings, self.checks = settings, checks
        self._cluster = None
        if scheduler is None:
            import dask

            # one worker process, a thread per client; it may fork kernels from a zygote
            with dask.config.set({"distributed.worker.daemon": False}):
                self._cluster = LocalCluster(n_workers=1, processes=True, dashboard_address=None,
                                             threads_per_worker=workers or default_workers())
        try:
            self.client = Client(scheduler or self._cluster, set_as_default=False, timeout=15)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}; start "
                              "one with `dask scheduler` or check the address") from None
        threads = sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values())
        if not threads:
            self.close()
            raise ConfigError(f"the Dask scheduler at {scheduler} has no workers; start them "
                              f"with `dask worker {scheduler}`")
        self.slots = min(workers or threads, threads)
        self.description = f"Dask cluster at {self.client.scheduler.address} ({threads} threads)"
        self.stop = Event(f"nbreport-stop-{uuid.uuid4().hex}", client=self.client)
        self.client.run(warm_dask_worker, settings)

    def submit(self, task: ClientTask) -> Any:
        return self.client.submit(run_task, task, self.settings, self.stop, self.checks,
                                  key=f"nbreport-{task.client_id}-{uuid.uuid4().hex[:8]}",
                                  pure=False)

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        # distributed.wait() needs a default client; ours is not one, to leave the caller's alone.
        # A future's done() is a local check, so polling it costs nothing.
        pending, deadline = list(futures), time.monotonic() + timeout
        while not (done := {future for future in pending if future.done()}):
            if time.monotonic() >= deadline:
                break
            time.sleep(DASK_POLL_S)
        return done

    def request_stop(self) -> None:
        self.stop.set()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(settings: Settings, *, executor: str, workers: int | None,
                  scheduler: str | None, tasks: int, checks: tuple[Check, ...] = (),
                  stop: threading.Event | None = None) -> Any:
    """The executor for a run of ``tasks`` clients; ``stop`` is the run's own stop flag (used as
    is when the clients run in this process)."""
    if executor == "dask":
        return DaskExecutor(settings, checks, scheduler, workers)
    if executor != "local":
        raise ConfigError(f"unknown executor '{executor}'; choose one of {', '.join(EXECUTORS)}")
    if scheduler:
        raise ConfigError("--scheduler is for --executor dask")
    return LocalExecutor(settings, checks, max(min(workers or default_workers(), tasks), 1), stop)
