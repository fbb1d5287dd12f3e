"""Done-when for commentary, in real kernels with a real nbconvert export.

An analyst opens the workspace notebook (executed in a real kernel, the widgets driven
as a person would), writes a section with live numbers and a sentence that contradicts
them, leaves another empty, saves; then the batch runs the master notebook and exports
the client's HTML.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup

from nbreport.batch import run_batch
from nbreport.render.execute import execute_notebook
from nbreport.render.export import export_html
from nbreport.render.meta import report_meta
from nbreport.settings import Settings
from tests import raw_exports as raw
from tests.conftest import REPO

pytestmark = pytest.mark.kernel

CLIENT = "northwind-outfitters"
WIDGET_DEBRIS = ("Loading widget", "application/vnd.jupyter.widget", "widget-view", "widget-state",
                 "model_id", "jupyter-widgets", "@jupyter-widgets")
ANALYST_CELLS = [
    'workspace.editors["trends"].value = (\n'
    '    "Revenue and orders both climbed: revenue grew {{ revenue.change_pct|abs }} to "\n'
    '    "{{ revenue.actual }}.\\n\\nSessions fell sharply in October.")\n'
    'workspace.editors["campaigns"].value = ""',
    'print(workspace.previews["trends"].value)',
    'workspace.save_button.click()\nprint(workspace.status.value)',
]


@pytest.fixture(scope="module")
def analyst_then_batch(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("commentary") / "project"
    for folder in ("params", "notebooks", "templates", "commentary"):
        shutil.copytree(REPO / folder, root / folder)
    settings = Settings.for_project(root, data_dir=demo_data_dir)
    workspace = nbformat.read(root / "notebooks" / "analyst_workspace.ipynb", as_version=4)
    workspace.cells += [nbformat.v4.new_code_cell(source) for source in ANALYST_CELLS]
    authored = root / "notebooks" / "analyst_session.ipynb"
    nbformat.write(workspace, authored)
    executed = execute_notebook(
        authored, root / "analyst_session.out.ipynb",
        {"client_id": CLIENT, "project_dir": str(root), "data_dir": str(demo_data_dir)},
        cwd=root / "notebooks", kernel_name=settings.kernel_name, start_timeout=settings.start_timeout,
        cell_timeout=settings.cell_timeout)
    outcome = run_batch(settings, [CLIENT])
    assert outcome.results[0].ok, outcome.results[0].error
    # The report is produced, but the gate holds it: a section is unwritten, a sentence contradicted.
    [verdict] = outcome.gates[0].clients
    assert [check.name for check in verdict.failures] == ["commentary reviewed"]
    assert outcome.exit_code == 1
    client_dir = settings.outputs_dir / "2026-10" / CLIENT
    return {"settings": settings, "workspace": executed,
            "html": (client_dir / "report.html").read_text(encoding="utf-8"),
            "report_notebook": (client_dir / "report.ipynb").read_text(encoding="utf-8"),
            "manifest": json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())}


def _outputs(notebook: Any) -> list[dict[str, Any]]:
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


def _commentary(html: str, section: str) -> Any:
    return BeautifulSoup(html, "html.parser").select_one(f'.nbr-commentary[data-section="{section}"]')


def test_the_analyst_writes_previews_and_saves_in_a_real_kernel(analyst_then_batch: dict[str, Any]) -> None:
    outputs = _outputs(analyst_then_batch["workspace"])
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert '<mark class="nbr-flag">Sessions fell sharply in October.</mark>' in printed  # the live preview
    assert "Saved commentary/northwind-outfitters/2026-10.md" in printed
    saved = (analyst_then_batch["settings"].project_dir / "commentary" / CLIENT / "2026-10.md").read_text()
    assert "revenue grew {{ revenue.change_pct|abs }} to\n{{ revenue.actual }}" not in saved  # kept as typed
    assert "revenue grew {{ revenue.change_pct|abs }} to {{ revenue.actual }}." in saved
    # every section keeps its heading in report order, the empty ones too: the next steps
    # follow the summary (first screen), the campaigns come last and are empty here
    assert "## Recommendations and next steps" in saved and saved.endswith("## Campaigns\n")


def test_the_report_shows_the_commentary_with_live_numbers(analyst_then_batch: dict[str, Any],
                                                          demo_data_dir: Path) -> None:
    orders = raw.shopify_orders(demo_data_dir / CLIENT / "orders.csv")
    month = orders.groupby(orders["date"].str[:7])["revenue"].sum()
    october, september = month["2026-10"], month["2026-09"]
    expected = f"revenue grew {(october / september - 1) * 100:.1f}% to ${october:,.0f}."
    trends = _commentary(analyst_then_batch["html"], "trends")
    assert expected in trends.get_text(" ", strip=True).replace(" .", ".").replace("  ", " ")


def test_the_contradicting_sentence_is_flagged_everywhere(analyst_then_batch: dict[str, Any]) -> None:
    trends = _commentary(analyst_then_batch["html"], "trends")
    assert trends.select_one("mark.nbr-flag").get_text() == "Sessions fell sharply in October."
    assert "figures show +12.2% on the previous period" in trends.select_one(".nbr-flag-note").get_text()
    summary = analyst_then_batch["manifest"]["clients"][CLIENT]["summary"]
    (flag,) = summary["commentary"]["flags"]
    assert (flag["section"], flag["metric"], flag["kind"], flag["stated"]) == \
        ("Trends", "sessions", "direction", "fell")
    saved = (analyst_then_batch["settings"].project_dir / "commentary" / CLIENT / "2026-10.md").read_text()
    assert saved.splitlines()[flag["line"] - 1] == "Sessions fell sharply in October."
    assert summary["review"]["publishable"] is False
    assert "contradict the figures" in summary["review"]["reasons"][0]


def test_the_unwritten_section_shows_a_marked_draft(analyst_then_batch: dict[str, Any]) -> None:
    campaigns = _commentary(analyst_then_batch["html"], "campaigns")
    assert "nbr-draft" in campaigns["class"]
    label = campaigns.select_one(".nbr-draft-label").get_text(" ", strip=True)
    assert label.startswith("Draft Written automatically")
    assert "Cost per order from paid channels: $26.06" in campaigns.get_text(" ", strip=True).replace(" :", ":")
    summary = analyst_then_batch["manifest"]["clients"][CLIENT]["summary"]
    assert summary["commentary"]["drafts"] == ["campaigns"]
    assert any("unreviewed draft commentary in 'Campaigns'" in r for r in summary["review"]["reasons"])


def test_the_report_opens_with_next_steps_and_ends_with_feedback(analyst_then_batch: dict[str, Any]) -> None:
    soup = BeautifulSoup(analyst_then_batch["html"], "html.parser")
    headings = [" ".join(h.get_text().split()) for h in soup.select("main h2")]
    assert headings[0] == "Executive summary" and headings[-1] == "How this report was made"
    # summary first: the next steps are on the first screen; the data sources in the appendix
    assert soup.select_one("#section-executive-summary .nbr-next-steps") is not None
    assert "Data sources" in [h.get_text() for h in soup.select("details#appendix h3")]
    feedback = soup.select(".nbr-feedback")
    assert len(feedback) == 1 and feedback[0].find_parent("footer") is not None
    assert feedback[0].a["href"] == "mailto:feedback@brightline.example"
    # the trend charts' shared caption, once below them
    assert "Events: (1)" in soup.select_one("#section-trends .nbr-chart-note").get_text()


def test_no_widget_debris_reaches_a_client(analyst_then_batch: dict[str, Any]) -> None:
    html, report_notebook = analyst_then_batch["html"], analyst_then_batch["report_notebook"]
    for debris in WIDGET_DEBRIS:
        assert debris not in html and debris not in report_notebook, debris
    # even the widget-filled workspace notebook, exported the client's way, leaves nothing behind
    settings: Settings = analyst_then_batch["settings"]
    from nbreport.params import load_client_params

    params = load_client_params(CLIENT, settings.params_dir)
    exported = export_html(analyst_then_batch["workspace"], report_meta(params, settings.project_dir),
                           settings.templates_dir)
    text = re.sub(r"data:[a-z+/]+;base64,[A-Za-z0-9+/=]+", "", exported)
    for debris in (*WIDGET_DEBRIS, "AnalystWorkspace", "workspace.editors"):
        assert debris not in text, debris
