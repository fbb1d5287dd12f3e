"""Load a language's message catalogue once per process, straight from its ``.po`` file.

The ``.po`` files are the only committed form: each is compiled in memory with Babel the
first time a process needs it (a few milliseconds), so there is no ``.mo`` to build or to
forget to rebuild.
"""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from nbreport.core.compute_cache import canonical_json
from nbreport.core.digests import file_sha256
from nbreport.core.errors import ParamsError, ParamsIssue

SOURCE_LANGUAGE = "en"
DOMAIN = "nbreport"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# Folders searched before nbreport's own catalogues (os.pathsep-separated): an agency's own
# wording or another language, without changing the package.
LOCALE_PATH_VARIABLE = "NBREPORT_LOCALE_PATH"


def locale_dirs() -> tuple[Path, ...]:
    """Where catalogues are looked for, first match wins: ``$NBREPORT_LOCALE_PATH``, then ours."""
    extra = os.environ.get(LOCALE_PATH_VARIABLE, "")
    return (*(Path(entry) for entry in extra.split(os.pathsep) if entry), LOCALE_DIR)


def catalogue_name(code: str) -> str:
    """The catalogue folder for a language as params write it: ``pt-BR`` -> ``pt_BR``."""
    return code.replace("-", "_")


def language_fingerprint(code: str) -> str:
    """The language ``code`` and a digest of every catalogue its words may come from: what a
    cached result written in that language must be keyed by (an edited translation is
    another key)."""
    names = dict.fromkeys((catalogue_name(code), code.split("-")[0]))
    catalogues = [folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
                  for folder in locale_dirs() for name in names]
    return canonical_json({"language": code,
                           "catalogues": [file_sha256(path) for path in catalogues if path.is_file()]})


def available_languages() -> tuple[str, ...]:
    """Every language with a catalogue, plus English (the source), as params write them."""
    found = (path.parent.parent.name for folder in locale_dirs()
             for path in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted({SOURCE_LANGUAGE, *(name.replace("_", "-") for name in found)}))


def babel_locale(code: str) -> Locale:
    """Babel's locale for a language code (``de`` -> ``de``, ``pt-BR`` -> ``pt_BR``); English
    for a language Babel has no data for (an agency's own catalogue under a private code)."""
    try:
        return Locale.parse(catalogue_name(code))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE_LANGUAGE)


@functools.cache
def translations(code: str) -> NullTranslations:
    """The compiled catalogue for ``code``; English is the text as written.

    A regional variant without a catalogue of its own falls back to its language
    (``de-AT`` -> ``de``; ``en-GB`` -> English). A language with no catalogue at all is an
    error naming ``report.language`` and the languages there are.
    """
    if code.split("-")[0] == SOURCE_LANGUAGE:
        return NullTranslations()
    for name in (catalogue_name(code), code.split("-")[0]):
        for folder in locale_dirs():
            path = folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            if path.is_file():
                return _compile(path, name)
    choices = ", ".join(available_languages())
    raise ParamsError("report.language", [ParamsIssue(
        "report.language",
        f"there is no translation of the report into '{code}'; choose one of: {choices}")])


def _compile(path: Path, name: str) -> Translations:
    with path.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)  # plural rules come from the file's header
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
