"""The translation machinery: languages per context, catalogues from .po files, plural forms,
an agency's own catalogues, and the params' language check."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from nbreport.core.errors import ParamsError
from nbreport.i18n import _, current_language, language, ngettext, use_language
from nbreport.i18n.catalogues import LOCALE_PATH_VARIABLE, translations
from nbreport.i18n.notebook_text import heading_source, markdown_blocks, translate_markdown
from nbreport.params.schema import ReportOptions

# Plural rules of a language with three forms (as Polish has): 1, 2-4, 5+
CATALOGUE = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

    msgid "Next steps"
    msgstr "Dalsze kroki"

    #, python-format
    msgid "%(metric)s rose to %(value)s"
    msgstr "%(value)s: tyle wyniosło %(metric)s"

    #, python-format
    msgid "%(n)s day"
    msgid_plural "%(n)s days"
    msgstr[0] "%(n)s dzień"
    msgstr[1] "%(n)s dni (2-4)"
    msgstr[2] "%(n)s dni"

    msgid "Trends"
    msgstr "Trendy"

    msgid "One paragraph that goes on over two lines."
    msgstr "Jeden akapit."
    ''')


@pytest.fixture
def own_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An agency's catalogue for the made-up languages ``zz`` and ``zy``, on NBREPORT_LOCALE_PATH."""
    for code in ("zz", "zy"):
        path = tmp_path / code / "LC_MESSAGES" / "nbreport.po"
        path.parent.mkdir(parents=True)
        path.write_text(CATALOGUE, encoding="utf-8")
    monkeypatch.setenv(LOCALE_PATH_VARIABLE, str(tmp_path))
    translations.cache_clear()
    yield tmp_path
    translations.cache_clear()


def test_english_is_the_text_as_written_with_its_values_filled_in() -> None:
    assert _("Next steps") == "Next steps"
    assert _("%(metric)s rose to %(value)s", metric="Revenue", value="$5") == "Revenue rose to $5"
    assert ngettext("%(n)s day", "%(n)s days", 1) == "1 day"
    assert ngettext("%(n)s day", "%(n)s days", 7) == "7 days"


def test_a_catalogue_translates_reorders_placeholders_and_picks_every_plural_form(own_catalogues: Path) -> None:
    with language("zz"):
        assert _("Next steps") == "Dalsze kroki"
        assert _("%(metric)s rose to %(value)s", metric="Revenue", value="5 zł") == "5 zł: tyle wyniosło Revenue"
        assert [ngettext("%(n)s day", "%(n)s days", n) for n in (1, 3, 5, 22)] == [
            "1 dzień", "3 dni (2-4)", "5 dni", "22 dni (2-4)"]
        assert _("A message nobody translated") == "A message nobody translated"


def test_the_language_holds_inside_its_block_only_and_blocks_nest(own_catalogues: Path) -> None:
    assert current_language() == "en"
    with language("zz"):
        with language("en"):
            assert _("Next steps") == "Next steps"
        assert _("Next steps") == "Dalsze kroki"
    assert _("Next steps") == "Next steps"


def test_a_regional_variant_without_its_own_catalogue_uses_its_language(own_catalogues: Path) -> None:
    with language("zz-QQ"):
        assert _("Trends") == "Trendy"


def test_a_language_without_a_catalogue_names_the_key_and_the_choices() -> None:
    with pytest.raises(ParamsError) as caught:
        use_language("xq")
    assert "report.language" in str(caught.value) and "'xq'" in str(caught.value)
    assert current_language() == "en"


def test_params_accept_a_translated_language_or_its_variant_and_refuse_others(own_catalogues: Path) -> None:
    assert ReportOptions(language="zz").language == "zz"
    assert ReportOptions(language="zz-QQ").language == "zz-QQ"
    assert ReportOptions(language="en-GB").language == "en-GB"
    with pytest.raises(ValueError, match="no translation of the report into 'xq'.*choose one of: .*en"):
        ReportOptions(language="xq")


def test_notebook_markdown_is_translated_block_by_block(own_catalogues: Path) -> None:
    source = "## Trends\n\nOne paragraph that goes\non over two lines.\n\n- a list item nobody translated"
    assert markdown_blocks(source) == [("## ", "Trends"), ("", "One paragraph that goes on over two lines."),
                                       ("", "- a list item nobody translated")]
    with language("zz"):
        assert translate_markdown(source) == "## Trendy\n\nJeden akapit.\n\n- a list item nobody translated"
        assert heading_source(source) == {"Trendy": "Trends"}


def test_case_changes_respect_the_language(own_catalogues: Path) -> None:
    from nbreport.i18n import first_upper, in_sentence

    assert in_sentence("Leads") == "leads" and in_sentence("CPA on search") == "CPA on search"
    assert first_upper("same month last year") == "Same month last year"
    assert first_upper("Vorjahresmonat der Kunden") == "Vorjahresmonat der Kunden"
    with language("zz"):
        assert in_sentence("Umsatz") == "Umsatz"  # German nouns keep their capital


def test_numbers_in_sentences_follow_the_language() -> None:
    from nbreport.i18n.numbers import decimal, whole

    assert (whole(1234.4), decimal(1234.5, 2)) == ("1,234", "1,234.50")
    with language("de"):
        assert (whole(1234.4), decimal(1234.5, 2)) == ("1.234", "1.234,50")
