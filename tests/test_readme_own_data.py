"""The README's "Your own data" example works as written, on a hit-level export shaped like it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import yaml
from tests.conftest import REPO
from tests.shapes_project import FIXTURES

from nbreport.sources import SourceSpec, load_sources


def readme_source() -> dict:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("**2. Reshape it in the params.**", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the README's Your own data section lost its params example"
    return yaml.safe_load(block.group(1))["sources"][0]


def test_the_readme_example_reshapes_hits_as_pandas_does(tmp_path: Path) -> None:
    source = readme_source()
    shutil.copy(FIXTURES / "web_hits.csv", tmp_path / source["path"])
    web = load_sources([SourceSpec.model_validate(source)], tmp_path).table("web")

    hits = pd.read_csv(FIXTURES / "web_hits.csv", dtype=str, keep_default_na=False).drop_duplicates()
    hits["date"] = pd.to_datetime(hits["hit_timestamp"].str[:10])
    words = {"": "Direct", "(none)": "Direct", "fb": "Facebook", "facebook ads": "Facebook"}
    hits["channel"] = [words.get(c.strip().lower(), c) for c in hits["channel_group"]]
    hits["revenue"] = pd.to_numeric(hits["revenue_micros"].replace("", None)) / 1e6
    expected = hits.groupby(["date", "channel"]).agg(
        sessions=("session_id", "nunique"), users=("client_id", "nunique"),
        revenue=("revenue", "sum")).reset_index()  # a day without a purchase made 0
    got = web.sort_values(["date", "channel"]).reset_index(drop=True)
    expected = expected.sort_values(["date", "channel"]).reset_index(drop=True)
    assert got[["date", "channel"]].values.tolist() == expected[["date", "channel"]].values.tolist()
    assert got["sessions"].tolist() == expected["sessions"].astype(float).tolist()
    assert got["users"].tolist() == expected["users"].astype(float).tolist()
    pd.testing.assert_series_equal(got["revenue"], expected["revenue"], check_names=False, rtol=1e-9)
