"""PDF copies of the reports, printed by headless Chromium from the published HTML.

The HTML report carries its own print stylesheet (A4, a cover page with the contents,
each section on a new page, page numbers), so the PDF is the HTML as a browser prints
it: one look, two formats. Chromium is found on the PATH (Debian's ``chromium``
package) or named by the ``NBREPORT_CHROMIUM`` environment variable. The batch engine
calls :func:`publish_pdf` after a client's HTML report is in place.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from nbreport.core.errors import ConfigError, ReportError
from nbreport.core.layout import REPORT_HTML, REPORT_PDF
from nbreport.core.files import make_folder, move_atomic

log = logging.getLogger(__name__)

CHROMIUM_ENV = "NBREPORT_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, no sandbox (containers, root), and nothing that talks to the network on its own.
HEADLESS_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-extensions", "--disable-sync",
    "--no-first-run", "--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
)
FORMATS = ("html", "pdf", "html+pdf")
TIMEOUT_S = 120.0


def find_chromium() -> str:
    """The Chromium executable to print with.

    Raises
    ------
    ConfigError
        When none is installed, saying how to install one or point at it.
    """
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        if shutil.which(named):
            return str(shutil.which(named))
        raise ConfigError(f"{CHROMIUM_ENV}={named}: no such executable; point it at a "
                          "Chromium or Chrome binary, or unset it to use chromium from the PATH")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError("PDF export needs Chromium and none was found: install it (on Debian or "
                      f"Ubuntu: apt-get install chromium) or set {CHROMIUM_ENV} to its path")


def html_to_pdf(html_path: Path, pdf_path: Path, *, chromium: str | None = None,
                timeout: float = TIMEOUT_S) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; the PDF appears complete
    or not at all (a failed print leaves an earlier PDF in place).

    Raises
    ------
    ReportError
        When Chromium fails, times out or writes no PDF; the message says which file.
    """
    executable = chromium or find_chromium()
    make_folder(pdf_path.parent)
    # printed beside its destination under a hidden name, then renamed into place
    printed = pdf_path.with_name(f".{pdf_path.name}.{os.getpid()}.printing")
    with tempfile.TemporaryDirectory(prefix="nbreport-chromium-") as profile:
        command = [executable, *HEADLESS_FLAGS, f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", f"--print-to-pdf={printed}",
                   html_path.resolve().as_uri()]
        log.debug("printing %s", html_path.name)
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                       stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            printed.unlink(missing_ok=True)
            raise ReportError(f"PDF export of {html_path.name}: Chromium did not finish within "
                              f"{timeout:.0f} s", ename="PdfTimeout") from None
    if not _is_whole_pdf(printed):  # a full disk can cut Chromium's file off
        printed.unlink(missing_ok=True)
        detail = _last_lines(completed.stderr)
        raise ReportError(f"PDF export of {html_path.name}: Chromium exited with code "
                          f"{completed.returncode} and wrote no PDF" + (f" ({detail})" if detail else ""),
                          ename="PdfExportError")
    move_atomic(printed, pdf_path)
    return pdf_path


def _is_whole_pdf(path: Path) -> bool:
    """Whether ``path`` starts as a PDF does and ends with the ``%%EOF`` marker."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data[:5] == b"%PDF-" and b"%%EOF" in data[-1024:]


def publish_pdf(client_dir: Path, report_format: str, *, html_name: str = REPORT_HTML,
                chromium: str | None = None) -> dict[str, str | None]:
    """The PDF step of a batch run, after the client's HTML is published.

    ``report_format`` is one of :data:`FORMATS`: ``html`` does nothing, ``html+pdf`` adds
    ``report.pdf`` beside the HTML, ``pdf`` keeps only the PDF. Returns what changed for
    the run's record: ``{"pdf": "report.pdf"}``, plus ``{"html": None}`` when the HTML
    was removed.
    """
    if report_format not in FORMATS:
        raise ConfigError(f"unknown report format '{report_format}'; use one of {', '.join(FORMATS)}")
    if report_format == "html":
        return {}
    html_path = client_dir / html_name
    html_to_pdf(html_path, client_dir / REPORT_PDF, chromium=chromium)
    files: dict[str, str | None] = {"pdf": REPORT_PDF}
    if report_format == "pdf":
        html_path.unlink()
        files["html"] = None
    return files


def _last_lines(text: str, count: int = 3) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return " | ".join(lines[-count:])
