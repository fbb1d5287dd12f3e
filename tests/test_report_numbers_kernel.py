"""The B2B demo report, run in a real kernel and exported: every part of the numbers is there."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests import raw_exports as raw
from tests.conftest import copy_project

from nbreport.batch import run_batch

pytestmark = pytest.mark.kernel

HEADINGS = ("Executive summary", "Wins and challenges", "Performance against targets",
            "Comparisons and pacing", "What drove the changes", "Budget",
            "Checking the numbers across sources", "Customer success")


@pytest.fixture(scope="module")
def ledgerline(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> BeautifulSoup:
    settings = copy_project(tmp_path_factory.mktemp("numbers") / "project", demo_data_dir)
    outcome = run_batch(settings, ["ledgerline"])
    assert outcome.exit_code == 0, outcome.results[0].error
    html = (settings.outputs_dir / "2026-10" / "ledgerline" / "report.html").read_text()
    return BeautifulSoup(html, "html.parser")


def test_every_part_has_its_section(ledgerline: BeautifulSoup) -> None:
    headings = [h.get_text(strip=True) for h in ledgerline.select("h2, h3")]
    for heading in HEADINGS:
        assert heading in headings, heading
    text = ledgerline.get_text(" ")
    for marker in ("Top win", "Top challenge", "Projected spend at period end", "Management fee",
                   "is taken as the truth", "Average health score", "Net Promoter Score",
                   "Customer lifetime value", "Retention by start month"):
        assert marker in text, marker


def test_exported_numbers_equal_the_raw_files(ledgerline: BeautifulSoup, demo_data_dir: Path) -> None:
    folder = demo_data_dir / "ledgerline"
    spend = raw.in_month(raw.ledgerline_ads(folder))["spend"].sum()
    summary = {row.th.get_text(): row.td.get_text() for row in ledgerline.select(".nbr-budget-summary tr")}
    assert summary["Ad spend"] == f"\u00a3{spend:,.0f}"
    nps = raw.nps(raw.in_month(raw.delighted(folder / "surveys.jsonl"))["score"])
    row = next(r for r in ledgerline.select(".nbr-surveys tbody tr") if "Net Promoter" in r.th.get_text())
    whole = round(nps)  # NPS is a signed whole number: +18, not 17.65
    assert row.select("td")[0].get_text() == ("0" if whole == 0 else f"{whole:+d}".replace("-", "\u2212"))
    customers, lost = raw.churned_in_october(folder / "accounts.csv")
    churn = next(r for r in ledgerline.select("table tr") if r.th and r.th.get_text().startswith("Customer churn rate"))
    assert churn.select("td")[0].get_text() == f"{lost / customers:.1%}"
