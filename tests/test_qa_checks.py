"""Each gate check, failing on exactly what it is for and passing on a clean report."""

from __future__ import annotations

import nbformat
import pytest

from nbreport.qa.checks import (
    CHECKS,
    ReportUnderCheck,
    check_report,
    find_secrets,
    foreign_markers_in,
    referenced_secrets,
    without_embedded_data,
)

CLEAN_HTML = """<!DOCTYPE html><html><head><title>Acme</title><style>body{color:#000}</style></head>
<body><main><h2 id="summary">Summary</h2><p>Revenue rose 12% to $1,200.</p>
<img src="data:image/png;base64,L2hvbWUvdXNlci9zZWNyZXQ=" alt="chart">
<a href="https://agency.example/feedback">Feedback</a></main></body></html>"""


REVIEWED = {"reported": {"end": "2026-10-31"}, "sources": [], "review": {"publishable": True, "reasons": []}}


def notebook(*code: str, error: bool = False) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell(source) for source in code]
    if error:
        cells[-1].outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="x", traceback=[])]
    return nbformat.v4.new_notebook(cells=cells)


def subject(html: str = CLEAN_HTML, **changes: object) -> ReportUnderCheck:
    fields = {"client_id": "acme", "html": html,
              "notebook": notebook("report = open_report(client_id, params=params)"),
              "summary": {"reported": {"start": "2026-10-01", "end": "2026-10-31"},
                          "sources": [{"source": "ads", "last_date": "2026-10-31"}],
                          "review": {"publishable": True, "reasons": []}}}
    fields.update(changes)
    return ReportUnderCheck(**fields)  # type: ignore[arg-type]


def verdicts(report: ReportUnderCheck) -> dict[str, bool]:
    return {result.name: result.passed for result in check_report(report)}


def test_a_clean_report_passes_every_check() -> None:
    results = check_report(subject())
    assert len(results) == len(CHECKS)
    assert all(r.passed for r in results), [r for r in results if not r.passed]


@pytest.mark.parametrize("change, failing", [
    ({"notebook": notebook("x = 1", error=True)}, "no errored cells"),
    ({"notebook": None}, "no errored cells"),
    ({"html": CLEAN_HTML.replace("</main>", "<pre>report = open_report(client_id, params=params)</pre></main>")},
     "no code"),
    ({"html": CLEAN_HTML.replace("<main>", '<main><div class="jp-InputArea">x</div>')}, "no code"),
    ({"html": CLEAN_HTML.replace("</main>", "<!-- injected-parameters --></main>")}, "no parameters"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>Traceback (most recent call last):</p></main>")}, "no tracebacks"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>File /home/analyst/data/acme.csv</p></main>")},
     "no local file paths"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>C:\\Users\\ana\\acme.csv</p></main>")}, "no local file paths"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>s3cr3t-Pa55word</p></main>"),
      "secrets": ["s3cr3t-Pa55word"]}, "no secrets"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>AKIAABCDEFGHIJKLMNOP</p></main>")}, "no secrets"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>postgresql://bob:hunter22@db/x</p></main>")}, "no secrets"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>password = hunter2hunter2</p></main>")}, "no secrets"),
    ({"html": CLEAN_HTML.replace("</main>", "<p>GLOBEX-CANARY-7</p></main>"),
      "foreign_markers": {"globex": ["GLOBEX-CANARY-7"]}}, "no other client's data"),
    ({"html": CLEAN_HTML.replace("</main>", '<img src="https://cdn.example/x.png" alt="x"></main>')},
     "no external resources"),
    ({"html": CLEAN_HTML.replace("</main>", '<script src="//cdn.example/x.js"></script></main>')},
     "no external resources"),
    ({"html": CLEAN_HTML.replace("body{color:#000}", "@import url(https://fonts.example/f.css);")},
     "no external resources"),
    ({"summary": {**REVIEWED, "review": {"publishable": False, "reasons": ["unreviewed draft"]}}},
     "commentary reviewed"),
    ({"summary": {"reported": {"end": "2026-10-31"}, "sources": []}}, "commentary reviewed"),
    ({"summary": {**REVIEWED, "sources": [{"source": "crm", "last_date": "2026-10-20"}]}}, "data fresh"),
    ({"summary": {"review": {"publishable": True}}}, "data fresh"),
    ({"html": CLEAN_HTML + "<!--" + "x" * 1_600_000 + "-->"}, "size within budget"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_each_check_fails_on_what_it_guards(change: dict, failing: str) -> None:
    result = verdicts(subject(**change))
    assert result[failing] is False
    # code shown to a client is also jargon (its snake_case names)
    also = {"plain language"} if "client_id" in change.get("html", "") else set()
    assert {name for name, ok in result.items() if not ok} == {failing} | also


def test_plain_language_names_the_word_where_and_what_to_write() -> None:
    planted = CLEAN_HTML.replace("</main>", '<section class="nbr-section" id="section-wins">'
                                 "<p>Revenue rose (p &lt; 0.001, volume 30); Shapley says so.</p>"
                                 "</section></main>")
    result = check_report(subject(html=planted))
    found = next(r for r in result if r.name == "plain language")
    assert not found.passed
    for word, plain in (("p < 0.001", "we are fairly sure"), ("volume", "enough clicks"),
                        ("Shapley", "what drove the change")):
        assert f"'{word}' in section 'wins'" in found.detail and plain in found.detail


def test_plain_language_allows_methods_in_the_appendix_and_data_names() -> None:
    appendix = CLEAN_HTML.replace("</main>", '<details id="appendix"><summary>How</summary>'
                                  "<p>Prophet and MAPE, p = 0.01</p></details>"
                                  '<p><data data-label="Ad spend | brand_search">1</data> brand_search</p></main>')
    found = next(r for r in check_report(subject(html=appendix)) if r.name == "plain language")
    assert found.passed, found.detail


def test_secret_names_never_values_are_reported() -> None:
    report = subject(html=CLEAN_HTML.replace("</main>", "<p>s3cr3t-Pa55word</p></main>"),
                     secrets=["s3cr3t-Pa55word"])
    detail = next(r.detail for r in check_report(report) if r.name == "no secrets")
    assert "s3cr3t" not in detail and "secret #1" in detail


def test_encoded_images_are_not_scanned_but_the_text_around_them_is() -> None:
    # base64 can spell a key by chance; an image in a notebook's JSON must not fail the gate
    image = "iVBORw0KGgo" + "A" * 120 + "/AKIAABCDEFGHIJKLMNOP/" + "B" * 120 + "=="
    notebook = f'{{"image/png": "{image}", "text/plain": "for CANARY42 only"}}'
    kept = without_embedded_data(notebook)
    assert find_secrets(kept, []) == [] and find_secrets(notebook, []) == ["AWS Access Key"]
    assert foreign_markers_in(kept, {"client-b": ["CANARY42"]}) == ["marker #1 of client-b"]


def test_referenced_secrets_are_found_in_any_form() -> None:
    params = {"sources": [{"connection": {"password_env": "WH_PASS", "url": "postgresql://u@h/db"}},
                          {"token": "${env:API_TOKEN}"}, {"key": "env:OTHER"}, {"note": "env: not one"}]}
    environ = {"WH_PASS": "pw-1", "API_TOKEN": "tok-2", "OTHER": "o-3", "UNUSED": "u"}
    assert referenced_secrets(params, environ) == ["pw-1", "tok-2", "o-3"]
