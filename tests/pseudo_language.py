"""A pseudo-language for tests: every catalogue message shown as ``⟦message⟧``.

A report rendered in it shows, at a glance, every word that did not come through the
catalogue: text outside the brackets is either a data value or a string nobody marked.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from nbreport.i18n.messages import extract_messages

PSEUDO = "qps"  # like Windows' qps-ploc: a code no real language uses
OPEN, CLOSE = "\u27e6", "\u27e7"


def bracketed(message: str) -> str:
    return f"{OPEN}{message}{CLOSE}"


def write_pseudo_catalogue(folder: Path) -> Path:
    """Write ``folder/qps/LC_MESSAGES/nbreport.po``; returns ``folder`` (for NBREPORT_LOCALE_PATH)."""
    pseudo = Catalog(domain="nbreport", charset="utf-8", fuzzy=False)
    for message in extract_messages():
        if not message.id:
            continue
        string = (tuple(bracketed(part) for part in message.id) if message.pluralizable
                  else bracketed(message.id))
        pseudo.add(message.id, string, flags=message.flags, context=message.context)
    path = folder / PSEUDO / "LC_MESSAGES" / "nbreport.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, pseudo)
    return folder
