"""core: strict models, weekday grids, atomic writes and YAML files, each checked on its own."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from nbreport.core import weekdays
from nbreport.core.errors import ParamsError
from nbreport.core.files import move_atomic, write_atomic
from nbreport.core.strict_model import SLUG_RE, HexColor, Slug, StrictModel, pattern_text
from nbreport.core.yamlfile import dotted_key, parse_yaml, read_yaml


class Brand(StrictModel):
    name: Slug
    colour: HexColor = "#000"


# --- strict_model ------------------------------------------------------------------------
def test_a_strict_model_refuses_unknown_keys_and_changes() -> None:
    brand = Brand(name="  acme-outdoor ")
    assert brand.name == "acme-outdoor"  # whitespace stripped before the pattern is checked
    with pytest.raises(ValidationError, match="colour_"):
        Brand(name="acme", colour_="#fff")
    with pytest.raises(ValidationError, match="frozen"):
        brand.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["Acme", "-acme", "acme-", "a_b", "a" * 65, "ac/me"])
def test_a_slug_error_says_what_is_expected(bad: str) -> None:
    with pytest.raises(ValidationError, match=f"'{bad}' is not valid: expected a slug"):
        Brand(name=bad)
    assert not SLUG_RE.match(bad)


def test_hex_colours_and_the_pattern_in_the_json_schema() -> None:
    assert Brand(name="a", colour="#1f3A5f").colour == "#1f3A5f"
    with pytest.raises(ValidationError, match="expected a colour written #rgb or #rrggbb"):
        Brand(name="a", colour="#12345")
    assert Brand.model_json_schema()["properties"]["colour"]["pattern"] == r"^#(?:[0-9a-fA-F]{3}){1,2}$"

    class Code(StrictModel):
        code: pattern_text(r"^[A-Z]{3}$", "three capital letters")  # type: ignore[valid-type]

    with pytest.raises(ValidationError, match="'eur' is not valid: expected three capital letters"):
        Code(code="eur")


# --- weekdays ----------------------------------------------------------------------------
def test_week_rows_put_each_weekday_in_one_column_and_as_days_inverts_it() -> None:
    index = pd.date_range("2026-10-05", periods=17, freq="D")  # a Monday; 2 weeks and 3 days
    daily = pd.Series(np.arange(17, dtype=float), index=index)
    daily.iloc[4] = np.nan
    grid = weekdays.week_rows(daily)
    assert grid.shape == (3, 7)
    mondays = daily[daily.index.day_of_week == 0].to_numpy()
    assert grid[:, 0].tolist() == mondays.tolist()
    assert np.isnan(grid[0, 4]) and np.isnan(grid[2, 3:]).all()  # the gap and the padding
    pd.testing.assert_series_equal(weekdays.as_days(grid, index), daily, check_freq=False)


# --- files -------------------------------------------------------------------------------
def test_write_atomic_writes_text_and_bytes_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.html"
    write_atomic(target, "héllo")
    assert target.read_bytes() == "héllo".encode("utf-8")
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]  # no temporary left


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("good")
    with pytest.raises(TypeError):
        write_atomic(target, 12)  # type: ignore[arg-type]
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_move_atomic_replaces_the_destination(tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text("new")
    destination = tmp_path / "sub" / "old.txt"
    destination.parent.mkdir()
    destination.write_text("old")
    move_atomic(tmp_path / "new.txt", destination)
    assert destination.read_text() == "new" and not (tmp_path / "new.txt").exists()


# --- yamlfile ----------------------------------------------------------------------------
def test_yaml_keeps_dates_and_norway_as_text_and_knows_each_key_line() -> None:
    document = parse_yaml("client:\n  id: acme\n  country: NO\nperiod: 2026-10-01\nflags: [true, yes]\n",
                          "params/acme.yaml")
    assert document.data == {"client": {"id": "acme", "country": "NO"}, "period": "2026-10-01",
                             "flags": [True, "yes"]}
    assert document.line_of(("client", "country")) == 3
    assert document.line_of(("client", "missing")) == 1  # the deepest key present
    assert document.has(("flags", 1)) and not document.has(("flags", 2))


def test_a_duplicate_key_names_both_lines() -> None:
    with pytest.raises(ParamsError) as caught:
        parse_yaml("client:\n  id: a\n  id: b\n", "params/acme.yaml")
    issue = caught.value.issues[0]
    assert (issue.key, issue.line, issue.source) == ("client.id", 3, "params/acme.yaml")
    assert "duplicate key (first given on line 2)" in issue.message


def test_syntax_and_shape_errors_name_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ParamsError) as caught:
        parse_yaml("client:\n  id: [a\n", "params/acme.yaml")
    assert caught.value.issues[0].key == "(syntax)" and caught.value.issues[0].line is not None
    with pytest.raises(ParamsError, match="expected a mapping of keys"):
        parse_yaml("- a\n- b\n", "params/acme.yaml")
    assert parse_yaml("", "empty.yaml").data == {}
    with pytest.raises(ParamsError, match="file not found"):
        read_yaml(tmp_path / "nope.yaml", "params/nope.yaml")
    (tmp_path / "latin.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ParamsError, match="not UTF-8 text .*save it as UTF-8"):
        read_yaml(tmp_path / "latin.yaml", "params/latin.yaml")


def test_dotted_keys() -> None:
    assert dotted_key(("kpis", 2, "target")) == "kpis[2].target"
    assert dotted_key(()) == "(top level)"
