"""How a report names its period: cover line, comparison words, title grain, output folder."""

from __future__ import annotations

from datetime import date

import pytest

from nbreport.batch.pipeline import ClientTask
from nbreport.core.errors import ParamsError
from nbreport.core.period import Period
from nbreport.core.period_names import (
    as_of_key,
    comparison_names,
    cover_line,
    resolve_title,
    title_grain_conflict,
)
from nbreport.params import load_client_params
from tests.conftest import REPO


@pytest.mark.parametrize("text, expected", [
    ("2026-W43", "Weekly report, 19\u201325 October 2026"),
    ("2026-W40", "Weekly report, 28 September \u2013 4 October 2026"),
    ("2026-W53", "Weekly report, 28 December 2026 \u2013 3 January 2027"),
    ("2026-10", "Monthly report, October 2026"),
    ("2026-Q3", "Quarterly report, Q3 2026 (July\u2013September)"),
    ("2026", "Yearly report, 2026"),
    ("2026-10-03..2026-10-16", "Report, 3\u201316 October 2026"),
])
def test_the_cover_names_the_grain_and_the_dates(text: str, expected: str) -> None:
    assert cover_line(Period.parse(text)) == expected


def test_a_month_to_date_shows_its_days_under_the_months_grain() -> None:
    october = Period.parse("2026-10")
    assert cover_line(october, october.to_date(date(2026, 10, 15))) == "Monthly report, 1\u201315 October 2026"
    assert cover_line(october, october.to_date(date(2026, 10, 31))) == "Monthly report, October 2026"


@pytest.mark.parametrize("text, previous, last_year", [
    ("2026-W43", "previous week", "same week last year"),
    ("2026-10", "previous month", "same month last year"),
    ("2026-Q3", "previous quarter", "same quarter last year"),
    ("2026", "previous year", "previous year"),
    ("2026-10-03..2026-10-16", "previous 14 days", "same days last year"),
])
def test_comparisons_say_what_they_compare_with(text: str, previous: str, last_year: str) -> None:
    assert comparison_names(Period.parse(text)) == {"previous": previous, "last_year": last_year}


def test_a_period_to_date_is_compared_with_the_same_days() -> None:
    october = Period.parse("2026-10")
    names = comparison_names(october, october.to_date(date(2026, 10, 15)))
    assert names == {"previous": "same days of the previous month",
                     "last_year": "same days last year"}


@pytest.mark.parametrize("title, text, expected", [
    ("{Grain} performance report", "2026-W43", "Weekly performance report"),
    ("{Grain} performance report", "2026-Q3", "Quarterly performance report"),
    ("{Grain} performance report", "2026-10-03..2026-10-16", "Performance report"),
    ("Your {grain} numbers", "2026", "Your yearly numbers"),
    ("Performance report", "2026-W43", "Performance report"),
])
def test_a_title_follows_the_period(title: str, text: str, expected: str) -> None:
    assert resolve_title(title, Period.parse(text)) == expected


def test_a_title_naming_another_grain_is_an_error_with_the_fix() -> None:
    problem = title_grain_conflict("Monthly performance report", Period.parse("2026-W43"))
    assert problem is not None
    assert "'Monthly'" in problem and "2026-W43 is a week" in problem
    assert "'{Grain} performance report'" in problem
    assert title_grain_conflict("Monthly performance report", Period.parse("2026-10")) is None
    assert title_grain_conflict("Annual review", Period.parse("2026")) is None
    assert title_grain_conflict("Annual review", Period.parse("2026-Q3")) is not None


def test_validate_refuses_a_monthly_title_on_a_week() -> None:
    with pytest.raises(ParamsError) as caught:
        load_client_params("northwind-outfitters", REPO / "params",
                           overrides={"period": "2026-W43", "report.title": "Monthly sales report"})
    assert "report.title" in str(caught.value) and "{Grain} sales report" in str(caught.value)


def test_an_as_of_run_has_its_own_folder() -> None:
    october = Period.parse("2026-10")
    assert as_of_key(october, october) == "2026-10"
    assert as_of_key(october, october.to_date(date(2026, 10, 15))) == "2026-10-as-of-2026-10-15"
    params = load_client_params("northwind-outfitters", REPO / "params",
                                overrides={"period": "2026-10", "as_of": "2026-10-15"})
    task = ClientTask("northwind-outfitters", params)
    assert task.period_key == "2026-10-as-of-2026-10-15"
    assert task.period_label == "October 2026 to 15 October 2026"
    whole = load_client_params("northwind-outfitters", REPO / "params",
                               overrides={"period": "2026-10", "as_of": "2026-10-31"})
    assert ClientTask("northwind-outfitters", whole).period_key == "2026-10"
