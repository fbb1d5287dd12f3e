"""Checks on harmonised data: errors that stop a report, warnings that go into it.

Errors (:class:`~nbreport.core.errors.DataError`, naming source, file, rows, columns and
the fix): duplicate rows for a key, mixed currencies, scores outside their scale,
no data for the reported period. Warnings (:class:`DataWarning`, kept in the
source's provenance and shown in the report's data-quality appendix): rows dropped
and why, blanks read as a default (rows without a channel, with the spend or revenue they
hold), gaps in daily data, outlying days, data ending before the period does.

Checks that need the period (empty period, freshness) run when a report opens,
from :class:`~nbreport.sources.loader.ClientData`; the rest run when a source loads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import DataError
from nbreport.core.limits import LARGEST_AMOUNT, LARGEST_AMOUNT_TEXT
from nbreport.sources.canonical import CANONICAL, DAILY_KINDS, KEYS, MEASURES, SCORE_RANGES
from nbreport.sources.harmonise import Harmonised
from nbreport.sources.spec import SourceSpec
from nbreport.core.weekdays import as_days, week_rows
from nbreport.i18n import _, ngettext
from nbreport.i18n.numbers import decimal, whole
from nbreport.i18n.dates import month_year

WarningCheck = Literal["dropped_rows", "filled_blanks", "gap", "outlier", "freshness", "empty_period"]
WEIGHED_BY = {"ads": ("spend", "money"), "orders": ("revenue", "money"), "web": ("sessions", "count")}
"""What the rows without a channel hold, said with their count (a lead is a row: no more to say)."""
OUTLIER_WINDOW_WEEKS = 9  # the same weekday in the four weeks before and after
OUTLIER_MADS = 6.0
OUTLIER_HIGH, OUTLIER_LOW = 1.6, 0.5  # also this far from the usual level, as a ratio
MAX_LISTED = 12  # warnings of one check listed one by one per source; the rest are summed up


@dataclass(frozen=True)
class DataWarning:
    """Something a reader of the report should know about a source's data.

    Attributes
    ----------
    source:
        The source's name.
    check:
        Which check raised it: dropped_rows, filled_blanks, gap, outlier, freshness or
        empty_period.
    message:
        One sentence for the report.
    first_date, last_date:
        The days it is about (ISO dates), when it is about days.
    """

    source: str
    check: WarningCheck
    message: str
    first_date: str | None = None
    last_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def overlaps(self, start: date, end: date) -> bool:
        """True for warnings about days in ``start..end``, and for warnings not about days."""
        if self.first_date is None:
            return True
        last = self.last_date or self.first_date
        return date.fromisoformat(self.first_date) <= end and date.fromisoformat(last) >= start


# --- errors at load time ------------------------------------------------------------------
def check_source(result: Harmonised, spec: SourceSpec, unique_key: tuple[str, ...] | None) -> None:
    """Raise :class:`DataError` for duplicate keys, mixed currencies and scores off the scale."""
    _check_duplicates(result, spec, unique_key or KEYS[spec.kind])
    _check_plausible_numbers(result, spec)
    if "currency" in result.table.column_names:
        _check_one_currency(result, spec)
    if spec.kind == "survey":
        _check_score_ranges(result, spec)


def _error(result: Harmonised, spec: SourceSpec, message: str, position: int | None = None,
           column: str | None = None) -> DataError:
    row = int(result.rows[position]) if position is not None else None
    return DataError(message, source=spec.name, path=spec.location, row=row, column=column)


def _check_plausible_numbers(result: Harmonised, spec: SourceSpec) -> None:
    """No infinite or absurdly large value (``inf``, ``1e400``, ``1e30``): a report would show
    "n/a" for a real row, or fail half-way writing it."""
    for name in result.table.column_names:
        column = result.table.column(name)
        if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
            continue
        valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        values = column.fill_null(0).to_numpy(zero_copy_only=False).astype(float)
        bad = valid & (np.abs(values) > LARGEST_AMOUNT)  # infinities too; NaN stands for a blank
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            value = values[position]
            why = (f"found {value:g}, which is no number a report can show" if not np.isfinite(value)
                   else f"found {value:g}, larger than any real amount (the limit is "
                        f"{LARGEST_AMOUNT_TEXT})")
            raise _error(result, spec, f"{why}; correct the export", position,
                         result.columns.get(name, name))


def _check_duplicates(result: Harmonised, spec: SourceSpec, key: tuple[str, ...]) -> None:
    table = result.table
    missing = [name for name in key if name not in table.column_names and name not in result.extra]
    if missing:
        raise _error(result, spec, f"unique_key names {', '.join(missing)}, which the file does not "
                                   f"have (columns: {', '.join(result.raw_columns)})")
    keys = pd.DataFrame({name: table.column(name).to_pandas() if name in table.column_names
                         else result.extra[name] for name in key})
    if len(key) == 1:  # a single identifier: only rows that have one
        keys = keys[keys.iloc[:, 0].astype(str) != ""]
    duplicated = keys.duplicated(keep=False).to_numpy()
    if not duplicated.any():
        return
    first = keys[duplicated].iloc[0]
    same = keys.index[(keys == first).all(axis=1).to_numpy()]
    rows = [int(result.rows[position]) for position in same[:2]]
    shown = ", ".join(_show(value) for value in first)
    count = int(duplicated.sum())
    raise _error(result, spec, (
        f"rows {rows[0]} and {rows[1]} hold the same {' and '.join(key)} ({shown}); "
        f"{count} rows share a key with another row. An export holds each {' and '.join(key)} once: "
        "remove the repeated rows (an export appended twice?), or, if the export is finer (split by "
        "device, ad or line item), name its grain with unique_key"))


def _show(value: Any) -> str:
    return value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)


def _check_one_currency(result: Harmonised, spec: SourceSpec) -> None:
    currencies = result.table.column("currency").to_pandas()
    filled = currencies[currencies != ""]
    if filled.nunique() <= 1:
        return
    first = filled.iloc[0]
    position = int(np.flatnonzero((currencies != "").to_numpy() & (currencies != first).to_numpy())[0])
    raise _error(result, spec, (
        f"mixes currencies: {', '.join(sorted(filled.unique()))} (first {currencies.iloc[position]} "
        f"here, {first} before); one source must hold one currency: export each ad account "
        "separately, or keep one with mapping.filter"), position, result.columns.get("currency"))


def _check_score_ranges(result: Harmonised, spec: SourceSpec) -> None:
    frame = result.table.select(["scale", "score"]).to_pandas()
    for scale, (low, high) in SCORE_RANGES.items():
        outside = ((frame["scale"] == scale) & ~frame["score"].between(low, high)).to_numpy()
        if outside.any():
            position = int(np.flatnonzero(outside)[0])
            raise _error(result, spec, (
                f"found score {frame['score'].iloc[position]:g} on the {scale} scale, which runs "
                f"from {low} to {high}; check that scale is right for this survey"),
                position, result.columns.get("score", "score"))


def check_currencies(by_source: dict[str, tuple[str, set[str]]], currency: str | None) -> None:
    """No source may be in another currency than the client's (or, without one, than the others)."""
    expected = currency
    for name, (location, found) in by_source.items():
        for code in sorted(found):
            if expected is None:
                expected = code
            if code != expected:
                whose = "the client's reports are" if currency else "other sources are"
                raise DataError(
                    f"holds money in {code}, but {whose} in {expected}; convert the export to "
                    f"{expected} or set client.currency to match (mixed currencies would add up "
                    "to a meaningless total)", source=name, path=location)


# --- warnings at load time ----------------------------------------------------------------
def dropped_warnings(source: str, dropped: list[tuple[int, str]]) -> list[DataWarning]:
    return [DataWarning(source, "dropped_rows",
                        f"{count:,} row{'s' * (count != 1)} left out: {why}.")
            for count, why in dropped]


def filled_warnings(source: str, filled: list[tuple[int, str]]) -> list[DataWarning]:
    return [DataWarning(source, "filled_blanks", _("%(count)s %(what)s.", count=whole(count), what=what))
            for count, what in filled]


def defaulted_warnings(result: Harmonised, spec: SourceSpec) -> list[DataWarning]:
    """Per month, the rows whose text column (the channel) was blank or missing and so shows the
    column's default, e.g. "in October 2026, 312 rows (spend 1,234.56 GBP) had no channel
    (blank); they are shown as 'Unknown'." Months let the report show those of the periods it
    compares."""
    warnings = []
    for name, mask in result.defaulted.items():
        if not mask.any():
            continue
        default = next(column.default for column in CANONICAL[spec.kind] if column.name == name)
        why = _("blank") if name in result.columns else _("not in the export")
        wanted = ["date", *(c for c in (WEIGHED_BY.get(spec.kind, ("",))[0], "currency")
                            if c in result.table.column_names)]
        rows = result.table.select(wanted).filter(pa.array(mask)).to_pandas()
        for month, part in rows.groupby(rows["date"].dt.to_period("M"), sort=True):
            days = part["date"]
            warnings.append(DataWarning(
                spec.name, "filled_blanks",
                ngettext("in %(month)s, %(count)s row%(weight)s had no %(column)s (%(why)s); it is "
                         "shown as '%(default)s'.",
                         "in %(month)s, %(count)s rows%(weight)s had no %(column)s (%(why)s); they "
                         "are shown as '%(default)s'.", len(part),
                         month=month_year(month.to_timestamp().date()), count=whole(len(part)),
                         weight=_weight(part, spec.kind), column=name, why=why, default=default),
                days.min().date().isoformat(), days.max().date().isoformat()))
    return warnings


def _weight(rows: pd.DataFrame, kind: str) -> str:
    if kind not in WEIGHED_BY or WEIGHED_BY[kind][0] not in rows:
        return ""
    column, unit = WEIGHED_BY[kind]
    total = float(rows[column].sum())
    if unit == "count":
        return f" ({whole(total)} {column})"
    codes = set(rows["currency"]) - {""} if "currency" in rows else set()
    code = f" {codes.pop()}" if len(codes) == 1 else ""
    return f" ({column} {decimal(total, 2)}{code})"


def gap_warnings(table: pa.Table, source: str, kind: str) -> list[DataWarning]:
    """Runs of days with no rows between a daily source's first and last day."""
    if kind not in DAILY_KINDS:
        return []
    days = pd.DatetimeIndex(pc.unique(table.column("date")).drop_null().to_pandas()).sort_values()
    if len(days) < 2:
        return []
    missing = pd.date_range(days[0], days[-1], freq="D").difference(days)
    if missing.empty:
        return []
    runs = np.split(missing, np.flatnonzero(np.diff(missing.asi8) != 86_400 * 10**9) + 1)
    warnings = []
    for run in runs:
        first, last = run[0].date(), run[-1].date()
        message = (_("no rows for %(day)s: missing in the export, or no activity at all?", day=first)
                   if first == last else
                   _("no rows for %(first)s to %(last)s (%(days)s days): missing in the export, or "
                     "no activity at all?", first=first, last=last, days=len(run)))
        warnings.append(DataWarning(source, "gap", message, first.isoformat(), last.isoformat()))
    return _capped(warnings, source, "gap")


def outlier_warnings(table: pa.Table, source: str, kind: str) -> list[DataWarning]:
    """Days whose total is far from the usual level of the same weekday in the weeks around them
    (a B2B client's quiet Sunday is not an outlier; a budget typed with an extra zero is)."""
    warnings: list[DataWarning] = []
    measures = MEASURES.get(kind, ())
    if not measures or table.num_rows == 0:
        return warnings
    sums = table.group_by("date").aggregate([(m, "sum") for m in measures]).to_pandas()
    sums = sums.dropna(subset=["date"]).set_index("date").sort_index()
    findings: dict[pd.Timestamp, list[str]] = {}
    for measure in measures:
        daily = sums[f"{measure}_sum"].asfreq("D")  # days missing stay NaN: gaps
        if len(daily) < OUTLIER_WINDOW_WEEKS * 7:
            continue
        usual, flagged = _unusual_days(daily)
        for day in daily.index[flagged.to_numpy()]:
            findings.setdefault(day, []).append(_(
                "%(measure)s was %(ratio)s\u00d7 its usual level for that weekday (%(value)s against "
                "about %(usual)s)", measure=measure, ratio=decimal(daily[day] / usual[day], 1),
                value=_number(daily[day]), usual=_number(usual[day])))
    for day in sorted(findings):
        warnings.append(DataWarning(
            source, "outlier",
            _("on %(day)s, %(findings)s. A budget typo, a tracking outage or a real event?",
              day=day.date(), findings="; ".join(findings[day])),
            day.date().isoformat(), day.date().isoformat()))
    return _capped(warnings, source, "outlier")


def _unusual_days(daily: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The usual level of each day (median of the same weekday over nine weeks) and the days far
    from it: beyond six robust deviations, beyond small-count noise, and by a large ratio.

    ``daily`` has every day in its index (``asfreq("D")``): missing days are NaN."""
    usual = _same_weekday_median(daily)
    deviation = (daily - usual).abs()
    spread = _same_weekday_median(deviation)
    far = (deviation > OUTLIER_MADS * 1.4826 * spread.clip(lower=1e-9)) & (
        deviation > 3 * np.sqrt(usual.clip(lower=0)) + 1)  # Poisson noise of small counts
    ratio = daily / usual.where(usual > 0)
    return usual, far & ((ratio >= OUTLIER_HIGH) | (ratio <= OUTLIER_LOW)) & daily.notna()


def _same_weekday_median(daily: pd.Series) -> pd.Series:
    """Each day's rolling median over the same weekday of the weeks around it (the NaN that
    pad the last week are skipped like missing days)."""
    rolled = pd.DataFrame(week_rows(daily)).rolling(OUTLIER_WINDOW_WEEKS, center=True,
                                                     min_periods=4).median()
    return as_days(rolled.to_numpy(), daily.index)


def _number(value: float) -> str:
    return whole(value) if abs(value) >= 100 else decimal(value, 2)


def _capped(warnings: list[DataWarning], source: str, check: WarningCheck) -> list[DataWarning]:
    """The first ``MAX_LISTED`` warnings, and one line counting the rest."""
    if len(warnings) <= MAX_LISTED:
        return warnings
    rest = warnings[MAX_LISTED:]
    span = {"first": rest[0].first_date, "last": rest[-1].last_date}
    message = (ngettext("%(n)s more gap between %(first)s and %(last)s.",
                        "%(n)s more gaps between %(first)s and %(last)s.", len(rest), **span)
               if check == "gap" else
               ngettext("%(n)s more outlying day between %(first)s and %(last)s.",
                        "%(n)s more outlying days between %(first)s and %(last)s.", len(rest), **span))
    return warnings[:MAX_LISTED] + [DataWarning(source, check, message, span["first"], span["last"])]