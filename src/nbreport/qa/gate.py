"""The gate before sending: every report of a period, checked; the period's shared pages too.

``nbreport check [PERIOD]`` runs it on what is in ``outputs/<period>/``; the
batch engine runs it at the end of every batch. A report that fails any check
must not be sent; the gate's verdicts are written to ``outputs/<period>/qa.json``
and into each client's manifest entry.
"""

from __future__ import annotations

import fnmatch
import json
import threading
from datetime import datetime, timezone
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Collection, Mapping
from typing import Any

from nbreport.core.errors import ConfigError, ParamsError, ReportError
from nbreport.params import ClientParams, params_from_plain
from nbreport.core.layout import (
    INDEX,
    MANIFEST,
    REPORT_HTML,
    REPORT_NOTEBOOK,
    ProjectLayout,
    evidence_file,
)
from nbreport.qa.data_pack import PACK_READERS
from nbreport.qa.gate_context import GateContext
from nbreport.qa.verdict_store import store_checks, stored_checks
from nbreport.qa.checks import (
    CheckResult,
    ReportUnderCheck,
    check_report,
    first_reason,
    previewed_drafts,
    find_secrets,
    foreign_markers_in,
    without_embedded_data,
)
from nbreport.core.files import write_atomic
from nbreport.settings import Settings


class ReportHeldBack(ReportError):
    """A report failed the QA gate and was not published."""

PRODUCED = "report produced"
MANIFEST_LEAKS = "manifest: no client holds another's markers"
INDEX_LEAKS = "index: no client holds another's markers"
_LEAK_CHECKS = frozenset({MANIFEST_LEAKS, INDEX_LEAKS})
# a report at its final path: produced by a run, or found on disk without an entry (recovered)
PUBLISHED_STATUSES = frozenset({"ok", "recovered"})
RECOVERED = {"status": "recovered"}  # the entry of a report on disk the manifest does not know


@dataclass
class ClientVerdict:
    """The gate's verdict on one client's report."""

    client_id: str
    checks: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]


@dataclass
class GateReport:
    """Verdicts for a period: one per client, plus the shared pages (index, manifest)."""

    period: str
    clients: list[ClientVerdict] = field(default_factory=list)
    shared: list[CheckResult] = field(default_factory=list)
    leaking: set[str] = field(default_factory=set)  # clients whose manifest entry or index row leaks

    @property
    def passed(self) -> bool:
        return all(v.passed for v in self.clients) and all(c.passed for c in self.shared)

    def passed_for(self, client_ids: Collection[str] | None) -> bool:
        """The verdict a command naming ``client_ids`` answers with (all clients when None).

        Only those clients' reports count, and of the shared pages, the checks about the pages
        as a whole and the rows of those clients: another client's failing report shows on the
        index page, never in the exit code of a command that did not name it.
        """
        if client_ids is None:
            return self.passed
        named = set(client_ids)
        if named - {v.client_id for v in self.clients}:  # a client named has no report to check
            return False
        return (all(v.passed for v in self.clients if v.client_id in named)
                and all(c.passed for c in self.shared if c.name not in _LEAK_CHECKS or not self.leaking)
                and not named & self.leaking)

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "passed": self.passed,
                "clients": {v.client_id: {"passed": v.passed, "checks": [asdict(c) for c in v.checks]}
                            for v in self.clients},
                "shared": [asdict(c) for c in self.shared]}


def latest_period(outputs_dir: Path) -> str:
    """The most recently updated period folder that has a manifest or a published report."""
    found = [*ProjectLayout(outputs_dir).manifests(), *outputs_dir.glob(f"*/*/{REPORT_HTML}")]
    folders = {path.parent if path.name == MANIFEST else path.parent.parent: path.stat().st_mtime
               for path in sorted(found, key=lambda p: p.stat().st_mtime)}
    if not folders:
        raise ConfigError(f"no reports in {outputs_dir.name}/ yet; run nbreport run first")
    return max(folders, key=folders.__getitem__).name


def gate_period(settings: Settings, period: str, clients: list[str] | None = None) -> GateReport:
    """Check every report of ``period`` (or only ``clients``) and the period's shared pages."""
    layout = ProjectLayout.of(settings)
    period_dir, manifest_path = layout.period_dir(period), layout.manifest(period)
    on_disk = layout.published_clients(period)
    if not manifest_path.exists() and not on_disk:
        raise ConfigError(f"no reports for period '{period}' in {settings.outputs_dir.name}/")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    context = GateContext.for_project(settings)
    # the folder as well as the manifest: a report the manifest does not know is checked too
    known = {**{client_id: RECOVERED for client_id in on_disk}, **manifest.get("clients", {})}
    entries = {cid: e for cid, e in known.items() if not clients or cid in clients}
    report = GateReport(period)
    for client_id, entry in sorted(entries.items()):
        report.clients.append(_verdict(period_dir, client_id, entry, context))
    report.shared, report.leaking = _shared_checks(period_dir, manifest, context)
    return report


def record(report: GateReport, settings: Settings, *, published_anyway: bool = False,
           run_clients: set[str] | None = None) -> None:
    """Write ``qa.json`` and each client's verdict into the manifest.

    ``published_anyway``: this run published every report (``--publish all``); a report of
    ``run_clients`` that fails the gate is then marked as published despite failing, so the
    manifest says who let a failing report out and when.
    """
    layout = ProjectLayout.of(settings)
    write_atomic(layout.qa(report.period), json.dumps(report.to_dict(), indent=2) + "\n")
    manifest_path = layout.manifest(report.period)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for verdict in report.clients:
        entry = manifest["clients"].get(verdict.client_id)
        if entry is None:
            continue
        previous = entry.get("qa") or {}
        failed = verdict.failures  # first_reason: what the index card says
        entry["qa"] = {"passed": not failed, "failed": [c.name for c in failed],
                       "first_reason": first_reason(failed)}
        ran_now = run_clients is None or verdict.client_id in run_clients
        if published_anyway and ran_now and not verdict.passed and entry.get("status") == "ok":
            entry["qa"]["published_despite_failing"] = {
                "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "by": "nbreport run --publish all"}
        elif not ran_now and "published_despite_failing" in previous and not verdict.passed:
            entry["qa"]["published_despite_failing"] = previous["published_despite_failing"]
    write_atomic(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def check_before_publishing(work: Any) -> None:
    """The gate on one report before it reaches its final path (``nbreport run --publish passing``):
    a :data:`~nbreport.batch.pipeline.Check`: raises :class:`ReportHeldBack` naming the failed
    checks, which keeps the report unpublished (the previous good one stays).

    The checks are kept on ``work`` (``gate_checks``), so that the period's verdict on the
    report, once published, takes them instead of making every check twice.
    """
    context = GateContext.for_project(work.settings)
    subject = ReportUnderCheck(
        client_id=work.task.client_id, html=work.html_path.read_text(encoding="utf-8"),
        notebook=work.notebook, summary=work.summary, params=work.task.params,
        foreign_markers=context.foreign_to(work.task.client_id), secrets=context.secrets,
        folder=work.work_dir)
    checks = check_report(subject)
    work.gate_checks = CheckedReport(context.fingerprint(), tuple(checks))
    failures = [c for c in checks if not (c.passed or previewed_drafts(c, work.summary))]
    if failures:
        raise ReportHeldBack("held back by the QA gate: " + "; ".join(
            f"{check.name} ({check.detail})" if check.detail else check.name for check in failures))


@dataclass(frozen=True)
class CheckedReport:
    """A report's checks as the gate made them before publishing, and under which markers and
    secrets (:meth:`GateContext.fingerprint`)."""

    context: str
    checks: tuple[CheckResult, ...]


def precheck(settings: Settings, period: str, client_id: str, summary: dict[str, Any],
             checked: CheckedReport | None = None) -> None:
    """Work out the verdict on a report just published, while other clients are still running,
    so that the period's gate at the end of the run finds it done (a batch calls this).

    ``checked``: the checks made on this report before it was published; taken as they are
    when the markers and secrets are still the same, so only the files beside the report are
    checked here."""
    context = GateContext.for_project(settings)
    known = checked.checks if checked is not None and checked.context == context.fingerprint() else None
    _verdict(ProjectLayout.of(settings).period_dir(period), client_id,
             {"status": "ok", "summary": summary}, context, known)


# Verdicts already worked out in this process, by what they were worked out from: a report's
# files (their size, time and inode change whenever a file is rewritten), its run summary and
# every client's markers and secrets. Kept in memory, and on disk between runs
# (nbreport.qa.verdict_store).
_VERDICTS: dict[tuple[Any, ...], ClientVerdict] = {}
_VERDICTS_LOCK = threading.Lock()
_VERDICTS_KEPT = 4096


def _verdict(period_dir: Path, client_id: str, entry: dict[str, Any],
             context: GateContext, known: Collection[CheckResult] | None = None) -> ClientVerdict:
    if entry.get("status") not in PUBLISHED_STATUSES:
        return _checked_verdict(period_dir, client_id, entry, context)
    key = _verdict_key(period_dir / client_id, entry, context)
    with _VERDICTS_LOCK:
        verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = _stored_or_checked(period_dir, client_id, entry, context, known, key)
        with _VERDICTS_LOCK:
            if len(_VERDICTS) >= _VERDICTS_KEPT:
                _VERDICTS.clear()
            _VERDICTS[key] = verdict
    return verdict


def _stored_or_checked(period_dir: Path, client_id: str, entry: dict[str, Any], context: GateContext,
                       known: Collection[CheckResult] | None, key: tuple[Any, ...]) -> ClientVerdict:
    """The verdict a run before this one stored for the same files, or a new one (then stored)."""
    stored = stored_checks(period_dir.parent, key)
    if stored is not None:
        return ClientVerdict(client_id, stored)
    verdict = _checked_verdict(period_dir, client_id, entry, context, known)
    store_checks(period_dir.parent, key, verdict.checks)
    return verdict


def _verdict_key(client_dir: Path, entry: dict[str, Any], context: GateContext) -> tuple[Any, ...]:
    files = []
    if client_dir.is_dir():
        for path in sorted(client_dir.iterdir()):
            state = path.stat()
            files.append((path.name, state.st_size, state.st_mtime_ns, state.st_ino))
    return (str(client_dir), tuple(files),
            json.dumps(entry.get("summary") or {}, sort_keys=True, default=str),
            tuple(sorted((client, tuple(markers)) for client, markers in context.markers.items())),
            tuple(context.secrets))


def _checked_verdict(period_dir: Path, client_id: str, entry: dict[str, Any],
                     context: GateContext, known: Collection[CheckResult] | None = None
                     ) -> ClientVerdict:
    """The verdict on one report: every check (or ``known``, the same checks made on it before
    it was published) and the files beside it."""
    html_path = period_dir / client_id / REPORT_HTML
    if entry.get("status") not in PUBLISHED_STATUSES or not html_path.exists():
        reason = (entry.get("error") or {}).get("message") or "no report at its final path"
        return ClientVerdict(client_id, [CheckResult(PRODUCED, False, reason.splitlines()[0][:200])])
    if known is None:
        notebook = _read_notebook(period_dir / client_id / REPORT_NOTEBOOK)
        known = check_report(ReportUnderCheck(
            client_id=client_id, html=html_path.read_text(encoding="utf-8"), notebook=notebook,
            summary=entry.get("summary") or {}, params=_params_of(notebook),
            foreign_markers=context.foreign_to(client_id), secrets=context.secrets,
            folder=period_dir / client_id))
    checks = [CheckResult(PRODUCED, True), *known]
    checks.append(_assets_check(period_dir / client_id, context.foreign_to(client_id), context.secrets))
    return ClientVerdict(client_id, checks)


def _assets_check(client_dir: Path, foreign: dict[str, list[str]], secrets: list[str]) -> CheckResult:
    """Every other file kept beside the report (notebook, stored forecasts...) is clean too."""
    problems = []
    for path in sorted(client_dir.iterdir()):
        if path.name == REPORT_HTML or not path.is_file():
            continue
        if fnmatch.fnmatch(path.name, evidence_file("*")):
            problems += [f"{path.name}: {p}" for p in _rows_problems(path, foreign, secrets)]
            continue
        texts = _pack_texts(path)
        text = ("\n".join(texts) if texts is not None
                else without_embedded_data(path.read_text(encoding="utf-8", errors="replace")))
        problems += [f"{path.name}: {p}" for p in foreign_markers_in(text, foreign)]
        problems += [f"{path.name}: {p}" for p in find_secrets(text, secrets, strings=texts)]
    return CheckResult("files beside the report clean", not problems, "; ".join(problems)[:300])


def _pack_texts(path: Path) -> list[str] | None:
    """A data pack's texts (its cells, as the client opens them); None for any other file, or a
    pack that does not open (then read as text, as any other file). Its compressed bytes read
    as text could never show a marker, and scanning them cost a tenth of a second a report."""
    read = PACK_READERS.get(path.name)
    try:
        return read(path) if read is not None else None
    except Exception:  # noqa: BLE001 - a broken file raises many kinds of error
        return None


def _rows_problems(path: Path, foreign: dict[str, list[str]], secrets: list[str]) -> list[str]:
    """Other clients' markers and the params' secrets in the values of a report's stored rows."""
    needles = {f"marker #{number} of {client}": marker for client, markers in sorted(foreign.items())
               for number, marker in enumerate(markers, start=1)}
    needles.update({f"secret #{i + 1} of the params' environment variables": secret
                    for i, secret in enumerate(secrets) if secret and len(secret) >= 4})
    return rows_holding(path, needles)


def rows_holding(path: Path, needles: Mapping[str, str]) -> list[str]:
    """The labels of ``needles`` (label -> text) that some text value of the stored rows in
    ``path`` contains. The files are compressed: their bytes say nothing, their values do."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = {label: text for label, text in needles.items() if text}
    if not wanted:
        return []
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        return [f"unreadable ({exc})"]
    texts = [table.column(field.name) for field in table.schema
             if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)]
    return [label for label, text in wanted.items()
            if any(pc.any(pc.match_substring(column, text)).as_py() for column in texts)]


def _shared_checks(period_dir: Path, manifest: dict[str, Any],
                   context: GateContext) -> tuple[list[CheckResult], set[str]]:
    """The checks of the period's shared pages, and the clients whose entry or row leaks."""
    results = []
    for name in (INDEX, MANIFEST):
        path = period_dir / name
        text = without_embedded_data(path.read_text(encoding="utf-8")) if path.exists() else ""
        found = find_secrets(text, context.secrets)
        results.append(CheckResult(f"{name}: no secrets", not found, ", ".join(found)))
    leaks: dict[str, list[str]] = {}
    for client_id, entry in manifest.get("clients", {}).items():
        entry_text = json.dumps(entry, ensure_ascii=False)
        hits = foreign_markers_in(entry_text, context.foreign_to(client_id))
        if hits:
            leaks[client_id] = [f"{client_id} entry holds {hit}" for hit in hits]
    results.append(CheckResult(MANIFEST_LEAKS, not leaks,
                               "; ".join(line for lines in leaks.values() for line in lines)))
    index_check, index_leaking = _index_rows_check(period_dir / INDEX, context)
    results.append(index_check)
    return results, set(leaks) | index_leaking


def _index_rows_check(index_path: Path, context: GateContext) -> tuple[CheckResult, set[str]]:
    from bs4 import BeautifulSoup

    if not index_path.exists():
        return CheckResult(INDEX_LEAKS, False, f"{INDEX} is missing"), set()
    soup = BeautifulSoup(index_path.read_text(encoding="utf-8"), "html.parser")
    leaks, leaking = [], set()
    for row in soup.select("[data-client]"):
        client_id = str(row["data-client"])
        hits = foreign_markers_in(row.get_text(" "), context.foreign_to(client_id))
        leaks += [f"{client_id} row holds {hit}" for hit in hits]
        leaking |= {client_id} if hits else set()
    return CheckResult(INDEX_LEAKS, not leaks, "; ".join(leaks)), leaking


def _read_notebook(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4) if path.exists() else None


def _params_of(notebook: Any) -> ClientParams | None:
    """The parameters the report was produced with, as papermill recorded them."""
    try:
        injected = notebook.metadata["papermill"]["parameters"]["params"]
        return params_from_plain(dict(injected))
    except (AttributeError, KeyError, TypeError, ParamsError):
        return None
