"""Commentary files: sections, placeholders, sanitising, context notes, and who may read what."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from nbreport.commentary.bindings import Bindings, BoundValue, ValueSource, register_values, VALUE_SOURCES
from nbreport.commentary.consistency import CheckSettings, ConsistencyChecker, MetricFact
from nbreport.commentary.document import parse_commentary, render_commentary
from nbreport.commentary.errors import CommentaryError
from nbreport.commentary.markup import render_text
from nbreport.commentary.notes import client_notes, parse_notes
from nbreport.commentary.store import commentary_inputs, commentary_path, read_client_file, write_client_file
from nbreport.core.formatting import Formatter

FILE = "commentary/acme/2026-10.md"


def bindings(values: dict[str, object], locale: str = "en_US", currency: str = "USD") -> Bindings:
    report = SimpleNamespace(fmt=Formatter(currency, locale))
    return Bindings(report, {"test": ValueSource("test", lambda _: values, flat=True)})  # type: ignore[arg-type]


REVENUE = {"revenue": {"actual": BoundValue(582046.0, "currency"),
                       "change_pct": BoundValue(0.177, "change", signed=True),
                       "label": BoundValue("Revenue", "text")}}


# --- sections ----------------------------------------------------------------------------------
def test_sections_are_found_by_title_or_id_with_their_lines() -> None:
    text = ("# Acme, October\n<!-- a note -->\n\n## Executive Summary\n\nGood month.\n\n"
            "## trends\nRevenue rose.\n\n## Recommendations and next steps\n\n")
    sections = parse_commentary(text, FILE)
    assert sections["executive-summary"].text == "Good month." and sections["executive-summary"].line == 6
    assert sections["trends"].line == 9 and not sections["next-steps"].written


def test_an_empty_or_comment_only_section_is_not_written() -> None:
    sections = parse_commentary("## Trends\n<!-- to do:\n  the outage -->\n", FILE)
    assert not sections["trends"].written


@pytest.mark.parametrize(("text", "message"), [
    ("## Trend\nx", "line 1: unknown section 'Trend'; did you mean 'Trends'?"),
    ("Hello\n## Trends\nx", "line 1: text before the first section heading"),
    ("## Trends\na\n## Trends\nb", "line 3: section 'Trends' appears twice (first on line 1)"),
])
def test_file_errors_name_the_file_and_line(text: str, message: str) -> None:
    with pytest.raises(CommentaryError) as caught:
        parse_commentary(text, FILE)
    assert str(caught.value).startswith(f"{FILE}, {message}")


def test_a_saved_file_reads_back_the_same() -> None:
    texts = {"trends": "Revenue rose {{ revenue.change_pct|abs }}.\n\n- one\n- two", "targets": ""}
    text = render_commentary(texts, "Acme, October 2026")
    parsed = parse_commentary(text, FILE)
    assert parsed["trends"].text == texts["trends"] and not parsed["targets"].written
    assert "## Campaigns" in text  # every section keeps its heading


# --- placeholders ------------------------------------------------------------------------------
def test_placeholders_are_filled_in_the_clients_locale() -> None:
    german = bindings(REVENUE, "de_DE", "EUR")
    rendered = render_text(
        "Umsatz: {{ revenue.actual }}, {{revenue.change_pct}}, {{ revenue.change_pct | abs }}.", german)
    assert rendered.plain == "Umsatz: 582.046\u00a0\u20ac, +17,7\u00a0%, 17,7\u00a0%."
    assert rendered.html.count('<span class="nbr-value">') == 3 and not rendered.problems


@pytest.mark.parametrize(("text", "message"), [
    ("Fine.\n\nRevenue was {{ revenu.actual }}.", "line 12: unknown placeholder '{{ revenu.actual }}'; "
                                                  "did you mean 'revenue.actual'?"),
    ("{{ revenue.actual | round }}", "line 10: unknown filter 'round'"),
    ("{{ revenue actual }}", "line 10: malformed placeholder '{{ revenue actual }}'"),
    ("{{ revenue.actual", "line 10: '{{' without its partner on the same line"),
])
def test_placeholder_problems_name_section_and_line(text: str, message: str) -> None:
    rendered = render_text(text, bindings(REVENUE), section="Trends", first_line=10)
    assert len(rendered.problems) == 1
    assert str(rendered.problems[0]).startswith(f"section 'Trends', {message}")


def test_one_line_registration_binds_a_domains_dataclass() -> None:
    @dataclass(frozen=True)
    class Budget:
        planned: float
        spent: float
        pacing_pct: float
        probability: float
        channels: int
        as_of: date

    register_values("budget_test", lambda view: view.budget,
                    units={"planned": "currency", "spent": "currency"})
    try:
        report = SimpleNamespace(fmt=Formatter("GBP", "en_GB"),
                                 budget=Budget(32000, 30400.5, -0.05, 0.8, 2, date(2026, 10, 31)))
        values = Bindings(report, {"budget_test": VALUE_SOURCES["budget_test"]})  # type: ignore[arg-type]
        shown = {name: values.text(name) for name in values.names()}
    finally:
        del VALUE_SOURCES["budget_test"]
    assert shown == {"budget_test.planned": "\u00a332,000", "budget_test.spent": "\u00a330,400",
                     "budget_test.pacing_pct": "\u22125.0%", "budget_test.probability": "80.0%",
                     "budget_test.channels": "2", "budget_test.as_of": "31 October 2026"}


def test_providers_run_only_when_their_values_are_needed() -> None:
    calls = []
    sources = {"slow": ValueSource("slow", lambda _: calls.append(1) or {"x": 1.0}),
               "test": ValueSource("test", lambda _: REVENUE, flat=True)}
    values = Bindings(SimpleNamespace(fmt=Formatter()), sources)  # type: ignore[arg-type]
    assert values.text("revenue.label") == "Revenue" and calls == []
    assert values.text("slow.x") == "1.0" and calls == [1]  # a plain number: one decimal


# --- sanitising --------------------------------------------------------------------------------
def test_commentary_html_is_sanitised_and_values_escaped() -> None:
    hostile = {"client": {"name": BoundValue("<img src=x onerror=alert(1)>", "text")}}
    text = ("**Bold** <script>alert(1)</script> [link](javascript:alert(1)) "
            "<a href='https://x.example' onclick='alert(1)'>a</a> {{ client.name }} "
            "[site]({{ client.name }}) <iframe src='https://evil.example'></iframe>")
    html = render_text(text, bindings(hostile)).html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("script, iframe, img, [onclick], [onerror]")
    assert not soup.select('[href^="javascript"], [src]') and "<strong>Bold</strong>" in html
    assert soup.select_one("span.nbr-value").get_text() == "<img src=x onerror=alert(1)>"


def test_flagged_sentences_are_marked_with_what_the_figures_say() -> None:
    fact = MetricFact("revenue", "Revenue", ("revenue",), "currency", "higher", 582046, 494321, 507900,
                      560000, 0.1775, 0.146, 1.039)
    checker = ConsistencyChecker([fact], CheckSettings())
    rendered = render_text("- Orders were fine. Revenue fell {{ revenue.change_pct|abs }}.\n- Revenue rose.",
                           bindings(REVENUE), check=checker.check, section="Trends", first_line=4)
    soup = BeautifulSoup(rendered.html, "html.parser")
    (mark,) = soup.select("li mark.nbr-flag")
    assert mark.get_text() == "Revenue fell 17.7%."
    assert "figures show +17.8% on the previous period" in soup.select_one(".nbr-flag-note").get_text()
    assert [(f.section, f.line, f.kind) for f in rendered.flags] == [("Trends", 4, "direction")]
    assert len(soup.select("li")) == 2  # the list survived the marking



def test_a_sentence_that_starts_with_a_placeholder_is_a_sentence_of_its_own() -> None:
    """Sentences are split with the values filled in: "{{ sessions.change_pct|abs }} more visitors"
    starts a sentence, so the number is not read as a change of the revenue named before it."""
    fact = MetricFact("revenue", "Revenue", ("revenue",), "currency", "higher", 582046, 494321, 507900,
                      560000, 0.1775, 0.146, 1.039)
    values = {**REVENUE, "sessions": {"change_pct": BoundValue(0.122, "change", signed=True),
                                      "label": BoundValue("Sessions", "text")}}
    checker = ConsistencyChecker([fact], CheckSettings())
    text = ("Revenue rose. {{ sessions.change_pct|abs }} more visitors came to the site.\n\n"
            "Orders were fine. {{ revenue.label }} fell {{ revenue.change_pct|abs }}, e.g. on search.")
    rendered = render_text(text, bindings(values), check=checker.check, section="Trends", first_line=1)
    assert [(f.kind, f.line, f.sentence) for f in rendered.flags] == [
        ("direction", 3, "Revenue fell 17.7%, e.g. on search.")]
    (mark,) = BeautifulSoup(rendered.html, "html.parser").select("mark.nbr-flag")
    assert mark.get_text() == "Revenue fell 17.7%, e.g. on search."


@pytest.mark.parametrize(("values", "expected"), [
    ({"a": "Revenue", "b": "17.7%"}, ["Orders rose.", "{{a}} rose {{b}}."]),
    ({"a": "e.g. Revenue. And", "b": "17.7%"}, ["Orders rose. {{a}} rose {{b}}."]),
])
def test_sentences_never_start_or_end_inside_a_value(values: dict[str, str], expected: list[str]) -> None:
    from nbreport.commentary.sentences import filled_sentence_spans

    text = "Orders rose. {{a}} rose {{b}}."
    spans = filled_sentence_spans(text, ["{{a}}", "{{b}}"], [values["a"], values["b"]])
    assert [text[s:e] for s, e in spans] == expected

# --- context notes -----------------------------------------------------------------------------
def test_context_notes_read_and_sorted() -> None:
    notes = parse_notes("events:\n  - {date: 2026-10-01, end: 2026-10-31, kind: competitor, title: B}\n"
                        "  - {date: 2026-06-10, kind: outage, title: A}\n", "context.yaml")
    assert [n.title for n in notes] == ["A", "B"]
    # newer CLDR data (babel 2.19) sets the dash of a date range between thin spaces
    assert notes[1].when("en_GB").replace("\u2009", "") == "1\u201331 Oct 2026"


@pytest.mark.parametrize(("text", "message"), [
    ("events:\n  - date: 2026-10-01\n    title: x\n    nite: y\n", "line 4: events[0].nite: unknown key"),
    ("events:\n  - date: 2026-13-01\n    title: x\n", "line 2: events[0].date:"),
    ("events:\n  - date: 2026-10-05\n    end: 2026-10-01\n    title: x\n",
     "line 2: events[0]: end (2026-10-01) is before"),
    ("events:\n  - {date: 2026-10-05, kind: strike, title: x}\n", "line 2: events[0].kind:"),
    ("events: [\n", "line 2: not valid YAML"),
])
def test_context_note_errors_name_the_line_and_key(text: str, message: str) -> None:
    with pytest.raises(CommentaryError) as caught:
        parse_notes(text, "commentary/acme/context.yaml")
    assert str(caught.value).startswith(f"commentary/acme/context.yaml, {message}")


# --- who may read what -------------------------------------------------------------------------
def test_a_client_reads_only_its_own_folder(tmp_path: Path) -> None:
    other = tmp_path / "commentary" / "other-client"
    other.mkdir(parents=True)
    (other / "2026-10.md").write_text("## Trends\nOther client's secret.\n")
    (other / "context.yaml").write_text("events: []\n")
    mine = tmp_path / "commentary" / "acme"
    mine.mkdir()
    os.symlink(other / "2026-10.md", mine / "2026-10.md")
    os.symlink(other / "context.yaml", mine / "context.yaml")
    with pytest.raises(CommentaryError, match="leads outside commentary/acme/"):
        read_client_file(commentary_path(tmp_path, "acme", "2026-10"), tmp_path, "acme")
    with pytest.raises(CommentaryError, match="leads outside commentary/acme/"):
        client_notes(tmp_path, "acme")
    os.symlink(other, tmp_path / "commentary" / "linked")
    with pytest.raises(CommentaryError, match="leads outside commentary/linked/"):
        read_client_file(commentary_path(tmp_path, "linked", "2026-10"), tmp_path, "linked")
    with pytest.raises(CommentaryError, match="leads outside"):
        write_client_file(mine / "2026-10.md", tmp_path, "acme", "## Trends\nOverwritten.\n")
    assert "secret" in (other / "2026-10.md").read_text()


@pytest.mark.parametrize(("client_id", "period"), [("../other", "2026-10"), ("acme", "../../etc"),
                                                    ("acme", "2026-10/../x"), ("Acme", "2026-10")])
def test_ids_and_periods_never_become_other_paths(tmp_path: Path, client_id: str, period: str) -> None:
    with pytest.raises(CommentaryError):
        commentary_path(tmp_path, client_id, period)


def test_missing_files_are_no_commentary_and_inputs_are_hashed(tmp_path: Path) -> None:
    path = commentary_path(tmp_path, "acme", "2026-10")
    assert read_client_file(path, tmp_path, "acme") is None and client_notes(tmp_path, "acme") == []
    write_client_file(path, tmp_path, "acme", "## Trends\nx\n")
    assert list(commentary_inputs(tmp_path, "acme", "2026-10")) == ["commentary/acme/2026-10.md"]
