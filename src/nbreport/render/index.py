"""Index pages: one per period listing every client's report, and an archive of periods.

``outputs/<period>/index.html`` shows every client of the period with its status, its
headline numbers (status colour, change arrow) and links to its report (HTML, PDF);
every other period is one click away. ``outputs/index.html`` lists all periods, newest
first. Both are single self-contained files built from the manifests, with the same
building blocks as the reports (``templates/nbreport/static/blocks.css``). They are written in
the language in use (:func:`nbreport.i18n.language`; English unless a caller chooses another).
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from nbreport import __version__
from nbreport.batch.manifest import read_manifest
from nbreport.core.layout import INDEX, REPORT_HTML, REPORT_PDF, ProjectLayout, period_href
from nbreport.core.files import write_atomic
from nbreport.i18n import N_, _, babel_locale, current_language, in_sentence, ngettext
from nbreport.i18n.jinja import install_translations
from nbreport.qa.checks import REVIEWED

REPORT_FILES = {"html": REPORT_HTML, "pdf": REPORT_PDF}
STATUS_WORDS = {"ok": N_("Ready"), "failed": N_("Failed"), "invalid": N_("Invalid parameters"),
                "timeout": N_("Timed out"), "interrupted": N_("Interrupted"),
                "recovered": N_("Recovered (run killed before recording it)")}
# when an index page was updated: a Babel pattern, as each language writes it
UPDATED_AT = N_("dd MMMM y, HH:mm 'UTC'")
ARROWS = {"+": "\u25b2", "\u2212": "\u25bc", "-": "\u25bc"}


@functools.cache
def _environment(templates_dir: str) -> Environment:
    root = Path(templates_dir)
    return install_translations(Environment(
        loader=FileSystemLoader([root / "index", root]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True))


def write_period_index(period_dir: Path, templates_dir: Path) -> Path:
    """Write ``<period>/index.html`` from the period's manifest."""
    manifest = read_manifest(period_dir)
    rows = [_row(period_dir, client_id, entry) for client_id, entry in manifest["clients"].items()]
    html = _environment(str(templates_dir)).get_template("period.html.j2").render(
        period=manifest.get("period_label", period_dir.name), period_key=period_dir.name, rows=rows,
        counts=_counts(rows), updated=_short_time(manifest.get("updated_at", "")), version=__version__,
        lang=current_language(),
        archive_href=f"../{INDEX}", periods=_periods(period_dir.parent, current=period_dir.name,
                                                       prefix="../"))
    write_atomic(period_dir / INDEX, html)
    return period_dir / INDEX


def write_archive_index(outputs_dir: Path, templates_dir: Path) -> Path:
    """Write ``outputs/index.html`` linking every period that has a manifest, newest first,
    and refresh each period's page so that its list of periods includes every new one."""
    layout = ProjectLayout(outputs_dir)
    periods = _periods(outputs_dir)
    for period in periods:
        write_period_index(layout.period_dir(period["key"]), templates_dir)
    html = _environment(str(templates_dir)).get_template("archive.html.j2").render(
        periods=periods, updated=_now(), version=__version__, lang=current_language())
    write_atomic(layout.archive_index(), html)
    return layout.archive_index()


def _periods(outputs_dir: Path, *, current: str | None = None, prefix: str = "") -> list[dict[str, Any]]:
    """Every period folder with a manifest, newest first, with its counts and link."""
    periods = []
    for manifest_path in sorted(ProjectLayout(outputs_dir).manifests(), reverse=True):
        folder = manifest_path.parent.name
        manifest = read_manifest(manifest_path.parent)
        statuses = [entry.get("status") for entry in manifest["clients"].values()]
        periods.append({"href": f"{prefix}{folder}/{INDEX}", "key": folder,
                        "label": manifest.get("period_label", folder), "current": folder == current,
                        "clients": len(statuses), "ok": statuses.count("ok"),
                        "failed": len(statuses) - statuses.count("ok"),
                        "updated": _short_time(manifest.get("updated_at", ""))})
    return periods


def _row(period_dir: Path, client_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    # a successful run links what it published (an older PDF left beside a newer HTML-only
    # run is not offered); a failed one links whatever good report is still in place
    published = entry.get("files") or {}
    links = {kind: period_href(client_id, name) for kind, name in REPORT_FILES.items()
             if (period_dir / client_id / name).exists()
             and (entry["status"] != "ok" or kind in published)}
    return {
        "client_id": client_id,
        "name": entry.get("client_name") or client_id,
        "status": entry["status"],
        "href": links.get("html"),
        "pdf_href": links.get("pdf"),
        "stale": entry["status"] != "ok" and bool(links),
        "headline": [_headline(item) for item in entry.get("summary", {}).get("headline", [])],
        "finished": _short_time(entry.get("finished_at") or ""),
        "changed_since_sent": _changed_since_sent(period_dir, client_id),
        **card_status(entry),
    }


def _changed_since_sent(period_dir: Path, client_id: str) -> bool:
    """Whether the report was sent and a number of it reads differently now (a re-run after
    late data). The default formatter decides: currency and locale change the symbols and
    separators, never how many digits are shown."""
    from nbreport.core.formatting import Formatter
    from nbreport.delivery.diff import sent_copy_differs

    layout = ProjectLayout(period_dir.parent)
    return sent_copy_differs(layout, client_id, period_dir.name, Formatter())


def card_status(entry: dict[str, Any]) -> dict[str, str]:
    """The one status a client's card shows: "Ready to send", "Needs review: 2 draft
    sections" (a report the gate fails only for unreviewed drafts) or "Failed: <first reason>"
    (a run that failed, or a report the gate failed), with its colour."""
    status, qa = entry.get("status"), entry.get("qa") or {}
    if status == "recovered":  # on disk and checkable: its card says so beside its verdict
        found = card_status({**entry, "status": "ok"})
        return {**found, "card": f"{found['card']} · {_(STATUS_WORDS['recovered'])}"}
    if status != "ok":
        lines = ((entry.get("error") or {}).get("message") or "").strip().splitlines()
        word = STATUS_WORDS.get(str(status))
        why = [] if status == "failed" else [in_sentence(_(word) if word else str(status))]
        reason = ": ".join([*why, *lines[:1]] or [_("no report")])
        return {"card": _("Failed: %(reason)s", reason=reason),
                "card_colour": "red"}
    failed = qa.get("failed") or []
    review = (entry.get("summary") or {}).get("review") or {}
    drafts = review.get("drafts") or 0
    if not failed:
        return {"card": _("Ready to send") if qa else _("Produced, not checked yet"),
                "card_colour": "green" if qa else "amber"}
    if failed == [REVIEWED] and drafts and review.get("preview"):
        return {"card": ngettext("Needs review: %(n)s draft section",
                                 "Needs review: %(n)s draft sections", drafts),
                "card_colour": "amber"}
    return {"card": _("Failed: %(reason)s", reason=qa.get("first_reason") or ", ".join(failed)),
            "card_colour": "red"}


def _headline(item: dict[str, Any]) -> dict[str, Any]:
    """A headline number with its arrow and whether the change is good news (older
    manifests lack both: the arrow then follows the sign and the colour stays neutral)."""
    change = str(item.get("change", ""))
    # the status word is stored in English (the run summary's), shown in the index's language
    word = item.get("status_word")
    return {**item, "status_word": _(word) if word else word,
            "arrow": item.get("arrow") or ARROWS.get(change[:1], "\u25ac"),
            "trend": item.get("trend") or "flat", "status": item.get("status") or "none"}


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {status: sum(row["status"] == status for row in rows) for status in STATUS_WORDS}


def _short_time(iso: str) -> str:
    return iso[:16].replace("T", " ") + (" UTC" if iso else "")


def _now() -> str:
    return format_datetime(datetime.now(timezone.utc), _(UPDATED_AT), tzinfo=timezone.utc,
                           locale=babel_locale(current_language()))
