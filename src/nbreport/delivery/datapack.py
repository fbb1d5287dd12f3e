"""The client's data pack: every table and chart of the report's body, beside the report.

As the report's kernel displays each section of the body (the part before the appendix),
:class:`DataPackRecorder` keeps the tables and charts it shows (:mod:`.sheets`); at the end
of the report (:func:`nbreport.report.summary.run_summary`) :meth:`DataPackRecorder.write`
writes them into the kernel's working folder as

* ``data.xlsx``: one sheet per table and chart, in report order; each cell holds the number
  behind the figure under a number format that shows the report's text (:mod:`.number_formats`),
  or the report's text where no format does;
* ``data.zip``: the same sheets as CSV files (UTF-8 with a byte-order mark, so that Excel
  reads the accents and currency signs), each cell the text the report shows.

Each sheet opens with the same header lines: what it shows, the client, the period, the
section, the units of its figures. Both files are written whole to a temporary name and
renamed, and ``nbreport run`` moves them beside the report only once the report is complete:
a failed run never leaves half a pack, nor a new pack over the last good report's.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.numbers import get_currency_symbol

from nbreport.core.files import write_atomic
from nbreport.core.layout import DATA_XLSX, DATA_ZIP
from nbreport.delivery.number_formats import look_of
from nbreport.delivery.sheets import Cell, Sheet, sheets_in
from nbreport.i18n import _
from nbreport.report.outline import OUTLINE

APPENDIX_SECTIONS = frozenset(section.id for section in OUTLINE if section.appendix)
SHEET_NAME_MAX = 31  # Excel's limit
CSV_SLUG_MAX = 60
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\'\s]+")
_FIGURE = re.compile(r"\d(?:[\d.,\u00a0\u202f' ]*\d)?")  # digits with any separators


@dataclass(frozen=True)
class PackHeader:
    """What every sheet's header lines say besides its own title and units."""

    client_name: str
    period_label: str
    currency: str
    locale: str
    section_titles: dict[str, str]


class DataPackRecorder:
    """The tables and charts the report's body displays, section by section.

    A section displayed again (an analyst re-running a cell) replaces what it showed before.
    """

    def __init__(self, folder: Path, header: PackHeader) -> None:
        self.folder = folder
        self.header = header
        self._by_section: dict[str, list[Sheet]] = {}

    def record(self, section_id: str, html: str, charts: Sequence[Sheet] = ()) -> None:
        """Keep what a body section displays (``html``, and the data of its ``charts`` in the
        order it draws them); appendix sections are not part of the pack."""
        if section_id in APPENDIX_SECTIONS:
            return
        self._by_section[section_id] = [sheet.in_section(section_id)
                                        for sheet in sheets_in(html, charts)]

    def sheets(self, order: Iterable[str]) -> list[Sheet]:
        """The recorded sheets, sections in ``order`` (the report's)."""
        return [sheet for section_id in order for sheet in self._by_section.get(section_id, [])]

    def write(self, order: Iterable[str]) -> tuple[str, ...]:
        """Write ``data.xlsx`` and ``data.zip`` into the folder; returns their names (none
        when the body shows no table or chart)."""
        sheets = self.sheets(order)
        if not sheets:
            return ()
        names = sheet_names(sheets)
        write_atomic(self.folder / DATA_XLSX, workbook_bytes(sheets, names, self.header))
        write_atomic(self.folder / DATA_ZIP, csv_zip_bytes(sheets, self.header))
        return (DATA_XLSX, DATA_ZIP)


def sheet_names(sheets: Sequence[Sheet]) -> list[str]:
    """``1 KPIs for October 2026``...: numbered in report order (so unique), cut to Excel's
    31 characters, without the characters Excel refuses in a sheet name."""
    names = []
    for number, sheet in enumerate(sheets, start=1):
        title = _NOT_IN_SHEET_NAMES.sub(" ", sheet.title).strip() or sheet.kind
        names.append(f"{number} {title}"[:SHEET_NAME_MAX].rstrip())
    return names


def header_lines(sheet: Sheet, header: PackHeader) -> list[str]:
    """The lines above a sheet's columns: title, client, period, section, units, note."""
    section = header.section_titles.get(sheet.section, sheet.section)
    lines = [sheet.title,
             _("Client: %(name)s", name=header.client_name),
             _("Period: %(period)s", period=header.period_label),
             _("Section: %(section)s", section=section),
             _("Units: %(units)s", units=units_line(sheet, header))]
    if sheet.note:
        lines.append(_("Note: %(note)s", note=sheet.note))
    return lines


def units_line(sheet: Sheet, header: PackHeader) -> str:
    """Each numeric column's unit, as read from how its figures are written: ``Actual,
    Target: USD; Change: %``."""
    by_unit: dict[str, list[str]] = {}
    for index, column in enumerate(sheet.columns):
        unit = next((found for row in sheet.rows
                     if (found := unit_of(row[index].text, header)) is not None), None)
        if unit is not None:
            by_unit.setdefault(unit, []).append(column or _("column %(n)s", n=index + 1))
    if not by_unit:
        return _("none (text only)")
    return "; ".join(f"{', '.join(columns)}: {unit}" for unit, columns in by_unit.items())


def unit_of(text: str, header: PackHeader) -> str | None:
    """The unit of a figure's text: ``$1,234`` -> ``USD``, ``12.3%`` -> ``%`` (``None``: the
    text is no figure, e.g. ``October 2026`` or ``Fee (650 € a month)``)."""
    symbol = get_currency_symbol(header.currency, locale=header.locale)
    marks = {header.currency: header.currency, symbol: header.currency,
             "pts": _("percentage points"), "%": "%", "\u00d7": _("times (\u00d7)")}
    rest, unit = text, None
    for mark, name in marks.items():
        if mark in rest:
            rest, unit = rest.replace(mark, " "), unit or name
    rest = rest.strip(" \u00a0\u202f+-\u2212\u00b1<>")
    if not _FIGURE.fullmatch(rest):
        return None
    return unit or _("number")


def first_data_row(sheet: Sheet, header: PackHeader) -> int:
    """The 1-based row of a sheet's first data row: after the header lines, a blank row and
    the column headers."""
    return len(header_lines(sheet, header)) + 3


def workbook_bytes(sheets: Sequence[Sheet], names: Sequence[str], header: PackHeader) -> bytes:
    """The workbook: one sheet per table or chart, numbers under the report's formats."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"{header.client_name} \u2013 {header.period_label}"
    for sheet, name in zip(sheets, names):
        page = book.create_sheet(name)
        for line in header_lines(sheet, header):
            page.append([line])
        page.cell(row=1, column=1).font = Font(bold=True, size=13)
        page.append([])
        page.append(list(sheet.columns))
        for cell in page[page.max_row]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append([_excel_value(cell, header.locale)[0] for cell in row])
            for target, cell in zip(page[page.max_row], row):
                target.number_format = _excel_value(cell, header.locale)[1]
        page.freeze_panes = page.cell(row=first_data_row(sheet, header), column=2)
        for index, column in enumerate(sheet.columns, start=1):
            width = max([len(column), *(len(row[index - 1].text) for row in sheet.rows)])
            page.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_value(cell: Cell, locale: str) -> tuple[float | str, str]:
    """What an Excel cell holds for ``cell``, and its number format: the number when a format
    shows the report's text for it, else the text (``General``: as written)."""
    if cell.value is not None:
        look = look_of(cell.text, cell.value, locale)
        if look is not None:
            return cell.value, look.excel_format()
    return cell.text, "@" if cell.text else "General"


def csv_rows(sheet: Sheet, header: PackHeader) -> list[list[str]]:
    """A sheet as CSV rows: the header lines, a blank row, the columns, each row's texts."""
    return [*([line] for line in header_lines(sheet, header)), [], list(sheet.columns),
            *([cell.text for cell in row] for row in sheet.rows)]


def csv_name(number: int, sheet: Sheet) -> str:
    """Sheet 1, ``KPIs for October 2026`` -> ``01-kpis-for-october-2026.csv`` (the whole
    title, which a sheet's name may have had to cut; numbered, so unique)."""
    slug = re.sub(r"[^a-z0-9]+", "-", sheet.title.lower()).strip("-")[:CSV_SLUG_MAX].strip("-")
    return f"{number:02d}-{slug or sheet.kind}.csv"


def csv_zip_bytes(sheets: Sequence[Sheet], header: PackHeader) -> bytes:
    """The zip of one CSV file per sheet, UTF-8 with a byte-order mark."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, sheet in enumerate(sheets, start=1):
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerows(csv_rows(sheet, header))
            archive.writestr(csv_name(number, sheet), text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()
