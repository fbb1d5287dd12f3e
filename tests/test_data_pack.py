"""The client's data pack of real demo reports: the workbook and the CSV files hold the
numbers the report shows, the report links them, and the gate checks them like the report.

The report's side is read here from the published HTML with BeautifulSoup, on its own: its
body (everything before the appendix's ``<details id="appendix">``), each table's caption,
header and cells as a reader sees them, the number behind each figure, the chart's alt text.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from nbreport.settings import Settings

pytestmark = pytest.mark.kernel

CLIENTS = ("northwind-outfitters", "ledgerline", "harbourside-dental")
# the figures a chart's alt text names: a trend's latest and highest bar, a forecast's point,
# range and target (nbreport.report.sections.trends and .forecast)
# the figures a chart's alt text names, in English and in German (Harbourside's report); a
# bar chart of categories names every bar: "Bar chart, <title>: <name> <value>; ..."
ALT_FIGURES = (r"Latest month: (.+?)\. Highest: (.+?) in ",
               r"forecast for [^:]+: (.+?) \(range (.+?) to (.+?)\)(?:, target (.+?)\.)?$",
               r"Letzter Monat: (.+?)\. Höchstwert: (.+?), ",
               r"Prognose für [^:]+: (.+?) \(Spanne (.+?) bis (.+?)\)(?:, Ziel (.+?)\.)?$")
BAR_CHART_ALT = re.compile(r"^(?:Bar chart|Balkendiagramm), [^:]+: (.+)\.$")
FOLD = re.compile(r"[ \t\n\r\f]+")  # what a browser folds; a no-break space stays


def seen(element) -> str:
    return FOLD.sub(" ", element.get_text(" ")).strip(" \t\n\r\f")


def body_items(html: str) -> list:
    """The body's tables and charts, in page order."""
    soup = BeautifulSoup(html, "html.parser")
    return [element for element in soup.select("main table, main figure.chart")
            if element.find_parent("details", id="appendix") is None]


def sheet_rows(page) -> tuple[list, int]:
    """A worksheet's cells and the 1-based row of its column headers (just above the frozen
    first data row)."""
    rows = [list(row) for row in page.iter_rows()]
    first_data = int(re.sub(r"\D", "", page.freeze_panes))
    return rows, first_data - 1


def csv_files(folder: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(folder / "data.zip") as archive:
        files = {}
        for name in sorted(archive.namelist()):
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
            files[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return files


def digits_of(value: float, number_format: str) -> str:
    """The digits Excel shows for ``value`` under ``number_format`` (rounding half away from
    zero, as Excel does), without separators or symbols."""
    section = re.sub(r'"[^"]*"', "", number_format.split(";")[0])  # "#,##0.0%", literals out
    decimals = section.partition(".")[2].count("0")
    scaled = Decimal(repr(value)) * (100 if "%" in section else 1)
    rounded = abs(scaled).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return re.sub(r"\D", "", f"{rounded:.{decimals}f}")


# The sheets' and the link's words in each demo report's language (Harbourside's is German)
WORDS = {"en": {"client": "Client: ", "period": "Period: ", "units": "Units: ",
                "download": "Download the data"},
         "de": {"client": "Kunde: ", "period": "Zeitraum: ", "units": "Einheiten: ",
                "download": "Daten herunterladen"}}


@pytest.mark.parametrize("client", CLIENTS)
def test_every_body_table_and_chart_is_a_sheet_with_the_reports_numbers(
        demo_outputs: Settings, client: str) -> None:
    folder = demo_outputs.outputs_dir / "2026-10" / client
    html = (folder / "report.html").read_text(encoding="utf-8")
    items = body_items(html)
    book = load_workbook(folder / "data.xlsx")
    assert len(book.worksheets) == len(items) > 0
    soup = BeautifulSoup(html, "html.parser")
    client_name, period = seen(soup.select_one(".nbr-cover h1")), seen(soup.select_one(".nbr-period"))
    words = WORDS[soup.html["lang"]]  # the sheets speak the report's language
    compared = 0
    for item, page in zip(items, book.worksheets):
        rows, header_row = sheet_rows(page)
        header_text = [str(row[0].value) for row in rows[:header_row - 2]]
        assert f"{words['client']}{client_name}" in header_text
        # the cover says "Monthly report, October 2026"; the sheet "Period: October 2026"
        assert any(line.startswith(words["period"])
                   and period.endswith(line.removeprefix(words["period"]))
                   for line in header_text), header_text
        assert any(line.startswith(words["units"]) for line in header_text)
        if item.name == "figure":
            continue  # charts: see the test of the CSV files
        caption = item.find("caption")
        assert rows[0][0].value == (seen(caption) if caption else rows[0][0].value)
        head = item.find("thead")
        if head is not None:
            assert [c.value or "" for c in rows[header_row - 1]][:len(head.find_all("tr")[-1].find_all(["th", "td"]))] == \
                [seen(c) for c in head.find_all("tr")[-1].find_all(["th", "td"])]
        body = [tr for tr in item.find_all("tr") if tr.find_parent("thead") is None]
        assert len(rows) - header_row == len(body), page.title
        for tr, row in zip(body, rows[header_row:]):
            for td, cell in zip(tr.find_all(["th", "td"]), row):
                text = seen(td)
                if isinstance(cell.value, (int, float)):
                    marked = td.find("data", class_="nbr-figure")
                    assert marked is not None and float(marked["value"]) == pytest.approx(cell.value, rel=1e-12)
                    assert digits_of(cell.value, cell.number_format) == re.sub(r"\D", "", text), (text, cell.number_format)
                    compared += 1
                else:
                    assert (cell.value or "") == text
    assert compared > 0  # the numbers behind the figures are in the workbook, not only text


@pytest.mark.parametrize("client", CLIENTS)
def test_the_csv_files_are_the_sheets_as_the_report_writes_them(demo_outputs: Settings,
                                                                 client: str) -> None:
    folder = demo_outputs.outputs_dir / "2026-10" / client
    book = load_workbook(folder / "data.xlsx")
    files = csv_files(folder)
    assert len(files) == len(book.worksheets)
    items = body_items((folder / "report.html").read_text(encoding="utf-8"))
    for (name, lines), page, item in zip(files.items(), book.worksheets, items):
        rows, _ = sheet_rows(page)
        assert len(lines) == len(rows), name
        for line, row in zip(lines, rows):
            for text, cell in zip(line, row):
                if isinstance(cell.value, (int, float)):
                    assert digits_of(cell.value, cell.number_format) == re.sub(r"\D", "", text), name
                else:
                    assert text == (cell.value or ""), name
        if item.name == "figure":  # the figures the chart's alt text names are in its data
            alt = item.find("img")["alt"]
            texts = {text for line in lines for text in line}
            named = [figure for pattern in ALT_FIGURES for match in re.finditer(pattern, alt)
                     for figure in match.groups() if figure]
            if (bars := BAR_CHART_ALT.match(alt)) is not None:  # each bar's value as the alt says it
                values = [line[-1] for line in lines[lines.index(next(
                    line for line in lines if len(line) == 2 and line[-1] and line[0])) + 1:]]
                named = [value for value in values if value and value in bars[1]]
                assert len(named) == bars[1].count(";") + 1, (alt, values)
            assert named and all(figure in texts for figure in named), (alt, named)


def test_the_report_links_its_data_pack(demo_outputs: Settings) -> None:
    for client in CLIENTS:
        folder = demo_outputs.outputs_dir / "2026-10" / client
        soup = BeautifulSoup((folder / "report.html").read_text(encoding="utf-8"), "html.parser")
        links = {a["href"]: seen(a) for a in soup.select("footer a[href]")}
        assert links.get("data.xlsx") == WORDS[soup.html["lang"]]["download"]
        assert "data.zip" in links
        for href in ("data.xlsx", "data.zip"):
            assert (folder / href).is_file()  # relative to the report: beside it


@pytest.fixture
def project_copy(demo_outputs: Settings, tmp_path: Path) -> Path:
    """The demo project and its outputs, with a canary marker for Northwind."""
    root = tmp_path / "project"
    for name in ("params", "templates", "notebooks", "commentary"):
        shutil.copytree(demo_outputs.project_dir / name, root / name)
    shutil.copytree(demo_outputs.outputs_dir, root / "outputs")
    params = root / "params" / "northwind-outfitters.yaml"
    params.write_text(params.read_text() + "qa:\n  markers: [NW-CANARY-7731]\n")
    return root


def check(root: Path, client: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(root), "--outputs-dir",
                           str(root / "outputs"), "check", "2026-10", "--client", client],
                          capture_output=True, text=True, timeout=300)


def test_the_untouched_pack_passes_and_another_clients_marker_fails(project_copy: Path) -> None:
    assert check(project_copy, "ledgerline").returncode == 0
    path = project_copy / "outputs" / "2026-10" / "ledgerline" / "data.xlsx"
    book = load_workbook(path)
    book.worksheets[-1].cell(row=30, column=2, value="Campaign NW-CANARY-7731")
    book.save(path)
    result = check(project_copy, "ledgerline")
    assert result.returncode == 1
    assert "data pack present and clean" in result.stdout
    assert "marker #1 of northwind-outfitters" in result.stdout


def test_a_secret_in_a_csv_file_fails_the_gate(project_copy: Path) -> None:
    path = project_copy / "outputs" / "2026-10" / "harbourside-dental" / "data.zip"
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("99-notes.csv", "note\r\nthe key AKIAIOSFODNN7EXAMPLE was rotated\r\n".encode("utf-8-sig"))
    result = check(project_copy, "harbourside-dental")
    assert result.returncode == 1
    assert "data.zip: AWS Access Key" in result.stdout


def test_a_linked_pack_that_is_missing_fails_the_gate(project_copy: Path) -> None:
    (project_copy / "outputs" / "2026-10" / "northwind-outfitters" / "data.zip").unlink()
    result = check(project_copy, "northwind-outfitters")
    assert result.returncode == 1
    assert "links data.zip, which is not beside it" in result.stdout
