"""The gate recomputes the numbers: every KPI and headline tile, checked against the rows.

For every KPI of the run summary the gate recomputes the actual, previous-period and
last-year values from the canonical rows stored beside the report, through the SQL path of
:mod:`nbreport.qa.recompute` (nothing shared with :mod:`nbreport.metrics` but the registry),
over the periods the report *should* have used:

* the reported period (``summary["reported"]``, which must be the params' period, cut at
  ``as_of``);
* for a complete period, the whole previous period and the whole same period last year
  (:meth:`~nbreport.core.period.Period.previous`,
  :meth:`~nbreport.core.period.Period.same_period_last_year`); for a partial one, their
  first N days, N being the days reported.

It fails the report on any difference beyond display rounding (naming the KPI, both values and
the period), on comparison bounds other than those, and on a missing value passed off as zero
or a zero passed off as missing: a comparison stored as null must have no rows in its period
and lie outside its sources' data, a stored comparison without rows must lie inside them.
The headline tiles (formatted text) must read as the recomputed numbers, formatted.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Any, get_args

from nbreport.core.errors import NbreportError
from nbreport.core.formatting import NOT_AVAILABLE, Formatter
from nbreport.metrics.definitions import METRICS
from nbreport.core.period import Period, PeriodKind
from nbreport.qa.truth_kpi import Truth
from nbreport.qa.recompute import (
    Evidence,
    EvidenceError,
    Recomputed,
    SourceRows,
    columns_needed,
)

if TYPE_CHECKING:
    from pathlib import Path

    from nbreport.params import ClientParams

TRUTH = "numbers recomputed"
SHOWN = 6  # problems spelled out in the verdict; the others are counted
STORED = {"now": "actual", "previous": "previous", "last_year": "last_year"}
NAMES = {"now": "reported period", "previous": "previous period",
         "last_year": "same period last year"}
_SHOWN_AS_NUMBER = re.compile(r"^\s*[+\-\u2212\u00b1]?\s*\S?\s*\d")  # "+12.3%", "-$4", "±0.0%"


class SummaryError(NbreportError, ValueError):
    """The run summary lacks what the check needs; the message names the key."""


def verdict(summary: dict[str, Any], params: ClientParams | None,
            folder: Path | None) -> tuple[bool, str]:
    """Whether every KPI and headline number of the run summary matches the stored rows, and
    what differs (the gate's "numbers recomputed" check)."""
    import duckdb

    if not summary.get("kpis") and not summary.get("headline"):
        return True, "no KPIs to recompute"
    try:
        problems = truth_problems(summary, params, folder)
    except (SummaryError, EvidenceError) as exc:
        return False, str(exc)
    except duckdb.Error as exc:
        return False, f"the stored rows could not be queried: {exc}"[:300]
    except Exception as exc:  # noqa: BLE001 - the gate fails closed, it never crashes on a report
        return False, f"could not recompute: {type(exc).__name__}: {exc}"[:300]
    shown = "; ".join(problems[:SHOWN])
    if len(problems) > SHOWN:
        shown += f" (and {len(problems) - SHOWN} more)"
    return not problems, shown


def truth_problems(summary: dict[str, Any], params: ClientParams | None,
                   folder: Path | None) -> list[str]:
    """Every difference between the run summary and the rows, as a sentence each."""
    if folder is None:
        raise SummaryError("the folder holding the report's files is unknown")
    if params is None:
        raise SummaryError("the report's parameters are unknown (no papermill record in the "
                           "notebook)")
    full, reported = periods_of(summary)
    problems = period_problems(full, reported, params)
    expected = expected_periods(full, reported)
    kpis: list[dict[str, Any]] = list(summary.get("kpis") or [])
    problems += kpi_list_problems(kpis, params)
    sources = _list(summary, "sources")
    grains = {spec.name: spec.grain for spec in params.sources if spec.grain != "auto"}
    metrics = [_metric_of(kpi, f"kpis[{index}]") for index, kpi in enumerate(kpis)]
    columns = columns_needed(metrics, {str(s.get("kind")) for s in sources})
    with Evidence(folder, columns, grains, set_aside=params.alternatives) as evidence:
        # the sources of the kinds the KPIs read: the rows stored must be those the report read
        problems += provenance_problems([s for s in sources if s.get("kind") in columns],
                                        evidence.sources)
        fmt = Formatter(params.client.currency, params.client.locale)
        truths: dict[str, Truth] = {}
        for index, (kpi, metric) in enumerate(zip(kpis, metrics)):
            result = evidence.recompute(metric, expected, _source_for(params, index, metric))
            truth, found = judge_kpi(kpi, result, expected, evidence.sources, fmt)
            truths.setdefault(metric, truth)
            problems += found
    return problems + headline_problems(_list(summary, "headline"), truths, fmt)


def periods_of(summary: dict[str, Any]) -> tuple[Period, Period]:
    """The full period and the reported period the run summary says the report covers."""
    full = summary.get("full_period")
    if not isinstance(full, dict):
        raise SummaryError("the run summary does not record its full period (full_period)")
    kind = full.get("kind")
    if kind not in get_args(PeriodKind):
        raise SummaryError(f"the run summary's full_period has an unknown kind {kind!r}")
    start, end = _day(full, "start", "full_period"), _day(full, "end", "full_period")
    if end < start:
        raise SummaryError(f"the run summary's full_period ends ({end}) before it starts ({start})")
    return Period(start, end, kind), _span(summary.get("reported"), "reported")


def expected_periods(full: Period, reported: Period) -> dict[str, Period]:
    """``now``, ``previous`` and ``last_year`` as the report must compare them: whole periods
    for a complete period, their first ``reported.days`` days for a partial one."""
    previous, last_year = full.previous(), full.same_period_last_year()
    if (reported.start, reported.end) != (full.start, full.end):
        previous = _first_days(previous, reported.days)
        last_year = _first_days(last_year, reported.days)
    return {"now": reported, "previous": previous, "last_year": last_year}


def period_problems(full: Period, reported: Period, params: ClientParams) -> list[str]:
    """The summary's periods against the parameters the report was produced with."""
    problems = []
    if _bounds(full) != _bounds(params.period):
        problems.append(f"the run summary's full period {_bounds(full)} is not the params' period "
                        f"{_bounds(params.period)}")
    if _bounds(reported) != _bounds(params.report_period):
        problems.append(f"the run summary's reported period {_bounds(reported)} is not the params' "
                        f"{_bounds(params.report_period)}")
    return problems


def kpi_list_problems(kpis: list[dict[str, Any]], params: ClientParams) -> list[str]:
    stored = [kpi.get("metric") for kpi in kpis]
    wanted = [kpi.metric for kpi in params.kpis]
    if stored == wanted:
        return []
    return [f"the run summary's KPIs {', '.join(map(str, stored)) or 'none'} are not the params' "
            f"{', '.join(wanted) or 'none'}"]


def provenance_problems(sources: list[dict[str, Any]], rows: dict[str, SourceRows]) -> list[str]:
    """Each source's rows and first and last day, as the summary records them, against the rows
    stored (so that the stored rows are those the report read)."""
    problems = []
    for record in sources:
        name = str(record.get("source"))
        found = rows.get(name)
        stored = (found.rows, _iso(found.first), _iso(found.last)) if found else (0, None, None)
        recorded = (record.get("rows_used"), record.get("first_date"), record.get("last_date"))
        if stored != recorded:
            problems.append(f"source {name}: the report used {recorded[0]} rows from {recorded[1]} "
                            f"to {recorded[2]}, the stored rows hold {stored[0]} from {stored[1]} "
                            "to "
                            f"{stored[2]}")
    unknown = sorted(set(rows) - {str(record.get("source")) for record in sources})
    if unknown:
        problems.append("the stored rows hold sources the report does not list: "
                        + ", ".join(unknown))
    return problems


def judge_kpi(kpi: dict[str, Any], result: Recomputed, expected: dict[str, Period],
              sources: dict[str, SourceRows], fmt: Formatter) -> tuple[Truth, list[str]]:
    """One KPI of the summary against its recomputation: bounds, inputs, values, changes."""
    metric = result.metric
    unit = METRICS[metric].unit
    periods = kpi.get("periods")
    if not isinstance(periods, dict):
        raise SummaryError(f"the run summary does not record the periods of KPI {metric} (periods)")
    problems = bounds_problems(metric, periods, expected) + input_problems(kpi, result)
    values: dict[str, float | None] = {}
    for key, period in expected.items():
        missing = missing_because(result, key, period, sources)
        recomputed = result.values[key]
        values[key] = truth = None if missing else recomputed
        where = f"{metric} {NAMES[key]} {_text(period)}"
        stored = _stored_number(kpi, STORED[key], metric)
        if periods.get(key) is None and stored is not None:
            problems.append(f"{where}: the period is marked as having no value but holds "
                            f"{_plain(stored)}")
        if stored is None and truth is not None:
            problems.append(f"{where}: report n/a, recomputed {_plain(truth)} "
                            "(its sources cover it)")
        elif stored is not None and missing:
            problems.append(f"{where}: report {_plain(stored)}, but {missing}: missing is not zero")
        elif stored is not None and truth is None:
            problems.append(f"{where}: report {_plain(stored)}, recomputed n/a")
        elif stored is not None and truth is not None and not same_value(stored, truth, unit, fmt):
            problems.append(f"{where}: report {_plain(stored)}, recomputed {_plain(truth)}")
    truth = Truth(metric, unit, values)
    for compared, field in (("previous", "change_pct"), ("last_year", "yoy_pct")):
        stored_change, true_change = _stored_number(kpi, field, metric), truth.change(compared)
        if not same_change(stored_change, true_change, fmt):
            problems.append(f"{metric} {field} against {_text(expected[compared])}: report "
                            f"{fmt.change(stored_change)}, recomputed {fmt.change(true_change)}")
    return truth, problems


def bounds_problems(metric: str, periods: dict[str, Any], expected: dict[str, Period]) -> list[str]:
    """The periods a KPI says it was computed over, against those it must be computed over."""
    problems = []
    for key, period in expected.items():
        stored = periods.get(key)
        if stored is None:
            continue  # a period without a value: the value must then be missing for a reason
        bounds = _span(stored, f"kpis[{metric}].periods.{key}")
        if _bounds(bounds) != _bounds(period):
            problems.append(f"{metric} {NAMES[key]}: stored as {_text(bounds)}, "
                            f"must be {_text(period)}")
    return problems


def input_problems(kpi: dict[str, Any], result: Recomputed) -> list[str]:
    """The sources the summary says each summed input was summed from (a list, or
    ``{"kind", "sources"}``), against the registry's choice from the rows."""
    inputs = kpi.get("inputs")
    if not isinstance(inputs, dict):
        raise SummaryError("the run summary does not record the inputs of KPI "
                           f"{result.metric} (inputs)")
    problems = []
    for name, selection in result.selections.items():
        stored = inputs.get(name)
        kind = selection.provider.kind if selection.provider else None
        if isinstance(stored, dict):
            got = (stored.get("kind", kind), sorted(map(str, stored.get("sources") or [])))
        else:
            got = (kind, sorted(map(str, stored or [])))
        want = (kind, sorted(selection.sources))
        if got != want:
            problems.append(f"{result.metric}: {name} summed from {got[0]} rows of "
                            f"{', '.join(got[1]) or 'no source'}; the rows give {want[0]} rows of "
                            f"{', '.join(want[1]) or 'no source'}")
    return problems


def headline_problems(headline: list[dict[str, Any]], truths: dict[str, Truth],
                      fmt: Formatter) -> list[str]:
    """Each summary tile's value and change must read as the recomputed numbers, formatted."""
    problems = []
    for tile in headline:
        metric = str(tile.get("metric"))
        truth = truths.get(metric)
        if truth is None:
            problems.append(f"headline tile {metric}: not a KPI of the report")
            continue
        value = fmt.value(truth.values["now"], truth.unit)
        if tile.get("value") != value:
            problems.append(f"headline tile {metric}: shows {tile.get('value')!r}, "
                            f"recomputed {value!r}")
        change, shown = truth.shown_change("previous", fmt), str(tile.get("change"))
        if (change is None and _SHOWN_AS_NUMBER.match(shown)) or \
                (change is not None and shown != change):
            problems.append(f"headline tile {metric}: change shows {shown!r}, recomputed "
                            f"{change or NOT_AVAILABLE!r}")
    return problems


def missing_because(result: Recomputed, key: str, period: Period,
                    sources: dict[str, SourceRows]) -> str:
    """Why the KPI has no value over ``period`` ("" when it has one), from its sources' days.

    A KPI has no value where one of the sources feeding it would be cut inside a row's span
    (a month of weekly rows), where none of them holds any day of the period, and, for a
    comparison, where one of them does not hold all of it: missing is not zero, and part of a
    period is not all of it. Without dated rows there is nothing to judge by: the sums stand.
    """
    feeding = sorted({name for selection in result.selections.values()
                      for name in selection.sources})
    found = [sources[name] for name in feeding if name in sources and sources[name].span]
    if not found:
        return ""
    for rows in found:
        if rows.cuts(period):
            return f"{rows.source} has one row per {rows.grain}, which {_text(period)} cuts"
    covers = {rows.source: rows.covers(period) for rows in found}
    if all(cover == "none" for cover in covers.values()):
        return f"no source of {result.metric} holds a day of it ({_spans(found)})"
    if key != "now" and any(cover != "all" for cover in covers.values()):
        return f"its sources do not hold all of it ({_spans(found)})"
    return ""


def same_value(stored: float, truth: float, unit: str, fmt: Formatter) -> bool:
    """Equal up to floating-point noise, or written the same way in the report."""
    return math.isclose(stored, truth, rel_tol=1e-9, abs_tol=1e-9) or \
        fmt.value(stored, unit) == fmt.value(truth, unit)


def same_change(stored: float | None, truth: float | None, fmt: Formatter) -> bool:
    if stored is None or truth is None:
        return stored is None and truth is None
    return math.isclose(stored, truth, rel_tol=1e-9, abs_tol=1e-12) or \
        fmt.change(stored) == fmt.change(truth)


def _source_for(params: ClientParams, index: int, metric: str) -> str | None:
    """The source the KPI names (``kpis[i].source``), if any."""
    if index < len(params.kpis) and params.kpis[index].metric == metric:
        return params.kpis[index].source
    return next((kpi.source for kpi in params.kpis if kpi.metric == metric), None)


def _spans(found: list[SourceRows]) -> str:
    return ", ".join(f"{rows.source} holds {_iso(span[0])}..{_iso(span[1])}"
                     for rows in found if (span := rows.span) is not None)


def _first_days(period: Period, days: int) -> Period:
    if days >= period.days:
        return period
    return Period(period.start, date.fromordinal(period.start.toordinal() + days - 1), "custom")


def _metric_of(kpi: dict[str, Any], where: str) -> str:
    metric = kpi.get("metric")
    if metric not in METRICS:
        raise SummaryError(f"the run summary's {where} names an unknown metric {metric!r}")
    return str(metric)


def _stored_number(kpi: dict[str, Any], key: str, metric: str) -> float | None:
    value = kpi.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SummaryError(f"the run summary's KPI {metric} holds {value!r} as {key}, not a number")
    return None if math.isnan(value) else float(value)


def _list(summary: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = summary.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SummaryError(f"the run summary's {key} is not a list of records")
    return value


def _span(value: Any, where: str) -> Period:
    if not isinstance(value, dict):
        raise SummaryError(f"the run summary does not record {where} (start and end)")
    start, end = _day(value, "start", where), _day(value, "end", where)
    if end < start:
        raise SummaryError(f"the run summary's {where} ends ({end}) before it starts ({start})")
    return Period(start, end)


def _day(value: dict[str, Any], key: str, where: str) -> date:
    try:
        return date.fromisoformat(str(value[key]))
    except (KeyError, ValueError):
        raise SummaryError(f"the run summary's {where}.{key} is not a day YYYY-MM-DD: "
                           f"{value.get(key)!r}") from None


def _bounds(period: Period) -> tuple[date, date]:
    return period.start, period.end


def _text(period: Period) -> str:
    return f"{period.start.isoformat()}..{period.end.isoformat()}"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _plain(value: float) -> str:
    return repr(round(value, 6)).removesuffix(".0")
