"""Public real-world files, loaded through params mappings only, checked against their MANIFEST.

The files live in ../shared/data/real (see its MANIFEST.md); these tests skip when it is absent.
No code knows these files: every quirk is handled by what a params file can say.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from nbreport.core.errors import DataError
from nbreport.sources import load_source, load_sources
from tests.real_sources import AB_TEST, NPS, OLIST, TELCO, facebook_ads, source

pytestmark = pytest.mark.realdata


def test_facebook_ads_totals_and_the_triangulation_pair(real_data: Path) -> None:
    data = load_sources([facebook_ads("platform-reported", "Total_Conversion"),
                         facebook_ads("advertiser-approved", "Approved_Conversion")], real_data)
    ads = data.table("ads")
    reported = ads[ads["source"] == "platform-reported"]
    assert len(reported) == 1143  # the UTF-8 BOM and CRLF endings are invisible
    assert reported["impressions"].sum() == 213_434_828 and reported["clicks"].sum() == 38_165
    assert round(reported["spend"].sum(), 2) == 58_705.23  # float noise such as 1.429999948
    assert reported["conversions"].sum() == 3_264
    assert ads.loc[ads["source"] == "advertiser-approved", "conversions"].sum() == 1_079
    assert sorted(reported["campaign"].unique()) == ["1178", "916", "936"]
    assert data.provenance[0].path == "KAG_conversion_data.csv"  # never the absolute path


def test_facebook_ads_per_ad_rows_need_their_grain(real_data: Path) -> None:
    spec = facebook_ads("fb", "Total_Conversion").model_copy(update={"unique_key": None})
    with pytest.raises(DataError, match=r"rows \d+ and \d+ hold the same date and campaign .* name its "
                                        r"grain with unique_key"):
        load_source(spec, real_data)


def test_ab_test_files_semicolons_dotted_dates_and_a_blank_day(real_data: Path) -> None:
    control = {**AB_TEST, "name": "control", "path": "ab_control_group.csv"}
    with pytest.raises(DataError) as caught:  # the 5.08.2019 row has spend only
        load_source(source(**control), real_data)
    assert "ab_control_group.csv, row 6, column '# of Impressions': found an empty value" in str(caught.value)
    assert "mapping.if_blank.impressions" in str(caught.value)
    blanks = {"impressions": "keep", "clicks": "keep"}
    data = load_sources([
        source(**{**control, "mapping": {**AB_TEST["mapping"], "if_blank": blanks}}),
        source(**{**AB_TEST, "name": "test", "path": "ab_test_group.csv"}),
    ], real_data, currency="USD")
    ads = data.table("ads")
    for name in ("control", "test"):
        rows = ads[ads["source"] == name]
        assert len(rows) == 30 and rows["date"].min() == pd.Timestamp("2019-08-01")
        assert rows["date"].max() == pd.Timestamp("2019-08-30") and set(rows["currency"]) == {"USD"}
    blank_day = ads[(ads["source"] == "control") & (ads["date"] == "2019-08-05")].iloc[0]
    assert blank_day["spend"] > 0 and pd.isna(blank_day["impressions"])  # missing, not a made-up 0
    record = data.provenance[0]
    assert "'Date' read as DD.MM.YYYY" in record.notes[0]
    assert any("blank '# of Purchase' read as 0" in w.message for w in record.warnings)


def test_olist_reviews_scores_multiline_portuguese_comments(real_data: Path) -> None:
    with pytest.raises(DataError, match=r"hold the same response_id .* 4 rows share a key"):
        load_source(source(**{**OLIST, "unique_key": None}), real_data)  # a review can cover two orders
    frame, record = load_source(source(**OLIST), real_data)
    assert len(frame) == 6123 and record.rows_read == 6123
    assert frame["score"].value_counts().to_dict() == {5: 3598, 4: 1149, 1: 668, 3: 519, 2: 189}
    comments = frame["comment"]
    raw = pd.read_csv(real_data / "olist_order_reviews_sample.csv")["review_comment_message"].fillna("")
    assert raw.str.contains("\n").sum() == 237  # the MANIFEST's count of multi-line comments
    assert comments.tolist() == raw.str.strip().tolist()  # every one read whole (ends trimmed)
    assert (comments != "").sum() == 2562 and comments.str.contains("\r\n").sum() == 173
    assert comments.str.contains("\u00e7|\u00e3|\u00e9").any()  # accents survive
    assert frame["date"].min() >= pd.Timestamp("2016-10-01") and frame["date"].max() < pd.Timestamp("2018-09-01")


def test_nps_practice_file_day_first_dates_and_no_names(real_data: Path, tmp_path: Path) -> None:
    frame, record = load_source(source(**NPS), real_data)
    promoters, detractors = (frame["score"] >= 9).mean(), (frame["score"] <= 6).mean()
    assert round((promoters - detractors) * 100, 1) == 11.8
    assert record.notes == ("'Survey date' read as DD/MM/YYYY, the only date format that fits every value",)
    assert frame["date"].dt.year.unique().tolist() == [2021]
    raw = pd.read_csv(real_data / "nps_survey_responses_practice.csv")
    names = set(raw["Customer Name"])
    assert not names & set(frame.astype(str).to_numpy().ravel())  # respondent names never loaded
    # days up to 12 alone are ambiguous: an error that names both readings, not a silent guess
    early = raw[raw["Survey date"].str[:2].astype(int) <= 12]
    early.to_csv(tmp_path / "nps_survey_responses_practice.csv", index=False)
    with pytest.raises(DataError, match="fit both DD/MM/YYYY and MM/DD/YYYY; say which"):
        load_source(source(**NPS), tmp_path)
    fixed = source(**{**NPS, "mapping": {**NPS["mapping"], "date_format": "%d/%m/%Y"}})
    assert len(load_source(fixed, tmp_path)[0]) == len(early)


def test_telco_churn_accounts(real_data: Path) -> None:
    frame, record = load_source(source(**TELCO), real_data)
    assert frame["status"].value_counts().to_dict() == {"active": 5174, "churned": 1869}
    assert len(frame) == 7043 and frame["account_id"].is_unique
    total_charges = source(**{**TELCO, "mapping": {**TELCO["mapping"], "rename": {
        **TELCO["mapping"]["rename"], "MonthlyCharges": "monthly", "TotalCharges": "mrr"}}})
    _, record = load_source(total_charges, real_data)  # the 11 single-space cells are said, not hidden
    assert [w.message for w in record.warnings] == ["11 blank 'TotalCharges' read as 0 (read as mrr)."]


def test_real_files_are_never_copied(real_data: Path, tmp_path: Path) -> None:
    """A client folder that lacks the file gives the user's error, not a read of the shared copy."""
    shutil.copy(real_data / "ab_test_group.csv", tmp_path / "ab_test_group.csv")
    with pytest.raises(DataError, match="ab_control_group.csv: file not found"):
        load_source(source(**{**AB_TEST, "name": "control", "path": "ab_control_group.csv"}), tmp_path)
