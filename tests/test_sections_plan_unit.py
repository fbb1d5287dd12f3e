"""Sections per client and drafts that never reach a client unreviewed (issue 19, parts 5 and 8):
the params, the plan's order, the export's arrangement, the gate's exemption and the index card."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import pytest

from nbreport.core.errors import ParamsError
from nbreport.params import load_client_params
from nbreport.params.sections import SectionsSpec
from nbreport.protocol import SUMMARY_MIME
from nbreport.qa.checks import REVIEWED, CheckResult, first_reason, previewed_drafts
from nbreport.render.arrange import arrange_sections
from nbreport.render.index import card_status
from nbreport.report.outline import OUTLINE
from tests.conftest import REPO

TITLE = {s.id: s.title for s in OUTLINE}


def _params_file(tmp_path: Path, extra: str) -> Path:
    params = tmp_path / "params"
    params.mkdir()
    (params / "_defaults.yaml").write_text((REPO / "params" / "_defaults.yaml").read_text())
    text = (REPO / "params" / "northwind-outfitters.yaml").read_text() + "\n" + textwrap.dedent(extra)
    (params / "northwind-outfitters.yaml").write_text(text)
    return params


@pytest.mark.parametrize(("extra", "expected"), [
    ("sections:\n  exclude: [forcast, budget]\n",
     "sections.exclude[0]: unknown section 'forcast'; did you mean 'forecast'?"),
    ("sections:\n  only: [Trends]\n",
     "sections.only[0]: unknown section 'Trends'; did you mean 'trends'?"),
    ("sections:\n  order: [comparisons]\n",
     "'comparisons' is a part of the appendix, which always closes the report; it cannot be ordered"),
    ("sections:\n  order: [next-steps]\n",
     "'next-steps' is a part of the section above it and moves with it; order 'executive-summary' instead"),
    ("sections:\n  exclude: [data-sources]\n", "'data-sources' is the appendix"),
    ("sections:\n  only: [trends]\n  exclude: [budget]\n", "give only or exclude, not both"),
    ("sections:\n  exclude: [budget]\n  order: [budget]\n", "order names 'budget', which the report leaves out"),
])
def test_a_wrong_section_name_is_a_params_error_naming_file_line_and_fix(
        tmp_path: Path, extra: str, expected: str) -> None:
    params = _params_file(tmp_path, extra)
    with pytest.raises(ParamsError) as caught:
        load_client_params("northwind-outfitters", params)
    message = str(caught.value)
    assert "params/northwind-outfitters.yaml, line" in message and expected in message, message


def test_drafts_allow_is_an_error_saying_what_to_use_now(tmp_path: Path) -> None:
    params = _params_file(tmp_path, "")
    with pytest.raises(ParamsError) as caught:
        load_client_params("northwind-outfitters", params, overrides={"commentary": {"drafts": "allow"}})
    message = str(caught.value)
    assert "commentary.drafts" in message and "'allow' is no longer accepted" in message
    assert "Did you mean 'preview'?" in message and "{{ draft }}" in message
    ok = load_client_params("northwind-outfitters", params, overrides={"commentary": {"drafts": "preview"}})
    assert ok.commentary.drafts == "preview"


def test_the_plan_orders_and_leaves_out_as_the_params_say() -> None:
    outline = [s.id for s in OUTLINE]
    assert SectionsSpec().wanted() == tuple(outline)
    assert SectionsSpec(exclude=["forecast", "budget"]).wanted() == tuple(
        s for s in outline if s not in ("forecast", "budget", "forecast-record", "budget-detail"))
    # a part moves with its section; the appendix always closes the report
    appendix = tuple(s.id for s in OUTLINE if s.appendix)
    details = ("budget-detail", "forecast-record", "customer-detail")  # their sections are not wanted
    assert SectionsSpec(only=["trends", "targets"]).wanted() == (
        "targets", "trends", *(s for s in appendix if s not in details))
    assert "comparisons" not in SectionsSpec(exclude=["comparisons"]).wanted()
    # a body section's detail in the appendix goes where the section goes
    assert not {"budget", "budget-detail"} & set(SectionsSpec(exclude=["budget"]).wanted())
    assert "forecast-record" not in SectionsSpec(only=["trends"]).wanted()
    assert SectionsSpec(exclude=["executive-summary"]).wanted() == tuple(
        s for s in outline if s not in ("executive-summary", "next-steps"))  # a part goes with it
    assert SectionsSpec(order=["trends", "executive-summary"]).wanted()[:4] == (
        "trends", "executive-summary", "next-steps", "wins-and-challenges")


def _notebook(shown: list[str] | None) -> list[nbformat.NotebookNode]:
    cells = [nbformat.v4.new_markdown_cell("# Master client report"),
             nbformat.v4.new_code_cell("report = open_report(...)")]
    for section in OUTLINE:
        cells.append(nbformat.v4.new_markdown_cell(f"{'#' * section.level} {section.title}\n\nText."))
        if not section.renders:  # a heading alone (the appendix's)
            continue
        cell = nbformat.v4.new_code_cell(f"sections.{section.renders[0]}(report)")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": section.id})]
        cells.append(cell)
    summary = nbformat.v4.new_code_cell("run_summary(report)")
    plan = {"shown": shown, "excluded": [], "empty": []} if shown is not None else None
    summary.outputs = [nbformat.v4.new_output("display_data", data={
        SUMMARY_MIME: {"client_id": "x", **({"sections": plan} if plan else {})}})]
    return [*cells, summary]


def _shown_in(cells: list[nbformat.NotebookNode]) -> list[str]:
    return [c.source.lstrip("#").split("\n")[0].strip() for c in cells
            if c.cell_type == "markdown" and c.source.startswith("##")]


def test_the_export_puts_sections_in_the_planned_order_and_drops_the_others() -> None:
    shown = ["trends", "executive-summary", "next-steps", "targets", "appendix", "comparisons", "data-sources"]
    arranged = arrange_sections(_notebook(shown))
    assert _shown_in(arranged) == [TITLE[s] for s in shown]
    assert arranged[0].source == "# Master client report"  # what comes before the sections stays first
    outputs = [c.outputs[0].data.get("text/html") for c in arranged if c.cell_type == "code" and c.outputs]
    rendered = [s for s in shown if TITLE[s] and next(x for x in OUTLINE if x.id == s).renders]
    assert [o for o in outputs if o] == rendered  # each section's cells follow its heading
    assert "run_summary(report)" in arranged[-1].source  # it follows the appendix


def test_a_notebook_without_a_plan_keeps_its_cells() -> None:
    cells = _notebook(None)
    assert arrange_sections(cells) == cells


def test_only_previewed_drafts_pass_the_check_before_publishing() -> None:
    failed = CheckResult(REVIEWED, False, "unreviewed draft commentary in 'Trends'")
    preview = {"review": {"publishable": False, "drafts": 1, "preview": True}}
    assert previewed_drafts(failed, preview)
    assert not previewed_drafts(failed, {"review": {"publishable": False, "drafts": 1, "preview": False}})
    assert not previewed_drafts(CheckResult("no secrets", False, "x"), preview)
    assert first_reason([CheckResult("data fresh", False, "ads ends 2026-10-20"), failed]) == \
        "data fresh (ads ends 2026-10-20)"


@pytest.mark.parametrize(("entry", "card", "colour"), [
    ({"status": "ok", "qa": {"passed": True, "failed": []}}, "Ready to send", "green"),
    ({"status": "ok", "qa": {"passed": False, "failed": [REVIEWED], "first_reason": "x"},
      "summary": {"review": {"publishable": False, "drafts": 2, "preview": True}}},
     "Needs review: 2 draft sections", "amber"),
    ({"status": "ok", "qa": {"passed": False, "failed": [REVIEWED], "first_reason": "x"},
      "summary": {"review": {"publishable": False, "drafts": 1, "preview": True}}},
     "Needs review: 1 draft section", "amber"),
    ({"status": "ok", "qa": {"passed": False, "failed": ["data fresh", REVIEWED],
                             "first_reason": "data fresh (ads ends 2026-10-20)"},
      "summary": {"review": {"publishable": False, "drafts": 2, "preview": True}}},
     "Failed: data fresh (ads ends 2026-10-20)", "red"),
    ({"status": "failed", "error": {"message": "held back by the QA gate: commentary reviewed\nmore"}},
     "Failed: held back by the QA gate: commentary reviewed", "red"),
    ({"status": "timeout"}, "Failed: timed out", "red"),
    ({"status": "timeout", "error": {"message": "cell 4 did not finish within its 3 s time limit"}},
     "Failed: timed out: cell 4 did not finish within its 3 s time limit", "red"),
    ({"status": "failed"}, "Failed: no report", "red"),
])
def test_the_index_card_shows_one_status(entry: dict, card: str, colour: str) -> None:
    assert card_status(entry) == {"card": card, "card_colour": colour}
