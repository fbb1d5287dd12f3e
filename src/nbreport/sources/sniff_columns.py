"""What an export's columns hold: dates and their possible formats, keys, mangled ids, micros,
a client column of a shared export, and which canonical column each one likely is.

The second half of sniffing (:mod:`nbreport.sources.sniff` tells how the rows are laid out).
Date formats are the data layer's own readings (:mod:`nbreport.sources.date_readings`), so a
format suggested here is one the reader takes; an ambiguous column lists its readings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from nbreport.sources.canonical import CANONICAL, KEYS
from nbreport.sources.date_readings import readings_of
from nbreport.sources.date_values import Distinct, human
from nbreport.sources.dates import CANDIDATES, read_days
from nbreport.sources.presets import PRESETS
from nbreport.sources.sniff import Layout, PresetMatch, Sample, match_preset, read_sample, sniff_layout
from nbreport.sources.transform_sql import SCIENTIFIC_ID

SCIENTIFIC = re.compile(SCIENTIFIC_ID)
TENANT_WORDS = {"client", "brand", "account", "advertiser", "tenant", "company", "customer",
                "property", "shop", "store", "mandant"}
STOPWORDS = {"of", "the", "number", "no", "nr", "in", "utc"}
CURRENCY_IN_NAME = re.compile(r"\s*[\[(]([A-Z]{3})[\])]\s*")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "created", "created at", "create date", "order date", "datetime",
             "timestamp", "ds", "reporting starts", "submit date", "survey date", "period"),
    "campaign": ("campaign", "campaign name", "campaign id"),
    "channel": ("channel", "source", "medium", "traffic source", "channel group", "via"),
    "campaign_type": ("campaign type", "advertising channel", "objective"),
    "impressions": ("impressions", "impr"),
    "clicks": ("clicks", "link clicks", "website clicks"),
    "spend": ("spend", "spent", "cost", "amount spent", "total spent", "cost micros"),
    "conversions": ("conversions", "conv", "purchases", "purchase", "results", "total conversion"),
    "conversion_value": ("conversion value", "conv value", "purchase value"),
    "currency": ("currency", "currency code"),
    "sessions": ("sessions", "visits"),
    "users": ("users", "total users", "visitors"),
    "new_users": ("new users",),
    "revenue": ("revenue", "sales", "order total", "total revenue", "total"),
    "order_id": ("order id", "order number"),
    "lead_id": ("lead id", "deal id", "opportunity id", "record id"),
    "stage": ("stage", "deal stage"),
    "close_date": ("close date", "closed at", "won date"),
    "amount": ("amount", "deal value", "value"),
    "score": ("score", "nps", "rating", "review score", "csat", "ces"),
    "scale": ("scale", "survey type"),
    "segment": ("segment", "market", "contract"),
    "comment": ("comment", "comments", "feedback", "message"),
    "response_id": ("response id", "review id", "id"),
    "ticket_id": ("ticket id", "ticket", "id"),
    "account_id": ("account id", "customer id", "account", "organization"),
    "status": ("status", "churn", "state"),
    "priority": ("priority",),
    "created_at": ("created at", "opened at"),
    "first_response_at": ("first response at", "first reply at"),
    "resolved_at": ("resolved at", "solved at"),
    "satisfaction": ("satisfaction", "satisfaction score"),
    "plan": ("plan", "internet service", "tier"),
    "mrr": ("mrr", "monthly charges", "monthly recurring revenue"),
    "seats": ("seats", "licenses"),
    "start_date": ("start date", "signup date"),
    "churn_date": ("churn date", "cancelled at"),
    "active_users": ("active users", "dau"),
    "key_actions": ("key actions", "events"),
}
"""Names a canonical column goes by in exports (with the presets' own names, and its own)."""


@dataclass(frozen=True)
class DateColumn:
    """A column of dates: the readings that read every value, one way each."""

    column: str
    formats: tuple[str, ...]  # every complete reading (one format each); one: unambiguous
    examples: tuple[str, ...]  # for each reading, what it makes of a disputed value
    partial: tuple[tuple[str, int, int], ...] = ()  # (format, rows it reads, rows) of the others

    @property
    def format(self) -> str | None:
        return self.formats[0] if len(self.formats) == 1 else None


@dataclass
class FileSniff:
    """Everything sniffed from one export."""

    path: Path
    layout: Layout
    sample: Sample
    preset: PresetMatch | None
    kind: str
    kind_evidence: str
    mapping: dict[str, str] = field(default_factory=dict)  # canonical -> export column
    dates: list[DateColumn] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # unique, never blank
    mangled_ids: list[str] = field(default_factory=list)
    micros: list[str] = field(default_factory=list)
    tenants: dict[str, list[str]] = field(default_factory=dict)  # column -> values seen
    currency: str | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return self.layout.header


def sniff_file(path: Path) -> FileSniff:
    """Sniff one export: layout, preset, kind, dates, keys and the canonical mapping."""
    layout = sniff_layout(path)
    sample = read_sample(path, layout)
    preset = match_preset(layout.header)
    if preset is not None:
        kind, evidence = preset.preset.kind, f"the {preset.preset.tool} export makes {preset.preset.kind} data"
        mapping = _beside_preset(preset, layout.header)
    else:
        kind, evidence, mapping = guess_kind(layout.header)
    found = FileSniff(path, layout, sample, preset, kind, evidence, mapping)
    found.dates = [d for name in layout.header if name and (d := date_column(name, sample.columns[name]))]
    dated = {d.column for d in found.dates}
    found.keys = [name for name, values in sample.columns.items()
                  if name not in dated and _unique(values) and _key_like(name, values)]
    found.mangled_ids = [name for name, values in sample.columns.items() if _mangled_id(name, values)]
    found.micros = [name for name in layout.header if "micros" in name.lower()]
    found.tenants = {name: values for name, values in
                     ((n, _tenant_values(n, v, sample.rows)) for n, v in sample.columns.items()) if values}
    currencies = {m.group(1) for name in layout.header if (m := CURRENCY_IN_NAME.search(name))}
    found.currency = currencies.pop() if len(currencies) == 1 else None
    return found


def _beside_preset(match: PresetMatch, header: tuple[str, ...]) -> dict[str, str]:
    """Canonical columns the preset leaves empty, from the columns it does not know."""
    preset = match.preset
    filled = {t if isinstance(t, str) else t[0] for k, t in preset.rename.items() if k in match.matched}
    filled |= set(preset.constants)
    rest = tuple(cell if cell not in match.matched else "" for cell in header)
    return {canonical: column for canonical, column in map_columns(rest, preset.kind).items()
            if canonical not in filled}


# --- names ---------------------------------------------------------------------------------
def words(name: str) -> tuple[str, ...]:
    """A column name as lower-case words: ``# of Website Clicks`` -> (website, clicks),
    ``customerID`` -> (customer, id), ``Spend [USD]`` -> (spend,)."""
    name = CURRENCY_IN_NAME.sub(" ", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return tuple(w for w in re.split(r"[^a-z0-9]+", name.lower()) if w and w not in STOPWORDS)


def _names_for(canonical: str) -> set[tuple[str, ...]]:
    names = {words(canonical.replace("_", " "))} | {words(s) for s in SYNONYMS.get(canonical, ())}
    for preset in PRESETS.values():
        for key, target in preset.rename.items():
            targets = (target,) if isinstance(target, str) else target
            if canonical in targets and not key.startswith("re:"):
                names.add(words(key))
    return {name for name in names if name}


def similarity(column: str, canonical: str) -> float:
    """How much an export column's name looks like a canonical column's (0 to 1)."""
    mine = words(column)
    if not mine:
        return 0.0
    best = 0.0
    for name in _names_for(canonical):
        if name == mine:
            return 1.0
        if set(name) <= set(mine):
            best = max(best, 0.6 + 0.3 * len(name) / len(mine))
        ratio = difflib.SequenceMatcher(None, " ".join(name), " ".join(mine)).ratio()
        if ratio >= 0.85:
            best = max(best, 0.8 * ratio)
    return best


def map_columns(header: tuple[str, ...] | list[str], kind: str, threshold: float = 0.6) -> dict[str, str]:
    """Canonical column -> export column, by name similarity, each export column used once."""
    scored = sorted(((similarity(column, canonical.name), -position, canonical.name, column)
                     for canonical in CANONICAL[kind]
                     for position, column in enumerate(header) if column), reverse=True)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for score, _, canonical, column in scored:
        if score >= threshold and canonical not in mapping and column not in used:
            mapping[canonical] = column
            used.add(column)
    return mapping


def guess_kind(header: tuple[str, ...] | list[str]) -> tuple[str, str, dict[str, str]]:
    """The kind whose required columns the header names best, with what was seen."""
    best: tuple[tuple[float, int], str, dict[str, str]] | None = None
    for kind in CANONICAL:
        mapping = map_columns(header, kind)
        required = [c.name for c in CANONICAL[kind] if c.required]
        # every kind has a date: what tells kinds apart is the other columns they name
        named = [name for name in mapping if name != "date"]
        score = (sum(2 if name in required else 1 for name in named),
                 sum(name in mapping for name in required) / len(required))
        if best is None or score > best[0]:
            best = (score, kind, mapping)
    assert best is not None
    (share, _), kind, mapping = best
    required = [c.name for c in CANONICAL[kind] if c.required]
    found = [name for name in required if name in mapping]
    evidence = (f"guessed: {len(found)} of its {len(required)} required columns named like the "
                f"export's ({', '.join(f'{mapping[n]} -> {n}' for n in found) or 'none'})")
    return kind, evidence, mapping


# --- values --------------------------------------------------------------------------------
def date_column(name: str, values: list[str], share: float = 0.95) -> DateColumn | None:
    """The complete readings of a column whose values read as dates, or None."""
    filled = [v for v in values if v]
    if not filled or all(re.fullmatch(r"-?\d{1,7}(?:\.\d+)?", v) for v in filled[:200]):
        return None  # plain numbers (ids, counts) are no dates, even when %Y%m%d-shaped ones fit
    column = Distinct.of(pa.array(values, pa.string()))
    parsed = {fmt: read_days(column.values, fmt, None) for fmt in CANDIDATES}
    readings = [r for r in readings_of(column, parsed) if len(r.formats) == 1]
    total = column.rows[~column.blank].sum()
    usable = [r for r in readings if column.rows[r.read & ~column.blank].sum() >= share * total]
    if not usable:
        return None
    complete = [r for r in usable if (r.read | column.blank).all()] or usable
    partial = tuple((r.formats[0], int(column.rows[r.read & ~column.blank].sum()), int(total))
                    for r in readings if (r.read | column.blank).all() is np.False_
                    and r.read.any() and r not in complete)
    distinct: list = []
    for reading in complete:
        if not any(((reading.days == other.days) | (np.isnat(reading.days) & np.isnat(other.days))).all()
                   for other in distinct):
            distinct.append(reading)
    example = _disputed(column, distinct)
    spoken = tuple(f"'{column.text(example)}' is {_day(r.days[example])} as {human(r.formats[0])}"
                   for r in distinct)
    return DateColumn(name, tuple(r.formats[0] for r in distinct), spoken, partial)


def _disputed(column: Distinct, readings: list) -> int:
    days = np.stack([r.days for r in readings])
    disputed = (days != days[0]).any(axis=0) if len(readings) > 1 else ~column.blank
    disputed &= ~column.blank
    return int(np.argmax(np.where(disputed, column.rows, -1)))


def _day(day: np.datetime64) -> str:
    if np.isnat(day):
        return "unread"
    value = day.astype("datetime64[D]").item()
    return f"{value.day} {value:%B %Y}"


def _unique(values: list[str]) -> bool:
    return bool(values) and all(values) and len(set(values)) == len(values)


def _key_like(name: str, values: list[str]) -> bool:
    """Named like an identifier, or holding text: a unique column of amounts is no key."""
    if set(words(name)) & {"id", "ids", "key", "number", "code", "ref", "name"} or name.lower().endswith("id"):
        return True
    return not all(re.fullmatch(r"-?[\d.,]+", v) for v in values[:1000])


def _mangled_id(name: str, values: list[str]) -> bool:
    """An id column (by its name) whose values a spreadsheet wrote as 1.23457E+11."""
    tokens = words(name)
    if not (tokens and (tokens[-1] in ("id", "ids") or name.lower().endswith("id"))):
        return False
    filled = [v for v in values if v]
    return bool(filled) and sum(bool(SCIENTIFIC.match(v)) for v in filled) >= 0.2 * len(filled)


def _tenant_values(name: str, values: list[str], rows: int) -> list[str]:
    """The few values of a column named like a client/brand/account column, or []."""
    if not set(words(name)) & TENANT_WORDS or words(name)[-1:] == ("id",) and len(words(name)) == 1:
        return []
    distinct = sorted({v for v in values if v})
    if 2 <= len(distinct) <= 30 and rows >= 2 * len(distinct):
        return distinct
    return []


def table_key_duplicates(found: FileSniff, columns: list[str]) -> int:
    """Rows whose values in ``columns`` repeat an earlier row's."""
    if not columns or any(c not in found.sample.columns for c in columns):
        return 0
    keys = list(zip(*(found.sample.columns[c] for c in columns)))
    return len(keys) - len(set(keys))


def kind_key_columns(found: FileSniff) -> list[str]:
    """The export columns that hold the kind's key, as the mapping (or preset) names them."""
    by_canonical = dict(found.mapping)
    if found.preset is not None:
        for cell in found.header:
            target = found.preset.preset.rename.get(cell)
            target = target if isinstance(target, str) or target is None else target[0]
            if target and target not in by_canonical:
                by_canonical[target] = cell
    return [by_canonical[name] for name in KEYS[found.kind] if name in by_canonical]
