"""Each demo report rendered in every shipped language and in a pseudo-language shows none of
nbreport's fixed text in English: every word comes from the catalogue or is the client's data.

The pseudo-language (``⟦message⟧`` for every message) finds words nobody marked for
translation, which a real catalogue cannot: an unmarked string reads the same in every
language. The real languages then show that the catalogues leave no English behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbreport.i18n.catalogues import LOCALE_PATH_VARIABLE, translations
from nbreport.i18n.messages import extract_messages, read_catalogue
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS, copy_project
from tests.pseudo_language import CLOSE, OPEN, PSEUDO, write_pseudo_catalogue
from tests.report_words import WORD, calendar_words, data_words, visible_texts, words_of

pytestmark = pytest.mark.kernel

PERIOD = "2026-10"
LANGUAGES = {"de": "de", "pt-BR": "pt_BR"}
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
# Client locales of the demo (their calendar words may show in dates) and the pseudo-language's
# stand-in for dates (English: Babel has no data for it).
CALENDARS = ("en", "de", "pt_BR")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> dict[str, Settings]:
    """The demo reports of October in German, Brazilian Portuguese and the pseudo-language."""
    from nbreport.batch import run_batch

    catalogues = write_pseudo_catalogue(tmp_path_factory.mktemp("pseudo-locale"))
    projects = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LOCALE_PATH_VARIABLE, str(catalogues))
        translations.cache_clear()
        for language in (*LANGUAGES, PSEUDO):
            settings = copy_project(tmp_path_factory.mktemp(f"in-{language}") / "project", demo_data_dir)
            outcome = run_batch(settings, list(DEMO_CLIENTS),
                                overrides={"period": PERIOD, "report.language": language})
            assert outcome.exit_code == 0, [result.error for result in outcome.results]
            projects[language] = settings
    translations.cache_clear()
    return projects


def _report(settings: Settings, client_id: str) -> Path:
    return settings.outputs_dir / PERIOD / client_id / "report.html"


def outside_messages(texts: list[str]) -> list[tuple[str, str]]:
    """``(text outside any message, the node it is in)`` for each node, reading the nodes in
    order: a message's brackets may open in one node and close in a later one (markup inside
    a message), and messages nest (a message filled in with another)."""
    depth, found = 0, []
    for text in texts:
        outside = []
        for char in text:
            if char == OPEN:
                depth += 1
            elif char == CLOSE:
                depth = max(depth - 1, 0)
            elif depth == 0:
                outside.append(char)
        found.append(("".join(outside), text))
        depth = 0 if text is texts[-1] else depth
    return found


@pytest.mark.parametrize("client_id", DEMO_CLIENTS)
def test_every_word_of_the_report_comes_from_the_catalogue_or_the_clients_data(
        rendered: dict[str, Settings], client_id: str) -> None:
    settings = rendered[PSEUDO]
    report = _report(settings, client_id)
    allowed = data_words(settings.project_dir, client_id, PERIOD, report.parent) | calendar_words(*CALENDARS)
    stray = {}
    for outside, text in outside_messages(visible_texts(report.read_text(encoding="utf-8"))):
        words = [word for word in words_of(outside) if word.lower() not in allowed]
        if words:
            stray[" ".join(words)] = text[:120]
    assert not stray, f"{len(stray)} texts not from the catalogue:\n" + "\n".join(
        f"  {words!r} in {text!r}" for words, text in sorted(stray.items())[:40])


def _english_fragments(catalogue_language: str) -> set[str]:
    """The English pieces (between placeholders) of every message the language translates
    differently, at least two words long."""
    translated = {message.id: message.string for message in read_catalogue(catalogue_language)}
    fragments = set()
    for message in extract_messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not message.id or translated.get(message.id) in (message.id, None):
            continue
        strings = translated[message.id]
        kept = " ".join(strings if isinstance(strings, tuple) else (strings,)).lower()
        for piece in (part for text in ids for part in _PLACEHOLDER.split(text)):
            piece = piece.strip(" .,:;()-\u2013").lower()
            # words the translation itself keeps are the language's own (German "Customer Success")
            if len(WORD.findall(piece)) >= 2 and piece not in kept:
                fragments.add(piece)
    return fragments


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("client_id", DEMO_CLIENTS)
def test_no_fixed_text_is_left_in_english(rendered: dict[str, Settings], language: str,
                                          client_id: str) -> None:
    settings = rendered[language]
    report = _report(settings, client_id)
    html = report.read_text(encoding="utf-8")
    assert f'lang="{language}"' in html
    own = data_words(settings.project_dir, client_id, PERIOD, report.parent)
    fragments = {piece for piece in _english_fragments(LANGUAGES[language])
                 if not set(WORD.findall(piece)) <= own}
    left = {(piece, text[:120]) for text in visible_texts(html) for piece in fragments
            if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text.lower())}
    assert not left, f"{len(left)} English texts in the {language} report:\n" + "\n".join(
        f"  {piece!r} in {text!r}" for piece, text in sorted(left)[:40])
