"""A small project for the batch engine's tests: a master notebook that misbehaves on purpose.

What a client's notebook does depends on the first word of its id:
``ok`` draws a pyplot figure, writes an artifact with a fixed name and reports
what it saw; ``raises`` raises in a cell; ``dies`` kills its own kernel;
``hangs`` ignores interrupts and sleeps in a cell limited to 3 s; ``slow``
sleeps 5 s under its report's 1.5 s limit; ``sleeps`` sleeps two minutes
(for interrupt tests). A file ``fixed`` in the project folder makes every
client behave like ``ok``.

Every client reports whether pandas was already imported when its kernel
started (a kernel forked from the zygote) and what a previous client could
have left behind in its kernel (module attribute, environment variable).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import yaml

from nbreport.protocol import SUMMARY_MIME
from nbreport.settings import Settings
from tests.conftest import REPO

PERIOD = "2026-10"

SETUP = '''\
import gc, os, signal, sys, tempfile, time
from pathlib import Path
preloaded = "pandas" in sys.modules
warmed = "nbreport.report.warmup" in sys.modules and "openpyxl" in sys.modules
import nbreport
leaked = {"module": getattr(nbreport, "_canary", None), "env": os.environ.get("NBREPORT_CANARY")}
nbreport._canary = client_id
os.environ["NBREPORT_CANARY"] = client_id
action = "ok" if Path(project_dir, "fixed").exists() else client_id.split("-")[0]
Path("started").write_text(str(os.getpid()))  # the kernel's process'''

FAULTS = '''\
if action == "raises":
    raise ValueError(f"planted failure for {client_id}")
if action == "dies":
    os.kill(os.getpid(), signal.SIGKILL)
if action == "hangs":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    time.sleep(600)'''

SLOW = '''\
if action == "sleeps":
    time.sleep(120)
if action == "slow":
    time.sleep(5)'''

FIGURE = '''\
import matplotlib.pyplot as plt
figure, axes = plt.subplots()
axes.plot([1, 3, 2])
axes.set_title(client_id)
plt.show()
Path("figure-data.txt").write_text(client_id)  # the same name for every client
temporary = tempfile.mkstemp()[1]
import cmdstanpy.model, cmdstanpy.utils.filesystem  # where prophet's fits write their files
stan_folders = [module._TMPDIR for module in (cmdstanpy, cmdstanpy.model, cmdstanpy.utils.filesystem)]'''

SHOW = '''\
from IPython.display import HTML, display
display(HTML(f"<p class='who'>{client_id}</p>"))'''

SUMMARY = f'''\
display({{"{SUMMARY_MIME}": {{"client_id": client_id, "headline": [], "sources": [],
    "artifacts": ["figure-data.txt"],
    "review": {{"publishable": True, "reasons": []}}, "reported": {{"end": "2026-10-31"}},
    "seen": {{"preloaded": preloaded, "warmed": warmed, "leaked": leaked, "pid": os.getpid(), "cwd": os.getcwd(),
             "temporary": temporary, "stan_folders": stan_folders, "frozen": gc.get_freeze_count()}}}}}}, raw=True)'''


def fault_notebook() -> nbformat.NotebookNode:
    parameters = nbformat.v4.new_code_cell(
        'client_id = ""\nparams = {}\nproject_dir = ""\ndata_dir = ""')
    parameters.metadata["tags"] = ["parameters"]
    faults = nbformat.v4.new_code_cell(FAULTS)
    faults.metadata["tags"] = ["timeout=3"]
    cells = [nbformat.v4.new_markdown_cell("## Fault notebook"), parameters,
             nbformat.v4.new_code_cell(SETUP), faults, nbformat.v4.new_code_cell(SLOW),
             nbformat.v4.new_code_cell(FIGURE), nbformat.v4.new_code_cell(SHOW),
             nbformat.v4.new_code_cell(SUMMARY)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def make_project(root: Path, clients: list[str]) -> Settings:
    """A project under ``root`` with the fault notebook and a params file per client."""
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "params").mkdir(parents=True)
    shutil.copy(REPO / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    base = yaml.safe_load((REPO / "params" / "harbourside-dental.yaml").read_text())
    for client_id in clients:
        params = json.loads(json.dumps(base))
        params["client"].update(id=client_id, name=client_id.replace("-", " ").title())
        if client_id.startswith("slow"):
            params["report"] = {"cell_timeout": 1.5}
        (root / "params" / f"{client_id}.yaml").write_text(yaml.safe_dump(params))
        (root / "data" / client_id).mkdir(parents=True)
        (root / "data" / client_id / "orders.csv").write_text(f"date,orders\n2026-10-01,{len(client_id)}\n")
    (root / "notebooks").mkdir()
    nbformat.write(fault_notebook(), root / "notebooks" / "client_report.ipynb")
    return Settings.for_project(root, cell_timeout=60)


def summary_seen(settings: Settings, client_id: str) -> dict:
    manifest = json.loads((settings.outputs_dir / PERIOD / "manifest.json").read_text())
    return manifest["clients"][client_id]["summary"]["seen"]


def reject_gated(work) -> None:  # noqa: ANN001 - a ClientWork
    """A check (the hook a QA gate uses) that keeps clients named ``*-gated`` from publishing."""
    from nbreport.core.errors import ReportError

    assert work.html_path is not None and work.html_path.exists()  # it sees the exported report
    if work.task.client_id.endswith("-gated"):
        raise ReportError("QA gate: planted rejection")
