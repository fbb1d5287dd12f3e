"""The checks a report must pass before it may be shared with its client.

Each check is a small function from a :class:`ReportUnderCheck` to a
:class:`CheckResult`; :data:`CHECKS` lists them in the order the gate prints
them. They read what a client would receive (the HTML), what produced it (the
executed notebook and its run summary) and the client's parameters.
"""

from __future__ import annotations

import functools
import html as html_lib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbreport.qa.dom import Page

if TYPE_CHECKING:
    from nbreport.params import ClientParams

MIN_CODE_LINE = 12  # shorter code lines ("pass", "x = 1") may legitimately appear in prose
_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+", re.I)
# one data URI, never past a line break (strings() holds one attribute value per line)
_INLINE_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+", re.I)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")  # an image in a notebook's JSON, say
_TAG = re.compile(r"<[^>]+>")
_LOCAL_PATH = re.compile(
    r"(?<![\w.:/-])(?:/(?:home|root|tmp|Users|var|opt|srv|mnt|private|work|etc)/[^\s\"'<>]*"
    r"|[A-Za-z]:\\[^\s\"'<>]+)")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|ipython-input-|site-packages/|"
                        r"\x1b\[[0-9;]*m|-{20,}\s*\n?\s*\w+(?:Error|Exception)\b")
_ENV_REFERENCE = re.compile(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}|^env:([A-Za-z_][A-Za-z0-9_]*)$")


@dataclass(frozen=True)
class CheckResult:
    """One check on one report: passed or not, and what was found."""

    name: str
    passed: bool
    detail: str = ""


@dataclass
class ReportUnderCheck:
    """Everything the gate looks at for one client's report.

    Attributes
    ----------
    client_id:
        The client the report is for.
    html:
        The client HTML, exactly as it would be shared.
    notebook:
        The executed notebook (``None`` when it is missing).
    summary:
        The run summary the notebook displayed (see :mod:`nbreport.report.summary`).
    params:
        The parameters the report was produced with (``None`` when unknown).
    foreign_markers:
        Other client id -> that client's canary markers.
    secrets:
        Secret values that must appear nowhere (e.g. values of environment variables the
        params refer to).
    folder:
        The folder holding the report's files (the rows its numbers were computed from, among
        them); ``None`` when unknown.
    """

    client_id: str
    html: str
    notebook: Any = None
    summary: dict[str, Any] = field(default_factory=dict)
    params: ClientParams | None = None
    foreign_markers: dict[str, list[str]] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    folder: Path | None = None

    @functools.cached_property
    def scannable(self) -> str:
        """The HTML without embedded images (base64 can contain any letters by chance);
        worked out once, as every check reads it."""
        return without_embedded_data(self.html)

    @functools.cached_property
    def page(self) -> Page:
        """The HTML's elements, attributes, text and comments, as a browser reads them."""
        return Page.parse(self.scannable)

    @functools.cached_property
    def text(self) -> str:
        """What a reader sees: the HTML without tags, entities decoded."""
        return html_lib.unescape(_TAG.sub(" ", self.scannable))


def no_errored_cells(report: ReportUnderCheck) -> CheckResult:
    errors = [(index, output.get("ename", "error"))
              for index, cell in enumerate(getattr(report.notebook, "cells", []))
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    if report.notebook is None:
        return CheckResult("no errored cells", False, "the executed notebook is missing")
    detail = ", ".join(f"cell {index}: {name}" for index, name in errors)
    return CheckResult("no errored cells", not errors, detail)


def no_code(report: ReportUnderCheck) -> CheckResult:
    lines = {line.strip() for cell in getattr(report.notebook, "cells", [])
             if cell.get("cell_type") == "code" for line in cell.get("source", "").splitlines()
             if len(line.strip()) >= MIN_CODE_LINE}
    text = report.text
    found = sorted(line for line in lines if line in text)
    markers = [m for m in ("jp-InputArea", "input_area", 'class="highlight', "In&nbsp;[")
               if m in report.scannable]
    detail = "; ".join([*(f"code line '{line[:50]}'" for line in found[:3]), *markers])
    return CheckResult("no code", not found and not markers, detail)


def no_parameters(report: ReportUnderCheck) -> CheckResult:
    found = [m for m in ("injected-parameters", '"papermill"', "papermill_description", "params = {")
             if m in report.scannable]
    return CheckResult("no parameters", not found, ", ".join(found))


def no_tracebacks(report: ReportUnderCheck) -> CheckResult:
    match = _TRACEBACK.search(report.scannable)
    return CheckResult("no tracebacks", match is None, repr(match.group(0)[:40]) if match else "")


def no_local_paths(report: ReportUnderCheck) -> CheckResult:
    found = sorted(set(_LOCAL_PATH.findall(report.scannable)))
    return CheckResult("no local file paths", not found, ", ".join(found[:3]))


def no_secrets(report: ReportUnderCheck) -> CheckResult:
    # the page's strings without its images' data URIs: nine tenths of a page's characters,
    # read by nobody as text, and scanning them cost most of the gate's time
    strings = [_INLINE_DATA_URI.sub("", text) for text in report.page.strings()]
    found = find_secrets(report.scannable, report.secrets, strings)
    return CheckResult("no secrets", not found, ", ".join(found))


def no_foreign_markers(report: ReportUnderCheck) -> CheckResult:
    found = foreign_markers_in(report.scannable, report.foreign_markers)
    return CheckResult("no other client's data", not found, ", ".join(found))


def no_external_resources(report: ReportUnderCheck) -> CheckResult:
    """Nothing the page loads comes from elsewhere: the attributes and style sheets of its
    elements are read, not its text (commentary may quote ``<img src=https://...>``)."""
    found = report.page.remote_resources()
    return CheckResult("no external resources", not found, "; ".join(found[:3])[:200])


REVIEWED = "commentary reviewed"


def commentary_reviewed(report: ReportUnderCheck) -> CheckResult:
    """No unreviewed drafts (written or approved by the analyst: ``commentary.drafts:
    preview`` publishes them for the analyst, and fails here all the same) and no
    contradicted statements."""
    review = report.summary.get("review")
    if not isinstance(review, dict):
        return CheckResult(REVIEWED, False, "the run summary holds no commentary review")
    reasons = "; ".join(map(str, review.get("reasons") or []))
    return CheckResult(REVIEWED, bool(review.get("publishable")), reasons[:300])


def previewed_drafts(check: CheckResult, summary: dict[str, Any]) -> bool:
    """A failure that still lets the report be published: unreviewed drafts under
    ``commentary.drafts: preview``, published for the analyst to read; the period's gate
    fails the report all the same, so it is never sent (the index says "Needs review")."""
    review = summary.get("review") if isinstance(summary, dict) else None
    return (check.name == REVIEWED and isinstance(review, dict)
            and review.get("preview") is True)


def first_reason(failures: list[CheckResult]) -> str:
    """The first failed check in a line, for the index card ("Failed: ...")."""
    if not failures:
        return ""
    first = failures[0]
    return f"{first.name} ({first.detail})"[:200] if first.detail else first.name


def data_fresh(report: ReportUnderCheck) -> CheckResult:
    end = (report.summary.get("reported") or {}).get("end")
    lag = report.params.qa.max_data_lag_days if report.params else 2
    if not end:
        return CheckResult("data fresh", False, "the run summary does not say which days were reported")
    limit = date.fromisoformat(end) - timedelta(days=lag)
    covered = report.summary.get("coverage") or {}
    stale = []
    for source in report.summary.get("sources", []):
        # the last day the source's rows stand for: a monthly row dated 1 May holds all of May
        last = (covered.get(source["source"]) or {}).get("last") or source.get("last_date")
        if not last or date.fromisoformat(last) < limit:
            stale.append(f"{source['source']} ends {last}")
    return CheckResult("data fresh", not stale, "; ".join(stale))


def size_within_budget(report: ReportUnderCheck) -> CheckResult:
    budget_mb = report.params.qa.max_report_mb if report.params else 1.5
    size = len(report.html.encode("utf-8"))
    detail = f"{size / 1_000_000:.2f} MB (budget {budget_mb:g} MB)"
    return CheckResult("size within budget", size <= budget_mb * 1_000_000, detail)


def one_value_per_label(report: ReportUnderCheck) -> CheckResult:
    """No label names two different numbers for the same period (see :mod:`nbreport.qa.labels`)."""
    from nbreport.qa.labels import conflicting_labels, describe

    conflicts = conflicting_labels(report.scannable)
    return CheckResult("one value per label", not conflicts, describe(conflicts))


def numbers_recomputed(report: ReportUnderCheck) -> CheckResult:
    """Every KPI and headline number, recomputed from the stored rows (:mod:`nbreport.qa.truth`)."""
    from nbreport.qa.truth import TRUTH, verdict

    return CheckResult(TRUTH, *verdict(report.summary, report.params, report.folder))


def plain_language(report: ReportUnderCheck) -> CheckResult:
    """No statistics, library or settings jargon outside the appendix (:mod:`nbreport.qa.jargon`)."""
    from nbreport.qa.jargon import describe, find_jargon

    hits = find_jargon(report.scannable)
    return CheckResult("plain language", not hits, describe(hits))


def data_pack(report: ReportUnderCheck) -> CheckResult:
    """The data pack the report links is beside it, opens, and holds nothing of another
    client's and no secret (:mod:`nbreport.qa.data_pack`; passes when it links none)."""
    from nbreport.qa.data_pack import DETAIL_MAX, NAME, pack_problems

    def leaks(texts: list[str]) -> list[str]:
        joined = "\n".join(texts)
        return [*foreign_markers_in(joined, report.foreign_markers),
                *find_secrets(joined, report.secrets, strings=texts)]

    problems = pack_problems(report.folder, report.scannable, leaks)
    return CheckResult(NAME, not problems, "; ".join(problems)[:DETAIL_MAX])


CHECKS: tuple[Callable[[ReportUnderCheck], CheckResult], ...] = (
    no_errored_cells, no_code, no_parameters, no_tracebacks, no_local_paths, no_secrets,
    no_foreign_markers, no_external_resources, commentary_reviewed, data_fresh, size_within_budget,
    one_value_per_label, numbers_recomputed, plain_language, data_pack,
)


def check_report(report: ReportUnderCheck) -> list[CheckResult]:
    """Every check on one report, in the gate's order."""
    return [check(report) for check in CHECKS]


def without_embedded_data(text: str) -> str:
    """``text`` without data URIs and long base64 runs: encoded images can hold any string by
    chance (a credential pattern, a marker), and scanning them costs most of the gate's time."""
    return _BASE64_RUN.sub("", _DATA_URI.sub("", text))


def find_secrets(text: str, secrets: Iterable[str], strings: list[str] | None = None) -> list[str]:
    """Names of the secrets and kinds of credential in ``text`` (never the values).

    ``secrets`` are looked for in ``text`` as they are; credentials (detect-secrets' rules, see
    :mod:`nbreport.qa.secrets_scan`) in ``strings`` when given (an HTML page's text, attribute
    values and comments), else in ``text``.
    """
    from nbreport.qa.secrets_scan import credential_kinds

    found = [f"secret #{i + 1} of the params' environment variables"
             for i, secret in enumerate(secrets) if secret and len(secret) >= 4 and secret in text]
    return found + credential_kinds(strings if strings is not None else [text])


def foreign_markers_in(text: str, foreign: dict[str, list[str]]) -> list[str]:
    """``marker #2 of client-x`` for every other client's marker found in ``text`` (never the
    marker itself: a verdict must not copy another client's data where it is recorded)."""
    return [f"marker #{number} of {client}" for client, markers in sorted(foreign.items())
            for number, marker in enumerate(markers, start=1) if marker and marker in text]


def referenced_secrets(plain_params: Any, environ: dict[str, str] | None = None) -> list[str]:
    """Values of the environment variables a params tree refers to (see :func:`referenced_env_names`)."""
    environ = dict(os.environ) if environ is None else environ
    return [environ[name] for name in referenced_env_names(plain_params) if environ.get(name)]


def referenced_env_names(plain_params: Any) -> list[str]:
    """Names of the environment variables a params tree refers to.

    A reference is a value ``${env:NAME}`` or ``env:NAME``, or any value of a key whose name
    ends in ``_env`` (e.g. ``password_env: WAREHOUSE_PASSWORD``).
    """
    names: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for child_key, child in node.items():
                walk(child, str(child_key))
        elif isinstance(node, list):
            for child in node:
                walk(child, key)
        elif isinstance(node, str):
            if key.endswith("_env"):
                names.append(node)
            names.extend(a or b for a, b in _ENV_REFERENCE.findall(node))

    walk(plain_params)
    return list(dict.fromkeys(names))
