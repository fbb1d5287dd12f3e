"""Run the master notebook for many clients: validate, execute, export, record, index.

Parameters are validated for every client before any kernel starts. Each
client then runs on its own: a failure is recorded in the manifest and the
index and never stops the others. A report reaches its final path only when
it is complete, so a failed run leaves the previous good report in place.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nbreport.batch.manifest import update_manifest
from nbreport.batch.results import ClientError, ClientResult
from nbreport.errors import (
    EXIT_OK,
    EXIT_REPORTS_FAILED,
    EXIT_USAGE,
    NbreportError,
    ParamsError,
    ReportError,
)
from nbreport.params import ClientParams, client_files, load_client_params, params_hash
from nbreport.render.files import move_atomic, write_atomic
from nbreport.settings import Settings

log = logging.getLogger(__name__)

REPORT_HTML = "report.html"
REPORT_NOTEBOOK = "report.ipynb"
FAILED_NOTEBOOK = "report.failed.ipynb"


@dataclass(frozen=True)
class ClientTask:
    """One client's report to produce: its validated parameters and where outputs go."""

    client_id: str
    params: ClientParams

    @property
    def period_key(self) -> str:
        return self.params.period.key


@dataclass
class BatchOutcome:
    results: list[ClientResult]
    index_pages: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(r.status == "invalid" for r in self.results):
            return EXIT_USAGE
        return EXIT_REPORTS_FAILED if any(not r.ok for r in self.results) else EXIT_OK


def plan(settings: Settings, client_ids: Iterable[str] | None,
         overrides: dict[str, Any] | None = None) -> tuple[list[ClientTask], list[ClientResult]]:
    """Validate the parameters of every selected client (all when ``client_ids`` is None).

    Returns the runnable tasks and a result with status ``invalid`` for each client whose
    parameters failed validation.
    """
    ids = list(client_ids) if client_ids else list(client_files(settings.params_dir))
    tasks, invalid = [], []
    for client_id in ids:
        try:
            params = load_client_params(client_id, settings.params_dir, overrides=overrides)
        except ParamsError as exc:
            invalid.append(ClientResult(client_id, (overrides or {}).get("period"), "invalid",
                                        error=ClientError("params", str(exc))))
            continue
        tasks.append(ClientTask(client_id, params))
    return tasks, invalid


def run_batch(
    settings: Settings,
    client_ids: Iterable[str] | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    on_result: Callable[[ClientResult], None] | None = None,
) -> BatchOutcome:
    """Validate, run every valid client, then write manifests and index pages."""
    settings.require_project()
    tasks, invalid = plan(settings, client_ids, overrides)
    results = list(invalid)
    for result in invalid:
        if on_result:
            on_result(result)
    for task in tasks:
        result = run_client(task, settings)
        results.append(result)
        if on_result:
            on_result(result)
    return BatchOutcome(results, publish_indexes(settings, tasks, results))


def publish_indexes(settings: Settings, tasks: list[ClientTask],
                    results: list[ClientResult]) -> list[Path]:
    """Update each period's manifest and index page, then the archive page."""
    from nbreport.render.index import write_archive_index, write_period_index

    labels = {task.period_key: task.params.period.label for task in tasks}
    pages = []
    for period_key, label in sorted(labels.items()):
        period_results = [r for r in results if r.period in (period_key, None)]
        period_dir = settings.outputs_dir / period_key
        update_manifest(period_dir, label, period_results)
        pages.append(write_period_index(period_dir, settings.templates_dir))
    if pages:
        write_archive_index(settings.outputs_dir, settings.templates_dir)
    return pages


def run_client(task: ClientTask, settings: Settings) -> ClientResult:
    """Execute and export one client's report; failures become a result, never an exception."""
    period_dir = settings.outputs_dir / task.period_key
    client_dir = period_dir / task.client_id
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    result = ClientResult(task.client_id, task.period_key, "failed",
                          client_name=task.params.client.name,
                          started_at=started.isoformat(timespec="seconds"),
                          params_hash=params_hash(task.params))
    client_dir.mkdir(parents=True, exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(dir=period_dir, prefix=f".{task.client_id}-"))
    try:
        result.summary = _produce(task, settings, work_dir, client_dir)
        _log_review(task.client_id, result.summary)
        result.files = {"html": f"{task.client_id}/{REPORT_HTML}",
                        "notebook": f"{task.client_id}/{REPORT_NOTEBOOK}",
                        **{name: f"{task.client_id}/{name}" for name in result.summary.get("artifacts", [])}}
        _publish_other_formats(client_dir, settings, result)
        result.status = "ok"
        (client_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - one client's failure must never stop the others
        result.error = _describe_failure(exc, settings)
        _keep_partial_notebook(work_dir, client_dir, result)
        log.warning("%s: %s", task.client_id, result.error.message)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
        result.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result.duration_s = round(time.perf_counter() - clock, 2)
    return result


def _produce(task: ClientTask, settings: Settings, work_dir: Path, client_dir: Path) -> dict[str, Any]:
    from nbreport.render.execute import execute_notebook
    from nbreport.render.export import export_html
    from nbreport.render.meta import report_meta

    executed_path = work_dir / REPORT_NOTEBOOK
    notebook = execute_notebook(
        settings.notebook, executed_path, notebook_parameters(task, settings), cwd=work_dir,
        kernel_name=settings.kernel_name, start_timeout=settings.start_timeout,
        cell_timeout=settings.cell_timeout)
    html = export_html(notebook, report_meta(task.params, settings.project_dir), settings.templates_dir)
    html_path = work_dir / REPORT_HTML
    write_atomic(html_path, html)
    summary = extract_summary(notebook)
    # artifacts and the notebook first, the HTML last: a report appears once everything is in place
    for name in summary.get("artifacts", []):
        move_atomic(_artifact_path(work_dir, name), client_dir / name)
    move_atomic(executed_path, client_dir / REPORT_NOTEBOOK)
    move_atomic(html_path, client_dir / REPORT_HTML)
    return summary


def _log_review(client_id: str, summary: dict[str, Any]) -> None:
    """Why a produced report may not go to the client (e.g. flagged commentary), in the run log."""
    for reason in summary.get("review", {}).get("reasons", []):
        log.warning("%s: not publishable: %s", client_id, reason)


def _publish_other_formats(client_dir: Path, settings: Settings, result: ClientResult) -> None:
    """The PDF copy (``--format pdf`` or ``html+pdf``), printed from the published HTML."""
    from nbreport.render.pdf import publish_pdf

    for kind, name in publish_pdf(client_dir, settings.report_format).items():
        if name:
            result.files[kind] = f"{result.client_id}/{name}"
        else:
            result.files.pop(kind, None)


def _artifact_path(work_dir: Path, name: str) -> Path:
    """A file the notebook wrote in its working folder and listed in its run summary."""
    if "/" in name or "\\" in name or name.startswith(".") or not (work_dir / name).is_file():
        raise ReportError(f"the run summary lists artifact '{name}', which is not a file the "
                          "notebook wrote in its working folder")
    return work_dir / name


def notebook_parameters(task: ClientTask, settings: Settings) -> dict[str, Any]:
    """Plain values for the notebook's parameters cell (papermill writes them as literals)."""
    return {
        "client_id": task.client_id,
        "params": task.params.model_dump(mode="json"),
        "project_dir": str(settings.project_dir),
        "data_dir": str(settings.data_dir),
        "outputs_dir": str(settings.outputs_dir),
    }


def extract_summary(notebook: Any) -> dict[str, Any]:
    """The run summary the notebook's last cell displayed (empty when it has none)."""
    from nbreport.report.summary import SUMMARY_MIME

    for cell in reversed(notebook.cells):
        for output in cell.get("outputs", []):
            if SUMMARY_MIME in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIME])
    return {}


def _describe_failure(exc: Exception, settings: Settings) -> ClientError:
    if isinstance(exc, ReportError):
        return ClientError("execute", redact_paths(str(exc), settings), exc.cell_index, exc.ename)
    stage = "export" if isinstance(exc, NbreportError) else "execute"
    return ClientError(stage, redact_paths(f"{type(exc).__name__}: {exc}", settings),
                       ename=type(exc).__name__)


def redact_paths(text: str, settings: Settings) -> str:
    """``text`` with this machine's folders replaced by their names in the project."""
    for folder, name in ((settings.data_dir, "data"), (settings.outputs_dir, "outputs"),
                         (settings.project_dir, "."), (Path.home(), "~")):
        text = text.replace(str(folder), name)
    return text


def _keep_partial_notebook(work_dir: Path, client_dir: Path, result: ClientResult) -> None:
    partial = work_dir / REPORT_NOTEBOOK
    if partial.exists():
        move_atomic(partial, client_dir / FAILED_NOTEBOOK)
        result.files = {"failed_notebook": f"{result.client_id}/{FAILED_NOTEBOOK}"}
