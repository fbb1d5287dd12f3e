"""Every demo report and the index pages, opened in a real Chromium as a client would.

Checked at a phone's width (375 px) and a laptop's (1280 px): no console or page errors,
no failed or outside requests (the browser is offline), every image loaded with alt text,
nothing wider than the screen, the contents links land on their sections with the
contents still in reach, no serious or critical axe-core violation, and the print layout
(nothing sticky, a page break before each section). Screenshots are kept in
``test-artifacts/browser/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nbreport.settings import Settings
from tests.browser.conftest import WIDTHS, axe_violations, screenshot
from tests.conftest import DEMO_CLIENTS

pytestmark = [pytest.mark.browser, pytest.mark.kernel]

PERIOD = "2026-10"
IMAGES_LOADED = """() => [...document.images].map(img => ({
    src: img.currentSrc.slice(0, 30), alt: img.getAttribute('alt'),
    loaded: img.complete && img.naturalWidth > 0}))"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def report_path(outputs: Settings, client: str, period: str = PERIOD) -> Path:
    return outputs.outputs_dir / period / client / "report.html"


def pages(outputs: Settings) -> dict[str, Path]:
    named = {client: report_path(outputs, client) for client in DEMO_CLIENTS}
    named["index-period"] = outputs.outputs_dir / PERIOD / "index.html"
    named["index-archive"] = outputs.outputs_dir / "index.html"
    return named


PAGE_NAMES = [*DEMO_CLIENTS, "index-period", "index-archive"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_cleanly_and_fits(demo_outputs: Settings, open_page: Any, axe_script: Path,
                                     name: str, width: int) -> None:
    opened = open_page(pages(demo_outputs)[name], width)
    page = opened.page
    screenshot(page, f"{name}-{width}")
    images = page.evaluate(IMAGES_LOADED)
    assert not [img for img in images if not img["loaded"]], "images that did not load"
    assert not [img for img in images if not (img["alt"] or "").strip()], "images without alt text"
    if name in DEMO_CLIENTS:
        assert len(images) >= 3  # the logo and the trend charts
    assert page.evaluate(OVERFLOW) <= 0, f"the page is wider than the {width} px screen"
    assert opened.log.problems() == []
    assert axe_violations(page, axe_script) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_contents_links_reach_their_sections(demo_outputs: Settings, open_page: Any,
                                             client: str, width: int) -> None:
    page = open_page(report_path(demo_outputs, client), width).page
    page.emulate_media(reduced_motion="reduce")  # jump, do not animate, to each section
    links = page.locator("nav.nbr-toc a")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 5
    for position, href in enumerate(hrefs):
        links.nth(position).click()
        page.wait_for_function("(href) => location.hash === href", arg=href)
        where = page.evaluate("""(id) => {
            const target = document.getElementById(id).getBoundingClientRect();
            const nav = document.querySelector('nav.nbr-toc').getBoundingClientRect();
            return {top: target.top, navTop: nav.top, navBottom: nav.bottom,
                    navInView: nav.bottom > 0 && nav.top < innerHeight, height: innerHeight,
                    atEnd: Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight};
        }""", href[1:])
        assert where["navInView"], f"{href}: the contents scrolled out of reach"
        if width < 1000:  # the contents bar sits on top: the heading must not hide under it
            assert where["top"] >= where["navBottom"] - 1, f"{href} hides under the contents bar"
        assert where["top"] < where["height"] / 2 or where["atEnd"], f"{href}: section not brought into view"


@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_print_layout_breaks_pages_and_sticks_nothing(demo_outputs: Settings, open_page: Any,
                                                      client: str) -> None:
    page = open_page(report_path(demo_outputs, client), 1280).page
    page.emulate_media(media="print")
    layout = page.evaluate("""() => ({
        sticky: [...document.querySelectorAll('body *')].filter(el =>
            ['sticky', 'fixed'].includes(getComputedStyle(el).position)).map(el => el.className),
        breaks: [...document.querySelectorAll('section.nbr-section')].map(el =>
            getComputedStyle(el).breakBefore),
        sections: document.querySelectorAll('nav.nbr-toc a').length})""")
    assert layout["sticky"] == []
    # one flowing document, the appendix too (in small print, so the PDF stays short)
    assert layout["breaks"] == ["auto"] * layout["sections"]


def test_index_links_every_client_and_every_period(demo_outputs: Settings, open_page: Any) -> None:
    page = open_page(demo_outputs.outputs_dir / PERIOD / "index.html", 1280).page
    assert page.locator(".idx-client").count() == len(DEMO_CLIENTS)
    assert page.locator(".idx-client .nbr-pill", has_text="Ready").count() == len(DEMO_CLIENTS)
    for card in page.locator(".idx-client").all():  # headline numbers with arrows and status
        assert card.locator(".idx-headline li").count() >= 3
        assert card.locator(".idx-headline .nbr-change").first.inner_text()[0] in "\u25b2\u25bc\u25ac"
    page.get_by_role("link", name="Open report for Ledgerline Ltd").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Ledgerline Ltd"
    page.go_back()
    page.get_by_role("link", name="September 2026").click()  # an earlier period, one click away
    page.wait_for_load_state()
    assert "September 2026" in page.locator("h1").inner_text()
    assert page.locator(".idx-client").count() == 1
    page.get_by_role("link", name="All periods").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 2


def test_the_checks_catch_a_broken_page(tmp_path: Path, open_page: Any, axe_script: Path) -> None:
    """The harness itself: a page with every fault above is caught by each check."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><html><head><title>x</title>'
        '<link rel="stylesheet" href="https://fonts.example.com/font.css"></head><body>'
        '<img src="missing.png"><p style="color:#ccc;background:#fff">faint text</p>'
        '<div style="width:2000px">wide</div><script>console.error("boom")</script></body></html>')
    opened = open_page(broken, 375)
    problems = " ".join(opened.log.problems())
    assert "console error: boom" in problems and "fonts.example.com" in problems
    assert "missing.png" in problems
    images = opened.page.evaluate(IMAGES_LOADED)
    assert not images[0]["loaded"] and images[0]["alt"] is None
    assert opened.page.evaluate(OVERFLOW) > 0
    rules = " ".join(axe_violations(opened.page, axe_script))
    assert "image-alt" in rules and "color-contrast" in rules and "html-has-lang" in rules


def test_white_label_brand_stays_readable(demo_outputs: Settings, open_page: Any, axe_script: Path,
                                          tmp_path: Path) -> None:
    """A client's own light brand colours, another name, no logo: the real executed notebook
    exported again reads well (axe) and carries the brand."""
    import nbformat

    from nbreport.params import load_client_params
    from nbreport.render.export import export_html
    from nbreport.render.meta import report_meta

    params = load_client_params("northwind-outfitters", demo_outputs.params_dir, overrides={
        "branding.primary_color": "#ffd400", "branding.accent_color": "#7fdbff",
        "branding.agency_name": "Northwind In-house Analytics", "branding.logo": None,
        "branding.font_family": "Georgia, 'DejaVu Serif', serif"})
    notebook = nbformat.read(demo_outputs.outputs_dir / PERIOD / "northwind-outfitters" / "report.ipynb",
                             as_version=4)
    page_file = tmp_path / "white-label.html"
    page_file.write_text(export_html(notebook, report_meta(params, demo_outputs.project_dir),
                                     demo_outputs.templates_dir))
    for width in WIDTHS:
        opened = open_page(page_file, width)
        screenshot(opened.page, f"white-label-{width}")
        style = opened.page.evaluate("""() => {
            const cover = getComputedStyle(document.querySelector('.nbr-cover'));
            return {background: cover.backgroundColor, colour: cover.color,
                    font: getComputedStyle(document.body).fontFamily,
                    agency: document.querySelector('.nbr-agency').textContent};
        }""")
        assert style == {"background": "rgb(255, 212, 0)", "colour": "rgb(29, 39, 51)",
                         "font": 'Georgia, "DejaVu Serif", serif',
                         "agency": "Northwind In-house Analytics"}
        assert opened.log.problems() == []
        assert axe_violations(opened.page, axe_script) == []
