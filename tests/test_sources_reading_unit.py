"""sources/reading: exports read as text columns, rows numbered as a spreadsheet shows them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from nbreport.core.errors import DataError
from nbreport.sources.reading import RawTable, read_raw
from nbreport.sources.spec import SourceSpec


def spec(path: str = "a.csv", **fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "src", "kind": "ads", "path": path, **fields})


def write(folder: Path, text: str, name: str = "a.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_title_block_is_skipped_and_rows_count_from_the_header(tmp_path: Path) -> None:
    text = 'Campaign report\n"Oct 1 - Oct 2"\nDay;Campaign;Cost\n2026-10-01;A;"1,5"\n2026-10-02;B;2\n'
    raw = read_raw(spec(header_contains="campaign"), write(tmp_path, text))
    expected = pd.read_csv(write(tmp_path, text), skiprows=2, sep=";", dtype=str)
    assert raw.table.column_names == list(expected.columns)
    assert raw.table.to_pandas().equals(expected)  # every value kept as the text it was
    assert raw.rows.tolist() == [4, 5]  # the header is spreadsheet row 3


def test_footer_lines_are_dropped_and_kept_for_the_report(tmp_path: Path) -> None:
    text = "Day,Campaign,Cost\n2026-10-01,A,1\n\u00a9 2026 Some Tool\n"
    raw = read_raw(spec(), write(tmp_path, text))
    assert len(raw) == 1 and raw.dropped == ["\u00a9 2026 Some Tool"]


def test_a_row_with_too_many_fields_is_an_error_quoting_it(tmp_path: Path) -> None:
    text = "Day,Campaign,Cost\n2026-10-01,A,1\n2026-10-02,B,2,3\n"
    with pytest.raises(DataError, match=r"a row has 4 fields where the header has 3 \('2026-10-02,B,2,3'\); "
                                        r"check the delimiter \(','\)"):
        read_raw(spec(), write(tmp_path, text))


def test_a_shared_file_never_quotes_its_rows(tmp_path: Path) -> None:
    text = "Day,Account,Cost\n2026-10-01,A,1\n2026-10-02,OTHER-CLIENT,2,3\n"
    shared = spec(shared=True, mapping={"filter": {"Account": "A"}})
    with pytest.raises(DataError) as caught:
        read_raw(shared, write(tmp_path, text))
    assert "OTHER-CLIENT" not in str(caught.value) and "4 fields" in str(caught.value)


def test_header_problems_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the header names the column 'Cost' twice"):
        read_raw(spec(), write(tmp_path, "Day,Cost,Cost\n1,2,3\n"))
    with pytest.raises(DataError, match="no header row with a column 'Spend' in the first 50 lines"):
        read_raw(spec(header_contains="Spend"), write(tmp_path, "Day,Cost\n1,2\n"))
    with pytest.raises(DataError, match="the file is empty: no header row"):
        read_raw(spec(), write(tmp_path, ""))
    with pytest.raises(DataError, match="file not found; check 'path'") as caught:
        read_raw(spec(), tmp_path / "missing.csv")
    assert caught.value.path == "a.csv"


def test_a_wrong_encoding_says_which_to_set(tmp_path: Path) -> None:
    path = write(tmp_path, "Day,Campaign\n2026-10-01,Café\n", encoding="cp1252")
    with pytest.raises(DataError, match="cannot be decoded as utf-8 .*set 'encoding'"):
        read_raw(spec(), path)
    assert read_raw(spec(encoding="cp1252"), path).table.column("Campaign").to_pylist() == ["Café"]


def test_jsonl_nested_objects_become_dotted_columns(tmp_path: Path) -> None:
    records = [{"id": 1, "person_properties": {"plan": "pro"}}, {"id": 2, "person_properties": {"plan": "free"}}]
    path = write(tmp_path, "\n".join(json.dumps(r) for r in records) + "\n", name="r.jsonl")
    raw = read_raw(spec("r.jsonl", kind="survey"), path)
    assert raw.table.column("person_properties.plan").to_pylist() == ["pro", "free"]
    assert raw.rows.tolist() == [1, 2]


def test_xlsx_blank_lines_are_left_out_keeping_row_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Day": ["2026-10-01", None, "2026-10-03"], "Cost": ["1", None, "3"]})
    path = tmp_path / "a.xlsx"
    frame.to_excel(path, index=False)
    raw = read_raw(spec("a.xlsx"), path)
    assert raw.table.column("Cost").to_pylist() == ["1", "3"]
    assert raw.rows.tolist() == [2, 4]


def test_raw_table_filter_keeps_rows_and_their_numbers() -> None:
    raw = RawTable(pa.table({"a": ["x", "y", "z"]}), np.array([2, 3, 4]), ["footer"])
    kept = raw.filter(np.array([True, False, True]))
    assert kept.table.column("a").to_pylist() == ["x", "z"] and kept.rows.tolist() == [2, 4]
    assert kept.dropped == ["footer"] and len(kept) == 2
