"""The data pack's parts without a kernel: number formats, tables read from HTML, the files."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nbreport.core.formatting import Formatter
from nbreport.delivery.datapack import DataPackRecorder, PackHeader
from nbreport.delivery.number_formats import look_of
from nbreport.delivery.sheets import Cell, chart_sheet, sheets_in

HEADER = PackHeader("Acme GmbH", "October 2026", "EUR", "de_DE", {"budget": "Budget"})


@pytest.mark.parametrize(("currency", "locale", "value", "unit", "expected"), [
    ("USD", "en_US", 612345.67, "currency", '"$"#,##0'),
    ("USD", "en_US", 12.5, "currency", '"$"#,##0.00'),
    ("USD", "en_US", 0.1234, "percent", "#,##0.0%"),
    ("EUR", "de_DE", 0.1234, "percent", '#,##0.0"\u00a0"%'),
    ("EUR", "de_DE", 612345.67, "currency", '#,##0"\u00a0€"'),
    ("GBP", "en_GB", 2.4, "multiple", '#,##0.00"×"'),
    ("USD", "en_US", 7123.4, "count", "#,##0"),
])
def test_a_figure_gets_the_number_format_that_shows_it(currency: str, locale: str, value: float,
                                                       unit: str, expected: str) -> None:
    shown = Formatter(currency, locale).value(value, unit)
    look = look_of(shown, value, locale)
    assert look is not None and look.excel_format() == expected


def test_a_change_keeps_its_sign_in_every_section_of_the_format() -> None:
    fmt = Formatter("USD", "en_US")
    look = look_of(fmt.change(-0.05), -0.05, "en_US")
    assert look is not None
    assert look.excel_format() == '"+"#,##0.0%;"\u2212"#,##0.0%;"±"#,##0.0%'


@pytest.mark.parametrize(("shown", "value"), [
    ("$20.12", 20.125),    # the report rounds half to even, Excel half away from zero
    ("<1%", 0.003),        # no format writes "<"
    ("+2.8 pts", 0.028),   # points are a share times 100 with no percent sign
    ("n/a", 1.0),
    ("$612,346", 1.0),     # not the number behind the text
])
def test_no_format_when_excel_would_show_another_text(shown: str, value: float) -> None:
    assert look_of(shown, value, "en_US") is None


TABLE = """<div class="nbr-table-wrap" aria-label="Spend"><table class="nbr-table">
<caption>Spend by channel,
 October 2026</caption>
<thead><tr><th>Channel</th><th class="nbr-num">Spend</th><th>Note</th></tr></thead>
<tbody><tr><th scope="row">Search</th><td><data class="nbr-figure" value="1234.5">1.235\u00a0€</data></td><td>ok</td></tr>
<tr><th scope="row">Total</th><td colspan="2">2.000\u00a0€ planned</td></tr></tbody></table></div>
<figure class="chart"><img alt="x"></figure>"""


def test_a_table_is_read_as_the_reader_sees_it_and_charts_stay_in_page_order() -> None:
    chart = chart_sheet("Spend by month", ("Month", "Spend"), [(Cell("October 2026"), Cell("5 €", 5.0))])
    table, drawn = sheets_in(TABLE, [chart])
    assert table.title == "Spend by channel, October 2026"
    assert table.columns == ("Channel", "Spend", "Note")
    assert table.rows[0] == (Cell("Search"), Cell("1.235\u00a0€", 1234.5), Cell("ok"))
    assert table.rows[1] == (Cell("Total"), Cell("2.000\u00a0€ planned"), Cell(""))
    assert drawn is chart


def test_the_pack_holds_each_sheet_once_with_its_header_lines(tmp_path: Path) -> None:
    recorder = DataPackRecorder(tmp_path, HEADER)
    recorder.record("budget", TABLE)
    recorder.record("budget", TABLE)  # shown again: replaces
    recorder.record("data-sources", TABLE)  # the appendix is not in the pack
    assert recorder.write(["budget", "data-sources"]) == ("data.xlsx", "data.zip")
    book = load_workbook(tmp_path / "data.xlsx")
    assert book.sheetnames == ["1 Spend by channel, October 202"]  # Excel: 31 characters at most
    page = book.worksheets[0]
    lines = [page.cell(row=n, column=1).value for n in range(1, 6)]
    assert lines == ["Spend by channel, October 2026", "Client: Acme GmbH", "Period: October 2026",
                     "Section: Budget", "Units: Spend: EUR"]
    number = page["B8"]  # 5 header lines, a blank row, the columns
    assert (number.value, number.number_format) == (1234.5, '#,##0"\u00a0€"')
    with zipfile.ZipFile(tmp_path / "data.zip") as archive:
        assert archive.namelist() == ["01-spend-by-channel-october-2026.csv"]
        rows = list(csv.reader(io.StringIO(archive.read(archive.namelist()[0]).decode("utf-8-sig"))))
    assert rows[6:] == [["Channel", "Spend", "Note"], ["Search", "1.235\u00a0€", "ok"],
                        ["Total", "2.000\u00a0€ planned", ""]]


def test_no_table_no_pack(tmp_path: Path) -> None:
    recorder = DataPackRecorder(tmp_path, HEADER)
    recorder.record("executive-summary", "<p>Nothing to tabulate</p>")
    assert recorder.write(["executive-summary"]) == ()
    assert list(tmp_path.iterdir()) == []
