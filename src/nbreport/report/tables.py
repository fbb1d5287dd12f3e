"""Any DataFrame as a client-ready table: formatted values, no raw index, status colouring.

Sections that show a table of their own build it with :func:`data_table` instead of
displaying a DataFrame (whose HTML carries the index, raw floats and no escaping).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from nbreport.core.formatting import NOT_AVAILABLE, Formatter
from nbreport.i18n import _
from nbreport.report.fragment import Fragment, render


def data_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    fmt: Formatter,
    units: Mapping[str, str] | None = None,
    status_column: str | None = None,
    status_words: Mapping[str, str] | None = None,
) -> Fragment:
    """``frame`` as an ``nbr-table`` fragment.

    Parameters
    ----------
    frame:
        The rows to show, columns named as the client reads them. A meaningful index
        (anything but a plain 0..n-1 range) becomes the first column under its name; a plain
        range index is dropped. The first column labels each row.
    caption:
        What the table shows; also names its scrollable region for screen readers.
    fmt:
        The report's formatter (``report.fmt``).
    units:
        Column name to unit (``currency``, ``count``, ``percent``, ``multiple``, ``number``):
        those columns are formatted and right-aligned. Other columns are shown as text.
    status_column:
        A column of ``green``/``amber``/``red``/``none``: shown as a status pill (words, not
        colour alone) and marking its row.
    status_words:
        Status to the words shown for it, English marked with ``N_`` (default: the
        scorecard's); translated here.
    """
    if status_words is None:
        # imported here: the sections package imports this module (via overlaps)
        from nbreport.metrics.kpis import STATUS_WORDS as status_words
    units = dict(units or {})
    table = frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()
    columns = [str(name) for name in table.columns]
    header = [{"name": name, "numeric": name in units} for name in columns if name != status_column]
    if status_column is not None:
        header.append({"name": status_column, "numeric": False})
    rows = []
    for record in table.itertuples(index=False, name=None):
        values = dict(zip(columns, record))
        status = str(values.get(status_column, "none")) if status_column else None
        cells = [{"text": _cell_text(values[name], units.get(name), fmt), "numeric": name in units}
                 for name in columns if name != status_column]
        rows.append({"cells": cells, "status": status,
                     "status_word": _(status_words.get(status, status)) if status else None})
    return render("table.html.j2", f"{caption}: {len(rows)} rows", caption=caption,
                  header=header, rows=rows)


def _cell_text(value: Any, unit: str | None, fmt: Formatter) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return NOT_AVAILABLE
    if unit is not None:
        return fmt.value(float(value), unit)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")
    return str(value)
