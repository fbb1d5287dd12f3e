"""One rule of decimals per unit, NPS as a signed whole number, and changes of shares and
scores in points (issue 19, part 7), in English and in German number formats."""

from __future__ import annotations

import pytest

from nbreport.core.formatting import Formatter
from nbreport.metrics.definitions import METRICS

US, DE = Formatter("USD", "en_US"), Formatter("EUR", "de_DE")


@pytest.mark.parametrize(("value", "us", "de"), [
    (17.65, "+18", "+18"), (-4.4, "\u22124", "\u22124"), (0.2, "0", "0"), (1234.0, "+1,234", "+1.234")])
def test_nps_is_a_signed_whole_number(value: float, us: str, de: str) -> None:
    assert METRICS["nps"].unit == "score"
    assert US.value(value, "score") == us
    assert DE.value(value, "score") == de


@pytest.mark.parametrize(("unit", "values", "shown"), [
    ("count", (3.0, 3.4999, 1234.6), ("3", "3", "1,235")),
    ("percent", (0.5, 0.12345, 0.1), ("50.0%", "12.3%", "10.0%")),
    ("multiple", (3.0, 2.456), ("3.00\u00d7", "2.46\u00d7")),
    ("number", (3.0, 17.65, 5.25), ("3.0", "17.6", "5.2")),  # half to even, as everywhere
    ("score", (3.0, 17.65), ("+3", "+18")),
])
def test_each_unit_has_one_rule_for_its_decimals(unit: str, values: tuple[float, ...],
                                                 shown: tuple[str, ...]) -> None:
    assert tuple(US.value(value, unit) for value in values) == shown


@pytest.mark.parametrize(("unit", "absolute", "relative", "us", "de"), [
    ("percent", 0.028, 0.25, "+2.8 pts", "+2,8 pts"),     # 11.2% -> 14.0% is +2.8 points, not +25%
    ("score", 2.45, 0.14, "+2 pts", "+2 pts"),            # NPS +17.65 -> +20.1
    ("score", -6.0, -0.5, "\u22126 pts", "\u22126 pts"),
    ("count", 40.0, 0.1, "+10.0%", "+10,0\u00a0%"),
    ("currency", -50.0, -0.05, "\u22125.0%", "\u22125,0\u00a0%"),
])
def test_a_change_of_a_share_or_a_score_is_in_points(unit: str, absolute: float, relative: float,
                                                     us: str, de: str) -> None:
    assert US.change_in(unit, absolute, relative) == us
    assert DE.change_in(unit, absolute, relative) == de


def test_a_change_with_nothing_to_compare_reads_not_available() -> None:
    assert US.change_in("percent", None, None) == "n/a"
    assert US.change_in("count", None, None) == "n/a"


def test_a_change_too_small_to_show_has_no_sign() -> None:
    assert US.change_in("percent", 0.0004, 0.005) == "\u00b10.0 pts"
    assert US.change(0.0004) == "\u00b10.0%"
    assert US.difference(-0.2, "count") == "\u00b10"
    assert US.value(0.3, "score") == "0"
