"""sources/mapping: a preset merged with the source's own mapping, the source winning."""

from __future__ import annotations

from nbreport.sources.mapping import REGEX_PREFIX, effective_mapping, fold, targets
from nbreport.sources.presets import PRESETS
from nbreport.sources.spec import SourceSpec


def spec(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "s", "kind": "ads", "path": "a.csv", **fields})


def test_without_a_preset_the_mapping_is_the_source_own() -> None:
    mapping = effective_mapping(spec(mapping={"rename": {"Cost": "spend", "Day": ["date"]},
                                              "constants": {"channel": 5}, "date_format": "%d/%m/%Y"}))
    assert mapping.rename == [("Cost", ("spend",), False), ("Day", ("date",), False)]
    assert mapping.constants == {"channel": "5"}  # constants become text, as every export cell is
    assert mapping.date_format == ["%d/%m/%Y"]
    assert mapping.null_values == () and mapping.minutes_after == {} and mapping.unique_key is None


def test_the_source_renames_come_before_the_preset_ones() -> None:
    mapping = effective_mapping(spec(preset="google_ads", mapping={"rename": {"Kosten": "spend"}}))
    assert mapping.rename[0] == ("Kosten", ("spend",), False)
    preset_entries = [(key, value) for key, value, from_preset in mapping.rename if from_preset]
    assert preset_entries == [(key, targets(value)) for key, value in PRESETS["google_ads"].rename.items()]


def test_source_entries_override_the_preset_column_by_column() -> None:
    mapping = effective_mapping(spec(kind="ads", preset="meta_ads",
                                     mapping={"if_blank": {"spend": "error"}, "scale": {"clicks": 2.0}}))
    assert mapping.if_blank == {"impressions": "zero", "clicks": "zero", "spend": "error"}
    assert mapping.scale == {"clicks": 2.0}
    assert mapping.preset_constants == {"channel": "Paid Social"}


def test_value_tables_are_folded_and_the_source_words_win() -> None:
    mapping = effective_mapping(spec(kind="crm", preset="hubspot_deals", path="d.csv",
                                     mapping={"values": {"stage": {" CLOSED WON ": "lost"}}}))
    assert mapping.values["stage"]["closed won"] == "lost"
    assert mapping.values["stage"]["appointment scheduled"] == "lead"  # the preset's, folded


def test_preset_date_formats_and_unique_key_extending_the_grain() -> None:
    assert effective_mapping(spec(preset="google_ads")).date_format == list(PRESETS["google_ads"].date_format)
    # unique_key extends the grain (an ads export: the day and campaign), never replaces it
    assert effective_mapping(spec(unique_key=["Ad ID"])).unique_key == ("date", "campaign", "Ad ID")
    assert effective_mapping(spec(preset="google_ads", unique_key=["campaign", "Ad group"])).unique_key == (
        "date", "campaign", "Ad group")
    assert effective_mapping(spec()).unique_key is None


def test_drop_rules_keep_their_origin() -> None:
    mapping = effective_mapping(spec(preset="google_ads", mapping={"drop": {"Campaign": "^Test"}}))
    assert mapping.drop[0] == ("Campaign", "^Test", False)
    assert ("Day", "^Total", True) in mapping.drop


def test_helpers() -> None:
    assert fold("  Closed WON ") == "closed won"
    assert targets("date") == ("date",) and targets(["date", "created_at"]) == ("date", "created_at")
    assert REGEX_PREFIX == "re:"
