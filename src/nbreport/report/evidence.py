"""The rows behind the numbers: a report's canonical tables, kept beside the report.

When the report is opened (:func:`nbreport.report.artifacts.write_artifacts`), every
canonical table it is computed from (``inputs.data.tables``: kind -> rows, each with its
``source``) is stored as ``rows-<kind>.parquet`` in the kernel's working folder and listed
under the report's ``artifacts``; the batch engine moves them beside ``report.html``. The QA gate recomputes every KPI from them through
a path of its own (:mod:`nbreport.qa.recompute`), so a number the report got wrong, or a
manifest edited by hand, fails the gate.

The files are for the agency, like the executed notebook: they hold the client's rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from nbreport.core.layout import evidence_file
from nbreport.core.files import write_atomic

_KIND = re.compile(r"^[a-z][a-z0-9_]*$")  # canonical kinds; artifact names must stay flat


def write_evidence(tables: Mapping[str, pd.DataFrame], folder: Path) -> list[str]:
    """Store a report's canonical tables (kind -> rows) in ``folder``; returns the file names."""
    names = []
    for kind, rows in sorted(tables.items()):
        name = evidence_name(kind)
        write_atomic(folder / name, parquet_bytes(rows))
        names.append(name)
    return names


def evidence_name(kind: str) -> str:
    """``rows-<kind>.parquet``; refuses a kind that is not a plain name (it becomes a file name)."""
    if not _KIND.match(kind):
        raise ValueError(f"cannot store the rows of kind '{kind}': a kind is a lower-case name")
    return evidence_file(kind)


def parquet_bytes(rows: pd.DataFrame) -> bytes:
    """``rows`` as a Parquet file (zstd; missing numbers stored as nulls, not NaN)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(rows, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()
