"""The report's own words come from the catalogue: period names and dates, the report page's
and the index's fixed text, the default title, the notebook's headings (ids stay English).

A small German catalogue written here (``NBREPORT_LOCALE_PATH``) stands in for the real one;
English, the source language, must read exactly as before.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from jinja2 import Environment, select_autoescape

from nbreport.core.period import Period
from nbreport.core.period_names import comparison_names, cover_line, dates_text, period_words
from nbreport.i18n import language
from nbreport.i18n.catalogues import translations
from nbreport.i18n.jinja import install_translations
from nbreport.params.schema import ClientParams
from nbreport.qa.checks import REVIEWED
from nbreport.render.export import ClientViewPreprocessor
from nbreport.render.index import card_status
from nbreport.render.meta import report_meta

GERMAN = {
    "d MMMM y": "d. MMMM y", "d": "d.", "d MMMM": "d. MMMM",
    "%(first)s\u2013%(last)s": "%(first)s\u2013%(last)s",
    "Monthly report, %(period)s": "Monatsbericht, %(period)s",
    "Weekly report, %(period)s": "Wochenbericht, %(period)s",
    "previous month": "Vormonat", "same month last year": "Vorjahresmonat",
    "Performance report": "Leistungsbericht",
    "dd MMMM y": "dd. MMMM y", "Page %(page)s of %(pages)s": "Seite %(page)s von %(pages)s",
    "Trends": "Entwicklung", "Contents": "Inhalt",
    "Ready to send": "Versandbereit",
    ("Needs review: %(n)s draft section", "Needs review: %(n)s draft sections"):
        ("Zu prüfen: %(n)s Entwurf", "Zu prüfen: %(n)s Entwürfe"),
    'Say "%(what)s" & go': '„%(what)s“ sagen & los',
}
BASE: dict[str, Any] = {
    "client": {"id": "acme", "name": "Acme"}, "period": "2026-10",
    "sources": [{"name": "shop", "kind": "orders", "path": "orders.csv"}],
    "kpis": [{"metric": "revenue", "target": 5000}],
}


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A German catalogue of :data:`GERMAN` on ``NBREPORT_LOCALE_PATH``."""
    catalog = Catalog(locale="de", domain="nbreport")
    for source, text in GERMAN.items():
        catalog.add(source, text)
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "nbreport.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setenv("NBREPORT_LOCALE_PATH", str(tmp_path))
    translations.cache_clear()
    yield
    translations.cache_clear()


def test_english_period_names_read_as_written() -> None:
    october, week = Period.parse("2026-10"), Period.parse("2026-W43")
    assert cover_line(october) == "Monthly report, October 2026"
    assert cover_line(week) == "Weekly report, 19\u201325 October 2026"
    assert period_words(Period.parse("2026-Q3")) == "Q3 2026 (July\u2013September)"
    assert dates_text(Period.parse("2026-W40").start, Period.parse("2026-W40").end) == \
        "28 September \u2013 4 October 2026"
    assert comparison_names(october) == {"previous": "previous month",
                                         "last_year": "same month last year"}


def test_period_names_follow_the_catalogue_and_babel(german: None) -> None:
    with language("de"):
        assert cover_line(Period.parse("2026-10")) == "Monatsbericht, Oktober 2026"
        assert cover_line(Period.parse("2026-W43")) == "Wochenbericht, 19.\u201325. Oktober 2026"
        assert comparison_names(Period.parse("2026-10")) == {"previous": "Vormonat",
                                                             "last_year": "Vorjahresmonat"}
        # a message without a translation stays English, the months are still German
        assert period_words(Period.parse("2026-Q3")) == "Q3 2026 (Juli\u2013September)"


def test_a_template_message_is_trusted_text_and_its_values_are_escaped(german: None) -> None:
    environment = install_translations(Environment(autoescape=select_autoescape(
        default=True, default_for_string=True)))
    template = environment.from_string('{{ _(\'Say "%(what)s" & go\', what=value) }}')
    assert template.render(value="<b>") == 'Say "&lt;b&gt;" & go'
    with language("de"):
        assert template.render(value="a&b") == "„a&amp;b“ sagen & los"
    plain = install_translations(Environment())  # nbconvert's: the template escapes with |e
    assert plain.from_string('{{ _("Contents") }}').render() == "Contents"


def test_index_status_lines_are_translated_with_plural_forms(german: None) -> None:
    review = {"status": "ok", "qa": {"failed": [REVIEWED]},
              "summary": {"review": {"drafts": 2, "preview": True}}}
    assert card_status({"status": "ok", "qa": {"failed": []}})["card"] == "Ready to send"
    assert card_status(review)["card"] == "Needs review: 2 draft sections"
    with language("de"):
        assert card_status({"status": "ok", "qa": {"failed": []}})["card"] == "Versandbereit"
        assert card_status(review)["card"] == "Zu prüfen: 2 Entwürfe"


def test_the_default_title_and_date_are_in_the_report_language(german: None,
                                                               tmp_path: Path) -> None:
    when = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
    english = ClientParams.model_validate(copy.deepcopy(BASE))
    assert english.report.title is None and english.title == "Performance report"
    assert english.confidentiality == (
        "Confidential: prepared by nbreport for the client named on the cover. Please do not forward.")
    meta = report_meta(english, tmp_path, generated=when)
    assert (meta["title"], meta["generated"]) == ("Performance report", "03 November 2026")
    assert meta["page_number_css"] is None  # the style sheet's own English
    german_params = ClientParams.model_validate({**copy.deepcopy(BASE),
                                                 "report": {"language": "de"}})
    meta = report_meta(german_params, tmp_path, generated=when)
    assert (meta["title"], meta["generated"]) == ("Leistungsbericht", "03. November 2026")
    assert meta["period_cover"] == "Monatsbericht, Oktober 2026"
    assert meta["page_number_css"] == '"Seite " counter(page) " von " counter(pages)'
    chosen = ClientParams.model_validate({**copy.deepcopy(BASE), "report": {"title": "Q report"}})
    assert chosen.title == "Q report"


def _client_view(source: str) -> tuple[str, list[dict[str, Any]]]:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source)])
    result, resources = ClientViewPreprocessor().preprocess(notebook, {})
    return result.cells[0].metadata["nbreport_html"], resources["nbreport"]["toc"]


def test_the_notebook_headings_are_translated_and_keep_their_english_ids(german: None) -> None:
    source = "## Trends\n\nHow each KPI moved\nover the year."
    html, toc = _client_view(source)
    assert html.startswith('<h2 id="trends">Trends</h2>')
    assert "How each KPI moved\nover the year." in html  # English exactly as written
    with language("de"):
        html, toc = _client_view(source)
    assert html.startswith('<h2 id="trends">Entwicklung</h2>')
    assert toc == [{"id": "trends", "text": "Entwicklung"}]
    assert "How each KPI moved over the year." in html  # no translation yet: the English block
