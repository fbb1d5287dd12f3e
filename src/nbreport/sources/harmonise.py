"""Map a raw export onto the canonical model and convert its types.

Steps, in order: rename columns, keep the client's rows (tenant filter), add
constant columns, check required columns, convert types (dates only in the
declared or ISO format), scale values, fill optional columns with defaults.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nbreport.errors import DataError
from nbreport.sources.canonical import Column, columns_of
from nbreport.sources.spec import SourceSpec

HEADER_ROWS = 1  # row numbers in messages count the header as row 1, like a spreadsheet
ISO_DATE = "%Y-%m-%d"


def harmonise(raw: pd.DataFrame, spec: SourceSpec) -> tuple[pd.DataFrame, int]:
    """Canonical frame for ``spec.kind`` and the number of rows the tenant filter removed."""
    mapping = spec.mapping
    frame = raw.rename(columns={c: c.strip() for c in raw.columns}).rename(columns=mapping.rename)
    frame, filtered_out = _tenant_filter(frame, spec)
    for column, value in mapping.constants.items():
        frame[column] = str(value)
    columns = columns_of(spec.kind)
    _check_required(frame, columns, spec)
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        if column.name in frame.columns:
            out[column.name] = _convert(frame[column.name], column, spec)
        else:
            out[column.name] = _default(column, len(frame))
    for column, factor in mapping.scale.items():
        if column not in out.columns:
            raise DataError(f"mapping.scale names '{column}', which is not a {spec.kind} column",
                            source=spec.name, path=spec.path)
        out[column] = out[column] * factor
    out["source"] = spec.name
    return out.reset_index(drop=True), filtered_out


def _tenant_filter(frame: pd.DataFrame, spec: SourceSpec) -> tuple[pd.DataFrame, int]:
    keep = pd.Series(True, index=frame.index)
    for column, accepted in spec.mapping.filter.items():
        if column not in frame.columns:
            raise DataError(
                f"mapping.filter uses column '{column}', which the file does not have "
                f"(columns: {', '.join(map(str, frame.columns))})", source=spec.name, path=spec.path)
        values = [accepted] if isinstance(accepted, str) else accepted
        keep &= frame[column].str.strip().isin(values)
    return frame[keep], int((~keep).sum())


def _check_required(frame: pd.DataFrame, columns: tuple[Column, ...], spec: SourceSpec) -> None:
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    if missing:
        raise DataError(
            f"missing required column{'s' * (len(missing) > 1)} {', '.join(missing)} for {spec.kind} "
            f"data; the file has: {', '.join(map(str, frame.columns))}. "
            "Map export columns with mapping.rename in the params file",
            source=spec.name, path=spec.path)


def _default(column: Column, length: int) -> pd.Series:
    if column.type in ("date", "datetime"):
        return pd.Series(pd.NaT, index=range(length), dtype="datetime64[ns]")
    if column.default is None:
        return pd.Series(np.nan if column.type in ("int", "float") else "", index=range(length))
    return pd.Series([column.default] * length)


def _convert(values: pd.Series, column: Column, spec: SourceSpec) -> pd.Series:
    text = values.astype(str).str.strip()
    if column.type == "str":
        if column.required:
            _raise_for_bad(text, text.where(text != ""), column, spec, "a value in every row")
        return text.replace("", column.default) if column.default else text
    if column.type == "date":
        return _parse_dates(text, column, spec)
    if column.type == "datetime":
        return _parse_timestamps(text, column, spec)
    numbers = pd.to_numeric(text.replace("", np.nan), errors="coerce")
    _raise_for_bad(text, numbers, column, spec, "a number such as 1234.5")
    if column.type == "int" and numbers.notna().any():
        fractional = numbers.notna() & (numbers % 1 != 0)
        if fractional.any():
            position = int(np.flatnonzero(fractional.to_numpy())[0])
            raise DataError(f"expected a whole number, found '{text.iloc[position]}'",
                            source=spec.name, path=spec.path,
                            row=_row_number(text, position), column=column.name)
    if column.default is not None:
        numbers = numbers.fillna(column.default)
    return numbers.astype("float64")


def _parse_dates(text: pd.Series, column: Column, spec: SourceSpec) -> pd.Series:
    formats = spec.mapping.date_format or ISO_DATE
    formats = [formats] if isinstance(formats, str) else formats
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        remaining = parsed.isna() & (text != "")
        if not remaining.any():
            break
        values = text[remaining]
        if fmt == ISO_DATE:
            values = values.str.slice(0, 10)  # ISO timestamps keep their day
        parsed[remaining] = pd.to_datetime(values, format=fmt, errors="coerce")
    hint = ("dates are read in ISO form YYYY-MM-DD only; give the export's format in "
            "mapping.date_format (e.g. '%d/%m/%Y')") if not spec.mapping.date_format else \
        f"expected a date in the format {' or '.join(formats)}"
    _raise_for_bad(text, parsed, column, spec, hint, is_hint=True)
    return parsed.dt.normalize()


def _parse_timestamps(text: pd.Series, column: Column, spec: SourceSpec) -> pd.Series:
    """ISO timestamps (``2026-10-31T14:05:00``, with or without zone); zones are converted to UTC
    and dropped, so every timestamp compares with every other."""
    parsed = pd.to_datetime(text.replace("", None), format="ISO8601", errors="coerce", utc=True)
    _raise_for_bad(text, parsed, column, spec, "an ISO timestamp such as 2026-10-31T14:05:00")
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def _raise_for_bad(text: pd.Series, parsed: pd.Series, column: Column, spec: SourceSpec,
                   expected: str, *, is_hint: bool = False) -> None:
    bad = parsed.isna() & (text != "")
    if column.required:
        bad |= text == ""
    if not bad.any():
        return
    position = int(np.flatnonzero(bad.to_numpy())[0])
    found = text.iloc[position]
    what = f"found '{found}'" if found else "found an empty value"
    message = f"{what}; {expected}" if is_hint else f"{what}, expected {expected}"
    count = int(bad.sum())
    if count > 1:
        message += f" ({count} rows like this)"
    raise DataError(message, source=spec.name, path=spec.path,
                    row=_row_number(text, position), column=column.name)


def _row_number(series: pd.Series, position: int) -> int:
    return int(series.index[position]) + 1 + HEADER_ROWS
