"""Where client reports run: in this process, in local worker processes, or on a Dask cluster.

All three take the same task (:func:`nbreport.batch.worker.run_task`) and give
back futures; the run that uses them does not care which it has.

- ``local``: worker threads in this process; each client's notebook runs in a kernel
  process of its own, forked from one pre-imported zygote (see :mod:`nbreport.speedups.zygote`).
- ``local`` on the plain path (``--plain``): worker processes, each running one client at a
  time through papermill and nbconvert's public APIs (see :mod:`nbreport.render.plain`).
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
import signal
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from nbreport.batch.pipeline import Check, ClientTask, StopToken
from nbreport.batch.results import ClientResult
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


class _FuturesPool:
    """What the local and plain executors share: waiting on futures, and the stop flag."""

    stop: Any  # a threading.Event, or a multiprocessing one shared with worker processes

    def wait(self, futures: Iterable[Any], timeout: float) -> set[Any]:
        done, _ = concurrent.futures.wait(list(futures), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        return done

    def request_stop(self) -> None:
        self.stop.set()


class LocalExecutor(_FuturesPool):
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

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class PlainExecutor(_FuturesPool):
    """``workers`` processes, each running one client at a time on the plain path.

    papermill changes its process's working folder while a notebook runs and its kernel
    inherits the process's environment, so clients on the plain path cannot share a process.
    The workers ignore Ctrl-C (the run handles it); a stopped run lets a running client's
    notebook finish and does not publish its report.
    """

    def __init__(self, settings: Settings, checks: tuple[Check, ...], workers: int) -> None:
        self.settings, self.checks, self.slots = settings, checks, workers
        self.description = (f"{workers} worker process{'es' * (workers != 1)} on this machine "
                            "(plain: papermill and nbconvert)")
        context = multiprocessing.get_context("spawn")
        self.stop = context.Event()
        self._pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_plain_worker_ready, initargs=(self.stop,))

    def submit(self, task: ClientTask) -> concurrent.futures.Future[Any]:
        return self._pool.submit(_run_plain_task, task, self.settings, self.checks)

    def close(self) -> None:
        self._pool.shutdown(wait=not self.stop.is_set(), cancel_futures=True)


_plain_stop: StopToken | None = None


def _plain_worker_ready(stop: StopToken) -> None:
    """In each plain worker process: keep the run's stop flag; leave Ctrl-C to the run."""
    global _plain_stop
    _plain_stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_plain_task(task: ClientTask, settings: Settings,
                    checks: tuple[Check, ...]) -> ClientResult:
    return run_task(task, settings, _plain_stop, checks)


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
        if settings.plain:
            raise ConfigError("--plain runs the clients in local worker processes; it does "
                              "not combine with --executor dask")
        return DaskExecutor(settings, checks, scheduler, workers)
    if executor != "local":
        raise ConfigError(f"unknown executor '{executor}'; choose one of {', '.join(EXECUTORS)}")
    if scheduler:
        raise ConfigError("--scheduler is for --executor dask")
    slots = max(min(workers or default_workers(), tasks), 1)
    if settings.plain:
        return PlainExecutor(settings, checks, slots)
    return LocalExecutor(settings, checks, slots, stop)
