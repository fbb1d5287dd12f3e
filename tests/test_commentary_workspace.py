"""The analyst workspace's logic, driven through its widgets in Python (no browser, no kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nbreport.commentary.document import parse_commentary
from nbreport.commentary.workspace import AnalystWorkspace, CommentaryEditor
from nbreport.settings import Settings


@pytest.fixture
def workspace(project: Settings) -> AnalystWorkspace:
    return AnalystWorkspace(project.project_dir, client_id="ledgerline", data_dir=project.data_dir)


def saved(project: Settings, client_id: str) -> dict[str, str]:
    path = project.project_dir / "commentary" / client_id / "2026-10.md"
    return {k: v.text for k, v in parse_commentary(path.read_text(), path.name).items() if v.written}


def test_opening_shows_numbers_charts_saved_text_and_drafts(workspace: AnalystWorkspace) -> None:
    assert "Editing commentary/ledgerline/2026-10.md (saved file)" in workspace.status.value
    assert "Won deal value" in workspace.numbers.value and workspace.charts.value == ""
    workspace.panels.selected_index = 1  # the charts are drawn when their panel opens
    assert workspace.charts.value.count("<img") == 2 and "Events: (1)" in workspace.charts.value
    summary = workspace.editors["executive-summary"].value
    assert summary.startswith("Won deal value grew {{ revenue.change_pct|abs }}")
    assert "\u00a3387,122" in workspace.previews["executive-summary"].value
    assert "No statement contradicts the figures" in workspace.flag_boxes["executive-summary"].value
    # Trends: the demo's account team approved the draft as it is
    assert workspace.editors["trends"].value == "{{ draft }}"
    assert "<b>Approved draft</b>" in workspace.previews["trends"].value
    assert workspace.previews["trends"].value.count("nbr-value") > 3  # the draft, its numbers filled in
    workspace.editors["trends"].value = ""
    assert "<b>Draft</b> (nothing written yet)" in workspace.previews["trends"].value
    assert "{{ leads.actual }}" in workspace.placeholder_list.value
    assert "<td>867</td>" in workspace.placeholder_list.value


def test_typing_updates_the_preview_and_the_flags(workspace: AnalystWorkspace) -> None:
    workspace.editors["trends"].value = "Leads fell {{ leads.change_pct|abs }}. Deals won grew."
    preview = BeautifulSoup(workspace.previews["trends"].value, "html.parser")
    assert preview.select_one("mark.nbr-flag").get_text() == "Leads fell 8.1%."
    assert "says Leads \u201cfell\u201d" in workspace.flag_boxes["trends"].value
    assert workspace.editor is not None and workspace.editor.dirty
    workspace.editors["trends"].value = "Leads rose {{ leads.change_pct|abs }}."
    assert "No statement contradicts" in workspace.flag_boxes["trends"].value
    workspace.editors["trends"].value = "Leads: {{ lead.actual }}"
    assert "unknown placeholder &#39;{{ lead.actual }}&#39;; did you mean &#39;leads.actual&#39;?" in \
        workspace.flag_boxes["trends"].value


def test_saving_writes_the_file_the_report_reads(workspace: AnalystWorkspace, project: Settings) -> None:
    workspace.use_draft("targets")
    draft = workspace.editors["targets"].value
    assert draft.startswith("Off target: {{ nps.label }} ({{ nps.attainment }} of target).")
    workspace.editors["campaigns"].value = "The longer lead form cut form fills, as planned."
    workspace.save_button.click()
    assert "Saved commentary/ledgerline/2026-10.md" in workspace.status.value
    texts = saved(project, "ledgerline")
    assert texts["targets"] == draft and texts["campaigns"].startswith("The longer lead form")
    assert texts["executive-summary"].startswith("Won deal value grew")  # untouched sections kept
    assert workspace.editor is not None and not workspace.editor.dirty
    from nbreport.report import open_report

    report = open_report("ledgerline", project_dir=project.project_dir, data_dir=project.data_dir)
    assert report.commentary.drafts == [] and report.commentary.approved == ["trends"]


def test_a_file_with_an_unknown_placeholder_is_not_saved(workspace: AnalystWorkspace,
                                                        project: Settings) -> None:
    before = (project.project_dir / "commentary" / "ledgerline" / "2026-10.md").read_text()
    workspace.editors["trends"].value = "Spend was {{ spend.actual }}."
    workspace.save_button.click()
    assert "Not saved" in workspace.status.value and "spend.actual" in workspace.status.value
    assert (project.project_dir / "commentary" / "ledgerline" / "2026-10.md").read_text() == before


def test_switching_client_keeps_unsaved_work(workspace: AnalystWorkspace, project: Settings) -> None:
    workspace.editors["trends"].value = "Unsaved thoughts."
    workspace.client.value = "northwind-outfitters"
    assert workspace.client.value == "ledgerline" and "Save your changes" in workspace.status.value
    assert workspace.editors["trends"].value == "Unsaved thoughts."
    assert workspace.editor is not None
    workspace.editors["trends"].value = workspace.editor.revert("trends")
    workspace.client.value = "northwind-outfitters"
    assert workspace.editor.client_id == "northwind-outfitters" and workspace.period.value == "2026-10"
    assert workspace.editors["trends"].value.startswith("Revenue and orders both climbed")


def test_a_bad_period_is_refused_clearly(workspace: AnalystWorkspace) -> None:
    workspace.period.value = "2026-13"
    workspace.open_button.click()
    assert "Cannot open ledgerline" in workspace.status.value
    assert workspace.editor is not None and workspace.editor.report.results.period.key == "2026-10"


def test_editor_works_without_widgets(project: Settings, tmp_path: Path) -> None:
    # a client nobody has written commentary for yet
    (project.project_dir / "commentary" / "harbourside-dental" / "2026-10.md").unlink()
    editor = CommentaryEditor(project.project_dir, "harbourside-dental", data_dir=project.data_dir)
    assert not editor.path.exists() and not editor.dirty
    preview = editor.set_text("trends", "Bookings fell {{ leads.change_pct|abs }}.")
    assert [f.metric for f in preview.flags] == ["leads"] and "6,2\u00a0%" in preview.plain
    editor.save()
    assert saved(project, "harbourside-dental") == {"trends": "Bookings fell {{ leads.change_pct|abs }}."}
    assert [f.kind for f in editor.flags()] == ["direction"]


def test_workspace_notebook_is_paired_and_committed_clean() -> None:
    import jupytext
    import nbformat

    from tests.conftest import REPO

    notebook = nbformat.read(REPO / "notebooks" / "analyst_workspace.ipynb", as_version=4)
    text = jupytext.read(REPO / "notebooks" / "analyst_workspace.py")
    assert [(c.cell_type, c.source.strip()) for c in notebook.cells] == \
        [(c.cell_type, c.source.strip()) for c in text.cells], \
        "run jupytext --sync notebooks/analyst_workspace.py"
    assert all(c.outputs == [] for c in notebook.cells if c.cell_type == "code")
