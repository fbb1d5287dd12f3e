"""The client's language: every word a client reads comes from a message catalogue.

The report's fixed text is written in English in the code and templates, marked for
translation:

* ``_("Next steps")`` translates now, in the language in use;
* ``ngettext("%(n)s day", "%(n)s days", n)`` picks the plural form the language needs;
* ``N_("On target")`` only marks a module-level constant for extraction; translate it where
  it is shown, with ``_(STATUS_WORDS[status])``.

The language in use is per context (a ``ContextVar``): a report kernel sets it once from
``report.language``; the index and e-mails set it per client with :func:`language`.
Catalogues are ``src/nbreport/locale/<language>/LC_MESSAGES/nbreport.po`` (``make messages``
extracts and updates them with Babel; see ``docs/translating.md``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from nbreport.i18n.catalogues import (
    SOURCE_LANGUAGE,
    available_languages,
    babel_locale,
    catalogue_name,
    translations,
)

__all__ = [
    "N_", "SOURCE_LANGUAGE", "_", "available_languages", "babel_locale", "catalogue_name",
    "current_language", "first_upper", "in_sentence", "language", "ngettext", "use_language",
]

_CURRENT: ContextVar[str] = ContextVar("nbreport_language", default=SOURCE_LANGUAGE)


def current_language() -> str:
    """The language in use, as the params write it (``en``, ``de``, ``pt-BR``)."""
    return _CURRENT.get()


def use_language(code: str) -> None:
    """Use ``code`` from now on in this context (a report kernel calls this once)."""
    translations(code)  # an unknown language fails here, not at the first word
    _CURRENT.set(code)


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    """Use ``code`` inside the ``with`` block (one client's index card or e-mail)."""
    translations(code)
    token = _CURRENT.set(code)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _(message: str, **values: Any) -> str:
    """``message`` in the language in use; ``%(name)s`` placeholders filled from ``values``."""
    text = translations(_CURRENT.get()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes; ``%(n)s`` and ``values`` filled."""
    text = translations(_CURRENT.get()).ngettext(singular, plural, n)
    return text % {"n": n, **values}


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for the catalogue without translating it (module-level constants)."""
    return message


def in_sentence(text: str) -> str:
    """``text`` (a label, a note) as it reads inside a sentence: ``Leads`` -> ``leads`` in
    English, acronyms (``CPA``) kept; unchanged in other languages (German nouns keep their
    capital letter)."""
    if not text or current_language().split("-")[0] != SOURCE_LANGUAGE:
        return text
    return text if text.split(" ")[0].isupper() else text[:1].lower() + text[1:]


def first_upper(text: str) -> str:
    """``text`` with a capital first letter and the rest as written (``capitalize`` would
    lower-case a German noun)."""
    return text[:1].upper() + text[1:]
