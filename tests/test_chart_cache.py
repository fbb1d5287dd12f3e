"""Charts in the compute cache: a chart drawn before from the same arguments is not drawn
again, and what the cache serves is byte for byte what drawing gives.

A counting builder stands in front of the real ``monthly_bars`` (it still draws); each test
changes one thing the chart depends on and sees it drawn again, or nothing and sees no draw.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nbreport.charts import chart_cache
from nbreport.charts.embed import chart_html
from nbreport.charts.theme import ChartTheme
from nbreport.charts.trend import monthly_bars
from nbreport.core.compute_cache import ComputeCache
from nbreport.core.formatting import Formatter
from nbreport.i18n import language

DRAWN: Counter[str] = Counter()
VALUES = pd.Series([120.0, 135.0, 128.0, 150.0],
                   index=pd.date_range("2026-07-01", periods=4, freq="MS"), name="leads")


def counted_bars(values: pd.Series, **settings: Any) -> Any:
    """``monthly_bars`` itself, counted (module level: a partial of it can be pickled)."""
    DRAWN[str(settings["title"])] += 1
    return monthly_bars(values, **settings)


def _build(values: pd.Series = VALUES, title: str = "Leads up 15.6%", **changed: Any) -> Any:
    settings = {"highlight": values.index[-1], "title": title, "unit": "count",
                "fmt": Formatter("GBP", "en_GB"), "theme": ChartTheme(), **changed}
    return functools.partial(counted_bars, values, **settings)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ComputeCache]:
    DRAWN.clear()
    chart_cache.use_chart_cache(ComputeCache(tmp_path / "cache"))
    yield ComputeCache(tmp_path / "cache")
    chart_cache.use_chart_cache(None)


def _draws() -> int:
    return sum(DRAWN.values())


def test_a_chart_drawn_before_is_served_as_drawn(cache: ComputeCache) -> None:
    first = chart_html(_build(), alt="Bar chart of leads", caption="One bar per month.")
    assert _draws() == 3  # paper, phone, half a wide screen
    again = chart_html(_build(), alt="Bar chart of leads", caption="One bar per month.")
    assert _draws() == 3 and again == first
    chart_cache.use_chart_cache(None)
    assert chart_html(_build(), alt="Bar chart of leads", caption="One bar per month.") == first


@pytest.mark.parametrize("change", ["value", "title", "theme", "alt", "caption", "language"])
def test_each_input_of_a_chart_draws_it_again(cache: ComputeCache, change: str) -> None:
    chart_html(_build(), alt="a", caption="c")
    DRAWN.clear()
    changed = VALUES.copy()
    changed.iloc[1] += 1
    build = {"value": lambda: _build(values=changed), "title": lambda: _build(title="Leads up"),
             "theme": lambda: _build(theme=ChartTheme(primary="#123456"))}.get(change, _build)()
    alt, caption = ("b" if change == "alt" else "a"), ("d" if change == "caption" else "c")
    if change == "language":
        with language("de"):
            chart_html(build, alt=alt, caption=caption)
    else:
        chart_html(build, alt=alt, caption=caption)
    assert _draws() == 3


def test_a_builder_that_cannot_be_pickled_is_drawn_every_time(cache: ComputeCache) -> None:
    build = _build(fmt=Formatter("GBP", "en_GB"))
    unpicklable = functools.partial(build, annotations=[lambda: None])  # no key to file it by
    assert chart_cache.chart_key(unpicklable, ("a",)) is None
    assert chart_cache.chart_key(build, ("a",)) is not None


def test_a_damaged_chart_entry_is_drawn_again(cache: ComputeCache) -> None:
    first = chart_html(_build(), alt="a")
    for entry in (cache.root / chart_cache.KIND).rglob("*.html"):
        entry.write_bytes(entry.read_bytes()[:-10])
    DRAWN.clear()
    assert chart_html(_build(), alt="a") == first and _draws() == 3


def test_an_edited_translation_draws_the_chart_again(cache: ComputeCache, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The legend's words come from the catalogue: an agency's own catalogue is another key."""
    with language("de"):
        before = chart_cache.chart_key(_build(), ("a",))
        own = tmp_path / "locale" / "de" / "LC_MESSAGES"
        own.mkdir(parents=True)
        (own / "nbreport.po").write_text('msgid ""\nmsgstr ""\n\nmsgid "Actual"\nmsgstr "Tatsächlich"\n',
                                         encoding="utf-8")
        monkeypatch.setenv("NBREPORT_LOCALE_PATH", str(tmp_path / "locale"))
        assert chart_cache.chart_key(_build(), ("a",)) != before
