"""The report's outline is one list: the master notebook and the commentary files follow it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import jupytext
import nbformat
import pytest

from nbreport.commentary.document import SECTIONS, render_commentary
from nbreport.report.outline import COMMENTARY_CALL, OUTLINE, commentary_sections
from tests.test_notebook import NOTEBOOK, PAIRED

_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t]*$")
Item = tuple[str, ...]


def notebook_outline(notebook: nbformat.NotebookNode) -> list[Item]:
    """The notebook's ``##``/``###`` headings and ``sections.*`` calls, in cell order."""
    items: list[Item] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            items += [("heading", str(len(m[1])), m[2]) for line in cell.source.splitlines()
                      if (m := _HEADING.match(line))]
        elif cell.cell_type == "code":
            items += _section_calls(cell.source)
    return items


def _section_calls(source: str) -> list[Item]:
    calls = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "sections"):
            words = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
            calls.append(("call", node.func.attr, *map(str, words)))
    return calls


def outline_items() -> list[Item]:
    """What the outline says the notebook holds, written independently of the notebook."""
    items: list[Item] = []
    for section in OUTLINE:
        items.append(("heading", str(section.level), section.title))
        items += [("call", name, section.id) if name == COMMENTARY_CALL else ("call", name)
                  for name in section.renders]
    return items


@pytest.mark.parametrize("read", [lambda: nbformat.read(NOTEBOOK, as_version=4),
                                  lambda: jupytext.read(PAIRED)], ids=["ipynb", "py"])
def test_master_notebook_follows_the_outline(read) -> None:
    found, expected = notebook_outline(read()), outline_items()
    assert found == expected, (
        "the master notebook's headings and sections.* calls differ from "
        "nbreport/report/outline.py (change both, in the same order):\n"
        + "\n".join(f"  notebook {f!r:60}  outline {e!r}" for f, e in zip(found, expected) if f != e)
        + f"\n  ({len(found)} items in the notebook, {len(expected)} in the outline)")


def test_a_notebook_that_drifts_from_the_outline_is_caught() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    targets = next(i for i, c in enumerate(notebook.cells) if 'commentary(report, "targets")' in c.source)
    trends = next(i for i, c in enumerate(notebook.cells) if "## Trends" in c.source)
    swapped = nbformat.v4.new_notebook(cells=list(notebook.cells))
    swapped.cells[targets].source = 'sections.commentary(report, "trends")'
    assert notebook_outline(swapped) != outline_items()
    renamed = nbformat.v4.new_notebook(cells=list(notebook.cells))
    renamed.cells[trends] = nbformat.v4.new_markdown_cell("## Trend")
    assert notebook_outline(renamed) != outline_items()
    dropped = nbformat.v4.new_notebook(cells=[c for i, c in enumerate(notebook.cells) if i != targets])
    assert notebook_outline(dropped) != outline_items()


def test_outline_is_consistent() -> None:
    ids = [section.id for section in OUTLINE]
    titles = [section.title.lower() for section in OUTLINE]
    assert len(set(ids)) == len(ids) and len(set(titles)) == len(titles)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", section_id) for section_id in ids)
    assert OUTLINE[0].level == 2 and {section.level for section in OUTLINE} <= {2, 3}
    for section in OUTLINE:
        if COMMENTARY_CALL in section.renders:
            assert section.commentary, f"{section.id} shows commentary but does not take it"


def test_every_section_function_is_in_the_outline_once() -> None:
    from nbreport.report import sections

    rendered = [name for section in OUTLINE for name in section.renders if name != COMMENTARY_CALL]
    assert sorted(rendered) == sorted(set(sections.__all__) - {COMMENTARY_CALL})


def test_commentary_sections_come_from_the_outline() -> None:
    assert [(s.id, s.title) for s in SECTIONS.values()] == [
        ("executive-summary", "Executive summary"),
        ("next-steps", "Recommendations and next steps"),
        ("targets", "Performance against targets"), ("trends", "Trends"), ("campaigns", "Campaigns")]
    assert tuple(SECTIONS.values()) == commentary_sections()
    with pytest.raises(TypeError):
        SECTIONS["budget"] = OUTLINE[0]  # type: ignore[index]
    headings = [line[3:] for line in render_commentary({}, "T").splitlines() if line.startswith("## ")]
    assert headings == [s.title for s in OUTLINE if s.commentary]


def test_the_outline_loads_without_the_report_libraries() -> None:
    code = ("import sys, nbreport.report.outline, nbreport.commentary.document; "
            "heavy = sorted({'pandas', 'matplotlib', 'nbreport.report.context'} & set(sys.modules)); "
            "print(heavy); sys.exit(bool(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("module", ["context", "evidence", "figures", "fragment", "summary", "tables",
                                    "sections"])
def test_each_report_module_imports_first_on_its_own(module: str) -> None:
    # nbreport.report no longer imports its modules up front; none may rely on that order
    done = subprocess.run([sys.executable, "-c", f"import nbreport.report.{module}"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_appendix_comes_last_and_opens_with_a_tagged_heading() -> None:
    """Methods, data quality and provenance follow the client's report, in one appendix whose
    heading cell carries the ``appendix`` tag (the export makes it a closed <details>)."""
    from nbreport.render.export import APPENDIX_TAG
    from nbreport.report.outline import APPENDIX_TITLE

    flags = [section.appendix for section in OUTLINE]
    first = flags.index(True)
    assert all(flags[first:]) and OUTLINE[first].level == 2 and OUTLINE[first].title == APPENDIX_TITLE
    assert {"data-sources", "triangulation", "forecast-record"} <= {s.id for s in OUTLINE[first:]}
    assert OUTLINE[1].id == "next-steps" and OUTLINE[1].level == 3  # on the first screen
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c.source.splitlines()[0] for c in notebook.cells if APPENDIX_TAG in c.metadata.get("tags", [])]
    assert tagged == [f"## {APPENDIX_TITLE}"]
