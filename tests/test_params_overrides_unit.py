"""``--set`` on list items: ``sources[1].path=x.csv`` and ``kpis[0].target=5`` change that item
only, like ``kpis.0.target=5``; an item that does not exist, a list index on a mapping or a
malformed key is an error naming the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nbreport.core.errors import ConfigError
from nbreport.params import load_client_params, parse_override
from nbreport.params.overrides import parse_key
from tests.conftest import REPO
from tests.test_params import VALID, write


def _load(tmp_path: Path, *assignments: str):  # noqa: ANN202 - ClientParams
    write(tmp_path, VALID)
    return load_client_params("acme", tmp_path, overrides=dict(map(parse_override, assignments)))


def test_bracketed_items_change_that_item_only(tmp_path: Path) -> None:
    written = yaml.safe_load(VALID)
    params = _load(tmp_path, "sources[1].path=other-orders.csv", "kpis[1].target=5")
    assert [s.path for s in params.sources] == [written["sources"][0]["path"], "other-orders.csv"]
    assert [s.name for s in params.sources] == [s["name"] for s in written["sources"]]
    assert [k.target for k in params.kpis] == [written["kpis"][0]["target"], 5]


def test_brackets_and_dotted_numbers_are_the_same_item(tmp_path: Path) -> None:
    assert parse_key("kpis[0].target") == parse_key("kpis.0.target") == ("kpis", 0, "target")
    assert parse_key("a[1][2].b") == ("a", 1, 2, "b")
    bracketed = _load(tmp_path / "a", "kpis[0].target=7").kpis
    dotted = _load(tmp_path / "b", "kpis.0.target=7").kpis
    assert bracketed == dotted and bracketed[0].target == 7


@pytest.mark.parametrize(("assignment", "message"), [
    ("sources[2].path=x.csv", "--set sources[2].path: sources holds 2 items, so there is no "
                              "item 2 (items are counted from 0: 0 to 1); add it in the params file"),
    ("client[0].name=x", "--set client[0].name: client is a mapping, not a list, so it has no "
                         "item [0]; set one of its keys: id, name, currency, locale"),
    ("budget.amount[0]=5", "--set budget.amount[0]: budget.amount holds a single value (500), "
                           "not a list, so it has no item [0]"),
    ("forecast[0].kpis=x", "--set forecast[0].kpis: forecast is not set in the params, so it "
                           "has no item [0]"),
    ("kpis.first.target=5", "--set kpis.first.target: kpis is a list, so 'first' must be an "
                            "item's number, counted from 0 (e.g. kpis[0])"),
])
def test_an_item_that_is_not_there_is_an_error_naming_the_key(
        tmp_path: Path, assignment: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, assignment)
    assert str(caught.value) == message


@pytest.mark.parametrize("key", ["kpis[x].target", "kpis[0]target", "kpis[-1].target",
                                 "kpis..target", "kpis[0", "0.target"])
def test_a_malformed_key_is_refused_before_any_file_is_read(key: str) -> None:
    with pytest.raises(ConfigError, match=r"^--set ") as caught:
        parse_override(f"{key}=5")
    assert key in str(caught.value)


def test_the_command_line_takes_bracketed_items() -> None:
    def validate(assignment: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "nbreport", "validate", "northwind-outfitters",
                               "--set", assignment], cwd=REPO, capture_output=True, text=True,
                              timeout=120)

    sources = yaml.safe_load((REPO / "params" / "northwind-outfitters.yaml").read_text())["sources"]
    wrong = validate(f"sources[{len(sources)}].path=x.csv")
    assert wrong.returncode == 2
    assert f"--set sources[{len(sources)}].path: sources holds {len(sources)} items" in wrong.stderr
    right = validate("sources[1].path=renamed.csv")
    assert "Traceback" not in right.stderr + right.stdout
    assert right.returncode in (0, 2)  # 2 when the demo data is there and renamed.csv is not
    assert "renamed.csv" in right.stdout + right.stderr
