"""The data layer: readers, mapping onto the canonical model, dates, checks, clear errors, provenance."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_source, load_sources

HEADER = "date,campaign,impressions,clicks,spend\n"


def spec(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "ads-export", "kind": "ads", "path": "ads.csv", **fields})


def write(folder: Path, text: str, name: str = "ads.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def load_error(folder: Path, **fields: object) -> str:
    with pytest.raises(DataError) as caught:
        load_source(spec(**fields), folder)
    return str(caught.value)


def test_demo_source_loads_in_canonical_types(demo_data_dir: Path) -> None:
    frame, record = load_source(spec(path="google-ads.csv", preset="google_ads"),
                                demo_data_dir / "northwind-outfitters")
    assert frame["date"].dtype == "datetime64[ns]"
    assert frame["spend"].dtype == "float64" and (frame["source"] == "ads-export").all()
    assert record.rows_read == record.rows_used + 4  # the four "Total:" rows
    assert (record.first_date, record.last_date) == ("2025-01-01", "2026-10-31")
    assert record.path == "google-ads.csv" and len(record.sha256) == 64
    assert record.preset == "google_ads" and set(frame["currency"]) == {"USD"}


def test_generic_mapping(tmp_path: Path) -> None:
    write(tmp_path, "Day;Campaign name;Impr.;Clicks;Cost (micros);Account\n"
                    "31/10/2026;Brand;1000;50;12500000;acme\n"
                    "31/10/2026;Other client;9;9;9;globex\n")
    source = spec(mapping={
        "rename": {"Day": "date", "Campaign name": "campaign", "Impr.": "impressions",
                   "Clicks": "clicks", "Cost (micros)": "spend"},
        "date_format": "%d/%m/%Y", "scale": {"spend": 0.000001},
        "constants": {"channel": "Paid Search"}, "filter": {"Account": "acme"}})
    frame, record = load_source(source, tmp_path)
    assert len(frame) == 1 and record.rows_read == 2
    row = frame.iloc[0]
    assert (row["date"], row["spend"], row["channel"]) == (pd.Timestamp("2026-10-31"), 12.5, "Paid Search")
    assert [w.check for w in record.warnings] == ["dropped_rows"]
    assert "1 row left out" in record.warnings[0].message and "tenant filter" in record.warnings[0].message


def test_csv_quirks_bom_crlf_semicolons_quoted_thousands_multiline(tmp_path: Path) -> None:
    write(tmp_path, "\ufeffdate;campaign;impressions;clicks;spend\r\n"
                    '2026-10-01;"Brand;\r\nsecond line";"2,146";"1,204";"1,234.50"\r\n'
                    "2026-10-02;Generic;10;1;0.5\r\n")
    frame, _ = load_source(spec(), tmp_path)
    assert frame["campaign"].tolist() == ["Brand;\r\nsecond line", "Generic"]
    assert frame["impressions"].tolist() == [2146.0, 10.0] and frame["spend"].tolist() == [1234.5, 0.5]


def test_declared_encoding_and_decimal_comma(tmp_path: Path) -> None:
    write(tmp_path, "date\tcampaign\timpressions\tclicks\tspend\n2026-10-01\tCaf\u00e9 cr\u00e8me\t1.234\t5\t1.234,56\n",
          encoding="cp1252")
    frame, _ = load_source(spec(encoding="cp1252", decimal=","), tmp_path)
    assert frame["campaign"].iloc[0] == "Caf\u00e9 cr\u00e8me"
    assert (frame["impressions"].iloc[0], frame["spend"].iloc[0]) == (1234.0, 1234.56)


def test_xlsx_parquet_and_json_lines(tmp_path: Path) -> None:
    rows = {"date": ["2026-10-01", "2026-10-02"], "campaign": ["A", "B"], "impressions": [10, 20],
            "clicks": [1, 2], "spend": [1.5, 2.5]}
    frame = pd.DataFrame(rows)
    with pd.ExcelWriter(tmp_path / "ads.xlsx") as writer:
        pd.DataFrame([["Campaign report"], ["October 2026"]]).to_excel(writer, header=False, index=False)
        frame.to_excel(writer, index=False, startrow=2)
    table = pa.table({**rows, "date": pa.array([date(2026, 10, 1), date(2026, 10, 2)])})
    pq.write_table(table, tmp_path / "ads.parquet")
    write(tmp_path, "".join(json.dumps({**{k: v[i] for k, v in rows.items()},
                                        "meta": {"account": "acme"}}) + "\n" for i in range(2)),
          "ads.jsonl")
    for path, extra in (("ads.xlsx", {"header_contains": "campaign"}), ("ads.parquet", {}),
                        ("ads.jsonl", {"mapping": {"filter": {"meta.account": "acme"}}})):
        loaded, record = load_source(spec(path=path, **extra), tmp_path)
        assert loaded["spend"].sum() == 4.0 and loaded["date"].tolist() == [
            pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")], path
        assert record.rows_used == 2


@pytest.mark.parametrize("content, fields, expected", [
    (HEADER + "05/08/2019,A,1,1,1\n", {},
     "column 'date': dates such as '05/08/2019' fit both DD/MM/YYYY and MM/DD/YYYY; say which with "
     "mapping.date_format"),
    (HEADER + "2026-10-31,A,1,1,1\n31/10/2026,A,1,1,1\n", {},
     "column 'date': the column mixes date formats: '2026-10-31' (YYYY-MM-DD), '31/10/2026' (DD/MM/YYYY)"),
    (HEADER + "2026-10-31,A,1,1,1\nsoon,B,1,1,1\n", {},
     "row 3, column 'date': found 'soon', expected a date as YYYY-MM-DD"),
    (HEADER + "31/10/2026,A,1,1,1\n", {"mapping": {"date_format": "%m/%d/%Y"}},
     "row 2, column 'date': found '31/10/2026', expected a date as MM/DD/YYYY"),
    ("date,campaign,impressions,clicks\n2026-10-31,A,1,1\n", {},
     "missing required column spend for ads data; the file has: date, campaign, impressions, clicks"),
    (HEADER + "2026-10-30,A,1,1,1\n2026-10-31,A,1,1,lots\n", {},
     "row 3, column 'spend': found 'lots', expected a number such as 1,234.5"),
    (HEADER + "2026-10-30,A,1,1,\"1,5\"\n", {},
     "found '1,5', expected a number such as 1,234.5; for numbers written 1.234,5 set decimal: ','"),
    (HEADER + "2026-10-31,A,1.5,1,1\n", {},
     "row 2, column 'impressions': expected a whole number, found '1.5'"),
    (HEADER + "2026-10-31,,1,1,1\n", {},
     "row 2, column 'campaign': found an empty value, expected a value in every row"),
    (HEADER + "2026-10-31,A,1,1,-12.5\n", {},
     "row 2, column 'spend': found -12.5: spend cannot be negative"),
    (HEADER + "2026-10-31,A,1,1,1\n2026-10-30,B,1,1,1\n2026-10-31,A,2,2,2\n", {},
     "rows 2 and 4 hold the same date and campaign (2026-10-31, A)"),
    (HEADER.strip() + ",currency\n2026-10-31,A,1,1,1,USD\n2026-10-31,B,1,1,1,EUR\n", {},
     "row 3, column 'currency': mixes currencies: EUR, USD"),
    (HEADER + "2026-10-31,A,1,1,1\n", {"mapping": {"filter": {"Account": "x"}}},
     "mapping.filter uses column 'Account', which the file does not have"),
    ("Day,Campaign,Cost\n2026-10-31,A,1\n", {"preset": "google_ads"},
     "missing required columns impressions, clicks for ads data; the file has: Day, Campaign, Cost. "
     "The preset google_ads (Google Ads (report downloaded from the Google Ads UI)) reads "
     "impressions from 'Impr.' or 'Impressions', clicks from 'Clicks'"),
    ("a,b\n1,2\n3,4,5,6\n", {},
     "a row has 4 fields where the header has 2 ('3,4,5,6'); check the delimiter"),
], ids=["ambiguous-dates", "mixed-date-formats", "unparseable-date", "wrong-declared-format",
        "missing-column", "bad-number", "decimal-comma-hint", "fractional-count", "empty-required",
        "negative-spend", "duplicate-key", "mixed-currencies", "filter-on-missing-column",
        "preset-on-wrong-file", "malformed-row"])
def test_errors_name_file_row_column(tmp_path: Path, content: str, fields: dict, expected: str) -> None:
    write(tmp_path, content)
    message = load_error(tmp_path, **fields)
    assert message.startswith("source 'ads-export', ads.csv")
    assert expected in message


def test_unambiguous_dates_are_recognised_and_recorded(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "01/09/2021,A,1,1,1\n25/12/2021,A,1,1,1\n")
    frame, record = load_source(spec(), tmp_path)
    assert frame["date"].tolist() == [pd.Timestamp("2021-09-01"), pd.Timestamp("2021-12-25")]
    assert record.notes == ("'date' read as DD/MM/YYYY, the only date format that fits every value",)


def test_blank_rules_drop_zero_and_keep(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "2026-10-01,A,,,5\n2026-10-02,A,10,1,5\n")
    assert "found an empty value" in load_error(tmp_path)
    frame, record = load_source(spec(mapping={"if_blank": {"impressions": "drop"}}), tmp_path)
    assert len(frame) == 1 and "no value in 'impressions'" in record.warnings[0].message
    frame, _ = load_source(spec(mapping={"if_blank": {"impressions": "zero", "clicks": "keep"}}), tmp_path)
    assert frame["impressions"].tolist() == [0.0, 10.0] and frame["clicks"].isna().tolist() == [True, False]


def test_timestamps_zones_and_the_mixing_rule(tmp_path: Path) -> None:
    support = {"name": "desk", "kind": "support", "path": "tickets.csv"}
    write(tmp_path, "date,created_at\n2026-10-01,2026-10-01T10:00:00+02:00\n2026-10-01,2026-10-01 09:00:00\n",
          "tickets.csv")
    with pytest.raises(DataError, match="mixes times with a zone .* set 'timezone' for the source"):
        load_source(SourceSpec.model_validate(support), tmp_path)
    frame, _ = load_source(SourceSpec.model_validate({**support, "timezone": "Europe/Berlin"}), tmp_path)
    assert frame["created_at"].tolist() == [pd.Timestamp("2026-10-01 08:00"), pd.Timestamp("2026-10-01 07:00")]


def test_missing_file_and_wrong_encoding(tmp_path: Path) -> None:
    assert "ads.csv: file not found" in load_error(tmp_path)
    write(tmp_path, "date,campaign\n2026-10-31,Caf\u00e9\n", encoding="utf-16")
    assert "it is UTF-16 text (a NUL byte beside every letter); set encoding: utf-16 for this source" in load_error(tmp_path)


def test_symlink_out_of_the_client_folder_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other-client"
    other.mkdir()
    (other / "ads.csv").write_text(HEADER)
    mine = tmp_path / "my-client"
    mine.mkdir()
    os.symlink(other / "ads.csv", mine / "ads.csv")
    with pytest.raises(DataError, match="resolves outside the client's data folder"):
        load_source(spec(), mine)


def test_sources_of_one_kind_are_combined(demo_data_dir: Path) -> None:
    data = load_sources([spec(name="google-ads", path="google-ads.csv", preset="google_ads"),
                         spec(name="meta-ads", path="meta-ads.csv", preset="meta_ads")],
                        demo_data_dir / "northwind-outfitters", currency="USD")
    assert set(data.table("ads")["source"]) == {"google-ads", "meta-ads"}
    assert data.table("web").empty and not data.has("web")
    assert [p.source for p in data.provenance] == ["google-ads", "meta-ads"]
    with pytest.raises(DataError, match="holds money in USD, but the client's reports are in EUR"):
        load_sources([spec(name="google-ads", path="google-ads.csv", preset="google_ads")],
                     demo_data_dir / "northwind-outfitters", currency="EUR")


def test_period_checks_empty_period_is_an_error_freshness_a_warning(tmp_path: Path) -> None:
    write(tmp_path, HEADER + "".join(f"2026-10-{d:02d},A,1,1,1\n" for d in range(1, 29)))
    data = load_sources([spec()], tmp_path)
    warnings = data.check_period(date(2026, 10, 1), date(2026, 10, 31))
    assert [(w.check, w.first_date) for w in warnings] == [("freshness", "2026-10-28")]
    with pytest.raises(DataError, match=r"no rows between 2026-11-01 and 2026-11-30, the reported period; "
                                        r"its dates run from 2026-10-01 to 2026-10-28"):
        data.check_period(date(2026, 11, 1), date(2026, 11, 30))
    allowed = load_sources([spec(allow_empty=True)], tmp_path)
    assert allowed.check_period(date(2026, 11, 1), date(2026, 11, 30))[0].check == "empty_period"


def test_gaps_and_outliers_become_warnings(tmp_path: Path) -> None:
    days = [d for d in pd.date_range("2026-08-01", "2026-10-31") if d.strftime("%m-%d") not in ("09-10", "09-11")]
    spend = {d: (5000.0 if d == pd.Timestamp("2026-10-05") else 100.0 + d.day_of_week) for d in days}
    write(tmp_path, HEADER + "".join(f"{d.date()},A,100,10,{spend[d]}\n" for d in days))
    _, record = load_source(spec(), tmp_path)
    by_check = {w.check: w for w in record.warnings}
    assert by_check["gap"].message.startswith("no rows for 2026-09-10 to 2026-09-11 (2 days)")
    assert by_check["outlier"].first_date == "2026-10-05" and "on 2026-10-05, spend was 50.0\u00d7 its usual" in by_check["outlier"].message
    assert len([w for w in record.warnings if w.check == "outlier"]) == 1


def test_usual_level_is_the_rolling_median_of_the_same_weekday() -> None:
    """The outlier check's usual level and flags, laid out one week per row, equal their
    definition computed weekday group by weekday group (gaps and ends of the data included)."""
    import numpy as np

    from nbreport.sources.checks import OUTLIER_HIGH, OUTLIER_LOW, OUTLIER_MADS, _unusual_days

    def by_definition(daily: pd.Series) -> tuple[pd.Series, pd.Series]:
        weekday = daily.index.day_of_week

        def rolling(values: pd.Series) -> pd.Series:
            return values.groupby(weekday).transform(
                lambda s: s.rolling(9, center=True, min_periods=4).median())

        usual = rolling(daily)
        deviation = (daily - usual).abs()
        far = (deviation > OUTLIER_MADS * 1.4826 * rolling(deviation).clip(lower=1e-9)) & (
            deviation > 3 * np.sqrt(usual.clip(lower=0)) + 1)
        ratio = daily / usual.where(usual > 0)
        return usual, far & ((ratio >= OUTLIER_HIGH) | (ratio <= OUTLIER_LOW)) & daily.notna()

    rng = np.random.default_rng(5)
    for days, start in ((63, "2026-01-01"), (200, "2026-01-03"), (700, "2024-12-30")):
        daily = pd.Series(rng.poisson(120, days).astype(float), index=pd.date_range(start, periods=days))
        daily.iloc[rng.integers(0, days, days // 9)] = np.nan
        daily.iloc[rng.integers(0, days, days // 30 + 1)] *= 20
        usual, flagged = _unusual_days(daily)
        expected_usual, expected_flagged = by_definition(daily)
        pd.testing.assert_series_equal(usual, expected_usual, check_names=False)
        assert flagged.equals(expected_flagged) and flagged.any()


def test_readme_sources_example_is_valid() -> None:
    import re

    import yaml

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    block = re.search(r"## Data sources.*?```yaml\n(.*?)```", readme, re.S)
    assert block is not None
    sources = [SourceSpec.model_validate(item) for item in yaml.safe_load(block.group(1))["sources"]]
    assert {s.preset for s in sources} >= {"google_ads", "salesforce_opportunities"}
    assert sources[-1].sql is not None and sources[-1].location.startswith("query on postgresql://")
