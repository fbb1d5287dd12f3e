"""Keep the catalogues in step with the code: ``make messages`` (``python -m nbreport.i18n.messages``).

Babel extracts every marked message from the code, templates and master notebook
(``babel.cfg``); each language's ``.po`` file then gains the new messages (untranslated, for
the translator) and loses those no longer used. The template (``.pot``) is never written to
the repository: it is what the code says today, worked out again whenever needed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from nbreport.core.files import write_atomic
from nbreport.i18n.catalogues import DOMAIN, LOCALE_DIR

PROJECT_ROOT = LOCALE_DIR.parent.parent.parent  # src/nbreport/locale -> the project folder


def extract_messages(root: Path = PROJECT_ROOT) -> Catalog:
    """Every message the code, templates and master notebook mark, as a template catalogue."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(domain=DOMAIN, project="nbreport", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, comment_tags=("Translators:",), strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalogue_path(language: str) -> Path:
    """``src/nbreport/locale/<language>/LC_MESSAGES/nbreport.po``."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def update_catalogues(root: Path = PROJECT_ROOT, new: tuple[str, ...] = ()) -> dict[str, int]:
    """Bring each catalogue (and any ``new`` language) in step; returns untranslated counts."""
    template = extract_messages(root)
    languages = sorted({path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
                       | set(new))
    untranslated = {}
    for language in languages:
        path = catalogue_path(language)
        catalogue = read_catalogue(language) if path.is_file() else Catalog(
            locale=language, domain=DOMAIN, project="nbreport", charset="utf-8", fuzzy=False)
        # no fuzzy matching: a guess from a similar message would reach a client unreviewed
        catalogue.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        # no line numbers: a change elsewhere in a file does not touch the catalogues
        write_po(buffer, catalogue, width=100, ignore_obsolete=True, include_lineno=False)
        write_atomic(path, buffer.getvalue())
        untranslated[language] = sum(1 for message in catalogue if message.id and not _translated(message))
    return untranslated


def _translated(message: Message) -> bool:
    """Every form written: a plural message's string is a tuple, one entry per form."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


def main(argv: list[str]) -> int:
    counts = update_catalogues(new=tuple(argv))
    for language, missing in counts.items():
        print(f"{catalogue_path(language).relative_to(PROJECT_ROOT)}: "
              f"{missing or 'no'} message{'s' * (missing != 1)} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
