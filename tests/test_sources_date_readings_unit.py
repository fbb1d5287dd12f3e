"""sources/date_readings: a date column's format is taken only when exactly one reading fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from nbreport.sources.date_readings import Reading, readings_of, recognise, shape, shapes_of
from nbreport.sources.date_values import DateProblem, Distinct

FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y")


def column_and_parsed(values: list[str]) -> tuple[Distinct, dict[str, np.ndarray]]:
    """The column's distinct values, each read by every format with plain pandas (NaT: unread)."""
    column = Distinct.of(pa.array(values))
    distinct = pd.Series(column.values.to_pylist())
    parsed = {fmt: pd.to_datetime(distinct, format=fmt, errors="coerce").to_numpy().astype("datetime64[D]")
              for fmt in FORMATS}
    return column, parsed


def test_day_first_and_month_first_are_one_shape() -> None:
    assert shape("%d/%m/%Y") == shape("%m/%d/%Y") != shape("%Y-%m-%d")


def test_the_one_reading_that_fits_every_value_is_taken() -> None:
    values = ["13/01/2026", "02/01/2026", "13/01/2026"]
    column, parsed = column_and_parsed(values)
    days, fmt = recognise(column, parsed)
    assert fmt == "%d/%m/%Y"
    expected = pd.to_datetime(pd.Series(column.values.to_pylist()), format="%d/%m/%Y")
    assert days.tolist() == expected.to_numpy().astype("datetime64[D]").tolist()


def test_two_complete_readings_are_refused_naming_both() -> None:
    column, parsed = column_and_parsed(["01/02/2026", "03/04/2026", "03/04/2026"])
    with pytest.raises(DateProblem) as caught:
        recognise(column, parsed)
    message = str(caught.value)
    assert "fit both DD/MM/YYYY and MM/DD/YYYY" in message and "the file alone cannot tell" in message
    assert "'03/04/2026' is 3 April 2026" in message and "'03/04/2026' is 4 March 2026" in message
    assert "2 readings read every row but give 3 rows different dates" in message
    assert caught.value.position is None  # every value is readable: no row is at fault


def test_a_column_mixing_shapes_is_refused_naming_the_unreadable_row() -> None:
    column, parsed = column_and_parsed(["2026-01-13", "2026-01-14", "13/01/2026", "junk"])
    assert set(shapes_of(column, parsed)) == {"%Y-%N-%N", "%N/%N/%Y"}
    with pytest.raises(DateProblem, match="the column mixes date formats") as caught:
        recognise(column, parsed)
    assert caught.value.position == 3  # 'junk', the first row no reading reads


def test_one_format_with_unreadable_values_leaves_them_to_the_caller() -> None:
    column, parsed = column_and_parsed(["2026-10-01", "2026-10-40"])
    days, fmt = recognise(column, parsed)
    assert fmt is None
    assert str(days[0]) == "2026-10-01" and np.isnat(days[1])


def test_a_blank_column_has_no_days_and_no_format() -> None:
    column, parsed = column_and_parsed(["", " "])
    days, fmt = recognise(column, parsed)
    assert fmt is None and np.isnat(days).all()


def test_readings_combine_one_format_per_shape() -> None:
    column, parsed = column_and_parsed(["2026-01-13", "02/01/2026"])
    readings = readings_of(column, parsed)
    assert sorted(r.formats for r in readings) == [("%Y-%m-%d", "%d/%m/%Y"), ("%Y-%m-%d", "%m/%d/%Y")]


def test_a_reading_is_spelled_as_mapping_date_format_takes_it() -> None:
    days = np.array(["2026-01-01", "NaT"], dtype="datetime64[D]")
    one = Reading(("%d/%m/%Y",), days)
    assert one.spelled == "'%d/%m/%Y'" and one.label == "DD/MM/YYYY" and one.read.tolist() == [True, False]
    assert Reading(("%Y-%m-%d", "%d/%m/%Y"), days).spelled == "['%Y-%m-%d', '%d/%m/%Y']"
