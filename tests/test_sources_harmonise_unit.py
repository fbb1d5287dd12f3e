"""sources/harmonise: a raw export table mapped onto the canonical model, checked against plain pandas."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from nbreport.core.errors import DataError
from nbreport.sources.harmonise import Harmonised, harmonise
from nbreport.sources.reading import RawTable
from nbreport.sources.spec import SourceSpec

ADS_CSV = """Day,Campaign,Account,Impr.,Clicks,Cost
2026-10-01,Brand,A-1,"1,200",30,"1,024.50"
2026-10-01,Brand,B-2,900,20,99.00
2026-10-02,Brand,A-1,800,10,12.25
Total,,A-1,"2,000",40,"1,036.75"
"""


def raw_from_csv(text: str, first_row: int = 2) -> RawTable:
    """Every cell as text (as a CSV reader hands them over); rows numbered as a spreadsheet shows them."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return RawTable(table, np.arange(first_row, first_row + len(frame)))


def ads_spec(**fields: object) -> SourceSpec:
    mapping = {"rename": {"Day": "date", "Campaign": "campaign", "Impr.": "impressions", "Clicks": "clicks",
                          "Cost": "spend"}}
    extra: dict = dict(fields.pop("mapping", {}))  # type: ignore[arg-type]
    mapping["rename"].update(extra.pop("rename", {}))
    mapping.update(extra)
    return SourceSpec.model_validate({"name": "ads", "kind": "ads", "path": "ads.csv", "mapping": mapping,
                                      **fields})


def expected_ads(text: str, account: str) -> pd.DataFrame:
    """The export read independently: one account's data rows, separators removed."""
    frame = pd.read_csv(io.StringIO(text), thousands=",")
    frame = frame[(frame["Account"] == account) & ~frame["Day"].str.startswith("Total")]
    return frame.reset_index(drop=True)


def test_renames_filters_drops_and_converts_like_pandas() -> None:
    spec = ads_spec(mapping={"filter": {"Account": "A-1"}, "drop": {"Day": "^Total"}})
    result = harmonise(raw_from_csv(ADS_CSV), spec)
    frame = result.table.to_pandas()
    expected = expected_ads(ADS_CSV, "A-1")
    assert isinstance(result, Harmonised)
    assert frame["spend"].tolist() == pytest.approx(expected["Cost"].astype(float).tolist())
    assert frame["impressions"].tolist() == expected["Impr."].astype(float).tolist()
    assert frame["date"].tolist() == pd.to_datetime(expected["Day"]).tolist()
    assert frame["source"].unique().tolist() == ["ads"]
    assert frame["channel"].unique().tolist() == ["Unknown"]  # canonical default, no such column
    assert result.defaulted["channel"].all()
    assert result.rows.tolist() == [2, 4]  # spreadsheet rows of the kept lines
    assert [count for count, _ in result.dropped] == [1, 1]  # tenant filter first (B-2), then the total row
    assert "tenant filter" in result.dropped[0][1] and "'Day' matches ^Total" in result.dropped[1][1]
    assert result.columns["spend"] == "Cost"


def test_a_bad_number_names_its_spreadsheet_row_and_both_column_names() -> None:
    text = "Day,Campaign,Impr.,Clicks,Cost\n2026-10-01,Brand,10,1,5\n2026-10-02,Brand,10,1,five\n"
    with pytest.raises(DataError) as caught:
        harmonise(raw_from_csv(text), ads_spec())
    error = caught.value
    assert (error.row, error.column) == (3, "Cost")
    assert "found 'five'" in str(error) and "(read as spend)" in str(error)


def test_missing_required_column_lists_the_file_columns() -> None:
    text = "Day,Campaign,Impr.,Clicks\n2026-10-01,Brand,10,1\n"
    with pytest.raises(DataError, match=r"missing required column spend for ads data; "
                                        r"the file has: Day, Campaign, Impr\., Clicks"):
        harmonise(raw_from_csv(text), ads_spec())


def test_an_unknown_tenant_filter_column_is_an_error_naming_it() -> None:
    with pytest.raises(DataError, match="mapping.filter uses column 'Client'"):
        harmonise(raw_from_csv(ADS_CSV), ads_spec(mapping={"filter": {"Client": "A-1"}}))


def test_an_unknown_drop_column_is_an_error_but_a_preset_one_is_skipped() -> None:
    with pytest.raises(DataError, match="mapping.drop names column 'Notes'"):
        harmonise(raw_from_csv(ADS_CSV), ads_spec(mapping={"drop": {"Notes": "x"}}))
    spec = SourceSpec.model_validate({"name": "ads", "kind": "ads", "path": "a.csv", "preset": "google_ads",
                                      "mapping": {"filter": {"Account": "A-1"}}})
    result = harmonise(raw_from_csv(ADS_CSV), spec)  # the preset also drops on 'Date', absent here
    assert len(result.table) == 2
    assert any("not data in a Google Ads export" in why for _, why in result.dropped)


def test_micros_are_divided_exactly_and_a_scale_on_no_column_is_an_error() -> None:
    text = "Day,Campaign,Impr.,Clicks,Cost\n2026-10-01,Brand,10,1,2146300000\n"
    result = harmonise(raw_from_csv(text), ads_spec(mapping={"scale": {"spend": 0.000001}}))
    assert result.table.column("spend").to_pylist() == [2146300000 / 1e6]
    with pytest.raises(DataError, match="mapping.scale names 'budget', which is not a ads column"):
        harmonise(raw_from_csv(text), ads_spec(mapping={"scale": {"budget": 2}}))


def test_blank_rules_drop_or_zero_and_are_told() -> None:
    text = "Day,Campaign,Impr.,Clicks,Cost\n2026-10-01,Brand,10,1,\n2026-10-02,,10,1,3\n"
    result = harmonise(raw_from_csv(text), ads_spec(mapping={"if_blank": {"spend": "zero",
                                                                          "campaign": "drop"}}))
    assert result.table.column("spend").to_pylist() == [0.0]
    assert result.dropped == [(1, "no value in 'Campaign' (mapping.if_blank: drop)")]
    assert result.filled == [(1, "blank 'Cost' read as 0 (read as spend)")]


def test_constants_and_recoded_values() -> None:
    text = "Day,Campaign,Impr.,Clicks,Cost,Type\n2026-10-01,Brand,10,1,2,SEARCH \n2026-10-02,Brand,1,1,2,x\n"
    spec = ads_spec(mapping={"rename": {"Type": "campaign_type"}, "constants": {"channel": "Paid Search"},
                             "values": {"campaign_type": {"search": "Search"}}})
    frame = harmonise(raw_from_csv(text), spec).table.to_pandas()
    assert frame["channel"].tolist() == ["Paid Search", "Paid Search"]
    assert frame["campaign_type"].tolist() == ["Search", "x"]  # case and spaces ignored; others unchanged


def test_two_source_renames_onto_one_column_is_an_error() -> None:
    text = "Day,Date,Campaign,Impr.,Clicks,Cost\n2026-10-01,2026-10-01,Brand,10,1,2\n"
    with pytest.raises(DataError, match="mapping.rename maps both 'Day' and 'Date' to date; keep one"):
        harmonise(raw_from_csv(text), ads_spec(mapping={"rename": {"Date": "date"}}))


def test_unique_key_export_columns_travel_as_extra_text() -> None:
    text = "Day,Campaign,Ad ID,Impr.,Clicks,Cost\n2026-10-01,Brand, 7 ,10,1,2\n"
    result = harmonise(raw_from_csv(text), ads_spec(unique_key=["Ad ID", "campaign"]))
    assert list(result.extra) == ["Ad ID"]
    assert result.extra["Ad ID"].tolist() == ["7"]


def test_lines_the_reader_dropped_are_quoted_unless_the_file_is_shared() -> None:
    raw = raw_from_csv("Day,Campaign,Account,Impr.,Clicks,Cost\n2026-10-01,Brand,A,1,1,1\n")
    raw = RawTable(raw.table, raw.rows, ["(c) 2026 Tool", "Grand total 99"])
    own = harmonise(raw, ads_spec())
    assert own.dropped[0] == (2, "lines that are no data rows, such as '(c) 2026 Tool'; 'Grand total 99'")
    shared = harmonise(raw, ads_spec(shared=True, mapping={"filter": {"Account": "A"}}))
    assert shared.dropped[0] == (2, "lines that are no data rows")


def test_zendesk_first_reply_minutes_fill_the_first_response_time() -> None:
    text = ("Id,Created at,Solved at,Status,First reply time in minutes\n"
            "1,2026-10-01T10:00:00Z,,Open,90\n2,2026-10-01T11:00:00Z,,Solved,\n")
    spec = SourceSpec.model_validate({"name": "tickets", "kind": "support", "path": "t.csv",
                                      "preset": "zendesk_tickets"})
    frame = harmonise(raw_from_csv(text), spec).table.to_pandas()
    assert frame["first_response_at"].iloc[0] == pd.Timestamp("2026-10-01 11:30")
    assert pd.isna(frame["first_response_at"].iloc[1])
    assert frame["status"].tolist() == ["open", "solved"]
