"""The gate on a report's data pack (``data.xlsx``, ``data.zip``): it goes to the client with
the report, so it is checked like the report.

* A report that links its data pack must have it beside it, whole: both files, a workbook
  that opens and a zip of CSV files that opens.
* No cell of any sheet or CSV file may hold another client's markers (their canaries, see
  :class:`nbreport.qa.spec.QaSpec`) or a secret: the values of the environment variables the
  params refer to, and the credentials :mod:`nbreport.qa.secrets_scan` recognises.

The files are compressed: their bytes say nothing, so their cells are read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from nbreport.core.layout import DATA_XLSX, DATA_ZIP

NAME = "data pack present and clean"
DETAIL_MAX = 300
_LINKED = re.compile(r"""href=["']?(?:\./)?(%s|%s)["'\s>]""" % (re.escape(DATA_XLSX), re.escape(DATA_ZIP)))

Leaks = Callable[[list[str]], list[str]]  # texts -> other clients' markers and secrets in them


def pack_problems(folder: Path | None, html: str, leaks: Leaks) -> list[str]:
    """What is wrong with the data pack ``html`` links: not beside the report, not opening, or
    holding another client's markers or a secret (``leaks``); none when it links no pack."""
    linked = sorted(set(_LINKED.findall(html)))
    if folder is None:
        return ["linked, but the report's folder is unknown"] if linked else []
    missing = [name for name in linked if not (folder / name).is_file()]
    if missing:
        return [f"the report links {', '.join(missing)}, which is not beside it; run the client again"]
    problems = []
    for name, read in PACK_READERS.items():
        path = folder / name
        if not path.is_file():
            continue
        try:
            texts = read(path)
        except Exception as exc:  # noqa: BLE001 - a broken file raises many kinds of error
            problems.append(f"{name}: cannot be opened ({type(exc).__name__}); run the client again")
            continue
        problems += [f"{name}: {problem}" for problem in leaks(texts)]
    return problems


def workbook_texts(path: Path) -> list[str]:
    """Every cell of every sheet of a workbook, as text (sheet names too)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        texts = list(book.sheetnames)
        for sheet in book.worksheets:
            texts += [str(value) for row in sheet.iter_rows(values_only=True)
                      for value in row if value is not None and value != ""]
        return texts
    finally:
        book.close()


def zip_texts(path: Path) -> list[str]:
    """Every cell of every CSV file in a zip, as text (file names too)."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            texts.append(member)
            content = archive.read(member).decode("utf-8-sig", errors="replace")
            texts += [value for row in csv.reader(io.StringIO(content)) for value in row if value]
    return texts


# each data pack file -> what reads its texts
PACK_READERS: dict[str, Callable[[Path], list[str]]] = {DATA_XLSX: workbook_texts, DATA_ZIP: zip_texts}
