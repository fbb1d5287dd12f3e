"""Every demo report at a phone's, a tablet's and a laptop's width (issue 19, part 4).

At 375, 768 and 1280 px: nothing wider than the viewport (the document does not scroll
sideways, no element's box reaches past an edge, no table scrolls inside its wrapper), no
visible text under 11 px (charts measured by their smallest font times the width they are
shown at), every table's header row visible or, when stacked into cards, every value
labelled with its column's name. Screenshots go to ``test-artifacts/browser/phone/``;
a last test prints screens, tables and charts per report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nbreport.settings import Settings
from tests.browser.conftest import ARTIFACTS
from tests.browser.layout_probe import MIN_TEXT_PX, PROBE
from tests.conftest import DEMO_CLIENTS

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

PERIOD = "2026-10"
LAYOUT_WIDTHS = (375, 768, 1280)
SCREEN_HEIGHT = 800
SHOTS = ARTIFACTS / "phone"


def _open(browser: Any, path: Path, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": SCREEN_HEIGHT}, offline=True)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return page


def _probe(page: Any) -> dict[str, Any]:
    return page.evaluate(PROBE, MIN_TEXT_PX)


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_report_fits_and_reads_at_width(demo_outputs: Settings, browser: Any, client: str,
                                        width: int) -> None:
    page = _open(browser, demo_outputs.outputs_dir / PERIOD / client / "report.html", width)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{client}-{width}.png"), full_page=True)
        found = _probe(page)
    finally:
        page.context.close()
    assert found["overflow"] <= 0, f"the page scrolls sideways by {found['overflow']} px"
    assert found["outside"] == [], "elements past the edge of the screen"
    assert found["scrollers"] == [], "boxes that scroll sideways (a table too wide)"
    assert found["small_text"] == [], f"text under {MIN_TEXT_PX} px"
    assert found["charts_unmeasured"] == [], "charts without data-text-px"
    assert [h for h in found["headers"] if not h["visible"]] == [], "tables without visible headers"
    assert found["counts"]["tables"] >= 1 and found["counts"]["charts"] >= 1


def test_report_counts(demo_outputs: Settings, browser: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Screens (document height / 800 px at 1280 px), tables and charts per demo report, in
    the whole report and before its appendix; printed for the issue's before/after note."""
    lines = [f"{'report':24} {'screens':>8} {'before appendix':>16} {'tables':>7} {'charts':>7}"]
    for client in DEMO_CLIENTS:
        page = _open(browser, demo_outputs.outputs_dir / PERIOD / client / "report.html", 1280)
        try:
            counts = _probe(page)["counts"]
        finally:
            page.context.close()
        assert counts["screens"] >= counts["body_screens"] > 1
        assert counts["tables"] >= counts["body_tables"] and counts["charts"] >= counts["body_charts"]
        lines.append(f"{client:24} {counts['screens']:8.1f} {counts['body_screens']:16.1f} "
                     f"{counts['body_tables']:>3}/{counts['tables']:<3} {counts['body_charts']:>3}/{counts['charts']:<3}")
    with capsys.disabled():
        print("\n" + "\n".join(lines) + "\n(tables and charts: before the appendix / in all)")


def test_the_probe_catches_each_fault(browser: Any, tmp_path: Path) -> None:
    """The harness itself: a page with each fault is caught by each check."""
    page_file = tmp_path / "faults.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main>'
        '<p style="font-size:9px">tiny words</p>'
        '<div style="transform:scale(.5);transform-origin:0 0"><p style="font-size:16px">scaled</p></div>'
        '<div style="overflow-x:auto;width:200px"><table><caption>wide</caption><thead><tr>'
        '<th style="min-width:600px">Name</th><th>Value</th></tr></thead><tbody><tr><th scope="row">a</th>'
        '<td>1</td></tr></tbody></table></div>'
        '<table><caption>hidden head</caption><thead style="display:none"><tr><th>Name</th><th>Value</th>'
        '</tr></thead><tbody><tr><th scope="row">a</th><td>1</td></tr></tbody></table>'
        '<figure class="chart"><img alt="a chart" width="800" height="10" style="width:300px" '
        'data-text-px="14" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></figure>'
        '<figure class="chart"><img alt="unmeasured" width="10" height="10" '
        'src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></figure>'
        '<div style="width:900px">wide block</div></main></body></html>')
    page = _open(browser, page_file, 375)
    try:
        found = _probe(page)
    finally:
        page.context.close()
    assert found["overflow"] > 0
    assert any(line.startswith("div ") and line.endswith("..908") for line in found["outside"])
    assert any("600" in line or "> 200" in line for line in found["scrollers"])
    small = " ".join(found["small_text"])
    assert "tiny words" in small and "scaled" in small and "a chart" in small
    assert found["charts_unmeasured"] == ["unmeasured"]
    hidden = {h["caption"]: h for h in found["headers"]}
    assert not hidden["hidden head"]["visible"] and hidden["hidden head"]["unlabelled"] == ["1"]
