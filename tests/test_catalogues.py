"""Catalogue coverage: every message the code, templates and master notebook mark is translated,
in every language nbreport ships, with the same placeholders; no catalogue holds a message the
code no longer uses. `make messages` brings the catalogues in step."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog

from nbreport.i18n.messages import catalogue_path, extract_messages, read_catalogue

LANGUAGES = ("de", "pt_BR")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract_messages()


def _ids(catalogue: Catalog) -> set[object]:
    return {message.id for message in catalogue if message.id}


def test_the_code_marks_the_reports_words(template: Catalog) -> None:
    ids = _ids(template)
    assert len(ids) > 200, len(ids)
    assert {"Executive summary", "How this report was made"} <= ids  # the notebook's headings


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_in_the_catalogue_and_nothing_else(template: Catalog, language: str) -> None:
    assert catalogue_path(language).is_file(), f"run `make messages LANGUAGES={language}`"
    ids, wanted = _ids(read_catalogue(language)), _ids(template)
    missing, unused = wanted - ids, ids - wanted
    assert not missing, f"{len(missing)} messages missing: run `make messages`: {sorted(map(str, missing))[:10]}"
    assert not unused, f"{len(unused)} messages no longer used: run `make messages`: {sorted(map(str, unused))[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    problems = []
    for message in read_catalogue(language):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"not translated: {sources[0]!r}")
            continue
        wanted = set(_PLACEHOLDER.findall(sources[-1])) - {"n"}
        for string in strings:
            if set(_PLACEHOLDER.findall(string)) - {"n"} != wanted:
                problems.append(f"placeholders differ: {sources[0]!r} -> {string!r}")
    assert not problems, f"{len(problems)} problems in {language}:\n" + "\n".join(problems[:30])
