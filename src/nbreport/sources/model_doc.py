"""The canonical model as a Markdown document, generated from the code that defines it.

``docs/sources.md`` and ``nbreport metrics --columns`` print :func:`model_document`: per kind
its grain and key, and per canonical column its type, unit, whether the export must have it
(or what a missing value becomes), which metrics of the registry read it and which presets
fill it. Everything comes from :data:`~nbreport.sources.canonical.CANONICAL` and
:data:`~nbreport.sources.canonical.KEYS`, :data:`~nbreport.sources.presets.PRESETS` and
:data:`~nbreport.metrics.definitions.METRICS`, so the document cannot drift from the code
(a test compares the committed file with this output).
"""

from __future__ import annotations

from collections.abc import Iterable

from nbreport.metrics.definitions import HEALTH_SIGNALS, METRICS, Provider, SummedMetric, summed_inputs
from nbreport.sources.canonical import (
    CANONICAL,
    DAILY_KINDS,
    KEYS,
    MEASURES,
    SCORE_RANGES,
    Column,
)
from nbreport.sources.presets import PRESETS, Preset

REGENERATE = "nbreport metrics --columns > docs/sources.md"

_INTRO = f"""\
# The canonical model

<!-- Generated from src/nbreport/sources/canonical.py, presets.py and metrics/definitions.py.
     Do not edit by hand: run `make docs` (or `{REGENERATE}`). -->

Every source in a params file (`sources:`) is one export or one SQL query, mapped onto **one
table shape per kind** below. Metrics read these tables only, never an export's own column
names, so a report does not depend on which tool the numbers came from. A preset
(`preset: google_ads`) knows a tool's column names; `mapping.rename` maps any other export;
`transform:` steps can reshape an export first (filter, aggregate, pivot, join: see
[Your own data](../README.md#your-own-data)). Each loaded table also gets a `source`
column holding the source's name.

- **required**: the export (after `rename`, `constants` and `transform:`) must have the
  column; otherwise a missing column is filled with its default, and a blank cell becomes
  the default too (`mapping.if_blank` says otherwise: `error`, `drop`, `zero`, `keep`).
  *empty* means a missing value stays missing (never a made-up 0).
- **unit**: `day` is a calendar day as written in the export; `instant` is a time converted
  to UTC; `currency` is money in the client's currency (`currency` column: its ISO 4217
  code); `count` is a whole number of things.
- **grain**: no two rows of one source may share the key's values (`unique_key` on a source
  names a finer grain). A single identifier column is only checked where it is filled in.
- **metrics**: the registry's summed metrics that sum, count, filter or date rows by the
  column; after `->`, the ratios and signed sums computed from those (`nbreport metrics`
  gives each definition). A metric with several providers uses the first kind the client has.
"""


def model_document() -> str:
    """The whole Markdown document: the introduction, then one section per kind."""
    return _INTRO + "".join(kind_section(kind) for kind in CANONICAL)


def kind_section(kind: str) -> str:
    """One kind: its grain and key, then a table of its columns."""
    header = ("| column | type | unit | required or default | description | metrics | "
              "presets that fill it |\n|---|---|---|---|---|---|---|\n")
    rows = "".join(_row(kind, column) for column in CANONICAL[kind])
    return f"\n## {kind}\n\n{_grain(kind)}\n\n{header}{rows}"


def _grain(kind: str) -> str:
    key = KEYS[kind]
    lines = [f"Grain: one row per {' and '.join(f'`{name}`' for name in key)} "
             f"(key: {', '.join(key)})."]
    if kind in DAILY_KINDS:
        lines.append("A row for every day with activity: a missing day is flagged as a gap.")
    if kind in MEASURES:
        lines.append("Daily totals of " + ", ".join(f"`{m}`" for m in MEASURES[kind])
                     + " are watched for unusual days.")
    signals = [name for name, signal in HEALTH_SIGNALS.items() if kind in signal.kinds]
    if signals:
        lines.append("Health signals: " + ", ".join(f"`{name}`" for name in signals) + ".")
    presets = [name for name, preset in PRESETS.items() if preset.kind == kind]
    lines.append("Presets: " + (", ".join(f"`{name}`" for name in presets) or "none") + ".")
    return " ".join(lines)


def _row(kind: str, column: Column) -> str:
    cells = (f"`{column.name}`", column.type, unit_of(kind, column), _requirement(column),
             _description(column), _metrics_cell(kind, column.name),
             _presets_cell(kind, column.name))
    return "| " + " | ".join(_escape(cell) for cell in cells) + " |\n"


# --- units and rules ----------------------------------------------------------------------
def unit_of(kind: str, column: Column) -> str:
    """What a value of the column measures: from its type, its choices, or the unit of the
    registry's metrics that sum it."""
    if column.type == "date":
        return "day"
    if column.type == "datetime":
        return "instant"
    if column.name == "currency":
        return "ISO 4217 code"
    if column.choices:
        return "one of " + ", ".join(column.choices)
    if column.type == "str":
        return "text"
    if column.unit:
        return column.unit
    summed = {METRICS[name].unit for name in _direct_readers(kind, column.name)
              if _provider(name, kind).column == column.name}
    if summed:
        return "/".join(sorted(summed))
    return "count" if column.type == "int" else "number"


def _requirement(column: Column) -> str:
    if column.required:
        return "required"
    if column.default is None:
        return "optional (empty)"
    if column.default == "":
        return "optional (blank)"
    shown = f"{column.default:g}" if isinstance(column.default, float) else column.default
    return f"optional ({shown})"


def _description(column: Column) -> str:
    parts = [column.description.rstrip(".")] if column.description else []
    if column.name == "score":
        parts.append("ranges: " + ", ".join(f"{scale} {low}-{high}"
                                            for scale, (low, high) in SCORE_RANGES.items()))
    if column.non_negative:
        parts.append("never negative")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


# --- metrics ------------------------------------------------------------------------------
def _provider(metric: str, kind: str) -> Provider:
    found = METRICS[metric]
    assert isinstance(found, SummedMetric)
    return next(p for p in found.providers if p.kind == kind)


def _reads(provider: Provider, column: str) -> bool:
    """Whether a provider sums, dates or filters rows by ``column``."""
    return column in (provider.column, provider.date_column) or any(
        name == column for name, _ in provider.where)


def _direct_readers(kind: str, column: str) -> list[str]:
    """The summed metrics with a provider of ``kind`` that reads ``column``, registry order."""
    return [name for name, metric in METRICS.items() if isinstance(metric, SummedMetric)
            and any(p.kind == kind and _reads(p, column) for p in metric.providers)]


def column_readers(kind: str, column: str) -> tuple[list[str], list[str]]:
    """The summed metrics that read ``kind.column`` and the other metrics computed from them."""
    direct = _direct_readers(kind, column)
    built = [name for name, metric in METRICS.items() if not isinstance(metric, SummedMetric)
             and set(summed_inputs(name)) & set(direct)]
    return direct, built


def _metrics_cell(kind: str, column: str) -> str:
    direct, built = column_readers(kind, column)
    if not direct:
        return ""
    text = ", ".join(direct)
    return f"{text} -> {', '.join(built)}" if built else text


# --- presets ------------------------------------------------------------------------------
def preset_fills(preset: Preset, column: str) -> str:
    """How one preset fills ``column`` (its export columns, a constant, a derived time), or ''."""
    names = [export for export, target in preset.rename.items()
             if column in ((target,) if isinstance(target, str) else target)]
    text = ", ".join(f"`{name}`" for name in names)
    if column in preset.minutes_after:
        base, minutes = preset.minutes_after[column]
        text = ", ".join(filter(None, (text, f"{base} + `{minutes}` minutes")))
    if text:
        scale = preset.scale.get(column)
        return text + (f" x {scale:g}" if scale is not None else "")
    if column in preset.constants:
        return f"always '{preset.constants[column]}'"
    return ""


def _presets_cell(kind: str, column: str) -> str:
    return "; ".join(f"{name} ({fills})" for name, fills in _fills(kind, column))


def _fills(kind: str, column: str) -> Iterable[tuple[str, str]]:
    for name, preset in PRESETS.items():
        fills = preset_fills(preset, column) if preset.kind == kind else ""
        if fills:
            yield name, fills


def _escape(cell: str) -> str:
    """A table cell: pipes escaped, no line breaks."""
    return cell.replace("|", "\\|").replace("\n", " ")
