"""What one client's report costs to compute: ``make bench-report``.

The master notebook's own work per client (open the report, then every section
cell), without kernel start-up or export: the part both the hand-written
papermill loop and ``nbreport run`` pay for each client, and so the part that
bounds how much faster a batch can be. Issue 7 needs it at most 3.5 s of CPU.

Each measurement runs in a fresh Python process, as each report runs in a fresh
kernel. That process first imports what the batch engine's kernels have imported
before a client starts (:data:`PRELOADED`), then runs the code cells of
``notebooks/client_report.ipynb`` one by one, the way a kernel does, and displays
each result as Jupyter would (its HTML). Stored forecasts of earlier reports are
not there (an empty outputs folder), so every forecast is checked by refitting:
the costliest case, which every client's first report meets.

Three variants, interleaved, on the same data:

* ``baseline``: the library and notebook of an earlier commit (``--baseline``, by
  default the commit before the speed work), extracted into a temporary folder;
* ``now``: the current code;
* ``now+preload``: the current code in a process that has also imported
  :mod:`nbreport.report.preload` (what a report imports and compiles on first use)
  and then frozen what it imported out of the garbage collector's way
  (:mod:`nbreport.speedups.freeze`), as batch kernels are when their engine preloads it.

CPU seconds count the process and its child processes (prophet's cmdstan). The
machine is shared, so each variant runs ``--repeat`` times and its fastest run
counts (others' work only ever adds time), and only ratios measured side by side
mean much. Each run also reports the seconds its cells spent importing modules.

    make bench-report      # or: python benchmarks/report_compute.py [--repeat N] [--baseline REF]
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CLIENTS = ("northwind-outfitters", "ledgerline", "harbourside-dental")
BASELINE = "7494ee7"  # main before the report's compute was made faster
TARGET_CPU_S = 3.5
NOTEBOOK = Path("notebooks") / "client_report.ipynb"
# What the batch engine's kernels import before a client starts (nbreport.speedups.zygote,
# issue 7): anything else a report imports is paid for by each client and counted here.
PRELOADED = ("numpy", "pandas", "pyarrow", "matplotlib.figure", "matplotlib.backends.backend_agg",
             "seaborn", "babel.numbers", "pydantic", "jinja2", "nh3", "prophet",
             "nbreport.report", "nbreport.report.sections")
# ...and with nbreport.report.preload among them as well (what a report imports and compiles on
# first use), then frozen as the zygote freezes it: measured as a variant of the current code
WARMED = (*PRELOADED, "nbreport.report.preload", "nbreport.speedups.freeze")
CELLS_START = "--- cells ---"


# --- one measurement, in a fresh process ---------------------------------------------------
def _clock() -> tuple[float, float]:
    times = os.times()
    cpu = times.user + times.system + times.children_user + times.children_system
    return time.perf_counter(), cpu


def _cell_label(source: str) -> str:
    """``sections.commentary(report, "targets")`` -> ``commentary targets``."""
    statement = ast.parse(source).body[-1]
    call = getattr(statement, "value", None)
    if not isinstance(call, ast.Call):
        return source.strip().splitlines()[-1][:40]
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "?")
    words = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return " ".join([name, *words])


def _display(value: Any) -> None:
    """What Jupyter does with a cell's result: ask it for its representations."""
    if value is None:
        return
    if hasattr(value, "_repr_mimebundle_"):
        value._repr_mimebundle_()
    elif hasattr(value, "_repr_html_"):
        value._repr_html_()
    repr(value)


def measure_one(tree: Path, client: str, outputs: Path, preloaded: list[str]) -> dict[str, Any]:
    """Run the master notebook of ``tree`` for ``client`` cell by cell, timing each cell."""
    import nbformat  # before the count of what the run imports

    started = _clock()
    for module in preloaded:
        importlib.import_module(module)
    imports = _clock()
    print(CELLS_START, file=sys.stderr, flush=True)  # -X importtime: what follows is the cells
    notebook = nbformat.read(tree / NOTEBOOK, as_version=4)
    namespace: dict[str, Any] = {}
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            exec(cell.source, namespace)  # noqa: S102 - the notebook's defaults, then ours
            namespace.update(client_id=client, project_dir=str(REPO), outputs_dir=str(outputs))
            continue
        body = ast.parse(cell.source)
        last = body.body.pop() if body.body and isinstance(body.body[-1], ast.Expr) else None
        before = _clock()
        exec(compile(body, "<cell>", "exec"), namespace)  # noqa: S102
        if last is not None:
            _display(eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace))  # noqa: S307
        after = _clock()
        cells.append({"cell": _cell_label(cell.source), "wall": after[0] - before[0],
                      "cpu": after[1] - before[1]})
    return {"cells": cells, "imports": {"wall": imports[0] - started[0], "cpu": imports[1] - started[1]},
            "library": str(Path(sys.modules["nbreport"].__file__).parents[1])}


def first_imports(stderr: str) -> dict[str, float]:
    """Seconds the cells spent importing, per top-level package (from ``python -X importtime``)."""
    found: dict[str, float] = {}
    lines = stderr.split(CELLS_START, 1)[-1].splitlines()
    for line in lines:
        if not line.startswith("import time:") or line.endswith("| imported package"):
            continue
        _, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith("  ", 1):  # indented: imported by the import on a later line
            package = name.strip().split(".")[0]
            found[package] = found.get(package, 0.0) + int(cumulative) / 1e6
    return found


# --- the runs ------------------------------------------------------------------------------
def extract(ref: str, into: Path) -> Path | None:
    """The library and notebook of commit ``ref`` in ``into``; None when git cannot give them."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "src", "notebooks"],
                             cwd=REPO, capture_output=True)
    if archive.returncode:
        print(f"baseline {ref}: not available ({archive.stderr.decode().strip()}); "
              "printing the current figures only")
        return None
    into.mkdir(parents=True)
    tar_path = into / "tree.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    tar_path.unlink()
    return into


def run_one(tree: Path, client: str, scratch: Path, preloaded: tuple[str, ...]) -> dict[str, Any] | None:
    """One measurement in a fresh process, in a working folder of its own."""
    work = Path(tempfile.mkdtemp(dir=scratch))
    outputs = work / "outputs"
    outputs.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree / "src"), os.environ.get("PYTHONPATH", "")]),
           "MPLBACKEND": "agg"}
    done = subprocess.run([sys.executable, "-X", "importtime", __file__, "--one", str(tree), client,
                           str(outputs), ",".join(preloaded)],
                          cwd=work, env=env, capture_output=True, text=True)
    shutil.rmtree(work, ignore_errors=True)
    if done.returncode:
        print(f"  {client} with {tree.name}: failed\n{done.stderr.strip()[-2000:]}")
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["first_imports"] = first_imports(done.stderr)
    if Path(result["library"]).resolve() != (tree / "src").resolve():
        raise SystemExit(f"measured the library in {result['library']}, not {tree / 'src'}")
    return result


def fastest_cells(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per cell label, the wall and CPU seconds of the run with the least CPU in total; ``total``
    too. The machine is shared: other work only ever adds time, so the fastest run is the one
    the least disturbed, for every variant alike."""
    best = min(runs, key=lambda run: sum(c["cpu"] for c in run["cells"]))
    figures: dict[str, dict[str, float]] = {}
    for cell in best["cells"]:
        figure = figures.setdefault(cell["cell"], {"wall": 0.0, "cpu": 0.0})
        for kind in ("wall", "cpu"):
            figure[kind] += cell[kind]
    figures["total"] = {kind: sum(c[kind] for c in best["cells"]) for kind in ("wall", "cpu")}
    return figures


VARIANTS = {  # name -> (tree: baseline or current, what is imported before the cells)
    "baseline": ("baseline", PRELOADED),
    "now": ("current", PRELOADED),
    "now+preload": ("current", WARMED),
}
SHOWN_FROM = 0.02  # cells cheaper than this (CPU seconds) are summed on one line


def report(client: str, figures: dict[str, dict[str, dict[str, float]]]) -> None:
    """One client's table: CPU / wall seconds per cell for each variant measured."""
    names = [name for name in VARIANTS if name in figures]
    print(f"{client:<30}" + "".join(f"{name + ' cpu / wall':>24}" for name in names)
          + ("   cpu ratio" if "baseline" in names else ""))
    labels = list(dict.fromkeys(label for name in names for label in figures[name]))
    small = dict.fromkeys(names, 0.0)
    for label in labels:
        row = {name: figures[name].get(label) for name in names}
        if label != "total" and max((f or {"cpu": 0.0})["cpu"] for f in row.values()) < SHOWN_FROM:
            for name, f in row.items():
                small[name] += f["cpu"] if f else 0.0
            continue
        line = f"  {label:<28}" + "".join(f"{f['cpu']:>16.2f} / {f['wall']:5.2f}" if f else f"{'':>24}"
                                          for f in row.values())
        before, now = row.get("baseline"), row.get(names[-1])
        if before and now and now["cpu"] > 0:
            line += f"{before['cpu'] / now['cpu']:>10.1f}x"
        print(line)
    print(f"  (cells under {SHOWN_FROM:.2f} s cpu each, together: "
          + ", ".join(f"{name} {small[name]:.2f} s" for name in names) + ")")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per client and variant (the fastest counts)")
    parser.add_argument("--baseline", default=BASELINE, help="git commit to compare with ('' for none)")
    parser.add_argument("--clients", nargs="+", default=list(CLIENTS))
    args = parser.parse_args()
    print(f"report compute per client: the master notebook's cells in one process, after the imports "
          f"the batch engine's kernels have done ({os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}); the fastest of {args.repeat} runs, interleaved")
    scratch = Path(tempfile.mkdtemp(prefix="report-compute-"))
    try:
        trees = {"baseline": extract(args.baseline, scratch / "baseline") if args.baseline else None,
                 "current": REPO}
        results: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for _ in range(args.repeat):
            for client in args.clients:
                for name, (tree_name, preloaded) in VARIANTS.items():
                    tree = trees[tree_name]
                    result = run_one(tree, client, scratch, preloaded) if tree else None
                    if result is not None:
                        results.setdefault(client, {}).setdefault(name, []).append(result)
        summarise(results)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def summarise(results: dict[str, dict[str, list[dict[str, Any]]]]) -> None:
    totals: dict[str, list[tuple[float, float]]] = {}
    for client, runs in results.items():
        figures = {name: fastest_cells(variant_runs) for name, variant_runs in runs.items()}
        print()
        report(client, figures)
        for name, variant_runs in runs.items():
            totals.setdefault(name, []).append((figures[name]["total"]["cpu"], figures[name]["total"]["wall"]))
            imported = variant_runs[0]["first_imports"]
            heavy = sorted(imported.items(), key=lambda item: -item[1])[:6]
            print(f"  {name}: the cells spent {sum(imported.values()):.2f} s importing"
                  + (f" ({', '.join(f'{module} {seconds:.2f}' for module, seconds in heavy)})" if heavy else ""))
    print()
    complete = {name: values for name, values in totals.items() if len(values) == len(results)}
    for name, values in complete.items():
        cpu, wall = statistics.mean(v[0] for v in values), statistics.mean(v[1] for v in values)
        line = f"mean per client, {name:<12} {cpu:5.2f} s cpu, {wall:5.2f} s wall"
        if name != "baseline" and "baseline" in complete:
            line += f"; {statistics.mean(v[0] for v in complete['baseline']) / cpu:.1f}x less cpu than baseline"
        print(line)
    for name in ("now", "now+preload"):
        if name in complete:
            cpu = statistics.mean(v[0] for v in complete[name])
            print(f"target (issue 7): at most {TARGET_CPU_S:.1f} s cpu per client, {name}: "
                  f"{'met' if cpu <= TARGET_CPU_S else 'NOT met'}")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        print(json.dumps(measure_one(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]),
                                     sys.argv[5].split(","))))
    else:
        main()
