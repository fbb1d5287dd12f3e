"""Where every output file goes, in one place.

::

    outputs/                          ProjectLayout.outputs_dir
      index.html                      archive_index(): every period
      .cache/                         the compute cache (nbreport.core.compute_cache)
      2026-10/                        period_dir(period)
        index.html  manifest.json  qa.json  .nbreport.lock
        .work-<client>-XXXX/          a client's working folder while it runs (tmp/ inside)
        northwind-outfitters/         client_dir(period, client_id)
          report.html  report.ipynb  report.failed.ipynb  report.pdf
          forecasts.json  results.json  rows-<kind>.parquet  data.xlsx  data.zip
        deliveries.json               nbreport send: every message sent (deliveries_file)
        sent/<client>/                report.html and results.json as they were sent
        outbox/<client>.eml           nbreport send --dry-run: the message it would send

The file names are also used on their own: the notebook writes ``forecasts.json``,
``results.json`` and ``rows-<kind>.parquet`` into its working folder, and the manifest and the index pages link
a client's files relative to the period folder (:func:`period_href`). This module imports
nothing of nbreport: the settings import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

OUTPUTS_FOLDER = "outputs"  # under the project folder, unless the run says otherwise
REPORT_HTML = "report.html"
REPORT_NOTEBOOK = "report.ipynb"
FAILED_NOTEBOOK = "report.failed.ipynb"  # the partial notebook of a failed run, with its error
REPORT_PDF = "report.pdf"
FORECASTS_FILE = "forecasts.json"
RESULTS_FILE = "results.json"  # every figure of the report (nbreport.report.results), as JSON
# The canonical rows a report was computed from, one Parquet file per kind of data, written by
# the notebook (nbreport.report.evidence) and read by the QA gate (nbreport.qa.recompute).
EVIDENCE_FILE = "rows-{kind}.parquet"
# The client's data pack (nbreport.delivery.datapack): every table and chart of the report's
# body as a workbook, and as CSV files in a zip; the report links both.
DATA_XLSX = "data.xlsx"
DATA_ZIP = "data.zip"
MANIFEST = "manifest.json"
INDEX = "index.html"
QA_FILE = "qa.json"
LOCK_FILE = ".nbreport.lock"
WORK_PREFIX = ".work-"  # working folders inside outputs/<period>/, removed after each client
WORK_TMP = "tmp"  # the kernel's temporary folder inside a working folder
DELIVERIES_FILE = "deliveries.json"  # every message nbreport send sent for the period
SENT_DIR = "sent"  # outputs/<period>/sent/<client>/: a copy of what was sent
OUTBOX_DIR = "outbox"  # outputs/<period>/outbox/<client>.eml: what send --dry-run would send
RESERVED_FOLDERS = (SENT_DIR, OUTBOX_DIR)  # folders of a period that are not clients
PORTAL_TOKENS = "portal-tokens.json"  # outputs/: client -> unguessable portal folder name


def evidence_file(kind: str) -> str:
    """``rows-<kind>.parquet``: the file name of one kind of stored rows."""
    return EVIDENCE_FILE.format(kind=kind)


def period_href(client_id: str, name: str) -> str:
    """A client's file as the manifest and the period's index page link it: ``<client>/<name>``."""
    return f"{client_id}/{name}"


class _NamesOutputs(Protocol):
    """What :meth:`ProjectLayout.of` reads: :class:`nbreport.settings.Settings`, say."""

    @property
    def outputs_dir(self) -> Path: ...


@dataclass(frozen=True)
class ProjectLayout:
    """The paths of a project's outputs.

    Attributes
    ----------
    outputs_dir:
        The outputs folder (``<project>/outputs`` unless the run names another).
    """

    outputs_dir: Path

    @classmethod
    def of(cls, settings: _NamesOutputs) -> ProjectLayout:
        """The layout of the outputs folder ``settings`` name."""
        return cls(settings.outputs_dir)

    @classmethod
    def default(cls, project_dir: Path) -> ProjectLayout:
        """The layout of the standard outputs folder under ``project_dir``."""
        return cls(project_dir / OUTPUTS_FOLDER)

    def archive_index(self) -> Path:
        """``outputs/index.html``: the page listing every period."""
        return self.outputs_dir / INDEX

    def period_dir(self, period: str) -> Path:
        return self.outputs_dir / period

    def manifest(self, period: str) -> Path:
        return self.period_dir(period) / MANIFEST

    def index(self, period: str) -> Path:
        return self.period_dir(period) / INDEX

    def qa(self, period: str) -> Path:
        return self.period_dir(period) / QA_FILE

    def lock(self, period: str) -> Path:
        return self.period_dir(period) / LOCK_FILE

    def work_dirs(self, period: str) -> Iterator[Path]:
        """The working folders left in the period's folder (by runs that were killed)."""
        return self.period_dir(period).glob(f"{WORK_PREFIX}*")

    def client_dir(self, period: str, client_id: str) -> Path:
        return self.period_dir(period) / client_id

    def report_html(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / REPORT_HTML

    def report_notebook(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / REPORT_NOTEBOOK

    def failed_notebook(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / FAILED_NOTEBOOK

    def report_pdf(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / REPORT_PDF

    def forecasts(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / FORECASTS_FILE

    def deliveries(self, period: str) -> Path:
        return self.period_dir(period) / DELIVERIES_FILE

    def sent_dir(self, period: str, client_id: str) -> Path:
        """``outputs/<period>/sent/<client>/``: the report and results as they were sent."""
        return self.period_dir(period) / SENT_DIR / client_id

    def outbox_message(self, period: str, client_id: str) -> Path:
        """``outputs/<period>/outbox/<client>.eml``: the message ``send --dry-run`` wrote."""
        return self.period_dir(period) / OUTBOX_DIR / f"{client_id}.eml"

    def results(self, period: str, client_id: str) -> Path:
        return self.client_dir(period, client_id) / RESULTS_FILE

    def sent_results(self, period: str, client_id: str) -> Path:
        return self.sent_dir(period, client_id) / RESULTS_FILE

    def portal_tokens(self) -> Path:
        """``outputs/portal-tokens.json``: kept outside any published portal."""
        return self.outputs_dir / PORTAL_TOKENS

    def evidence(self, period: str, client_id: str, kind: str) -> Path:
        return self.client_dir(period, client_id) / evidence_file(kind)

    def published_clients(self, period: str) -> list[str]:
        """The clients whose ``report.html`` is in the period's folder (working folders aside),
        whatever the manifest says: a killed run may have published before recording."""
        return sorted(path.parent.name for path in self.period_dir(period).glob(f"*/{REPORT_HTML}")
                      if not path.parent.name.startswith((WORK_PREFIX, "."))
                and path.parent.name not in RESERVED_FOLDERS)

    def manifests(self) -> Iterator[Path]:
        """Every period's ``manifest.json`` (in no particular order)."""
        return self.outputs_dir.glob(f"*/{MANIFEST}")

    def stored_forecasts(self, client_id: str) -> Iterator[Path]:
        """Every period's ``forecasts.json`` of ``client_id`` (in no particular order)."""
        return self.outputs_dir.glob(f"*/{client_id}/{FORECASTS_FILE}")
