"""The hand-written command-line loop, two clients at a time: what a user writes next, like
``xargs -P 2`` over the client list.

Each client goes through the very commands of ``anchor_cli_loop.py`` (the ``papermill``
command line, then ``jupyter nbconvert --to html --no-input``); a ``ThreadPoolExecutor(2)``
keeps two of those command pairs running. ``bench_batch.py`` times it in the same run and on
the same clients as ``nbreport run``, and prints ``speedup vs CLI loop two at a time: X.Xx``.

Usage on its own: ``python benchmarks/anchor_cli_parallel.py PROJECT CLIENT...``.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anchor_cli_loop import report  # noqa: E402 - beside this script

WORKERS = 2


def run_parallel(project: Path, clients: list[str],
                 out: Path) -> tuple[float, list[dict[str, float]]]:
    """All ``clients``, two command pairs at a time; returns the wall time and per-client times."""
    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:  # threads only wait for the subprocesses
        timings = list(pool.map(report, [project] * len(clients), clients, [out] * len(clients)))
    return time.perf_counter() - started, timings


if __name__ == "__main__":
    project_dir = Path(sys.argv[1]).resolve()
    wall, _ = run_parallel(project_dir, sys.argv[2:], project_dir / "cli-parallel")
    print(f"{len(sys.argv) - 2} clients in {wall:.1f} s, {WORKERS} at a time")
