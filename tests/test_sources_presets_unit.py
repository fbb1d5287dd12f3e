"""sources/presets: every preset is consistent with the canonical model it maps onto."""

from __future__ import annotations

import re
import typing
from datetime import datetime

import pytest

from nbreport.sources.canonical import CANONICAL
from nbreport.sources.mapping import targets
from nbreport.sources.presets import PRESETS, Preset, PresetName

ALL = sorted(PRESETS)


def test_every_name_params_accept_has_a_preset() -> None:
    assert sorted(typing.get_args(PresetName)) == ALL
    assert all(name == preset.name for name, preset in PRESETS.items())


@pytest.mark.parametrize("name", ALL)
def test_a_preset_maps_only_onto_columns_of_its_kind(name: str) -> None:
    preset = PRESETS[name]
    columns = {column.name for column in CANONICAL[preset.kind]}
    mapped = {target for value in preset.rename.values() for target in targets(value)}
    named = set(preset.scale) | set(preset.constants) | set(preset.values) | set(preset.if_blank)
    named |= set(preset.minutes_after) | {base for base, _ in preset.minutes_after.values()}
    assert mapped | named <= columns, f"{name}: {sorted((mapped | named) - columns)} are no {preset.kind} columns"


@pytest.mark.parametrize("name", ALL)
def test_a_preset_documents_its_source_and_its_patterns_compile(name: str) -> None:
    preset = PRESETS[name]
    assert preset.docs and all(doc.startswith("https://") for doc in preset.docs)
    for pattern in preset.drop.values():
        re.compile(pattern)
    for key in preset.rename:
        if key.startswith("re:"):
            re.compile(key[3:])
    assert set(preset.if_blank.values()) <= {"error", "drop", "zero", "keep"}


@pytest.mark.parametrize("name", [n for n in ALL if PRESETS[n].date_format not in (None, "epoch")])
def test_a_preset_date_format_reads_a_date_it_writes(name: str) -> None:
    formats = PRESETS[name].date_format
    for fmt in [formats] if isinstance(formats, str) else formats:
        written = datetime(2026, 10, 31, 13, 5, 9).astimezone().strftime(fmt)
        assert datetime.strptime(written, fmt).day == 31


def test_value_tables_name_canonical_choices() -> None:
    for preset in PRESETS.values():
        choices = {column.name: set(column.choices) for column in CANONICAL[preset.kind] if column.choices}
        for column, table in preset.values.items():
            if column in choices:
                assert set(table.values()) <= choices[column], f"{preset.name}.values.{column}"


def test_a_preset_is_immutable() -> None:
    with pytest.raises(AttributeError):
        PRESETS["google_ads"].kind = "web"  # type: ignore[misc]
    assert isinstance(PRESETS["google_ads"], Preset)
