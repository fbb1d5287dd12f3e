"""Batch scale: 500 generated clients, time and memory per client over the run, and on Dask.

Builds a throw-away project of ``--clients`` demo-like clients (``bench_project.py``), then:

(s) ``nbreport run`` of the first 12 clients: the small run's seconds per client;
(l) ``nbreport run`` of all of them, its memory watched four times a second: seconds per client
    against (s) (target <= 1.10x), the peak memory per worker (proportional set size of the
    run's processes over the number of workers; target <= 600 MB), and both for the first and
    the last 50 clients (the window from the run's start to the 50th report, and from the start
    of the 50th-last client to the end), which should be alike: nothing grows with the run;
(d) the same clients on a local Dask cluster of two worker processes (one thread each,
    started here, ``nbreport run --executor dask --scheduler ...``) against (l)
    (target <= 1.20x).

The compute cache is off, as for ``make bench``'s cold runs. The machine is shared, so each
figure is a ratio of runs made one after the other in this process.

Usage: ``make bench-scale`` (or ``python benchmarks/bench_scale.py [--clients 500]
[--dask-clients N]``); it takes about 2 x 500 x 2 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import nbreport_run  # noqa: E402
from bench_project import make_project, warm_up  # noqa: E402

SMALL = 12
WINDOW = 50  # clients at each end of the large run whose figures are compared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--dask-clients", type=int, default=None,
                        help="clients of the Dask run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    os.environ["NBREPORT_CACHE"] = "off"  # every run computes every report
    with tempfile.TemporaryDirectory(prefix="nbreport-scale-") as folder:
        project = Path(folder) / "project"
        clients = make_project(project, args.clients)
        print(f"project: {len(clients)} demo-like clients, {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        warm_up()
        small = nbreport_run(project, clients[:SMALL])
        per_small = small["wall"] / SMALL
        print(f"\n(s) nbreport run, {SMALL} clients: {per_small:.2f} s per client", flush=True)
        large = nbreport_run(project, clients, watch_memory=True)
        print_large(large, len(clients), per_small)
        dask_count = args.dask_clients or len(clients)
        print_dask(project, clients[:dask_count], large if dask_count == len(clients)
                   else nbreport_run(project, clients[:dask_count]))
        if args.keep:
            keep = Path(tempfile.mkdtemp(prefix="nbreport-scale-kept-"))
            project.rename(keep / "project")
            print(f"kept: {keep / 'project'}")


def print_large(run: dict, count: int, per_small: float) -> None:
    per_client = run["wall"] / count
    workers = run["worker_count"]
    print(f"\n(l) nbreport run, {count} clients: wall {run['wall']:.0f} s = {per_client:.2f} s per "
          f"client, {per_client / per_small:.2f}x the {SMALL}-client run (target <= 1.10x); peak "
          f"memory per worker {run['per_worker_mb']:.0f} MB (target <= 600 MB)")
    for label, window in (("first", first_window(run)), ("last", last_window(run))):
        start, end, clients = window
        peak = max((pss for at, pss in run["samples"] if start <= at <= end), default=0)
        print(f"    {label} {clients} clients: {(end - start) / clients:.2f} s per client, peak "
              f"memory per worker {peak / 2**20 / workers:.0f} MB")
    print(f"    every client: execute {_mean(run, 'execute'):.2f} s, kernel start "
          f"{_mean(run, 'kernel_start'):.2f} s, largest kernel {run['kernel_mb']:.0f} MB", flush=True)


def first_window(run: dict) -> tuple[float, float, int]:
    """From the run's start to the WINDOW-th report finished."""
    finished = sorted(_at(entry["finished_at"]) for entry in run["entries"])
    clients = min(WINDOW, len(finished))
    return run["started_at"], finished[clients - 1], clients


def last_window(run: dict) -> tuple[float, float, int]:
    """From the start of the WINDOW-th last client to start, to the last report finished."""
    started = sorted(_at(entry["started_at"]) for entry in run["entries"])
    finished = max(_at(entry["finished_at"]) for entry in run["entries"])
    clients = min(WINDOW, len(started))
    return started[-clients], finished, clients


def print_dask(project: Path, clients: list[str], local: dict) -> None:
    import dask
    import distributed

    # worker processes that may have children: kernels are forked from a zygote in each
    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            run = nbreport_run(project, clients, extra=("--executor", "dask", "--scheduler",
                                                        cluster.scheduler_address))
    per_dask, per_local = run["wall"] / len(clients), local["wall"] / len(clients)
    print(f"\n(d) nbreport run on a local Dask cluster of two workers, {len(clients)} clients: "
          f"{per_dask:.2f} s per client, {per_dask / per_local:.2f}x the local executor's "
          f"{per_local:.2f} s (target <= 1.20x)", flush=True)


def _mean(run: dict, stage: str) -> float:
    return statistics.mean(t[stage] for t in run["clients"] if stage in t)


def _at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


if __name__ == "__main__":
    main()
