"""A report's sections follow the client's ``sections:`` params, and a section with nothing to
say is left out with its reason in the appendix (issue 19, part 5), without a kernel."""

from __future__ import annotations

from bs4 import BeautifulSoup

from nbreport.params import load_client_params
from nbreport.report import open_report, run_summary, sections
from nbreport.report.fragment import Omitted
from nbreport.settings import Settings


def _report(project: Settings, client_id: str, **changes: object):
    params = load_client_params(client_id, project.project_dir / "params")
    plain = params.model_dump(mode="json") | changes
    return open_report(client_id, params=plain, project_dir=project.project_dir,
                       data_dir=project.data_dir)


def _left_out(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [li.get_text(" ", strip=True).replace(" :", ":") for li in soup.select(".nbr-left-out li")]


def test_excluded_sections_show_nothing_and_forecasts_are_not_computed(project: Settings) -> None:
    report = _report(project, "northwind-outfitters",
                     sections={"exclude": ["forecast", "budget"], "order": ["trends"]})
    assert report.plan.shown[0] == "trends" and report.plan.excluded == (
        "forecast", "budget", "forecast-record", "budget-detail")  # their details in the appendix too
    for shown in (sections.forecast(report), sections.budget(report)):
        assert isinstance(shown, Omitted) and shown.html == "" and shown._repr_html_() is None
    assert report.results.forecasts.kpis == () and report.results.forecasts.record == ()
    assert _left_out(sections.data_sources(report).html) == []  # the client's choice: not mentioned
    assert run_summary(report).data["sections"]["excluded"] == ["forecast", "budget", "forecast-record",
                                                                "budget-detail"]
    assert "Revenue" in sections.scorecard(report).html  # the others are as before


def test_an_empty_section_is_left_out_and_the_appendix_says_why(project: Settings) -> None:
    report = _report(project, "northwind-outfitters", budget=None, triangulation=[])
    assert [item.id for item in report.plan.empty] == ["budget", "triangulation"]
    assert not report.plan.shows("budget") and not report.plan.shows("triangulation")
    assert isinstance(sections.budget(report), Omitted)
    assert isinstance(sections.triangulation(report), Omitted)
    assert _left_out(sections.data_sources(report).html) == [
        "Budget: no budget is set for this client, so spend is not compared with a plan",
        "Checking the numbers across sources: no figure is checked across sources for this client"]
    empty = run_summary(report).data["sections"]["empty"]
    assert [(e["id"], e["title"]) for e in empty] == [
        ("budget", "Budget"), ("triangulation", "Checking the numbers across sources")]


def test_commentary_of_an_excluded_section_is_not_reviewed(project: Settings) -> None:
    path = project.project_dir / "commentary" / "northwind-outfitters" / "2026-10.md"
    text = path.read_text()
    start = text.index("## Campaigns")
    end = text.index("## ", start + 3)
    path.write_text(text[:start] + "## Campaigns\n\n" + text[end:])  # Campaigns not written
    report = _report(project, "northwind-outfitters")
    assert report.commentary.drafts == ["campaigns"] and not report.commentary.review()["publishable"]
    report = _report(project, "northwind-outfitters", sections={"exclude": ["campaigns"]})
    assert report.commentary.drafts == [] and report.commentary.review()["publishable"]
    assert isinstance(sections.commentary(report, "campaigns"), Omitted)
