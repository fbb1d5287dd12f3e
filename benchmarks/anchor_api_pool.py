"""The anchor a good engineer writes by hand: papermill's and nbconvert's Python APIs per client,
two clients at a time in a process pool.

No nbreport machinery: ``papermill.execute_notebook`` runs the master notebook with the
client's parameters in a folder of its own, nbconvert's ``HTMLExporter`` (input cells left
out, as ``jupyter nbconvert --to html --no-input``) writes the HTML, and a
``concurrent.futures.ProcessPoolExecutor(2)`` keeps two clients going. ``bench_batch.py``
times it in the same run and on the same clients as ``nbreport run``, and prints
``speedup vs papermill API pool: X.Xx``.

Usage on its own: ``python benchmarks/anchor_api_pool.py PROJECT CLIENT...``.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

WORKERS = 2


def report(project: Path, client_id: str, out: Path) -> dict[str, float]:
    """One client's report: execute, then export; returns the seconds each took."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    work = out / client_id
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    papermill.execute_notebook(
        str(project / "notebooks" / "client_report.ipynb"), str(work / "report.ipynb"),
        parameters={"client_id": client_id, "project_dir": str(project)},
        cwd=str(work), progress_bar=False)
    executed = time.perf_counter()
    html, _ = HTMLExporter(exclude_input=True).from_notebook_node(
        nbformat.read(work / "report.ipynb", as_version=4))
    (work / "report.html").write_text(html, encoding="utf-8")
    exported = time.perf_counter()
    return {"execute_total": executed - started, "export": exported - executed}


def run_pool(project: Path, clients: list[str], out: Path) -> tuple[float, list[dict[str, float]]]:
    """All ``clients`` through a pool of two processes; returns the wall time and per-client times."""
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        timings = list(pool.map(report, [project] * len(clients), clients, [out] * len(clients)))
    return time.perf_counter() - started, timings


if __name__ == "__main__":
    project_dir = Path(sys.argv[1]).resolve()
    wall, _ = run_pool(project_dir, sys.argv[2:], project_dir / "anchor")
    print(f"{len(sys.argv) - 2} clients in {wall:.1f} s with {WORKERS} processes")
