"""One client's report: execute -> export -> check -> publish, isolated from every other client.

Each client runs in a working folder of its own (beside its output folder,
so that publishing is a rename) with a fresh kernel whose working directory
and temporary folder are that folder: figures and temporary files of two
clients can never meet. A report reaches its final path only when it is
complete; a failed, timed-out or interrupted run leaves the previous good
report in place and keeps the partial notebook, with an error banner, as
``report.failed.ipynb``.

The stages are plain functions so that more can be added: ``checks`` run after
the export and before publishing, and may block publishing by raising
:class:`~nbreport.core.errors.ReportError` (a QA gate, say).
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from nbreport.batch.results import ClientError, ClientResult
from nbreport.batch.failures import describe_failure, redact_paths
from nbreport.core.errors import (
    ReportError,
    ReportInterrupted,
    ReportTimeout,
    StorageError,
)
from nbreport.core.layout import (
    FAILED_NOTEBOOK,
    REPORT_HTML,
    REPORT_NOTEBOOK,
    WORK_PREFIX,
    WORK_TMP,
    ProjectLayout,
    period_href,
)
from nbreport.params import ClientParams, params_hash
from nbreport.protocol import SUMMARY_MIME
from nbreport.core.files import (
    as_storage_error,
    make_folder,
    move_atomic,
    storage_errors,
    write_atomic,
)
from nbreport.settings import Settings

log = logging.getLogger(__name__)

STOP_POLL_S = 0.5
_EXPORT_LOCK = threading.Lock()


class StopToken(Protocol):
    """Set when the whole run is to stop: a ``threading.Event`` or a ``distributed.Event``."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class ClientTask:
    """One client's report to produce: its validated parameters and where outputs go.

    ``inputs`` are the fingerprints of what the report is made from (see
    :mod:`nbreport.batch.fingerprint`); they are recorded with the result.
    """

    client_id: str
    params: ClientParams
    inputs: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def period_key(self) -> str:
        """The run's folder under ``outputs/``: the period, or ``<period>-as-of-<day>`` for a
        period to date (it never overwrites the period's final report)."""
        return self.params.output_key

    @property
    def period_label(self) -> str:
        """How the manifest and the index pages name the run's folder."""
        label = self.params.period.label
        if self.params.report_period != self.params.period:
            end = self.params.report_period.end
            label += f" to {end.day} {end:%B %Y}"
        return label


@dataclass
class ClientWork:
    """Where one client's run happens and what it has produced so far."""

    task: ClientTask
    settings: Settings
    work_dir: Path
    notebook: Any = None
    html_path: Path | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    gate_checks: Any = None  # what a QA gate check found (nbreport.qa.gate.CheckedReport)

    @property
    def client_dir(self) -> Path:
        return ProjectLayout.of(self.settings).client_dir(self.task.period_key, self.task.client_id)

    @property
    def executed_path(self) -> Path:
        return self.work_dir / REPORT_NOTEBOOK


Check = Callable[[ClientWork], None]


def run_client(task: ClientTask, settings: Settings, *, stop: StopToken | None = None,
               checks: Sequence[Check] = ()) -> ClientResult:
    """Execute, export, check and publish one client's report.

    Failures become the result's status and error, never an exception: one
    client's failure never stops the others.
    """
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    result = ClientResult(task.client_id, task.period_key, "failed",
                          client_name=task.params.client.name,
                          started_at=started.isoformat(timespec="seconds"),
                          params_hash=params_hash(task.params), inputs=dict(task.inputs))
    failure: StorageError | None = None
    with _work_folder(task, settings) as work:
        try:
            if _is_set(stop):
                raise ReportInterrupted("not started: the run was interrupted")
            _timed(result, "execute", lambda: execute(work, stop, result))
            _timed(result, "export", lambda: export(work))
            _log_review(task.client_id, work.summary)
            if checks:
                _timed(result, "check", lambda: run_checks(work, checks))
            if _is_set(stop):
                raise ReportInterrupted("not published: the run was interrupted")
            _timed(result, "publish", lambda: publish(work))
            result.status, result.summary = "ok", work.summary
            result.gate_checks = work.gate_checks
            result.files = published_files(task.client_id, work.summary)
            _timed(result, "pdf", lambda: _publish_other_formats(work.client_dir, settings, result))
        except Exception as exc:  # noqa: BLE001 - one client's failure must never stop the others
            failure = as_storage_error(exc)
            _record_failure(result, failure or exc, work)
    if failure is not None and failure.device_wide:
        # A full or read-only disk fails every client alike (and the manifest): stop the run
        # with one line. A file of this client's own (no permission ...) fails it only.
        raise failure
    result.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    result.duration_s = round(time.perf_counter() - clock, 2)
    return result


@contextlib.contextmanager
def _work_folder(task: ClientTask, settings: Settings) -> Iterator[ClientWork]:
    period_dir = ProjectLayout.of(settings).period_dir(task.period_key)
    with storage_errors(period_dir):
        period_dir.mkdir(parents=True, exist_ok=True)
        work_dir = Path(tempfile.mkdtemp(dir=period_dir, prefix=f"{WORK_PREFIX}{task.client_id}-"))
    with storage_errors(work_dir / WORK_TMP):
        (work_dir / WORK_TMP).mkdir()
    try:
        yield ClientWork(task, settings, work_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def _timed(result: ClientResult, stage: str, step: Callable[[], None]) -> None:
    """Run one stage and record its seconds (unless the stage recorded a finer figure itself, as
    ``execute`` does: the time the cells ran, the kernel's start apart)."""
    clock = time.perf_counter()
    try:
        step()
    finally:
        result.timings.setdefault(stage, round(time.perf_counter() - clock, 3))


def run_checks(work: ClientWork, checks: Sequence[Check]) -> None:
    """Each check sees the exported report before it is published; raising blocks publishing."""
    for check in checks:
        check(work)


def execute(work: ClientWork, stop: StopToken | None, result: ClientResult) -> None:
    """Run the master notebook for the client in a fresh kernel inside its working folder.

    On the plain path (``settings.plain``) papermill starts the kernel out of reach: a stopped
    run lets it finish, then does not publish the report.
    """
    from nbreport.render.execute import execute_notebook, stage_seconds
    from nbreport.render.kernels import KernelWatch

    task, settings = work.task, work.settings
    kernels = None if settings.plain else KernelWatch()
    started = datetime.now(timezone.utc)
    try:
        with _stop_watch(stop, kernels):
            work.notebook = execute_notebook(
                settings.notebook, work.executed_path, notebook_parameters(task, settings),
                cwd=work.work_dir, kernel_name=settings.kernel_name,
                start_timeout=settings.start_timeout, cell_timeout=report_cell_timeout(task, settings),
                kernels=kernels, env=kernel_environment(work), plain=settings.plain)
    except ReportError:
        result.timings.update(_partial_timings(work, started))
        raise
    result.timings.update(stage_seconds(work.notebook, started))


def _partial_timings(work: ClientWork, started: datetime) -> dict[str, float]:
    from nbreport.render.execute import stage_seconds

    if not work.executed_path.exists():
        return {}
    import nbformat

    return stage_seconds(nbformat.read(work.executed_path, as_version=4), started)


def report_cell_timeout(task: ClientTask, settings: Settings) -> float | None:
    """The report's cell time limit: from its params (``report.cell_timeout``), else the run's."""
    return task.params.report.cell_timeout or settings.cell_timeout


def kernel_environment(work: ClientWork) -> dict[str, str]:
    """Environment the client's kernel gets on top of ours: temporary files in its own folder."""
    temporary = str(work.work_dir / WORK_TMP)
    return {"TMPDIR": temporary, "TEMP": temporary, "TMP": temporary}


@contextlib.contextmanager
def _stop_watch(stop: StopToken | None, kernels: Any) -> Iterator[None]:
    """While the block runs, kill the client's kernel as soon as ``stop`` is set."""
    if stop is None or kernels is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(STOP_POLL_S):
            if _is_set(stop):
                kernels.kill()
                return

    watcher = threading.Thread(target=watch, name="nbreport-stop-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def _is_set(stop: StopToken | None) -> bool:
    if stop is None:
        return False
    try:
        return bool(stop.is_set())
    except Exception:  # noqa: BLE001 - a lost scheduler must not fail a report
        log.debug("could not read the stop signal", exc_info=True)
        return False


def export(work: ClientWork) -> None:
    """The client's HTML report, written inside the working folder."""
    from nbreport.render.export import export_html
    from nbreport.render.meta import report_meta

    meta = report_meta(work.task.params, work.settings.project_dir)
    with _EXPORT_LOCK:  # worker threads share one exporter (and export holds the GIL anyway)
        html = export_html(work.notebook, meta, work.settings.templates_dir)
    work.html_path = work.work_dir / REPORT_HTML
    write_atomic(work.html_path, html)
    work.summary = extract_summary(work.notebook)


def publish(work: ClientWork) -> None:
    """Move artifacts, the executed notebook and, last, the HTML to the client's folder."""
    client_dir = work.client_dir
    make_folder(client_dir)
    for name in work.summary.get("artifacts", []):
        move_atomic(_artifact_path(work.work_dir, name), client_dir / name)
    move_atomic(work.executed_path, client_dir / REPORT_NOTEBOOK)
    assert work.html_path is not None
    move_atomic(work.html_path, client_dir / REPORT_HTML)  # the report appears once all is in place
    with storage_errors(client_dir / FAILED_NOTEBOOK):
        (client_dir / FAILED_NOTEBOOK).unlink(missing_ok=True)


def _log_review(client_id: str, summary: dict[str, Any]) -> None:
    """Why a produced report may not go to the client (e.g. flagged commentary), in the run log."""
    for reason in summary.get("review", {}).get("reasons", []):
        log.warning("%s: not publishable: %s", client_id, reason)


def _publish_other_formats(client_dir: Path, settings: Settings, result: ClientResult) -> None:
    """The PDF copy (``--format pdf`` or ``html+pdf``), printed from the published HTML."""
    from nbreport.render.pdf import publish_pdf

    for kind, name in publish_pdf(client_dir, settings.report_format).items():
        if name:
            result.files[kind] = period_href(result.client_id, name)
        else:
            result.files.pop(kind, None)


def published_files(client_id: str, summary: dict[str, Any]) -> dict[str, str]:
    return {"html": period_href(client_id, REPORT_HTML), "notebook": period_href(client_id, REPORT_NOTEBOOK),
            **{name: period_href(client_id, name) for name in summary.get("artifacts", [])}}


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
    for cell in reversed(notebook.cells):
        for output in cell.get("outputs", []):
            if SUMMARY_MIME in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIME])
    return {}


def _record_failure(result: ClientResult, exc: Exception, work: ClientWork) -> None:
    result.status = ("interrupted" if isinstance(exc, ReportInterrupted)
                     else "timeout" if isinstance(exc, ReportTimeout) else "failed")
    result.error = describe_failure(exc, work.settings, stage=_failed_stage(result))
    if result.status != "interrupted":
        _keep_partial_notebook(work, result)
    log.warning("%s: %s", work.task.client_id, result.error.message)


def _failed_stage(result: ClientResult) -> str:
    for stage in ("publish", "check", "export", "execute"):
        if stage in result.timings:
            return stage
    return "execute"


def _keep_partial_notebook(work: ClientWork, result: ClientResult) -> None:
    """The partial notebook as ``report.failed.ipynb``, if whole: papermill saves it in place,
    so on a full disk it may be cut off, and must not then replace one that reads."""
    if not _is_whole_notebook(work.executed_path):
        return
    try:
        move_atomic(work.executed_path, work.client_dir / FAILED_NOTEBOOK)
    except StorageError as exc:  # the failure is recorded already; this one only is logged
        log.warning("%s: %s", work.task.client_id, exc)
        return
    result.files = {"failed_notebook": period_href(result.client_id, FAILED_NOTEBOOK)}


def _is_whole_notebook(path: Path) -> bool:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and isinstance(document.get("cells"), list)
