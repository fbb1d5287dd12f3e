"""sources/convert and sources/arrays: one column converted to its canonical type, errors naming the row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from nbreport.core.errors import DataError
from nbreport.sources.arrays import mask, repeat, trimmed_text
from nbreport.sources.canonical import Column
from nbreport.sources.convert import ColumnConverter, ConversionLog, SourceContext, plain_numbers
from nbreport.sources.mapping import effective_mapping
from nbreport.sources.spec import SourceSpec


def converter(column: Column, export_name: str, rows: list[int], **fields: object) -> ColumnConverter:
    spec = SourceSpec.model_validate({"name": "src", "kind": "ads", "path": "x.csv", **fields})
    source = SourceContext(spec, effective_mapping(spec), np.array(rows), (export_name,))
    return ColumnConverter(source, ConversionLog(), column, export_name)


def test_numbers_as_people_write_them() -> None:
    values = ["1,234.5", " 12 ", "-3", "1e3"]
    result = converter(Column("spend", "float"), "Cost", [2, 3, 4, 5]).convert(pa.array(values))
    assert result.to_pylist() == [float(v.replace(",", "")) for v in values]


def test_decimal_comma_numbers() -> None:
    values = ["1.234,5", "0,25"]
    result = converter(Column("spend", "float"), "Kosten", [2, 3], decimal=",").convert(pa.array(values))
    assert result.to_pylist() == [1234.5, 0.25]


def test_a_word_in_a_number_column_names_the_row_column_and_count() -> None:
    with pytest.raises(DataError) as caught:
        converter(Column("spend", "float"), "Cost", [10, 11, 12]).convert(pa.array(["1", "n/a", "x"]))
    error = caught.value
    assert (error.row, error.column, error.source) == (11, "Cost", "src")
    assert "found 'n/a', expected a number such as 1,234.5 (2 rows like this) (read as spend)" in str(error)


def test_a_decimal_comma_without_the_setting_says_how_to_fix_it() -> None:
    with pytest.raises(DataError, match="set decimal: ',' on the source"):
        converter(Column("spend", "float"), "Cost", [2]).convert(pa.array(["1,5"]))


def test_whole_numbers_and_signs_are_checked() -> None:
    with pytest.raises(DataError, match="expected a whole number, found '2.5'") as caught:
        converter(Column("clicks", "int"), "clicks", [2, 3]).convert(pa.array([1.0, 2.5]))
    assert caught.value.row == 3
    with pytest.raises(DataError, match=r"found -4.0: spend cannot be negative \(1 rows\)"):
        converter(Column("spend", "float", non_negative=True), "spend", [2]).convert(pa.array([-4.0]))


def test_blanks_in_a_required_column_are_an_error_unless_a_rule_says_otherwise() -> None:
    with pytest.raises(DataError, match="found an empty value.*mapping.if_blank.spend") as caught:
        converter(Column("spend", "float", required=True), "Cost", [2, 3]).convert(pa.array(["1", ""]))
    assert caught.value.row == 3
    zeroed = converter(Column("spend", "float", required=True), "Cost", [2, 3],
                       mapping={"if_blank": {"spend": "zero"}})
    assert zeroed.convert(pa.array(["1", ""])).to_pylist() == [1.0, 0.0]
    assert zeroed.log.filled == [(1, "blank 'Cost' read as 0 (read as spend)")]


def test_text_defaults_and_choices() -> None:
    channel = converter(Column("channel", "str", default="Unknown"), "channel", [2, 3])
    assert channel.convert(pa.array(["Email", None])).to_pylist() == ["Email", "Unknown"]
    assert channel.log.defaulted["channel"].tolist() == [False, True]
    with pytest.raises(DataError, match="found 'Won', expected one of lead, opportunity, won, lost; "
                                        "map the export's values with mapping.values.stage"):
        converter(Column("stage", "str", choices=("lead", "opportunity", "won", "lost")), "stage",
                  [2]).convert(pa.array(["Won"]))


def test_dates_in_the_one_format_that_fits_are_noted() -> None:
    values = ["31/10/2026", "01/10/2026"]
    dates = converter(Column("date", "date"), "Day", [2, 3])
    result = dates.convert(pa.array(values))
    assert result.to_pylist() == list(pd.to_datetime(values, format="%d/%m/%Y"))
    assert dates.log.notes and "'Day' read as" in dates.log.notes[0]


def test_a_zoned_timestamp_keeps_the_day_it_was_written_on() -> None:
    stamps = pd.Series(pd.to_datetime(["2026-10-31 23:30"]).tz_localize("America/New_York"))
    result = converter(Column("date", "date"), "Day", [2]).convert(pa.array(stamps))
    assert result.to_pylist() == [pd.Timestamp("2026-10-31")]


def test_timestamps_without_a_zone_are_read_in_the_source_zone_and_stored_in_utc() -> None:
    result = converter(Column("created_at", "datetime"), "Created", [2],
                       timezone="Europe/Berlin").convert(pa.array(["2026-07-01 12:00:00"]))
    expected = pd.Timestamp("2026-07-01 12:00", tz="Europe/Berlin").tz_convert("UTC").tz_localize(None)
    assert result.to_pylist() == [expected]


def test_an_unreadable_date_names_its_row() -> None:
    with pytest.raises(DataError) as caught:
        converter(Column("date", "date"), "Day", [7, 8]).convert(pa.array(["2026-10-01", "yesterday"]))
    assert (caught.value.row, caught.value.column) == (8, "Day")


def test_plain_numbers_fast_path_declines_what_it_cannot_cast() -> None:
    blank = np.array([False, True])
    assert plain_numbers(pa.array(["1.5", ""]), blank).to_pylist() == [1.5, None]
    assert plain_numbers(pa.array(["1,5", "2"]), np.array([False, False])) is None
    assert plain_numbers(pa.array(["abc", "2"]), np.array([False, False])) is None


def test_arrow_helpers() -> None:
    assert mask(pa.array([True, None, False])).tolist() == [True, False, False]
    assert trimmed_text(pa.array([" a ", None, "--"]), ("--",)).to_pylist() == ["a", "", ""]
    assert trimmed_text(pa.array([1, 2])).to_pylist() == ["1", "2"]
    repeated = repeat("Paid Search", 3)
    assert repeated.type == pa.string() and repeated.to_pylist() == ["Paid Search"] * 3
