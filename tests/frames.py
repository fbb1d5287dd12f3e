"""Small canonical tables for metric tests, built the way the data layer builds them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from nbreport.sources.canonical import CANONICAL
from nbreport.sources.loader import ClientData

DATE_COLUMNS = {"date", "close_date", "start_date", "churn_date"}
TIME_COLUMNS = {"created_at", "first_response_at", "resolved_at"}


def table(kind: str, rows: list[dict[str, Any]], source: str | None = None) -> pd.DataFrame:
    """A canonical ``kind`` table: every canonical column, defaults filled, proper dtypes."""
    frame = pd.DataFrame(rows)
    for column in CANONICAL[kind]:
        if column.name not in frame:
            frame[column.name] = pd.NaT if column.type in ("date", "datetime") else column.default
        if column.name in DATE_COLUMNS | TIME_COLUMNS:
            frame[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[ns]")
        elif column.type in ("int", "float"):
            frame[column.name] = frame[column.name].astype("float64")
    frame["source"] = source or kind
    return frame


def client(**tables: pd.DataFrame | list[pd.DataFrame]) -> ClientData:
    """``ClientData`` from ``kind=frame`` (or a list of frames of that kind)."""
    return ClientData({kind: pd.concat(frames, ignore_index=True) if isinstance(frames, list)
                       else frames for kind, frames in tables.items()})


def days(start: str, end: str) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, end, freq="D")]
