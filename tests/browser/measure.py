"""How long a report is as a client reads it: screens at 1280 px, tables, charts, PDF pages.

Used by the browser tests (which print the figures) and runnable on its own to measure the
reports of a period folder::

    .venv/bin/python -m tests.browser.measure outputs/2026-10 [--pdf]

The body is everything above the appendix (``#appendix``, closed by default); a report
without an appendix is all body.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCREEN = (1280, 800)

LAYOUT = """() => {
    const appendix = document.getElementById('appendix');
    const end = appendix ? appendix.getBoundingClientRect().top + scrollY
                         : document.querySelector('main').getBoundingClientRect().bottom + scrollY;
    const top = el => el.getBoundingClientRect().top + scrollY;
    const tables = [...document.querySelectorAll('main table')];
    const charts = [...document.querySelectorAll('main figure.chart')];
    return {body: end, height: document.documentElement.scrollHeight,
            tables: tables.filter(t => top(t) < end && t.offsetParent !== null).length,
            charts: charts.filter(c => top(c) < end && c.offsetParent !== null).length,
            all_tables: tables.length, all_charts: charts.length};
}"""


@dataclass(frozen=True)
class Measure:
    """One report's length: body and page height in px, tables and charts (body and all)."""

    name: str
    body_px: float
    page_px: float
    tables: int
    charts: int
    all_tables: int
    all_charts: int
    pdf_pages: int | None = None
    pdf_body_pages: int | None = None

    @property
    def screens(self) -> float:
        return self.body_px / SCREEN[1]

    def line(self) -> str:
        pdf = "" if self.pdf_pages is None else (
            f", PDF {self.pdf_pages} pages ({self.pdf_body_pages} before the appendix)")
        return (f"{self.name}: {self.screens:.1f} screens at {SCREEN[0]} px before the appendix "
                f"({self.page_px / SCREEN[1]:.1f} in all), {self.tables} tables and {self.charts} "
                f"charts before it ({self.all_tables} and {self.all_charts} in all){pdf}")


def measure_page(page: Any, name: str) -> Measure:
    """``page``: a Playwright page showing the report at 1280 x 800."""
    page.set_viewport_size({"width": SCREEN[0], "height": SCREEN[1]})
    found = page.evaluate(LAYOUT)
    return Measure(name, found["body"], found["height"], found["tables"], found["charts"],
                   found["all_tables"], found["all_charts"])


def pdf_page_counts(pdf: Path, appendix_title: str = "How this report was made") -> tuple[int, int]:
    """Pages in all, and pages before the one where the appendix (``appendix_title``, in the
    report's language) starts."""
    from pypdf import PdfReader

    texts = [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]
    first = next((i for i, text in enumerate(texts) if appendix_title in text
                  and i > 0), len(texts))
    return len(texts), first


APPENDIX_HEADING = "() => (document.querySelector('#appendix summary h2') || {}).textContent || ''"




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("period_dir", type=Path)
    parser.add_argument("--pdf", action="store_true", help="also print each report to PDF")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from nbreport.render.pdf import find_chromium, html_to_pdf

    chromium = find_chromium()
    reports = sorted(args.period_dir.glob("*/report.html"))
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for report in reports:
            page = browser.new_page(viewport={"width": SCREEN[0], "height": SCREEN[1]})
            page.goto(report.resolve().as_uri())
            found = measure_page(page, report.parent.name)
            title = " ".join(page.evaluate(APPENDIX_HEADING).split()) or "How this report was made"
            page.close()
            if args.pdf:
                pdf = html_to_pdf(report, Path(scratch) / f"{report.parent.name}.pdf", chromium=chromium)
                total, body = pdf_page_counts(pdf, title)
                found = Measure(**{**found.__dict__, "pdf_pages": total, "pdf_body_pages": body})
            print(found.line())
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
