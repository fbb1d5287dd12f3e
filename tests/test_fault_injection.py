"""Nothing leaks, nothing is lost: one real batch of 30 clients through the master notebook.

Twenty-two healthy clients carry unique canary markers in their data (a campaign name),
their params (the client's name and ``qa.markers``) and their commentary; no report, index
entry, manifest entry or file beside a report may hold another client's marker. Seven clients
carry one fault each, of seven kinds: a corrupt CSV, a missing column, an empty period, a cell
raising, the kernel killed mid-run, a cell timing out, and an unwritable output folder; an
eighth's commentary holds another client's marker, and the gate (``--publish passing``) holds
its report back. Every
healthy report is produced, every failure is recorded with a clear message, no partial file
reaches a final path, and once the faults are fixed ``--only-failed`` runs exactly the
failed clients again, successfully.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from nbreport.batch import BatchOptions, run_batch
from nbreport.qa.checks import foreign_markers_in
from nbreport.qa.gate import check_before_publishing
from nbreport.settings import Settings
from tests.approved import approve_drafts, approved_text
from tests.conftest import DEMO_CLIENTS, REPO, copy_project

pytestmark = pytest.mark.kernel

PERIOD = "2026-10"
HEALTHY = 22
FAULTS = {  # client -> (fault, what its recorded error must say)
    "fault-corrupt-csv": ("corrupt CSV", "google-ads.csv: holds binary data"),
    "fault-missing-column": ("missing column", "missing required column spend for ads data"),
    "fault-empty-period": ("empty period", "no rows between 2026-10-01 and 2026-10-31"),
    "fault-raises": ("a cell raising", "RuntimeError: planted fault"),
    "fault-killed": ("the kernel killed mid-run", "the kernel died"),
    "fault-hangs": ("a cell timing out", "did not finish within its 5 s time limit"),
    "fault-unwritable": ("an unwritable output folder", "fault-unwritable"),
    "fault-leaky": ("another client's data in the report (held by the gate)",
                    "held back by the QA gate: no other client's data (marker #1 of client-00)"),
}
FAULT_CELL = '''\
import os, signal, time
from pathlib import Path
fault = Path(project_dir, "faults", client_id)
kind = fault.read_text().strip() if fault.exists() else ""
if kind == "raises":
    raise RuntimeError(f"planted fault in {client_id}")
if kind == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
if kind == "hangs":
    time.sleep(600)'''


def _base(index: int) -> str:
    return DEMO_CLIENTS[index % len(DEMO_CLIENTS)]


FAULT_BASES = {  # the demo client each faulty client copies (export formats differ between them)
    "fault-corrupt-csv": "ledgerline", "fault-missing-column": "northwind-outfitters",
    "fault-empty-period": "harbourside-dental", "fault-raises": "northwind-outfitters",
    "fault-killed": "ledgerline", "fault-hangs": "harbourside-dental",
    "fault-unwritable": "northwind-outfitters", "fault-leaky": "ledgerline",
}


def _marker(client_id: str) -> str:
    return f"CANARY{uuid.uuid5(uuid.NAMESPACE_DNS, client_id).hex[:10].upper()}"


def _add_client(settings: Settings, demo_data: Path, client_id: str, base: str, marker: str | None) -> None:
    params = yaml.safe_load((REPO / "params" / f"{base}.yaml").read_text())
    params["client"]["id"] = client_id
    params.pop("forecast", None)
    if marker:
        params["client"]["name"] = f"{params['client']['name']} {marker}"
        params["qa"] = {"markers": [marker]}
    (settings.params_dir / f"{client_id}.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    shutil.copytree(demo_data / base, settings.data_dir / client_id)
    if marker:
        ads = settings.data_dir / client_id / "google-ads.csv"
        ads.write_text(ads.read_text().replace("Search - Brand", f"Search - Brand {marker}"))
        folder = settings.project_dir / "commentary" / client_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{PERIOD}.md").write_text(approved_text({"Executive summary": f"A note for {marker} only."}))
    else:
        approve_drafts(settings.project_dir, client_id, str(params["period"]))


def _plant_faults(settings: Settings) -> None:
    data = settings.data_dir
    (data / "fault-corrupt-csv" / "google-ads.csv").write_bytes(b'Day,Campaign\n"unclosed\x00\xff,\n' * 3)
    ads = data / "fault-missing-column" / "google-ads.csv"
    assert ",Cost," in ads.read_text()
    ads.write_text(ads.read_text().replace(",Cost,", ",Kosten,"))
    params = settings.params_dir / "fault-empty-period.yaml"
    params.write_text(params.read_text().replace("path: google-ads.csv", "path: google-ads-empty.csv"))
    text = (data / "fault-empty-period" / "google-ads.csv").read_text().splitlines()
    (data / "fault-empty-period" / "google-ads-empty.csv").write_text(
        "\n".join(line for line in text if not line.startswith("2026-10")) + "\n")
    faults = settings.project_dir / "faults"
    faults.mkdir()
    for client_id, kind in (("fault-raises", "raises"), ("fault-killed", "killed"), ("fault-hangs", "hangs")):
        (faults / client_id).write_text(kind)
    (settings.outputs_dir / PERIOD).mkdir(parents=True, exist_ok=True)
    (settings.outputs_dir / PERIOD / "fault-unwritable").write_text("a file where the folder should be")
    leaky = settings.project_dir / "commentary" / "fault-leaky"
    leaky.mkdir(parents=True, exist_ok=True)
    (leaky / f"{PERIOD}.md").write_text(
        approved_text({"Executive summary": f"Pasted by mistake: {_marker('client-00')}."}))


def _fix_faults(settings: Settings, demo_data: Path) -> None:
    for client_id in ("fault-corrupt-csv", "fault-missing-column"):
        shutil.copy(demo_data / FAULT_BASES[client_id] / "google-ads.csv",
                    settings.data_dir / client_id / "google-ads.csv")
    params = settings.params_dir / "fault-empty-period.yaml"
    params.write_text(params.read_text().replace("path: google-ads-empty.csv", "path: google-ads.csv"))
    shutil.rmtree(settings.project_dir / "faults")
    (settings.outputs_dir / PERIOD / "fault-unwritable").unlink()
    (settings.project_dir / "commentary" / "fault-leaky" / f"{PERIOD}.md").write_text(
        approved_text({"Executive summary": "A quiet month."}))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> tuple[Settings, dict, dict]:
    root = tmp_path_factory.mktemp("faults")
    settings = copy_project(root / "project", root / "data")
    for path in settings.params_dir.glob("*.yaml"):
        if not path.name.startswith("_"):
            path.unlink()  # only the batch's own clients
    notebook = nbformat.read(settings.notebook, as_version=4)
    at = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    fault_cell = nbformat.v4.new_code_cell(FAULT_CELL)
    fault_cell.metadata["tags"] = ["timeout=5"]  # instant for every healthy client
    notebook.cells.insert(at + 1, fault_cell)
    nbformat.write(notebook, settings.notebook)
    markers = {}
    for index in range(HEALTHY):
        client_id = f"client-{index:02d}"
        markers[client_id] = _marker(client_id)
        _add_client(settings, demo_data_dir, client_id, _base(index), markers[client_id])
    for client_id, base in FAULT_BASES.items():
        _add_client(settings, demo_data_dir, client_id, base, None)
    _plant_faults(settings)
    publish_passing = (check_before_publishing,)  # nbreport run --publish passing
    first = run_batch(settings, options=BatchOptions(workers=2, checks=publish_passing))
    after_first = {
        "first": {r.client_id: r for r in first.results}, "exit": first.exit_code,
        "published": {cid: (settings.outputs_dir / PERIOD / cid / "report.html").exists() for cid in FAULTS},
        "leftovers": [str(p.relative_to(settings.outputs_dir)) for p in settings.outputs_dir.rglob("*")
                      if p.name.endswith(".tmp") or p.name.startswith(".work-")],
    }
    _fix_faults(settings, demo_data_dir)
    second = run_batch(settings, options=BatchOptions(workers=2, only_failed=True, checks=publish_passing))
    return settings, after_first, {"second": {r.client_id: r for r in second.results}, "markers": markers}


def test_every_healthy_report_is_produced(batch: tuple[Settings, dict, dict]) -> None:
    settings, first, _ = batch
    healthy = {cid: r for cid, r in first["first"].items() if not cid.startswith("fault-")}
    assert len(healthy) == HEALTHY and all(r.ok for r in healthy.values()), \
        {cid: r.error for cid, r in healthy.items() if not r.ok}
    assert first["exit"] == 1


@pytest.mark.parametrize("client_id", list(FAULTS), ids=[kind for kind, _ in FAULTS.values()])
def test_each_fault_is_recorded_clearly_and_publishes_nothing(batch: tuple[Settings, dict, dict],
                                                              client_id: str) -> None:
    settings, first, _ = batch
    result = first["first"][client_id]
    assert result.status in ("failed", "timeout"), result
    assert FAULTS[client_id][1] in result.error.message, result.error.message
    assert first["published"][client_id] is False  # no report reached its final path
    assert first["leftovers"] == []  # no temporary file or working folder was left behind


def test_only_the_failed_clients_run_again_and_succeed(batch: tuple[Settings, dict, dict]) -> None:
    settings, _, second = batch
    rerun = second["second"]
    assert set(rerun) == set(FAULTS)
    assert all(r.ok for r in rerun.values()), {cid: r.error for cid, r in rerun.items() if not r.ok}
    assert (settings.outputs_dir / PERIOD / "fault-unwritable" / "report.html").exists()


def test_no_client_holds_another_clients_markers(batch: tuple[Settings, dict, dict]) -> None:
    settings, _, second = batch
    markers = second["markers"]
    period_dir = settings.outputs_dir / PERIOD
    for client_id, marker in markers.items():
        others = {other: [m] for other, m in markers.items() if other != client_id}
        for path in (period_dir / client_id).iterdir():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert foreign_markers_in(text, others) == [], (client_id, path.name)
            if path.name == "report.html":
                assert marker in text  # the canary is really there: the check can fail
    index = BeautifulSoup((period_dir / "index.html").read_text(), "html.parser")
    for row in index.select("[data-client]"):
        client_id = row["data-client"]
        others = {o: [m] for o, m in markers.items() if o != client_id}
        assert foreign_markers_in(row.get_text(" "), others) == [], client_id
    manifest = json.loads((period_dir / "manifest.json").read_text())
    for client_id, entry in manifest["clients"].items():
        others = {o: [m] for o, m in markers.items() if o != client_id}
        assert foreign_markers_in(json.dumps(entry), others) == [], client_id


def test_the_gate_passes_every_published_report(batch: tuple[Settings, dict, dict]) -> None:
    settings, _, _ = batch
    qa = json.loads((settings.outputs_dir / PERIOD / "qa.json").read_text())
    failing = {cid: [c for c in v["checks"] if not c["passed"]] for cid, v in qa["clients"].items()
               if not v["passed"]}
    assert failing == {}
    assert all(check["passed"] for check in qa["shared"])
