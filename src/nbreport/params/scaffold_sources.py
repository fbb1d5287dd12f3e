"""The ``sources:`` of a new client's params, written from sniffed exports, each guess commented.

``nbreport new-client ID --from FILE...`` writes what :mod:`nbreport.sources.sniff_columns`
found in each file as YAML, with a comment saying what each guess was made from; what it
cannot guess is left as a commented TODO. Nothing here reads files itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from nbreport.sources.canonical import CANONICAL, KEYS
from nbreport.sources.date_values import human
from nbreport.sources.presets import PRESETS
from nbreport.sources.sniff_columns import FileSniff, kind_key_columns, table_key_duplicates, words

COMMENT_COLUMN = 34
DATE_TYPES = ("date", "datetime")
SCALE_WORDS = {"nps": "nps", "csat": "csat", "ces": "ces", "satisfaction": "csat", "effort": "ces"}


@dataclass(frozen=True)
class PlannedSource:
    """One sniffed export and where the params will say it is."""

    found: FileSniff
    name: str
    path: str  # relative to data/<client>/
    inside: bool  # already in data/<client>/ (else the user must put it there)
    lent: tuple[str, dict] | None = None  # (other client, its source's mapping) from --like


def q(value: object) -> str:
    """A YAML scalar, quoted when it has to be (a JSON string is a YAML double-quoted one)."""
    text = str(value)
    if isinstance(value, (int, float)) or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_ .\-]*", text) and \
            text.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n"):
        return text
    return json.dumps(text, ensure_ascii=False)


def line(indent: int, text: str, comment: str = "") -> str:
    body = " " * indent + text
    if not comment:
        return body
    return f"{body.ljust(COMMENT_COLUMN)}  # {comment}" if len(body) < COMMENT_COLUMN + 10 else \
        f"{body}  # {comment}"


def source_name(stem: str, taken: set[str]) -> str:
    """A slug from a file name, unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:56] or "source"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def render_sources(planned: list[PlannedSource], client_id: str) -> list[str]:
    """The ``sources:`` block (and an ``overlaps:`` block when two sources share a kind)."""
    lines = [f"# Files live in data/{client_id}/ ; paths below are relative to that folder.",
             "# Each setting below was guessed from the file; the comment says from what.",
             "sources:"]
    for plan in planned:
        lines += render_source(plan, client_id)
    lines += _overlaps(planned)
    return lines


def render_source(plan: PlannedSource, client_id: str) -> list[str]:
    found, layout = plan.found, plan.found.layout
    out = [line(2, f"- name: {plan.name}", f"from the file name {found.path.name}"),
           line(4, f"kind: {found.kind}", found.kind_evidence)]
    where = "" if plan.inside else f"put the file in data/{client_id}/ (it was not copied)"
    out.append(line(4, f"path: {q(plan.path)}", where))
    if found.preset is not None:
        out.append(line(4, f"preset: {found.preset.preset.name}", found.preset.evidence))
    out += _layout_lines(found)
    out += _key_lines(found)
    if plan.lent is not None:
        out.append(line(4, f"mapping: {json.dumps(plan.lent[1], ensure_ascii=False)}",
                        f"copied from {plan.lent[0]}'s source {plan.name}, which reads these columns"))
    else:
        out += _mapping_lines(found)
    out += _notes(found)
    return out


def _layout_lines(found: FileSniff) -> list[str]:
    layout = found.layout
    if layout.format != "csv":
        out = [] if layout.format == found.path.suffix.lstrip(".").lower() else [line(4, f"format: {layout.format}")]
    else:
        out = [line(4, f"delimiter: {q(layout.delimiter.value)}", layout.delimiter.evidence)]
        if layout.encoding.value != "utf-8":
            out.append(line(4, f"encoding: {layout.encoding.value}", layout.encoding.evidence))
        else:
            out.append(line(4, "# encoding: utf-8", f"the default; {layout.encoding.evidence}"))
    skip = int(layout.skip_rows.value or 0)
    marker = found.preset.preset.header_contains if found.preset else None
    if skip and marker and marker in layout.header:
        out.append(line(4, f"# skip_rows: {skip}", f"not needed: the preset finds the header row by "
                        f"its '{marker}' column below {layout.skip_rows.evidence}"))
    elif skip:
        out.append(line(4, f"skip_rows: {skip}", f"{layout.skip_rows.evidence}; if their number "
                        f"varies, use header_contains: {q(layout.header[0])} instead"))
    if found.sample.duplicates:
        out.append(line(4, f"# transform: [{{dedupe: all}}]", f"{found.sample.duplicates} rows repeat "
                        "an earlier row exactly: this step would drop them"))
    return out


def _key_lines(found: FileSniff) -> list[str]:
    key = kind_key_columns(found)
    repeats = table_key_duplicates(found, key) if len(key) == len(KEYS[found.kind]) else 0
    unique = [k for k in found.keys if k not in found.mangled_ids]
    out: list[str] = []
    if repeats and unique:
        out.append(line(4, f"unique_key: [{q(unique[0])}]",
                        f"{', '.join(key)} repeat in {repeats} rows (the {found.kind} grain is "
                        f"{', '.join(KEYS[found.kind])}); {unique[0]} is unique and never blank"))
    elif repeats and (pair := _unique_pair(found, key)):
        out.append(line(4, f"unique_key: [{q(pair)}]",
                        f"{', '.join(key)} repeat in {repeats} rows; with {pair} beside them "
                        "every row is unique"))
    elif repeats:
        out.append(line(4, "# unique_key: [TODO]", f"{', '.join(key)} repeat in {repeats} rows and no "
                        "column is unique: name the columns that identify a row"))
    if found.keys:
        scope = "" if found.sample.complete else f" in the first {found.sample.rows} rows"
        out.append(line(4, f"# likely key columns (unique and never blank{scope}): "
                        f"{', '.join(found.keys[:5])}"))
    for column in found.mangled_ids:
        out.append(line(4, f"# WARNING: '{column}' looks mangled to scientific notation by a "
                        "spreadsheet (e.g. 1.23457E+11): those ids lost digits, so rows may "
                        "share an id; export it again as text, or key the rows on another column"))
    return out


def _mapping_lines(found: FileSniff) -> list[str]:
    body: list[str] = []
    preset = found.preset.preset if found.preset else None
    body += _rename_lines(found)
    body += _date_lines(found)
    body += _scale_lines(found)
    body += _required_lines(found)
    body += _tenant_lines(found)
    if not [entry for entry in body if not entry.lstrip().startswith("#")]:
        return [line(4, "# mapping:")] + ["  " + entry for entry in body] if body else []
    return [line(4, "mapping:")] + body


def _rename_lines(found: FileSniff) -> list[str]:
    if not found.mapping:
        return []
    out = [line(6, "rename:")]
    for canonical, column in sorted(found.mapping.items(), key=lambda kv: found.header.index(kv[1])):
        said = "same name" if words(column) == words(canonical.replace("_", " ")) else \
            f"named like '{canonical}'"
        out.append(line(8, f"{q(column)}: {canonical}", said))
    known = found.preset.matched if found.preset else ()
    unused = [c for c in found.header if c and c not in found.mapping.values() and c not in known]
    if unused:
        out.append(line(8, f"# not mapped: {', '.join(unused[:12])}{', ...' if len(unused) > 12 else ''}"))
    return out


def _mapped_dates(found: FileSniff) -> list[tuple[str, str]]:
    """(canonical, export column) of the date and timestamp columns the source fills."""
    types = {c.name: c.type for c in CANONICAL[found.kind]}
    if found.preset is None:
        return [(name, column) for name, column in found.mapping.items() if types.get(name) in DATE_TYPES]
    out = [(name, column) for name, column in found.mapping.items() if types.get(name) in DATE_TYPES]
    for cell in found.header:
        target = found.preset.preset.rename.get(cell)
        target = target if isinstance(target, str) or target is None else target[0]
        if target and types.get(target) in DATE_TYPES:
            out.append((target, cell))
    return out


def _date_lines(found: FileSniff) -> list[str]:
    dates = {d.column: d for d in found.dates}
    preset = found.preset.preset if found.preset else None
    known = () if preset is None or preset.date_format is None else (
        (preset.date_format,) if isinstance(preset.date_format, str) else preset.date_format)
    formats: list[str] = []
    said: list[str] = []
    out: list[str] = []
    for canonical, column in _mapped_dates(found):
        sniffed = dates.get(column)
        if sniffed is None:
            continue
        if sniffed.format is None:
            out.append(line(6, f"# TODO date_format: '{column}' fits {len(sniffed.formats)} formats "
                            "and the file cannot tell which; look up a row in the tool and keep one:"))
            out += [line(6, f"#   date_format: {q(fmt)}", example)
                    for fmt, example in zip(sniffed.formats, sniffed.examples)]
            continue
        others = "; ".join(f"{human(fmt)} reads only {n} of {total} rows" for fmt, n, total in sniffed.partial)
        note = f"'{column}': every value reads as {human(sniffed.format)}, one way" + (
            f" ({others})" if others else "")
        if sniffed.format in known:
            out.append(line(6, f"# date_format: {q(sniffed.format)}", f"the preset's; {note}"))
        elif sniffed.format not in formats:
            formats.append(sniffed.format)
            said.append(note)
    if len(formats) == 1:
        out.insert(0, line(6, f"date_format: {q(formats[0])}", said[0]))
    elif formats:
        out.insert(0, line(6, f"date_format: [{', '.join(q(f) for f in formats)}]", "; ".join(said)))
    return out


def _scale_lines(found: FileSniff) -> list[str]:
    preset = found.preset.preset if found.preset else None
    out = []
    for column in found.micros:
        target = preset.rename.get(column) if preset is not None else None
        canonical = next((c for c, e in found.mapping.items() if e == column), None) or \
            (target if isinstance(target, str) else None)
        if preset is not None and canonical in preset.scale:
            continue
        if canonical:
            out.append(line(6, f"scale: {{{canonical}: 0.000001}}", f"'{column}' is in micros "
                            "(millionths of the currency)"))
        else:
            out.append(line(6, f"# scale: {{TODO: 0.000001}}", f"'{column}' is in micros: scale the "
                            "canonical column it maps to"))
    return out[:1] + [e for e in out[1:] if e.lstrip().startswith("#")]


def _required_lines(found: FileSniff) -> list[str]:
    filled = set(found.mapping) | {c for c, _ in _mapped_dates(found)}
    if found.preset is not None:
        preset = found.preset.preset
        filled |= {t if isinstance(t, str) else t[0] for k, t in preset.rename.items()
                   if k in found.header or k.startswith("re:")} | set(preset.constants)
    out = []
    for column in CANONICAL[found.kind]:
        if not column.required or column.name in filled:
            continue
        if column.name == "scale":
            scale = _scale_from_names(found)
            if scale:
                out.append(line(6, f"constants: {{scale: {scale}}}",
                                f"the score column's name or values fit {scale.upper()}"))
                continue
            out.append(line(6, "# TODO constants: {scale: nps}", "which scale the score is on: "
                            "nps (0-10), csat (1-5) or ces (1-7)"))
            continue
        out.append(line(6, f"# TODO: no column found for '{column.name}' (required): add "
                        f"\"<export column>\": {column.name} to rename, or constants: "
                        f"{{{column.name}: <value>}}"))
    if found.preset is not None and found.preset.preset.needs:
        out.append(line(6, f"# TODO: {found.preset.preset.needs}"))
    return out


def _unique_pair(found: FileSniff, key: list[str]) -> str | None:
    """A never-blank export column that, with the kind's key columns, tells every sampled row
    apart (a review covering two orders: review id and order id)."""
    columns = found.sample.columns
    keyed = [columns[k] for k in key if k in columns]
    if not keyed or len(keyed) != len(key):
        return None
    for name, values in columns.items():
        if name in key or name in found.mangled_ids or any(not v.strip() for v in values):
            continue
        rows = list(zip(*keyed, values))
        if len(set(rows)) == len(rows):
            return name
    return None


def _scale_from_names(found: FileSniff) -> str | None:
    """The survey scale a score column's name (or the file's) says, else its values' range."""
    column = found.mapping.get("score", "")
    for word in words(column) + words(found.path.stem):
        if word in SCALE_WORDS:
            return SCALE_WORDS[word]
    return _scale_from_values(found.sample.columns.get(column, []))


def _scale_from_values(values: list[str]) -> str | None:
    """csat when every score is a whole number from 1 to 5, ces 1-7, nps 0-10 (with a 0, or
    above 7); None when the values fit no scale or say too little (fewer than 20)."""
    scores = [float(v) for v in values if v.strip().lstrip("-").replace(".", "", 1).isdigit()]
    if len(scores) < 20 or any(s != int(s) for s in scores):
        return None
    low, high = min(scores), max(scores)
    if low >= 1 and high <= 5:
        return "csat"
    if low >= 1 and high <= 7:
        return "ces"
    return "nps" if low >= 0 and high <= 10 else None


def _tenant_lines(found: FileSniff) -> list[str]:
    out = []
    for column, values in found.tenants.items():
        shown = ", ".join(values[:5]) + (", ..." if len(values) > 5 else "")
        out += [line(6, f"# '{column}' holds {len(values)} values ({shown}): if this export holds "
                     "several clients, keep this client's rows with"),
                line(6, f"#   filter: {{{q(column)}: TODO}}", "(and shared: true when the file is "
                     "in data/_shared/), or the transform step - filter: {" + q(column) + ": TODO}")]
    return out


def _notes(found: FileSniff) -> list[str]:
    if found.currency:
        return [line(4, f"# the header names the currency {found.currency}: client.currency should "
                     "be the same")]
    return []


def _overlaps(planned: list[PlannedSource]) -> list[str]:
    by_kind: dict[str, list[str]] = {}
    for plan in planned:
        by_kind.setdefault(plan.found.kind, []).append(plan.name)
    groups = [names for names in by_kind.values() if len(names) > 1]
    if not groups:
        return []
    out = ["", "# Sources of one kind are never added up silently: parts are summed, alternatives",
           "# are the same rows twice (only the truth is summed). TODO: check the guess below.",
           "overlaps:"]
    out += [line(2, f"- {{sources: [{', '.join(names)}], relation: parts}}",
                 "guessed: different rows of one kind") for names in groups]
    return out


KIND_KPIS: dict[str, tuple[str, ...]] = {
    "ads": ("spend", "clicks", "cpc"), "web": ("sessions",), "orders": ("revenue", "orders"),
    "crm": ("leads", "deals_won"), "support": ("tickets",),
}


def render_kpis(planned: list[PlannedSource]) -> list[str]:
    """KPIs the sniffed sources can feed, without targets (the client's to set)."""
    metrics: list[str] = []
    for plan in planned:
        found = plan.found
        names = KIND_KPIS.get(found.kind, ())
        if found.kind == "survey":
            scale = _scale_from_names(found)
            names = (scale,) if scale else ()
        metrics += [m for m in names if m not in metrics]
    if not metrics:
        return ["kpis:                         # TODO: `nbreport metrics` lists the metric names;",
                "  - metric: TODO              # none of the sniffed kinds feeds a KPI on its own"]
    out = ["kpis:                         # from the kinds of the sources; `nbreport metrics` lists more"]
    for position, metric in enumerate(metrics):
        out += [f"  - metric: {metric}"] + (["    headline: true"] if position < 3 else [])
        out.append("    # target: TODO")
    return out
