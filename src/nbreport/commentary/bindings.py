"""Values commentary can refer to: ``{{ revenue.change_pct }}``, ``{{ period.label }}``...

A small registry. Each domain registers, in one line, a function that returns its
results from the :class:`~nbreport.commentary.view.ReportFacts` — a dataclass, a mapping, or a
mapping of either — and every field becomes a placeholder. From
:mod:`nbreport.commentary.values`, which registers the values commentary can use::

    register_values("period", _period)                    # {{ period.label }}, {{ period.previous }}
    register_values("scorecard", _scorecard)              # {{ scorecard.on_target }}
    register_values("kpis", _kpis, flat=True)             # {{ revenue.change_pct }}

Values are formatted with the client's currency and locale. The unit of a field comes
from ``units`` when given (``"currency"``, ``"+percent"`` for a signed change...), else
from its name and type (``*_pct``: signed relative change; ``probability``, ``share``,
``*_rate``: percent; ``int``: count; ``str``: text; ``date``: date). A provider that
returns ``None`` contributes nothing; providers run only when a placeholder needs them.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from nbreport.core.errors import NbreportError
from nbreport.core.formatting import NOT_AVAILABLE, Formatter
from nbreport.i18n import _

if TYPE_CHECKING:
    from nbreport.commentary.view import ReportFacts

Units = Mapping[str, str] | Callable[[Any], Mapping[str, str]]
FILTERS = {
    "abs": "without its sign (\u201crose {{ revenue.change_pct|abs }}\u201d)",
    "lower": "in lower case (\u201c{{ cpa.label|lower }}\u201d)",
}
_MAX_DEPTH = 4


@dataclass(frozen=True)
class BoundValue:
    """One value a placeholder can show.

    Attributes
    ----------
    raw:
        The value itself: a number, text, a date or ``None``.
    unit:
        ``count``, ``currency``, ``percent``, ``multiple``, ``number``, ``text``, ``date``, or
        ``change`` (a relative change: ``+12.3%``; a signed ``percent`` is in points).
    signed:
        Show a sign (``+12.3%``): changes and differences.
    """

    raw: Any
    unit: str = "number"
    signed: bool = False

    def text(self, fmt: Formatter, filters: tuple[str, ...] = ()) -> str:
        """The value as the client reads it, after ``filters``."""
        raw, signed = self.raw, self.signed
        if "abs" in filters and isinstance(raw, int | float):
            raw, signed = abs(raw), False
        text = self._format(raw, signed, fmt)
        return text.lower() if "lower" in filters else text

    def _format(self, raw: Any, signed: bool, fmt: Formatter) -> str:
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            return NOT_AVAILABLE
        if self.unit == "date" and isinstance(raw, date):
            from babel.dates import format_date

            return format_date(raw, format="long", locale=fmt.locale)
        if self.unit == "text" or not isinstance(raw, int | float):
            return str(raw)
        if self.unit == "change":  # a relative change: "+12.3%", never percentage points
            return fmt.change(raw) if signed else fmt.value(raw, "percent")
        return fmt.difference(raw, self.unit) if signed else fmt.value(raw, self.unit)


@dataclass(frozen=True)
class ValueSource:
    """A registered provider of values."""

    name: str
    provider: Callable[[ReportFacts], Any]
    units: Units | None = None
    flat: bool = False  # the keys of the provider's mapping are top-level names (metric names)


VALUE_SOURCES: dict[str, ValueSource] = {}


def register_values(name: str, provider: Callable[[ReportFacts], Any], *, units: Units | None = None,
                    flat: bool = False) -> None:
    """Make the values ``provider(view)`` returns available to commentary as ``{{ name.field }}``.

    Parameters
    ----------
    name:
        The first part of the placeholders (ignored when ``flat``).
    provider:
        Returns a dataclass, a mapping or a mapping of them; ``None`` for nothing.
    units:
        Field name -> unit (``"currency"``; ``"+currency"`` for a signed difference), or a
        function of the object that returns such a mapping.
    flat:
        The provider returns a mapping whose keys are top-level names, as the KPIs do
        (``{{ revenue.actual }}``).
    """
    VALUE_SOURCES[name] = ValueSource(name, provider, units, flat)


class UnknownPlaceholder(NbreportError, KeyError):
    """No value is registered under a name; ``suggestion`` is the closest known name."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        super().__init__(name)
        self.name = name
        self.suggestion = suggestion


class Bindings:
    """The values of one report, looked up by placeholder name, computed on first use."""

    def __init__(self, view: ReportFacts, sources: Mapping[str, ValueSource] | None = None) -> None:
        self.view = view
        self.fmt: Formatter = view.fmt
        self._sources = dict(VALUE_SOURCES if sources is None else sources)
        self._values: dict[str, dict[str, BoundValue]] = {}

    def get(self, name: str) -> BoundValue:
        """The value of ``name`` (e.g. ``revenue.change_pct``); :class:`UnknownPlaceholder` if none."""
        head = name.split(".", 1)[0]
        candidates = [s for s in self._sources.values() if s.flat or s.name == head]
        for source in candidates:
            if name in (values := self._source_values(source)):
                return values[name]
        close = difflib.get_close_matches(name, self.names(), n=1, cutoff=0.6)
        raise UnknownPlaceholder(name, close[0] if close else None)

    def text(self, name: str, filters: tuple[str, ...] = ()) -> str:
        return self.get(name).text(self.fmt, filters)

    def names(self) -> list[str]:
        """Every placeholder name this report can fill, sorted."""
        return sorted(name for source in self._sources.values() for name in self._source_values(source))

    def _source_values(self, source: ValueSource) -> dict[str, BoundValue]:
        if source.name not in self._values:
            result = source.provider(self.view)
            values: dict[str, BoundValue] = {}
            if result is not None:
                if source.flat:
                    for key, item in dict(result).items():
                        _flatten(str(key), item, source.units, values, 0)
                else:
                    _flatten(source.name, result, source.units, values, 0)
            self._values[source.name] = values
        return self._values[source.name]


def _flatten(prefix: str, item: Any, units: Units | None, out: dict[str, BoundValue], depth: int) -> None:
    if isinstance(item, BoundValue):
        out[prefix] = item
        return
    if depth >= _MAX_DEPTH:
        return
    fields = _fields(item)
    if fields is None:
        return
    unit_map = (units(item) if callable(units) else units) or {}
    for key, value in fields.items():
        name = f"{prefix}.{key}"
        if _fields(value) is not None or isinstance(value, BoundValue):
            _flatten(name, value, units, out, depth + 1)
        else:
            out[name] = _bound(key, value, unit_map.get(key))


def _fields(item: Any) -> dict[str, Any] | None:
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    if isinstance(item, Mapping):
        return {str(k): v for k, v in item.items()}
    if isinstance(item, list | tuple):
        return {"count": len(item), **{str(i + 1): v for i, v in enumerate(item)}}
    return None


def _bound(key: str, value: Any, unit: str | None) -> BoundValue:
    if unit is not None:
        return BoundValue(value, unit.lstrip("+"), unit.startswith("+"))
    if isinstance(value, bool):
        return BoundValue(_("yes") if value else _("no"), "text")
    if isinstance(value, datetime | date):
        return BoundValue(value if not isinstance(value, datetime) else value.date(), "date")
    if isinstance(value, int):
        return BoundValue(value, "count")
    if isinstance(value, float):
        if key.endswith("_pct") or key in ("change", "growth"):
            return BoundValue(value, "change", signed=True)
        if key in ("attainment", "probability", "share", "rate") or key.endswith(
                ("_rate", "_share", "_probability")):
            return BoundValue(value, "percent")
        return BoundValue(value, "number", signed=key.endswith(("_abs", "_diff", "_delta")))
    return BoundValue(None if value is None else str(value), "text")
