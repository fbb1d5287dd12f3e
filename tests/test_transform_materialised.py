"""The transform steps as they run fast: each step made once into its table, and the ``date`` step
reading each written day once. The results must be those of reading every value; the errors must
still name the value as written and its row. Expected values are computed here with pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_sources
from nbreport.sources.reading import read_raw
from nbreport.sources.transform import apply_transforms


def spec(**fields: Any) -> SourceSpec:
    return SourceSpec.model_validate({"name": "export", "path": "export.csv", "kind": "web", **fields})


def write(folder: Path, text: str) -> Path:
    path = folder / "export.csv"
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


STAMPS = """
at,channel,sessions
2026-10-01 09:00:00,c1,1
2026-10-01T23:59:59Z,c2,2
2026-10-02 00:00:01+02:00,c3,3
2026-10-02,c4,4
2026-10-03T08:15,c5,5
,c6,6
2026-10-03 8:15:00 PM,c7,7
"""


def test_timestamps_become_the_day_written_before_their_time(tmp_path: Path) -> None:
    path = write(tmp_path, STAMPS)
    source = spec(transform=[{"date": {"from": "at", "into": "day"}},
                             {"exclude": {"day": ""}}],
                  mapping={"rename": {"day": "date"}})
    web = load_sources([source], tmp_path).table("web")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    written = raw[raw["at"] != ""]
    assert web["date"].dt.strftime("%Y-%m-%d").tolist() == written["at"].str[:10].tolist()
    assert web["sessions"].tolist() == written["sessions"].astype(float).tolist()


@pytest.mark.parametrize(("value", "row"), [
    ("2026-02-30 10:00:00", 3),  # no such day: the value is named as written, with its time
    ("2026-10-01 10:00 10:00", 3),  # two times: not a date with a time, refused
    ("Z", 3),  # nothing before the zone
])
def test_a_timestamp_no_day_reads_is_named_with_its_row(tmp_path: Path, value: str, row: int) -> None:
    write(tmp_path, f"at,sessions\n2026-10-01 09:00:00,1\n{value},2\n2026-10-02 09:00:00,3\n")
    source = spec(transform=[{"date": {"from": "at", "into": "date"}}])
    with pytest.raises(DataError) as caught:
        load_sources([source], tmp_path)
    error = caught.value
    assert error.row == row and error.column == "at" and "transform step 1 (date)" in str(error)
    assert value in str(error)


def test_a_runtime_error_names_the_step_that_raised_it(tmp_path: Path) -> None:
    write(tmp_path, "date,sessions\n2026-10-01,5\n2026-10-02,x\n")
    source = spec(transform=[{"filter": {"date": ["2026-10-01", "2026-10-02"]}},
                             {"derive": {"visits": "CAST(sessions AS INTEGER)"}}])
    with pytest.raises(DataError, match=r"transform step 2 \(derive\): DuckDB cannot run it"):
        load_sources([source], tmp_path)


def test_each_step_keeps_its_rows_count_and_first_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "date,channel,sessions\n2026-10-01,a,1\n2026-10-01,a,1\n2026-10-02,b,2\n"
                           "2026-10-02,c,3\n2026-10-03,b,4\n")
    source = spec(transform=[{"dedupe": "all"}, {"exclude": {"channel": "c"}},
                             {"aggregate": {"by": ["channel"], "sum": {"sessions": "sessions"}}}])
    raw = read_raw(source, path)
    result = apply_transforms(source, raw, lambda other: raw, {}, heads=2)
    frame = pd.read_csv(path, dtype=str)
    deduped = frame.drop_duplicates()
    kept = deduped[deduped["channel"] != "c"]
    summed = kept.assign(sessions=kept["sessions"].astype(float)).groupby("channel", sort=False)["sessions"].sum()
    assert [(s.name, s.rows, s.dropped) for s in result.steps] == [
        ("dedupe", len(deduped), len(frame) - len(deduped)), ("exclude", len(kept), len(deduped) - len(kept)),
        ("aggregate", len(summed), 0)]
    assert [head.num_rows for head in result.heads] == [2, 2, 2]
    assert result.heads[1].column("channel").to_pylist() == kept["channel"].head(2).tolist()
    assert result.heads[2].column("sessions").to_pylist() == summed.head(2).tolist()
