"""The warm in-process pool: two worker processes that import the report's libraries once, then
run each client's notebook inside themselves, with no kernel at all.

A ``ProcessPoolExecutor(2)`` whose initializer imports pandas, prophet, seaborn and nbreport;
each task runs the master notebook with the client's parameters in-process with
ploomber-engine (``ploomber_engine.execute_notebook``, its own parameter injection, in a folder
of the client's own) and exports it with nbconvert's ``HTMLExporter`` (input cells left out,
as the API pool does). ``bench_batch.py`` times it in the same run and on the same clients as
``nbreport run``, and prints ``speedup vs warm in-process pool: X.Xx``.

Usage on its own: ``python benchmarks/anchor_warm_pool.py PROJECT CLIENT...``.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

WORKERS = 2


def import_libraries() -> None:
    """Once per worker: what makes the pool warm."""
    import pandas  # noqa: F401
    import prophet  # noqa: F401
    import seaborn  # noqa: F401

    import nbreport.report  # noqa: F401 - what the notebook's first cell imports


def report(project: Path, client_id: str, out: Path) -> dict[str, float]:
    """One client's report, executed in this process, then exported; the seconds each took."""
    from nbconvert import HTMLExporter
    from ploomber_engine import execute_notebook

    work = out / client_id
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    executed_nb = execute_notebook(
        project / "notebooks" / "client_report.ipynb", work / "report.ipynb",
        parameters={"client_id": client_id, "project_dir": str(project)},
        cwd=work, progress_bar=False)
    executed = time.perf_counter()
    html, _ = HTMLExporter(exclude_input=True).from_notebook_node(executed_nb)
    (work / "report.html").write_text(html, encoding="utf-8")
    return {"execute": executed - started, "export": time.perf_counter() - executed}


def run_pool(project: Path, clients: list[str], out: Path) -> tuple[float, list[dict[str, float]]]:
    """All ``clients`` through the warm pool; the wall time and per-client times.

    Raises ``RuntimeError`` unless every client has its HTML report.
    """
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS, initializer=import_libraries) as pool:
        timings = list(pool.map(report, [project] * len(clients), clients, [out] * len(clients)))
    wall = time.perf_counter() - started
    missing = [client_id for client_id in clients if not (out / client_id / "report.html").is_file()]
    if missing:
        raise RuntimeError(f"warm pool: no report.html for {len(missing)} of {len(clients)} "
                           f"clients: {', '.join(missing)}")
    return wall, timings


if __name__ == "__main__":
    # by module name: IPython's shell takes over a worker's __main__, so tasks must not come from it
    import anchor_warm_pool

    project_dir = Path(sys.argv[1]).resolve()
    wall, _ = anchor_warm_pool.run_pool(project_dir, sys.argv[2:], project_dir / "warm")
    print(f"{len(sys.argv) - 2} clients in {wall:.1f} s with {WORKERS} warm processes")
