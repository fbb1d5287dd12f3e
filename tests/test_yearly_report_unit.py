"""A year's report compares with the previous year once: the previous period and the same
period last year are the same year, so no column repeats another (issue 19, part 6)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from nbreport.report import open_report, sections
from tests.conftest import REPO


def _headers(html: str, selector: str) -> list[str]:
    table = BeautifulSoup(html, "html.parser").select_one(selector)
    return [th.get_text(" ", strip=True) for th in table.select("thead th")]


def test_a_years_report_has_no_last_year_columns_repeating_the_previous_year(
        demo_data_dir: Path, tmp_path: Path) -> None:
    report = open_report("northwind-outfitters", period="2025", project_dir=REPO,
                         data_dir=demo_data_dir, outputs_dir=tmp_path)
    periods = report.results.comparison_periods
    assert periods["previous"] == periods["last_year"]  # both are 2024
    scorecard = _headers(sections.scorecard(report).html, ".nbr-scorecard")
    assert "2024" in scorecard and "vs last year" not in scorecard, scorecard
    assert len(scorecard) == len(set(scorecard))
    comparisons = _headers(sections.comparisons(report).html, ".nbr-comparisons")
    # 2024 had a day more than 2025: "per day" compares their daily averages
    assert comparisons == ["KPI", "vs previous year", "Per day", "Gap to target"], comparisons


def test_a_months_report_keeps_both_comparisons(demo_data_dir: Path, tmp_path: Path) -> None:
    report = open_report("northwind-outfitters", period="2026-10", project_dir=REPO,
                         data_dir=demo_data_dir, outputs_dir=tmp_path)
    assert "vs last year" in _headers(sections.scorecard(report).html, ".nbr-scorecard")
    assert "Same month last year" in _headers(sections.comparisons(report).html, ".nbr-comparisons")
