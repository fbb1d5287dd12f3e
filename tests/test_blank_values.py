"""Blank channels are shown as 'Unknown', and the report says how many rows and how much money.

Expected counts and sums are computed here with plain pandas from the fixture files the tests
write (or from the public real files), never through the data layer under test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from nbreport.report.context import open_report
from nbreport.report.sections import data_sources
from nbreport.sources import SourceSpec, load_source, load_sources
from tests.real_sources import AB_TEST, source

ORDERS = """\
date,order_id,channel,revenue
2026-09-28,1001,Email,40.00
2026-09-29,1002,,55.50
2026-09-30,1003,  ,12.25
2026-10-01,1004,Paid Search,99.90
2026-10-02,1005,,120.00
2026-10-03,1006,Unknown,30.00
2026-10-15,1007,,7.35
2026-10-31,1008,Organic Search,64.10
2026-10-31,1009,,1234.56
"""


def warnings_about_channel(record) -> list[str]:  # noqa: ANN001 - a Provenance
    return [w.message for w in record.warnings if "had no channel" in w.message]


def blank_months(path: Path, money: str) -> dict[str, tuple[int, float]]:
    """Month -> (rows, money) of the rows with a blank channel, read with plain pandas."""
    raw = pd.read_csv(path, dtype={"channel": str}, keep_default_na=False)
    blank = raw[raw["channel"].str.strip() == ""]
    months = pd.to_datetime(blank["date"]).dt.to_period("M")  # in calendar order
    return {month.strftime("%B %Y"): (len(rows), round(float(rows[money].sum()), 2))
            for month, rows in blank.groupby(months)}


def test_blank_channels_are_counted_per_month_with_their_revenue(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS)
    frame, record = load_source(SourceSpec.model_validate(
        {"name": "shop", "kind": "orders", "path": "orders.csv"}), tmp_path)
    expected = blank_months(path, "revenue")
    assert expected == {"September 2026": (2, 67.75), "October 2026": (3, 1361.91)}
    messages = warnings_about_channel(record)
    assert messages == [
        f"in {month}, {rows:,} rows (revenue {money:,.2f}) had no channel (blank); they are "
        "shown as 'Unknown'." for month, (rows, money) in expected.items()]
    # the one row the export itself calls "Unknown" was not blank, and is not counted
    assert (frame["channel"] == "Unknown").sum() == sum(rows for rows, _ in expected.values()) + 1
    october = next(w for w in record.warnings if "October 2026" in w.message)
    assert (october.check, october.first_date, october.last_date) == ("filled_blanks", "2026-10-02",
                                                                      "2026-10-31")


def test_ads_export_without_a_channel_column_says_so_with_its_spend(tmp_path: Path) -> None:
    rows = pd.DataFrame({"date": ["2026-10-01", "2026-10-01", "2026-10-02"],
                         "campaign": ["Brand", "Generic", "Brand"], "impressions": [100, 200, 300],
                         "clicks": [5, 6, 7], "spend": [10.5, 20.25, 30.0], "currency": "GBP"})
    rows.to_csv(tmp_path / "ads.csv", index=False)
    _, record = load_source(SourceSpec.model_validate(
        {"name": "ads", "kind": "ads", "path": "ads.csv"}), tmp_path)
    assert warnings_about_channel(record) == [
        f"in October 2026, {len(rows)} rows (spend {rows['spend'].sum():,.2f} GBP) had no channel "
        "(not in the export); they are shown as 'Unknown'."]


def test_a_channel_from_a_preset_or_constant_is_never_blank(tmp_path: Path) -> None:
    (tmp_path / "ads.csv").write_text("date,campaign,impressions,clicks,spend\n2026-10-01,A,1,1,1\n")
    _, record = load_source(SourceSpec.model_validate(
        {"name": "ads", "kind": "ads", "path": "ads.csv",
         "mapping": {"constants": {"channel": "Paid Search"}}}), tmp_path)
    assert warnings_about_channel(record) == []


def test_the_report_appendix_tells_the_blank_channels_of_the_periods_compared(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "acme"
    folder.mkdir(parents=True)
    (folder / "orders.csv").write_text(ORDERS)
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "acme.yaml").write_text(yaml.safe_dump({
        "client": {"id": "acme", "name": "Acme", "currency": "GBP", "locale": "en_GB"},
        "period": "2026-10", "sources": [{"name": "shop", "kind": "orders", "path": "orders.csv"}],
        "kpis": [{"metric": "revenue", "target": 1000}]}))
    report = open_report("acme", project_dir=tmp_path)
    html = data_sources(report).html
    rows, money = blank_months(folder / "orders.csv", "revenue")["October 2026"]
    assert (f"in October 2026, {rows} rows (revenue {money:,.2f}) had no channel (blank); "
            "they are shown as &#39;Unknown&#39;.") in html
    assert "in September 2026" in html  # the previous period is compared too


@pytest.mark.realdata
def test_real_ab_exports_have_no_channel_column(real_data: Path) -> None:
    blanks = {"impressions": "keep", "clicks": "keep"}
    data = load_sources([
        source(**{**AB_TEST, "name": "control", "path": "ab_control_group.csv",
                  "mapping": {**AB_TEST["mapping"], "if_blank": blanks}}),
        source(**{**AB_TEST, "name": "test", "path": "ab_test_group.csv"}),
    ], real_data, currency="USD")
    for record, file in zip(data.provenance, ("ab_control_group.csv", "ab_test_group.csv")):
        raw = pd.read_csv(real_data / file, sep=";")
        spend = raw["Spend [USD]"].sum()
        assert warnings_about_channel(record) == [
            f"in August 2019, {len(raw)} rows (spend {spend:,.2f} USD) had no channel (not in the "
            "export); they are shown as 'Unknown'."]
