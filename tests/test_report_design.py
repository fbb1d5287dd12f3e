"""The client report's design pieces without a browser: brand colours, chart theme and
formats, chart embedding, the nbconvert template, index pages, PDF errors, size budget."""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from nbreport.charts.axes import tick_text
from nbreport.charts.colours import CVD_MATRICES, colour_distance, contrast_ratio, simulate
from nbreport.charts.compare import ranked_bars
from nbreport.charts.embed import chart_html, figure_html, figure_to_png, indexed_image, render_rgba
from nbreport.charts.theme import MIN_DELTA_E, OKABE_ITO, ChartTheme, installed_fonts
from nbreport.charts.trend import monthly_bars, time_lines
from nbreport.cli import cli
from nbreport.core.errors import ConfigError, ReportError
from nbreport.core.formatting import Formatter
from nbreport.render.brand import brand_css_variables, css_string
from nbreport.render.export import export_html
from nbreport.render.index import write_archive_index, write_period_index
from nbreport.render.pdf import html_to_pdf, publish_pdf
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS, REPO

SIZE_BUDGET = 1_500_000
BRANDS = [("#1f3a5f", "#c4621b"), ("#0b5c63", "#b8860b"), ("#ffd400", "#ffffff"),
          ("#0072b2", "#d55e00"), ("#2e7d32", "#c62828"), ("#000", "#fff")]


@pytest.mark.parametrize("primary,accent", BRANDS)
def test_brand_text_is_readable_whatever_the_colours(primary: str, accent: str) -> None:
    css = brand_css_variables(primary, accent, "Arial, sans-serif")
    assert contrast_ratio(css["--brand-on-primary"], css["--brand-primary"]) >= 4.5
    assert contrast_ratio(css["--brand-primary-text"], "#ffffff") >= 4.5
    assert contrast_ratio(css["--brand-accent-text"], "#ffffff") >= 4.5


def test_brand_values_cannot_break_out_of_the_style_element() -> None:
    with pytest.raises(ValueError):
        brand_css_variables("#1f3a5f", "#c4621b", "Arial; } body { display: none")
    with pytest.raises(ValueError):
        brand_css_variables("red", "#c4621b", "Arial")
    quoted = css_string('Ünal "&" Söhne </style><script>')
    assert quoted.startswith('"') and "</style>" not in quoted and '"&"' not in quoted[1:-1]
    assert "Ünal" in quoted


@pytest.mark.parametrize("primary,accent", BRANDS)
def test_chart_palette_stays_distinguishable_for_colour_blind_readers(primary: str, accent: str) -> None:
    palette = ChartTheme.from_branding(primary, accent, "sans-serif").palette
    assert palette[0] == ChartTheme.from_branding(primary, accent, "x").primary  # brand leads
    assert len(palette) >= 5
    for first, second in itertools.combinations(palette, 2):
        assert colour_distance(first, second) >= MIN_DELTA_E
        for deficiency in CVD_MATRICES:
            assert colour_distance(simulate(first, deficiency), simulate(second, deficiency)) >= MIN_DELTA_E


def test_default_palette_is_okabe_ito_and_fonts_come_from_the_brand_stack() -> None:
    assert ChartTheme().palette == [c.lower() for c in OKABE_ITO]
    assert installed_fonts("'Nope Sans', 'DejaVu Serif', serif") == ("DejaVu Serif",)
    assert installed_fonts("system-ui, -apple-system, sans-serif") == ("DejaVu Sans",)


@pytest.mark.parametrize("currency,locale,ticks,expected", [
    ("USD", "en_US", [0, 200000, 400000, 600000], ["$0", "$200K", "$400K", "$600K"]),
    ("EUR", "de_DE", [0, 20000, 40000], ["0\u00a0€", "20.000\u00a0€", "40.000\u00a0€"]),
    ("USD", "en_US", [20, 22.5, 25], ["$20.00", "$22.50", "$25.00"]),
    ("USD", "en_US", [0, 2000, 4000, 6000], ["$0", "$2,000", "$4,000", "$6,000"]),
])
def test_axis_ticks_use_the_report_formats(currency: str, locale: str, ticks: list[float],
                                           expected: list[str]) -> None:
    fmt = Formatter(currency, locale)
    assert [tick_text(fmt, "currency", t, ticks) for t in ticks] == expected


def test_count_and_percent_ticks() -> None:
    fmt = Formatter("GBP", "en_GB")
    # British English abbreviates "K" and "M" in older CLDR data, "k" and "m" from babel 2.19's
    assert [tick_text(fmt, "count", t, [0, 50000, 100000]) for t in (0, 50000)] in (["0", "50K"],
                                                                                  ["0", "50k"])
    assert tick_text(fmt, "percent", 0.025, [0.02, 0.025]) == "2.5%"
    assert fmt.compact(1_250_000, "currency") in ("£1.2M", "£1.2m")


def _charts(width: int = 800) -> list:
    fmt, theme = Formatter(), ChartTheme()
    months = pd.date_range("2025-10-01", periods=13, freq="MS")
    values = pd.Series(range(100, 113), index=months, dtype=float) * 1000
    days = pd.date_range("2026-10-01", periods=31)
    line = pd.Series(range(31), index=days, dtype=float) * 500
    return [
        monthly_bars(values, highlight=months[-1], title="Revenue up 0.9% on September",
                     unit="currency", fmt=fmt, theme=theme, width_px=width),
        time_lines({"This month": line, "Last year": line * 0.9}, title="On track", unit="count",
                   fmt=fmt, theme=theme, target=14000, band=(line * 0.9, line * 1.1), width_px=width),
        ranked_bars(pd.Series({"A campaign with a very long name indeed": 5.0, "B": 3.0}),
                    title="A leads", unit="currency", fmt=fmt, theme=theme, width_px=width),
    ]


def test_charts_are_retina_quantised_pngs_with_alt_text() -> None:
    from PIL import Image

    for figure in _charts():
        png = figure_to_png(figure)
        with Image.open(io.BytesIO(png)) as image:
            assert image.width == 1600 and image.mode == "P"  # 800 CSS px at 2x, indexed
        assert len(png) < 0.6 * len(figure_to_png(figure, quantise=False))
    with pytest.raises(ValueError, match="alt text"):
        figure_html(_charts()[0], alt="  ")
    html = figure_html(_charts()[0], alt='Bars "quoted" <b>', caption="Source: <shop>")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.img["alt"] == 'Bars "quoted" <b>' and soup.img["width"] == "800"
    assert soup.figcaption.get_text() == "Source: <shop>" and "<shop>" not in html


def test_one_draw_gives_the_picture_savefig_gives() -> None:
    """Charts are drawn once, at twice their size: pixel for pixel what savefig makes."""
    from PIL import Image

    for drawn, saved in zip(_charts(), _charts()):
        buffer = io.BytesIO()
        saved.savefig(buffer, format="png", dpi=200)
        with Image.open(buffer) as image:
            expected = np.asarray(image.convert("RGBA"))
        assert np.array_equal(render_rgba(drawn), expected)
        assert drawn.dpi == 100  # the CSS size the <img> states is left as it was


def test_palette_keeps_a_charts_colours_exactly() -> None:
    """The most frequent colours (fills, lines, text) come through exactly, brand colours
    included; only rare anti-aliased edge pixels move to their nearest palette colour."""
    theme = ChartTheme(primary="#1f3a5f", accent="#c4621b")
    months = pd.date_range("2025-10-01", periods=13, freq="MS")
    figure = monthly_bars(pd.Series(range(100, 113), index=months, dtype=float), highlight=months[-1],
                          title="Revenue up", unit="currency", fmt=Formatter(), theme=theme)
    pixels = render_rgba(figure)
    image = indexed_image(pixels)
    assert image.mode == "P" and len(image.getcolors()) <= 256
    shown = np.asarray(image.convert("RGB"))
    moved = (shown != pixels[..., :3]).any(axis=2)
    assert moved.mean() < 0.01
    assert (shown == (0x1F, 0x3A, 0x5F)).all(axis=2).any()  # the highlighted bar, exact


def test_palette_of_other_images() -> None:
    """Many colours (a photo, a gradient) go through median cut; transparency sits on white."""
    rng = np.random.default_rng(0)
    noisy = rng.integers(0, 256, (64, 64, 4), dtype=np.uint8)
    noisy[..., 3] = 255
    image = indexed_image(noisy)
    assert image.mode == "P" and len(image.getcolors()) <= 256
    clear = np.zeros((4, 4, 4), dtype=np.uint8)  # fully transparent black
    assert np.asarray(indexed_image(clear).convert("RGB")).min() == 255


def test_chart_html_adds_a_phone_version() -> None:
    import functools

    fmt, months = Formatter(), pd.date_range("2025-10-01", periods=13, freq="MS")
    build = functools.partial(monthly_bars, pd.Series(range(13), index=months, dtype=float),
                              highlight=months[-1], title="A title that is long enough to wrap on a phone",
                              unit="count", fmt=fmt, theme=ChartTheme())
    soup = BeautifulSoup(chart_html(build, alt="Bars"), "html.parser")
    source = soup.select_one("picture > source")
    assert source["media"] == "(max-width: 45rem)" and source["width"] == "400"
    assert float(source["data-text-px"]) >= 14  # 11 px on screen down to 76% of its width
    assert source["srcset"].startswith("data:image/png;base64,")
    # two abreast on wide screens (about 390-460 px each): a version built for 480 px
    half = soup.select("picture > source")[1]
    assert half["media"] == "(min-width: 60rem)" and half["width"] == "480"
    assert float(half["data-text-px"]) * 390 / 480 >= 11
    assert soup.select_one("picture > img")["width"] == "800"


def _notebook(cells: list) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    return notebook


def _output(data: dict, metadata: dict | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


def _meta(**changes: object) -> dict:
    meta = {"client_name": "Acme <script>alert(1)</script>", "title": "Monthly report",
            "period_label": "October 2026", "agency_name": "Agency & Co", "generated": "1 November 2026",
            "generated_iso": "2026-11-01T00:00:00+00:00", "confidentiality": "Confidential.",
            "feedback": {"href": "mailto:a@b.example", "text": "a@b.example"}, "language": "en",
            "params_hash": "abc", "version": "0.1.0", "logo": None, "industry": "",
            "brand_css": brand_css_variables("#ffd400", "#0072b2", "Arial, sans-serif"),
            "page_label_css": css_string("Acme · October 2026")}
    return {**meta, **changes}


def test_template_lays_out_cover_contents_sections_and_footer() -> None:
    code = nbformat.v4.new_code_cell
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    notebook = _notebook([
        nbformat.v4.new_markdown_cell("Intro before any section."),
        nbformat.v4.new_markdown_cell("## Executive summary\n\nText."),
        code("x", outputs=[_output({"text/html": '<div class="nbr-table-wrap"><table class="nbr-table"></table></div>'})]),
        nbformat.v4.new_markdown_cell("## Trends"),
        code("y", outputs=[_output({"image/svg+xml": svg, "text/plain": "<Figure>"}, {"alt": "An SVG chart"}),
                           _output({"image/png": base64.b64encode(b"png").decode()})]),
    ])
    html = export_html(notebook, _meta(), REPO / "templates")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("script") and "<script>alert" not in html
    assert soup.h1.get_text() == "Acme <script>alert(1)</script>"
    assert [a["href"] for a in soup.select("nav.nbr-toc a")] == ["#executive-summary", "#trends"]
    sections = soup.select("main > section.nbr-section")
    assert [s["aria-labelledby"] for s in sections] == ["executive-summary", "trends"]
    assert sections[0].select_one(".nbr-table-wrap")["tabindex"] == "0"  # scrollable, reachable
    images = sections[1].select("figure.chart img")
    assert images[0]["src"].startswith("data:image/svg+xml;base64,") and images[0]["alt"] == "An SVG chart"
    assert images[1]["alt"]  # an image without a description still gets alt text
    assert "--brand-on-primary: #1d2733" in html  # dark text on a yellow brand
    assert 'content: "Acme · October 2026"' in html
    footer = soup.select_one("footer.nbr-footer").get_text(" ", strip=True)
    assert "Confidential." in footer and "a@b.example" in footer and "parameters abc" in footer


def _manifest(period_dir: Path, label: str, clients: dict) -> None:
    period_dir.mkdir(parents=True)
    (period_dir / "manifest.json").write_text(json.dumps(
        {"period": period_dir.name, "period_label": label, "updated_at": "2026-11-01T10:00:00+00:00",
         "clients": clients}))


def test_index_pages_escape_link_and_reach_every_period(tmp_path: Path) -> None:
    headline = [{"label": "Revenue", "value": "$1", "change": "\u22124.0%", "status": "red",
                 "status_word": "Off target"}]  # an older manifest: no arrow, no trend
    _manifest(tmp_path / "2026-10", "October 2026", {
        "evil": {"status": "failed", "client_name": "<img src=x onerror=alert(1)>",
                 "error": {"message": "<b>boom</b>"}, "summary": {}},
        "good": {"status": "ok", "client_name": "Good Co", "summary": {"headline": headline},
                 "finished_at": "2026-11-01T09:59:00+00:00", "files": {"pdf": "good/report.pdf"}},
        "html-only": {"status": "ok", "client_name": "Later HTML-only run",
                      "files": {"html": "html-only/report.html"}}})
    for client, name in (("good", "report.pdf"), ("html-only", "report.html"), ("html-only", "report.pdf")):
        (tmp_path / "2026-10" / client).mkdir(exist_ok=True)
        (tmp_path / "2026-10" / client / name).write_bytes(b"%PDF-1.7")
    _manifest(tmp_path / "2026-09", "September 2026", {})
    write_archive_index(tmp_path, REPO / "templates")
    page = (tmp_path / "2026-10" / "index.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    assert "<img src=x" not in page and "<b>boom</b>" not in page
    assert soup.find("a", href="good/report.pdf") is not None
    assert soup.find("a", href="good/report.html") is None
    assert soup.find("a", href="html-only/report.html") is not None
    assert soup.find("a", href="html-only/report.pdf") is None  # an older PDF is not offered
    assert "\u25bc" in soup.select_one(".idx-headline").get_text()
    assert soup.find("a", href="../2026-09/index.html").get_text() == "September 2026"
    assert soup.find("a", attrs={"aria-current": "page"}).get_text() == "October 2026"
    archive = BeautifulSoup((tmp_path / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in archive.select("tbody a")] == ["2026-10/index.html", "2026-09/index.html"]


def test_pdf_export_errors_are_clear_and_keep_the_last_pdf(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NBREPORT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    from nbreport.render.pdf import find_chromium

    with pytest.raises(ConfigError, match="NBREPORT_CHROMIUM"):
        find_chromium()
    (tmp_path / "report.html").write_text("<html></html>")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-old")
    with pytest.raises(ReportError, match="report.html: Chromium exited with code 1 and wrote no PDF"):
        html_to_pdf(tmp_path / "report.html", tmp_path / "report.pdf", chromium="false")
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]
    with pytest.raises(ConfigError, match="unknown report format"):
        publish_pdf(tmp_path, "docx")
    assert publish_pdf(tmp_path, "html") == {}


def test_run_format_pdf_without_chromium_is_a_usage_error(project: Settings, monkeypatch) -> None:
    monkeypatch.setenv("NBREPORT_CHROMIUM", "no-such-chromium")
    result = CliRunner().invoke(cli, ["--project", str(project.project_dir), "run", "ledgerline",
                                      "--format", "pdf"], standalone_mode=False)
    assert isinstance(result.exception, ConfigError) and result.exception.exit_code == 2
    assert not (project.outputs_dir / "2026-10").exists()


@pytest.mark.kernel
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_demo_report_is_within_the_size_budget(demo_outputs: Settings, client: str) -> None:
    report = demo_outputs.outputs_dir / "2026-10" / client / "report.html"
    size = report.stat().st_size
    print(f"{client}: {size / 1e6:.3f} MB")
    assert size <= SIZE_BUDGET
    soup = BeautifulSoup(report.read_text(), "html.parser")
    assert 3 <= len(soup.select(".nbr-summary .nbr-tile")) <= 5
    assert soup.select_one("main section.nbr-section").get("aria-labelledby") == "executive-summary"
    assert not re.search(r"url\(|@import|<link|<script", report.read_text())


def test_data_table_formats_escapes_and_drops_a_plain_index() -> None:
    from nbreport.report.tables import data_table

    frame = pd.DataFrame({"Spend": [1234.5, float("nan")], "CTR": [0.0123, 0.02],
                          "Status": ["green", "red"]},
                         index=pd.Index(["<script>x</script>", "B"], name="Campaign"))
    soup = BeautifulSoup(data_table(frame, caption="Spend by campaign", fmt=Formatter(),
                                    units={"Spend": "currency", "CTR": "percent"},
                                    status_column="Status").html, "html.parser")
    assert [th.get_text() for th in soup.select("thead th")] == ["Campaign", "Spend", "CTR", "Status"]
    first, second = soup.select("tbody tr")
    assert first["class"] == ["nbr-status-green"] and first.th.get_text() == "<script>x</script>"
    assert [td.get_text() for td in first.select("td")] == ["$1,234", "1.2%", "On target"]
    assert second.select("td")[0].get_text() == "n/a" and not soup.select("script")
    assert soup.select_one(".nbr-table-wrap")["aria-label"] == "Spend by campaign"
    plain = BeautifulSoup(data_table(frame.reset_index(drop=True), caption="x", fmt=Formatter()).html,
                          "html.parser")
    assert [th.get_text() for th in plain.select("thead th")] == ["Spend", "CTR", "Status"]


def test_export_gives_images_without_alt_text_nbconvert_s_default() -> None:
    html = export_html(_notebook([nbformat.v4.new_code_cell("x", outputs=[_output(
        {"text/html": '<p><img src="data:image/png;base64,iVBO"></p>'})])]), _meta(), REPO / "templates")
    assert '<img alt="No description has been provided for this image" src="data:image/png;base64,iVBO"/>' in html
