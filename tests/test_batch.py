"""The batch engine with real kernels: parallel workers, isolation, failures, timeouts, index."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from bs4 import BeautifulSoup

from nbreport.batch import BatchOptions, run_batch
from nbreport.batch.runner import BatchOutcome
from nbreport.settings import Settings
from tests.batch_project import PERIOD, SUMMARY_MIME, make_project, reject_gated, summary_seen

pytestmark = pytest.mark.kernel

CLIENTS = ["ok-alpha", "ok-beta", "raises-gamma", "dies-delta", "hangs-epsilon", "slow-zeta",
           "ok-gated"]
PREVIOUS = "<html>the previous good report</html>"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BatchOutcome]:
    """One run of seven clients, most of them misbehaving, on two local workers, with a check."""
    settings = make_project(tmp_path_factory.mktemp("batch") / "project", CLIENTS)
    previous = settings.outputs_dir / PERIOD / "raises-gamma" / "report.html"
    previous.parent.mkdir(parents=True)
    previous.write_text(PREVIOUS)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("precheck", "_checked_verdict"):
            _record_calls(patch, name)
        outcome = run_batch(settings, CLIENTS, options=BatchOptions(workers=2, checks=(reject_gated,)))
    return settings, outcome


GATE_CALLS: dict[str, list[str]] = {}  # QA gate function -> the clients it was called for


def _record_calls(patch: pytest.MonkeyPatch, name: str) -> None:
    from nbreport.qa import gate

    original = getattr(gate, name)
    calls = GATE_CALLS.setdefault(name, [])

    def recorded(*args: object) -> object:
        calls.append(str(args[2] if name == "precheck" else args[1]))  # the client's id
        return original(*args)

    patch.setattr(gate, name, recorded)


def by_id(outcome: BatchOutcome) -> dict:
    return {result.client_id: result for result in outcome.results}


def test_every_client_gets_a_result_and_the_run_exits_1(batch: tuple[Settings, BatchOutcome]) -> None:
    _, outcome = batch
    statuses = {client_id: result.status for client_id, result in by_id(outcome).items()}
    assert statuses == {"ok-alpha": "ok", "ok-beta": "ok", "raises-gamma": "failed",
                        "dies-delta": "failed", "hangs-epsilon": "timeout", "slow-zeta": "timeout",
                        "ok-gated": "failed"}
    assert outcome.exit_code == 1 and not outcome.interrupted


def test_healthy_clients_are_published_with_their_artifacts(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, outcome = batch
    for client_id in ("ok-alpha", "ok-beta"):
        folder = settings.outputs_dir / PERIOD / client_id
        html = BeautifulSoup((folder / "report.html").read_text(), "html.parser")
        assert html.select_one("p.who").get_text() == client_id
        assert html.select("img[src^='data:image/png']")  # the pyplot figure, inline as usual
        assert (folder / "figure-data.txt").read_text() == client_id  # no collision
        assert (folder / "report.ipynb").exists() and not (folder / "report.failed.ipynb").exists()
        result = by_id(outcome)[client_id]
        assert set(result.timings) >= {"kernel_start", "execute", "export", "publish"}
        assert result.files["figure-data.txt"] == f"{client_id}/figure-data.txt"


def test_each_client_has_a_fresh_kernel_and_its_own_folders(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, _ = batch
    seen = [summary_seen(settings, client_id) for client_id in ("ok-alpha", "ok-beta")]
    assert all(s["leaked"] == {"module": None, "env": None} for s in seen)  # nothing left over
    assert all(s["preloaded"] for s in seen)  # forked from the zygote: pandas already imported
    assert all(s["warmed"] for s in seen)  # ...and charts drawn, the workbook writer ready
    assert all(s["frozen"] > 10_000 for s in seen)  # the zygote's imports are never collected
    assert seen[0]["pid"] != seen[1]["pid"] and seen[0]["cwd"] != seen[1]["cwd"]
    for s in seen:
        assert Path(s["temporary"]).parent == Path(s["cwd"]) / "tmp"
        # prophet's Stan files too, though cmdstanpy made its folder when the zygote imported it
        assert {Path(folder).parent for folder in s["stan_folders"]} == {Path(s["cwd"]) / "tmp"}
        assert not Path(s["cwd"]).exists()  # working folders are removed
        assert not psutil.pid_exists(s["pid"])  # no kernel outlives its client
    assert not list((settings.outputs_dir / PERIOD).glob(".work-*"))


def test_a_raising_cell_is_recorded_and_the_previous_report_kept(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, outcome = batch
    error = by_id(outcome)["raises-gamma"].error
    assert error.stage == "execute" and error.ename == "ValueError" and error.cell == 4
    assert error.message == "cell 4 raised ValueError: planted failure for raises-gamma"
    folder = settings.outputs_dir / PERIOD / "raises-gamma"
    assert (folder / "report.html").read_text() == PREVIOUS
    partial = json.loads((folder / "report.failed.ipynb").read_text())
    assert "papermill-error-cell-tag" in partial["cells"][0]["metadata"]["tags"]


def test_a_dead_kernel_is_a_failure_naming_the_cell(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, outcome = batch
    error = by_id(outcome)["dies-delta"].error
    assert error.ename == "DeadKernelError" and error.cell == 4
    assert error.message.startswith("the kernel died while running cell 4 (if action ==")
    folder = settings.outputs_dir / PERIOD / "dies-delta"
    assert not (folder / "report.html").exists() and (folder / "report.failed.ipynb").exists()


def test_cell_and_report_time_limits(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, outcome = batch
    hung = by_id(outcome)["hangs-epsilon"].error
    assert hung.cell == 4 and hung.ename == "CellTimeoutError"
    assert hung.message.endswith("did not finish within its 3 s time limit")  # the cell's tag
    slow = by_id(outcome)["slow-zeta"].error
    assert slow.cell == 5 and "within its 1.5 s time limit" in slow.message  # the report's limit
    partial = json.loads((settings.outputs_dir / PERIOD / "hangs-epsilon" / "report.failed.ipynb").read_text())
    banner = "".join(partial["cells"][0]["source"])
    assert "Execution stopped" in banner and "3 s time limit" in banner
    assert not (settings.outputs_dir / PERIOD / "hangs-epsilon" / "report.html").exists()


def test_a_check_can_keep_a_report_from_being_published(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, outcome = batch
    error = by_id(outcome)["ok-gated"].error
    assert error.stage == "check" and error.message == "QA gate: planted rejection"
    assert not (settings.outputs_dir / PERIOD / "ok-gated" / "report.html").exists()
    assert (settings.outputs_dir / PERIOD / "ok-gated" / "report.failed.ipynb").exists()


def test_manifest_and_index_say_what_happened(batch: tuple[Settings, BatchOutcome]) -> None:
    settings, _ = batch
    manifest = json.loads((settings.outputs_dir / PERIOD / "manifest.json").read_text())
    assert manifest["last_run"]["status"] == "completed"
    assert sorted(manifest["last_run"]["clients"]["failed"]) == ["dies-delta", "ok-gated", "raises-gamma"]
    entry = manifest["clients"]["hangs-epsilon"]
    assert entry["status"] == "timeout" and entry["error"]["cell"] == 4
    assert set(entry["inputs"]) == {"params", "data", "commentary", "notebook", "templates", "package"}
    index = BeautifulSoup((settings.outputs_dir / PERIOD / "index.html").read_text(), "html.parser")
    text = index.get_text(" ")
    assert "cell 4 raised ValueError: planted failure for raises-gamma" in text
    cards = [card.get_text(" ", strip=True) for card in index.select(".idx-card-status")]
    assert any(card.startswith("Failed: timed out: cell 4 (") and
               card.endswith("did not finish within its 3 s time limit") for card in cards), cards
    assert index.find("a", href="raises-gamma/report.html").get_text().startswith("Last good report")
    assert index.find("a", href="hangs-epsilon/report.html") is None


def test_the_gate_checks_each_report_as_it_comes_in(batch: tuple[Settings, BatchOutcome]) -> None:
    """Published reports are checked while other clients still run; the period's gate at the
    end of the run looks those verdicts up instead of checking them again."""
    _, outcome = batch
    assert sorted(GATE_CALLS["precheck"]) == ["ok-alpha", "ok-beta"]
    checked = GATE_CALLS["_checked_verdict"]
    assert checked.count("ok-alpha") == checked.count("ok-beta") == 1
    verdicts = {verdict.client_id: verdict for verdict in outcome.gates[0].clients}
    assert verdicts["ok-alpha"].passed and verdicts["ok-beta"].passed
    assert not verdicts["raises-gamma"].passed


def test_slowest_clients_start_first() -> None:
    """By the duration of their last run for the period; clients never run come first."""
    from nbreport.batch.pipeline import ClientTask
    from nbreport.batch.selection import longest_first

    params = SimpleNamespace(output_key=PERIOD)  # all a task's order needs: its output folder
    tasks = [ClientTask(client_id, params) for client_id in ("quick", "new", "slow", "newer")]  # type: ignore[arg-type]
    manifests = {PERIOD: {"clients": {"quick": {"duration_s": 2.5}, "slow": {"duration_s": 9.0}}}}
    ordered = [task.client_id for task in longest_first(tasks, manifests)]
    assert ordered == ["new", "newer", "slow", "quick"]


def test_the_engine_reads_run_summaries_without_the_report_library() -> None:
    """The run's own process reads each notebook's run summary; importing the report library
    for its MIME type would load matplotlib and every section there, CPU the kernels need."""
    import subprocess
    import sys

    code = ("import sys, nbformat\n"
            "from nbreport.batch.pipeline import extract_summary\n"
            "output = nbformat.v4.new_output('display_data', data={"
            f"'{SUMMARY_MIME}': {{'client_id': 'x'}}}})\n"
            "notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('', outputs=[output])])\n"
            "assert extract_summary(notebook) == {'client_id': 'x'}\n"
            "print(sorted(m for m in ('nbreport.report', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
