"""A file read with the wrong delimiter or encoding: the error names the preset whose header
matches and the reading that works (the user never reads pandas)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_sources


def test_a_semicolon_google_ads_export_read_with_commas_suggests_the_preset(tmp_path: Path) -> None:
    (tmp_path / "ads.csv").write_text("Campaign;Day;Impr.;Clicks;Cost;Currency code\n"
                                      "Brand;2026-10-01;100;5;1.5;USD\n", encoding="utf-8")
    spec = SourceSpec.model_validate({"name": "ads", "kind": "ads", "path": "ads.csv", "delimiter": ","})
    with pytest.raises(DataError) as caught:
        load_sources([spec], tmp_path)
    message = str(caught.value)
    assert "missing required columns" in message
    assert "set preset: google_ads, delimiter: ';'" in message


def test_no_guess_is_said_aloud_for_a_shared_export(tmp_path: Path) -> None:
    shared = tmp_path / "_shared"
    shared.mkdir()
    (shared / "ads.csv").write_text("Account;Campaign;Day;Impr.;Clicks;Cost\nglobex;B;2026-10-01;1;1;1\n")
    (tmp_path / "acme").mkdir()
    spec = SourceSpec.model_validate({"name": "ads", "kind": "ads", "path": "ads.csv", "delimiter": ",",
                                      "shared": True, "mapping": {"filter": {"Account": "acme"}}})
    with pytest.raises(DataError) as caught:
        load_sources([spec], tmp_path / "acme")
    assert "set preset" not in str(caught.value)
