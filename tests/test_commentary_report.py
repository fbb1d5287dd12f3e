"""Commentary in a client's report, on the demo clients' data (no kernel: see test_commentary_kernel)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nbreport.commentary.compose import consistency_checker
from nbreport.commentary.document import SECTIONS
from nbreport.commentary.drafts import write_draft
from nbreport.commentary.errors import CommentaryError
from nbreport.commentary.markup import render_text
from nbreport.commentary.notes import client_notes
from nbreport.commentary.store import commentary_path
from nbreport.demo.profiles import PROFILES
from nbreport.params import load_client_params
from nbreport.render.meta import report_meta
from nbreport.report import Report, open_report, run_summary, sections
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS, REPO


def report_for(project: Settings, client_id: str, **params: object) -> Report:
    """The client's report, with ``params`` changed (e.g. ``commentary=...``) before it is opened."""
    plain = None
    if params:
        found = load_client_params(client_id, project.project_dir / "params")
        plain = found.model_copy(update=params).model_dump(mode="json")
    return open_report(client_id, params=plain, project_dir=project.project_dir,
                       data_dir=project.data_dir)


def write(project: Settings, client_id: str, text: str) -> Path:
    path = commentary_path(project.project_dir, client_id, "2026-10")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("client_id", DEMO_CLIENTS)
def test_drafts_say_only_what_the_figures_say(project: Settings, client_id: str) -> None:
    report = report_for(project, client_id)
    checker = consistency_checker(report.commentary.view)
    for section_id in SECTIONS:
        draft = write_draft(report.commentary.view, section_id)
        rendered = render_text(draft, report.commentary.bindings, check=checker.check, section=section_id)
        assert rendered.problems == [] and rendered.flags == [], (section_id, rendered.plain)
        assert "{{" not in rendered.plain


def test_demo_commentary_is_written_or_approved_and_consistent(project: Settings) -> None:
    northwind = report_for(project, "northwind-outfitters").commentary
    assert northwind.written == list(SECTIONS) and northwind.flags == []
    assert northwind.review() == {"publishable": True, "reasons": [], "drafts": 0, "preview": False}
    ledgerline = report_for(project, "ledgerline").commentary  # three drafts approved: {{ draft }}
    assert ledgerline.approved == ["targets", "trends", "campaigns"] and ledgerline.drafts == []
    assert ledgerline.review()["publishable"] and ledgerline.flags == []
    path = project.project_dir / "commentary" / "ledgerline" / "2026-10.md"
    path.write_text(path.read_text().replace("{{ draft }}", ""))  # nothing written, nothing approved
    ledgerline = report_for(project, "ledgerline").commentary
    assert ledgerline.drafts == ["targets", "trends", "campaigns"]
    (reason,) = ledgerline.review()["reasons"]
    assert "unreviewed draft commentary in 'Performance against targets', 'Trends', 'Campaigns'" in reason
    assert "commentary/ledgerline/2026-10.md" in reason and "{{ draft }}" in reason
    harbourside = report_for(project, "harbourside-dental").commentary
    assert harbourside.approved == list(SECTIONS) and harbourside.review()["publishable"]


def test_a_contradiction_is_flagged_logged_and_blocks_the_report(project: Settings,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    write(project, "northwind-outfitters", "## Trends\n\nTraffic was strong.\nRevenue fell in October.\n")
    report = report_for(project, "northwind-outfitters")
    with caplog.at_level(logging.WARNING, logger="nbreport.commentary"):
        summary = run_summary(report).data
    (flag,) = summary["commentary"]["flags"]
    assert (flag["section"], flag["line"], flag["kind"], flag["metric"]) == \
        ("Trends", 4, "direction", "revenue")
    assert flag["message"].startswith("says Revenue \u201cfell\u201d, but the figures show +17.7%")
    assert summary["review"]["publishable"] is False
    assert any("section 'Trends', line 4" in reason for reason in summary["review"]["reasons"])
    assert "commentary/northwind-outfitters/2026-10.md, section 'Trends', line 4" in caplog.text
    json.dumps(summary)  # the batch engine stores it in the manifest
    html = sections.commentary(report, "trends").html
    assert BeautifulSoup(html, "html.parser").select_one("mark.nbr-flag").get_text(strip=True) == \
        "Revenue fell in October."
    assert "1 statement below differs from the figures" in html


def test_an_unknown_placeholder_stops_the_report_naming_file_section_and_line(project: Settings) -> None:
    write(project, "northwind-outfitters", "# Northwind\n\n## Campaigns\n\nCPA: {{ cost_per_paid_order.actual }}.\n"
                                           "Spend: {{ spend.actual }}.\n")
    with pytest.raises(CommentaryError) as caught:  # when the report is opened, before any cell
        report_for(project, "northwind-outfitters")
    assert str(caught.value).startswith("commentary/northwind-outfitters/2026-10.md, section 'Campaigns', "
                                        "line 6: unknown placeholder '{{ spend.actual }}'")


def test_a_draft_is_marked_until_approved_and_preview_never_makes_it_publishable(
        project: Settings) -> None:
    path = project.project_dir / "commentary" / "ledgerline" / "2026-10.md"
    approved = path.read_text()
    path.write_text(approved.replace("## Trends\n\n{{ draft }}", "## Trends\n"))
    report = report_for(project, "ledgerline")
    html = sections.commentary(report, "trends").html
    soup = BeautifulSoup(html, "html.parser")
    assert "nbr-draft" in soup.div["class"]
    assert soup.select_one(".nbr-draft-label").get_text().startswith("Draft")
    assert "Leads rose 8.1% on September 2026" in soup.get_text()
    blocked = report.commentary.review()
    assert (blocked["publishable"], blocked["drafts"], blocked["preview"]) == (False, 1, False)
    preview = report.inputs.params.commentary.model_copy(update={"drafts": "preview"})
    previewed = report_for(project, "ledgerline", commentary=preview).commentary.review()
    assert (previewed["publishable"], previewed["drafts"], previewed["preview"]) == (False, 1, True)
    path.write_text(approved)  # approved as it is: the same text, unmarked, publishable
    report = report_for(project, "ledgerline")
    soup = BeautifulSoup(sections.commentary(report, "trends").html, "html.parser")
    assert "nbr-draft" not in soup.div["class"] and soup.select_one(".nbr-draft-label") is None
    assert "Leads rose 8.1% on September 2026" in soup.get_text()
    assert report.commentary.review()["publishable"]


def test_commentary_of_another_period_is_not_used(project: Settings) -> None:
    report = open_report("northwind-outfitters", period="2026-09", project_dir=project.project_dir,
                         data_dir=project.data_dir)
    # September's file approves every draft; none of October's written text is used
    assert report.commentary.approved == report.commentary.written == list(SECTIONS)
    assert report.commentary.display.endswith("2026-09.md")


def test_next_steps_leave_the_feedback_line_to_the_footer(project: Settings) -> None:
    report = report_for(project, "northwind-outfitters")
    soup = BeautifulSoup(sections.next_steps(report).html, "html.parser")
    assert "Move a fifth of the generic search budget" in soup.select_one(".nbr-commentary").get_text()
    assert soup.select_one(".nbr-feedback") is None  # once per report, in the page's footer
    assert report_meta(report.inputs.params, project.project_dir)["feedback"] == {
        "href": "mailto:feedback@brightline.example", "text": "feedback@brightline.example"}


@pytest.mark.parametrize("client_id", DEMO_CLIENTS)
def test_every_demo_anomaly_has_a_context_note(client_id: str) -> None:
    notes = {(n.date, n.last) for n in client_notes(REPO, client_id)}
    anomalies = {(a.start, a.end) for a in PROFILES[client_id].anomalies}
    assert anomalies <= notes


def test_context_notes_are_drawn_on_the_trend_charts(project: Settings) -> None:
    report = report_for(project, "northwind-outfitters")
    soup = BeautifulSoup(sections.trends(report).html, "html.parser")
    # both charts mark the same events: their caption is written once, below them
    assert not soup.select("figure figcaption")
    first_event = "Events: (1) Shopping budget typed with an extra zero"
    assert first_event in soup.select_one(".nbr-chart-note").get_text()
    assert all(first_event.split(": ", 1)[1] in img["alt"] for img in soup.select("img"))
    assert "(3) Competitor bidding up generic outdoor terms" in soup.img["alt"]
    assert report.commentary.bindings.text("context.events").startswith("Competitor bidding up")


def test_trend_builder_marks_annotated_months() -> None:
    import pandas as pd

    from nbreport.charts.theme import ChartTheme
    from nbreport.charts.trend import ChartAnnotation, monthly_bars
    from nbreport.core.formatting import Formatter

    months = pd.date_range("2026-01-01", periods=4, freq="MS")
    values = pd.Series([1.0, 2.0, 3.0, 4.0], index=months)
    notes = [ChartAnnotation(months[1], 1), ChartAnnotation(months[1], 2),
             ChartAnnotation(pd.Timestamp("2020-01-01"), 3)]
    figure = monthly_bars(values, highlight=months[-1], title="t", unit="number", fmt=Formatter(),
                          theme=ChartTheme(), annotations=notes)
    markers = [t for t in figure.axes[0].texts if t.get_text() in {"1", "2", "3"}]
    assert sorted(t.get_text() for t in markers) == ["1", "2"] and all(t.xy[0] == 1 for t in markers)
    plain = monthly_bars(values, highlight=months[-1], title="t", unit="number", fmt=Formatter(),
                         theme=ChartTheme())
    assert [t.get_text() for t in plain.axes[0].texts] == ["4.0"]  # a "number": one decimal
