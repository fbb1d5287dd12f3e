"""Where client reports run: in this process, in local worker processes, or on a Dask cluster.

All three take the same task (:func:`nbreport.batch.worker.run_task`) and give
back futures; the run that uses them does not care which it has.

- ``inline``: one client after another in this process (one worker, or one client).
- ``local``: a ``concurrent.futures.ProcessPoolExecutor`` of worker processes, each warmed
  once (see :mod:`nbreport.batch.worker`).
- ``dask``: the tasks are submitted to a ``distributed`` cluster; the workers must see the
  project folder at the same path (a shared file system) and run the same nbreport.

Each executor has a stop signal that the workers watch: setting it kills the
kernels of running clients, which then come back as ``interrupted``.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from nbreport.batch.pipeline import Check, ClientTask
from nbreport.batch.worker import init_local_worker, run_task, warm, warm_dask_worker
from nbreport.errors import ConfigError
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


class InlineExecutor:
    """Runs each client in this process when it is submitted."""

    def __init__(self, settings: Settings, checks: tuple[Check, ...],
                 stop: threading.Event | None = None) -> None:
        self.settings, self.checks = settings, checks
        self.stop = stop or threading.Event()  # set by the run's signal handler: stops at once
        self.slots = 1
        self.description = "in this process"
        self._warm = False

    def submit(self, task: ClientTask) -> concurrent.futures.Future[Any]:
        if not self._warm:
            warm(self.settings)
            self._warm = True
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        future.set_result(run_task(task, self.settings, self.stop, self.checks))
        return future

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        return {future for future in futures if future.done()}

    def request_stop(self) -> None:
        self.stop.set()

    def close(self) -> None:
        pass


class LocalExecutor:
    """``workers`` processes on this machine, each warmed once."""

    def __init__(self, settings: Settings, checks: tuple[Check, ...], workers: int) -> None:
        self.settings, self.checks, self.slots = settings, checks, workers
        self.description = f"{workers} worker processes"
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self._start = lambda: concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=init_local_worker,
            initargs=(settings, self.stop))
        self._pool = self._start()

    def submit(self, task: ClientTask) -> concurrent.futures.Future[Any]:
        return self._pool.submit(run_task, task, self.settings, None, self.checks)

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        done, _ = concurrent.futures.wait(list(futures), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def replace_broken_pool(self) -> None:
        """After a worker process died: a new pool for the clients still to run."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

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
            self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                         threads_per_worker=1, processes=True)
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
    count = min(workers or default_workers(), tasks)
    if count <= 1:
        return InlineExecutor(settings, checks, stop)
    return LocalExecutor(settings, checks, count)
