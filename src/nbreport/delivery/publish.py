"""A link per client: a static portal, one folder per client holding only their own reports.

``nbreport publish [--to DIR] [--unguessable]`` writes, for a static host::

    portal/                       (default: outputs/portal)
      index.html                  an empty page, so that no host lists the client folders
      <client or token>/
        index.html                the client's past periods, in their language and branding
        2026-10/report.html  data.xlsx  data.zip
        2026-09/report.html ...

Only reports that passed the QA gate (the manifest's verdict) are published, and nothing of
one client ever reaches another's folder or is linked from it. With ``--unguessable`` each
folder is a random token (:func:`secrets.token_urlsafe`), the same at every publish: the
tokens are kept in ``outputs/portal-tokens.json``, outside the published tree.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_interval, format_skeleton
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from nbreport import __version__
from nbreport.batch.manifest import read_manifest
from nbreport.core.errors import ConfigError, ParamsError
from nbreport.core.files import write_atomic
from nbreport.core.layout import DATA_XLSX, DATA_ZIP, INDEX, REPORT_HTML, ProjectLayout
from nbreport.core.period import Period
from nbreport.i18n import _, babel_locale, current_language, language
from nbreport.params import ClientParams, load_client_params
from nbreport.params.schema import Branding
from nbreport.render.brand import brand_css_variables
from nbreport.render.meta import logo_data_uri
from nbreport.settings import Settings

PORTAL_FOLDER = "portal"  # under the outputs folder, unless --to names another
PORTAL_MARK = ".nbreport-portal"  # marks a folder publish may replace as a whole
PUBLISHED_FILES = (REPORT_HTML, DATA_XLSX, DATA_ZIP)
TOKEN_BYTES = 24  # 32 characters of URL-safe text: not to be guessed or enumerated


@dataclass(frozen=True)
class PublishedReport:
    """One period's report of a client, as published."""

    period: str
    label: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class PublishedClient:
    """A client's folder of the portal."""

    client_id: str
    folder: str
    reports: tuple[PublishedReport, ...]


def publish(settings: Settings, target: Path | None = None, *, unguessable: bool = False) -> list[PublishedClient]:
    """Write the portal to ``target`` (default ``outputs/portal``) and return what it holds.

    Raises
    ------
    ConfigError
        ``target`` holds something else than an earlier portal, or would hold the tokens file.
    """
    layout = ProjectLayout.of(settings)
    target = (target or layout.outputs_dir / PORTAL_FOLDER).resolve()
    _check_target(target, layout)
    reports = passing_reports(layout)
    tokens = portal_tokens(layout, sorted(reports)) if unguessable else {}
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_atomic(staging / PORTAL_MARK, "nbreport portal\n")
    write_atomic(staging / INDEX, _blank_page())
    published = [_client_folder(settings, staging, client_id, tokens.get(client_id, client_id), periods)
                 for client_id, periods in sorted(reports.items())]
    _replace(target, staging)
    return published


def passing_reports(layout: ProjectLayout) -> dict[str, list[tuple[str, str]]]:
    """Client -> (period folder, period label) of each report that passed the gate, newest first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for manifest_path in sorted(layout.manifests(), reverse=True):
        period_dir = manifest_path.parent
        manifest = read_manifest(period_dir)
        for client_id, entry in manifest.get("clients", {}).items():
            if _passed(entry) and layout.report_html(period_dir.name, client_id).is_file():
                label = manifest.get("period_label") or period_dir.name
                found.setdefault(client_id, []).append((period_dir.name, label))
    return found


def portal_tokens(layout: ProjectLayout, clients: list[str]) -> dict[str, str]:
    """Client -> its portal folder token, the stored one or a new one (then stored)."""
    path = layout.portal_tokens()
    tokens: dict[str, str] = {}
    if path.exists():
        try:
            tokens = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ConfigError(f"{path.name} in the outputs folder is not JSON ({exc}); restore it "
                              "from a backup, or delete it to give every client a new link") from None
        if not isinstance(tokens, dict):
            raise ConfigError(f"{path.name} in the outputs folder should map each client to its "
                              "token; restore it, or delete it to give every client a new link")
    missing = [client_id for client_id in clients if client_id not in tokens]
    for client_id in missing:
        tokens[client_id] = secrets.token_urlsafe(TOKEN_BYTES)
    if missing:
        write_atomic(path, json.dumps(tokens, indent=1, sort_keys=True) + "\n")
    return {client_id: tokens[client_id] for client_id in clients}


def _client_folder(settings: Settings, root: Path, client_id: str, folder: str,
                   periods: list[tuple[str, str]]) -> PublishedClient:
    layout = ProjectLayout.of(settings)
    reports = []
    for period, label in periods:
        files = tuple(name for name in PUBLISHED_FILES
                      if (layout.client_dir(period, client_id) / name).is_file())
        destination = root / folder / period
        destination.mkdir(parents=True)
        for name in files:
            write_atomic(destination / name, (layout.client_dir(period, client_id) / name).read_bytes())
        reports.append(PublishedReport(period, label, files))
    params = _params(settings, client_id)
    write_atomic(root / folder / INDEX, _client_index(settings, params, client_id, reports))
    return PublishedClient(client_id, folder, tuple(reports))


def _client_index(settings: Settings, params: ClientParams | None, client_id: str,
                  reports: list[PublishedReport]) -> str:
    """The client's page: their past periods, newest first, in their language and branding."""
    code = params.report.language if params else "en"
    with language(code):
        rows = [{"label": _period_label(report), "href": f"{report.period}/{REPORT_HTML}",
                 "xlsx": f"{report.period}/{DATA_XLSX}" if DATA_XLSX in report.files else None,
                 "zip": f"{report.period}/{DATA_ZIP}" if DATA_ZIP in report.files else None}
                for report in reports]
        branding = params.branding if params else None
        return _environment(settings.templates_dir).get_template("client.html.j2").render(
            _=_, lang=code, client=params.client.name if params else client_id, rows=rows,
            agency=branding.agency_name if branding else "", version=__version__,
            brand=brand_css_variables(*(_brand(branding))), logo=_logo(settings, params))


def _period_label(report: PublishedReport) -> str:
    """The period in the client's language ("Oktober 2026"); the manifest's label otherwise."""
    try:
        period = Period.parse(report.period)
    except ValueError:
        return report.label  # a period to date: its folder name is no period
    locale = babel_locale(current_language())
    if period.kind == "month":
        return format_skeleton("yMMMM", period.start, locale=locale)
    if period.kind == "quarter":
        return format_date(period.start, "QQQ y", locale=locale)
    if period.kind == "week":
        iso = period.start.isocalendar()
        return _("Week %(week)s, %(year)s", week=iso.week, year=iso.year)
    if period.kind == "year":
        return str(period.start.year)
    return format_interval(period.start, period.end, "yMMMd", locale=locale)


def _brand(branding: Any) -> tuple[str, str, str]:
    if branding is None:
        branding = Branding()  # a client no longer in params/: the default look
    return branding.primary_color, branding.accent_color, branding.font_family


def _logo(settings: Settings, params: ClientParams | None) -> str | None:
    if params is None or not params.branding.logo:
        return None
    try:
        return logo_data_uri(params.branding.logo, settings.project_dir)
    except (OSError, ValueError):
        return None  # the reports already say so; the portal page goes without a logo


def _params(settings: Settings, client_id: str) -> ClientParams | None:
    """The client's params for language and branding (``None``: a client no longer in params/)."""
    try:
        return load_client_params(client_id, settings.params_dir)
    except (ParamsError, ConfigError, OSError):
        return None


def _passed(entry: dict[str, Any]) -> bool:
    return entry.get("status") in ("ok", "recovered") and bool((entry.get("qa") or {}).get("passed"))


def _check_target(target: Path, layout: ProjectLayout) -> None:
    tokens = layout.portal_tokens().resolve()
    if tokens.is_relative_to(target):
        raise ConfigError(f"publishing to {target.name}/ would publish the client tokens "
                          f"({tokens.name}) with it; name a folder beside the outputs with --to")
    if target.exists() and any(target.iterdir()) and not (target / PORTAL_MARK).exists():
        raise ConfigError(f"{target} is not empty and holds no portal of nbreport; name an empty "
                          "or new folder with --to (publish replaces the whole folder)")


def _replace(target: Path, staging: Path) -> None:
    """Put the new portal in place of the old one in one rename (old files never linger)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _blank_page() -> str:
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="robots" '
            'content="noindex, nofollow"><title>Reports</title></head><body></body></html>\n')


def _environment(templates_dir: Path) -> Environment:
    return Environment(loader=FileSystemLoader([templates_dir / "portal", templates_dir]),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
