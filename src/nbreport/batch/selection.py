"""Which clients a run produces: validated parameters, then only those that need a new report.

Parameters are validated for every client before any kernel starts (:func:`plan`). A client
is skipped when its last run succeeded, its report is in place in every format asked for and
none of its inputs changed since (:func:`select_tasks`); the others run longest first (:func:`longest_first`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from nbreport.batch.fingerprint import changed_inputs, client_inputs, shared_inputs
from nbreport.batch.manifest import read_manifest
from nbreport.batch.options import BatchOptions
from nbreport.batch.pipeline import ClientTask
from nbreport.batch.results import RERUN_STATUSES, ClientError, ClientResult
from nbreport.core.errors import ParamsError
from nbreport.core.layout import REPORT_HTML, REPORT_PDF, ProjectLayout
from nbreport.params import client_files, load_client_params
from nbreport.settings import Settings

log = logging.getLogger(__name__)
# what each --format publishes in a client's folder: a client missing one of them runs again
FORMAT_FILES = {"html": (REPORT_HTML,), "pdf": (REPORT_PDF,), "html+pdf": (REPORT_HTML, REPORT_PDF)}


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


def select_tasks(tasks: list[ClientTask], settings: Settings,
                 options: BatchOptions) -> tuple[list[ClientTask], list[str]]:
    """Fingerprint every task; keep those to run, name those skipped.

    ``only_failed`` keeps the clients whose last run for the period did not succeed (or never
    started, the run being interrupted). Otherwise
    a client is skipped when its last run succeeded, its report is in place and none of its
    inputs changed since, unless ``force``.
    """
    shared = shared_inputs(settings)
    layout = ProjectLayout.of(settings)
    manifests: dict[str, dict[str, Any]] = {}
    selected, skipped = [], []
    for task in tasks:
        task = ClientTask(task.client_id, task.params,
                          client_inputs(task.client_id, task.params, settings, shared))
        if task.period_key not in manifests:
            manifests[task.period_key] = read_manifest(layout.period_dir(task.period_key))
        manifest = manifests[task.period_key]
        last = manifest.get("clients", {}).get(task.client_id) or {}
        if options.only_failed:
            never_started = manifest.get("last_run", {}).get("clients", {}).get("not_started", [])
            keep = last.get("status") in RERUN_STATUSES or task.client_id in never_started
        else:
            keep = options.force or _needs_run(task, last, layout, settings.report_format)
        (selected if keep else skipped).append(task if keep else task.client_id)
    return longest_first(selected, manifests), skipped


def longest_first(tasks: list[ClientTask], manifests: dict[str, dict[str, Any]]) -> list[ClientTask]:
    """``tasks`` by the duration of their last run for the period, longest first; clients
    never run come first, in the order given.

    A batch that starts its slowest clients last ends with one worker still busy while the
    others have nothing left to do.
    """
    def last_duration(task: ClientTask) -> float:
        entry = manifests.get(task.period_key, {}).get("clients", {}).get(task.client_id) or {}
        duration = entry.get("duration_s")
        return float(duration) if isinstance(duration, (int, float)) else float("inf")

    return sorted(tasks, key=last_duration, reverse=True)


def _needs_run(task: ClientTask, last: dict[str, Any], layout: ProjectLayout,
               report_format: str) -> bool:
    """Whether a client runs: its last run did not succeed, a file the requested format
    publishes is missing (``--format html+pdf`` after HTML-only runs), or an input changed."""
    if last.get("status") != "ok":
        return True
    folder = layout.client_dir(task.period_key, task.client_id)
    missing = [name for name in FORMAT_FILES.get(report_format, (REPORT_HTML,))
               if not (folder / name).is_file()]
    if missing:
        log.info("%s: %s not published yet", task.client_id, ", ".join(missing))
        return True
    changed = changed_inputs(last.get("inputs") or {}, task.inputs)
    if changed:
        log.info("%s: %s changed since the last report", task.client_id, ", ".join(changed))
    return bool(changed)
