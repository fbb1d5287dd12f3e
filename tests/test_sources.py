"""The data layer's backbone: mapping onto the canonical model, clear errors, provenance."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from nbreport.errors import DataError
from nbreport.sources import SourceSpec, load_source, load_sources


def spec(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "ads-export", "kind": "ads", "path": "ads.csv", **fields})


def test_demo_source_loads_in_canonical_types(demo_data_dir: Path) -> None:
    frame, record = load_source(spec(path="google-ads.csv"), demo_data_dir / "northwind-outfitters")
    assert frame["date"].dtype == "datetime64[ns]"
    assert frame["spend"].dtype == "float64" and (frame["source"] == "ads-export").all()
    assert record.rows_read == record.rows_used == len(frame)
    assert (record.first_date, record.last_date) == ("2025-01-01", "2026-10-31")
    assert record.path == "google-ads.csv" and len(record.sha256) == 64


def test_generic_mapping(tmp_path: Path) -> None:
    (tmp_path / "ads.csv").write_text(
        "Day;Campaign name;Impr.;Clicks;Cost (micros);Account\n"
        "31/10/2026;Brand;1000;50;12500000;acme\n"
        "31/10/2026;Other client;9;9;9;globex\n", encoding="utf-8")
    source = spec(mapping={
        "rename": {"Day": "date", "Campaign name": "campaign", "Impr.": "impressions",
                   "Clicks": "clicks", "Cost (micros)": "spend"},
        "date_format": "%d/%m/%Y", "scale": {"spend": 0.000001},
        "constants": {"channel": "Paid Search"}, "filter": {"Account": "acme"}})
    frame, record = load_source(source, tmp_path)
    assert len(frame) == 1 and record.rows_read == 2
    row = frame.iloc[0]
    assert (row["date"], row["spend"], row["channel"]) == (pd.Timestamp("2026-10-31"), 12.5, "Paid Search")
    assert record.notes == ("1 rows of other accounts removed by the tenant filter",)


@pytest.mark.parametrize("content, fields, expected", [
    ("date,campaign,impressions,clicks,spend\n10/31/2026,A,1,1,1\n", {},
     "row 2, column 'date': found '10/31/2026'; dates are read in ISO form YYYY-MM-DD only"),
    ("date,campaign,impressions,clicks\n2026-10-31,A,1,1\n", {},
     "missing required column spend for ads data; the file has: date, campaign, impressions, clicks"),
    ("date,campaign,impressions,clicks,spend\n2026-10-30,A,1,1,1\n2026-10-31,A,1,1,lots\n", {},
     "row 3, column 'spend': found 'lots', expected a number"),
    ("date,campaign,impressions,clicks,spend\n2026-10-31,A,1.5,1,1\n", {},
     "row 2, column 'impressions': expected a whole number, found '1.5'"),
    ("date,campaign,impressions,clicks,spend\n2026-10-31,,1,1,1\n", {},
     "row 2, column 'campaign': found an empty value"),
    ("date,campaign,impressions,clicks,spend\n2026-10-31,A,1,1,1\n", {"mapping": {"filter": {"Account": "x"}}},
     "mapping.filter uses column 'Account', which the file does not have"),
], ids=["us-date-without-format", "missing-column", "bad-number", "fractional-count", "empty-required",
        "filter-on-missing-column"])
def test_errors_name_file_row_column(tmp_path: Path, content: str, fields: dict, expected: str) -> None:
    (tmp_path / "ads.csv").write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_source(spec(**fields), tmp_path)
    assert str(caught.value).startswith("source 'ads-export', ads.csv")
    assert expected in str(caught.value)


def test_missing_file_and_wrong_encoding(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="ads.csv: file not found"):
        load_source(spec(), tmp_path)
    (tmp_path / "ads.csv").write_bytes("date,campaign\n2026-10-31,Caf\u00e9\n".encode("utf-16"))
    with pytest.raises(DataError, match="set 'encoding' for this source"):
        load_source(spec(), tmp_path)


def test_symlink_out_of_the_client_folder_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other-client"
    other.mkdir()
    (other / "ads.csv").write_text("date,campaign,impressions,clicks,spend\n")
    mine = tmp_path / "my-client"
    mine.mkdir()
    os.symlink(other / "ads.csv", mine / "ads.csv")
    with pytest.raises(DataError, match="resolves outside the client's data folder"):
        load_source(spec(), mine)


def test_sources_of_one_kind_are_combined(demo_data_dir: Path) -> None:
    data = load_sources([spec(name="google-ads", path="google-ads.csv"),
                         spec(name="meta-ads", path="meta-ads.csv")],
                        demo_data_dir / "northwind-outfitters")
    assert set(data.table("ads")["source"]) == {"google-ads", "meta-ads"}
    assert data.table("web").empty and not data.has("web")
    assert [p.source for p in data.provenance] == ["google-ads", "meta-ads"]
