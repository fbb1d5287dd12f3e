"""sources/export_columns: which export column feeds each canonical column, and what is missing."""

from __future__ import annotations

import pytest

from nbreport.core.errors import DataError
from nbreport.sources.canonical import columns_of
from nbreport.sources.export_columns import check_required, find_column, find_export_columns
from nbreport.sources.mapping import effective_mapping
from nbreport.sources.spec import SourceSpec


def spec(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "s", "kind": "ads", "path": "a.csv", **fields})


def test_find_column_by_name_and_by_pattern() -> None:
    names = ["Day", "Amount spent (EUR)"]
    assert find_column("Day", names) == ("Day", None)
    assert find_column("Cost", names) == (None, None)
    name, match = find_column(r"re:Amount spent \((?P<currency>[A-Z]{3})\)", names)
    assert name == "Amount spent (EUR)" and match is not None and match["currency"] == "EUR"
    assert find_column("re:Amount", names) == (None, None)  # a pattern matches whole names only


def test_a_header_pattern_captures_the_currency() -> None:
    s = spec(preset="meta_ads")
    names = ["Day", "Campaign name", "Amount spent (EUR)", "Impressions", "Link clicks"]
    chosen, captured = find_export_columns(s, effective_mapping(s), names, columns_of("ads"))
    assert chosen == {"date": "Day", "campaign": "Campaign name", "spend": "Amount spent (EUR)",
                      "impressions": "Impressions", "clicks": "Link clicks"}
    assert captured == {"currency": "EUR"}


def test_a_source_rename_claims_its_column_before_the_preset() -> None:
    s = spec(preset="google_ads", mapping={"rename": {"Day": "campaign"}})
    names = ["Day", "Date", "Campaign"]
    chosen, _ = find_export_columns(s, effective_mapping(s), names, columns_of("ads"))
    assert chosen["campaign"] == "Day"
    assert chosen["date"] == "Date"  # the preset's 'Day' is taken, its next name for date is used


def test_canonically_named_columns_are_read_as_they_are() -> None:
    s = spec()
    chosen, _ = find_export_columns(s, effective_mapping(s), ["date", "spend", "other"], columns_of("ads"))
    assert chosen == {"date": "date", "spend": "spend"}


def test_two_source_renames_onto_one_column_is_an_error_naming_both() -> None:
    s = spec(mapping={"rename": {"Day": "date", "Date": "date"}})
    with pytest.raises(DataError, match="mapping.rename maps both 'Day' and 'Date' to date; keep one") as caught:
        find_export_columns(s, effective_mapping(s), ["Day", "Date"], columns_of("ads"))
    assert caught.value.source == "s" and caught.value.path == "a.csv"


def test_missing_required_columns_are_named_with_the_preset_hint() -> None:
    s = spec(preset="google_ads")
    with pytest.raises(DataError) as caught:
        check_required(s, columns_of("ads"), ["Day", "Campaign", "Cost"], {"date": "Day", "campaign": "Campaign",
                                                                             "spend": "Cost"}, {})
    message = str(caught.value)
    assert "missing required columns impressions, clicks for ads data" in message
    assert "the file has: Day, Campaign, Cost" in message
    assert "impressions from 'Impr.' or 'Impressions'" in message and "clicks from 'Clicks'" in message


def test_a_constant_fills_a_required_column() -> None:
    s = spec(kind="survey", preset="typeform", path="t.csv")
    check_required(s, columns_of("survey"), ["Submit Date (UTC)", "Q"], {"date": "Submit Date (UTC)",
                                                                         "score": "Q"}, {"scale": "nps"})
    with pytest.raises(DataError, match=r"missing required column scale .*give mapping.constants.scale"):
        check_required(s, columns_of("survey"), ["Q"], {"date": "x", "score": "Q"}, {})
