"""Comparison periods and coverage: whole periods when complete, aligned days when partial, never
a period cut inside a row's span, and missing data never shown as 0.

Property tests (hypothesis) cover the period arithmetic for every kind of period and every grain;
the example tests reproduce what was seen on real exports (a monthly export whose previous month
vanished, a month with no data last year, a source that stops mid-period). Expected values are
computed here with plain pandas from the rows, never through the code under test.
"""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.approved import approve_drafts
from nbreport.metrics.coverage import detect_grain, source_coverage, value_over
from nbreport.metrics.kpis import comparison_periods
from nbreport.core.period import Period
from nbreport.report import open_report, sections

# --- property tests: the period arithmetic -------------------------------------------------

years = st.integers(min_value=1995, max_value=2035)


@st.composite
def full_periods(draw: st.DrawFn) -> Period:
    kind = draw(st.sampled_from(["month", "quarter", "week", "year", "custom"]))
    year = draw(years)
    if kind == "month":
        return Period.month(year, draw(st.integers(1, 12)))
    if kind == "quarter":
        return Period.quarter(year, draw(st.integers(1, 4)))
    if kind == "week":
        return Period.iso_week(year, draw(st.integers(1, 52)))
    if kind == "year":
        return Period.year(year)
    start = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    return Period.between(start, start + timedelta(days=draw(st.integers(0, 120))))


@st.composite
def reported_parts(draw: st.DrawFn) -> tuple[Period, Period]:
    full = draw(full_periods())
    as_of = full.start + timedelta(days=draw(st.integers(0, full.days - 1)))
    return full, full.to_date(as_of)


@settings(max_examples=400, deadline=None)
@given(full_periods())
def test_a_complete_period_is_compared_with_whole_periods(full: Period) -> None:
    periods = comparison_periods(full, full)
    previous, last_year = periods["previous"], periods["last_year"]
    assert previous == full.previous() and last_year == full.same_period_last_year()
    assert previous.end == full.start - timedelta(days=1)  # right before, no gap, no overlap
    if full.kind in ("month", "quarter", "year"):  # whole calendar periods, whatever their length
        assert previous.start.day == 1 and previous.end == _calendar_end(previous)
        assert last_year.start.day == 1 and last_year.end == _calendar_end(last_year)
        assert last_year.start.year == full.start.year - 1
    if full.kind == "week":
        assert previous.days == 7 and previous.start.weekday() == 0
        assert last_year.start.isocalendar().year == full.start.isocalendar().year - 1
    for other in (previous, last_year):
        assert other.end < full.start  # never overlapping the reported period


@settings(max_examples=400, deadline=None)
@given(reported_parts())
def test_a_partial_period_is_compared_with_the_same_days(parts: tuple[Period, Period]) -> None:
    full, reported = parts
    assume(reported != full)  # a complete period: the test above
    periods = comparison_periods(full, reported)
    for key, whole in (("previous", full.previous()), ("last_year", full.same_period_last_year())):
        found = periods[key]
        assert found.start == whole.start  # day 1 of the period with day 1
        assert found.days == min(reported.days, whole.days)  # the same number of days, if it has them
        assert found.end <= whole.end and found.end < reported.start
        if found.days < whole.days:  # a part says which days it holds, never the whole's name
            assert found.label != whole.label and str(found.end.day) in found.label


@settings(max_examples=300, deadline=None)
@given(full_periods(), st.sampled_from(["day", "week", "month"]), years)
def test_a_period_is_never_cut_inside_a_row(period: Period, grain: str, year: int) -> None:
    """A value over ``period`` exists only when every row of the source lies wholly inside or
    wholly outside it; rows are stamped the way exports stamp them."""
    rows = _stamped_rows(grain, period)
    coverage = source_coverage("export", rows)
    assert coverage is not None and coverage.grain == grain
    found = value_over(period, [coverage], whole=True)
    cut = any(_span(day, grain) [0] < period.start <= _span(day, grain)[1]
              or _span(day, grain)[0] <= period.end < _span(day, grain)[1]
              for day in rows.dt.date)
    if cut:
        assert not found.available and "does not hold whole" in found.reason
    else:
        assert found.available


def _calendar_end(period: Period) -> date:
    end = period.end
    return end.replace(day=calendar.monthrange(end.year, end.month)[1])


def _stamped_rows(grain: str, period: Period) -> pd.Series:
    """Rows of the grain around ``period``, stamped on the 1st (months) or a Monday (weeks)."""
    first, last = period.start - timedelta(days=70), period.end + timedelta(days=70)
    if grain == "day":
        stamps = pd.date_range(first, last, freq="D")
    elif grain == "week":
        stamps = pd.date_range(first - timedelta(days=first.weekday()), last, freq="7D")
    else:
        stamps = pd.date_range(first.replace(day=1), last, freq="MS")
    return pd.Series(stamps)


def _span(day: date, grain: str) -> tuple[date, date]:
    if grain == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if grain == "week":
        return day, day + timedelta(days=6)
    return day, day


# --- grain detection --------------------------------------------------------------------------

@pytest.mark.parametrize(("stamps", "grain"), [
    (pd.date_range("2019-01-01", "2019-12-01", freq="MS"), "month"),   # dated on the 1st
    (pd.date_range("2019-01-31", "2019-12-31", freq="ME"), "month"),   # dated on the last day
    (pd.date_range("2019-01-07", "2019-06-24", freq="7D"), "week"),
    (pd.date_range("2019-01-01", "2019-03-01", freq="D"), "day"),
    (pd.DatetimeIndex(["2019-01-01", "2019-01-01", "2019-02-01", "2019-03-01"]), "month"),
    (pd.DatetimeIndex(["2019-03-01", "2019-04-01"]), "day"),  # two rows say little of their span
    (pd.DatetimeIndex(["2019-03-04", "2019-03-11", "2019-03-25"]), "day"),  # three Mondays: answers
])
def test_grain_is_detected_from_the_dates(stamps: pd.DatetimeIndex, grain: str) -> None:
    assert detect_grain(pd.Series(stamps))[0] == grain


# --- what was seen on real exports, end to end through the data layer -----------------------

def _project(tmp_path: Path, rows: pd.DataFrame, period: str, *, as_of: str | None = None,
             target: float | None = None, status_column: str | None = None) -> Path:
    client = "trial-client"
    (tmp_path / "data" / client).mkdir(parents=True)
    (tmp_path / "params").mkdir()
    rows.to_csv(tmp_path / "data" / client / "export.csv", index=False)
    kpi: dict = {"metric": "sessions", "label": "Visits"}
    if target is not None:
        kpi["target"] = target
    params = {
        "client": {"id": client, "name": "Trial Client", "currency": "USD", "locale": "en_US"},
        "period": period,
        "sources": [{"name": "export", "kind": "web", "path": "export.csv",
                     "mapping": {"rename": {"Month": "date", "Visits": "sessions"},
                                 "date_format": "%Y-%m-%d"}}],
        "kpis": [kpi],
    }
    if as_of:
        params["as_of"] = as_of
    (tmp_path / "params" / f"{client}.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    approve_drafts(tmp_path, client, period)  # nobody writes commentary for a trial
    return tmp_path


def _row_cells(html: str, label: str) -> list[str]:
    from bs4 import BeautifulSoup

    header = BeautifulSoup(html, "html.parser").find("th", string=label)
    return [cell.get_text(strip=True) for cell in header.find_next_siblings("td")]


def _kpi(tmp_path: Path):  # type: ignore[no-untyped-def]
    report = open_report("trial-client", project_dir=tmp_path)
    return report, report.results.kpis[0]


def test_monthly_rows_dated_on_the_last_day_compare_whole_months(tmp_path: Path) -> None:
    """Seen: June against "May 1-30" lost May's row (dated 31 May): +1,350% instead of -39.6%."""
    stamps = pd.date_range("2018-01-31", "2019-06-30", freq="ME")
    values = [1000 + 37 * i for i in range(len(stamps))]
    values[-2] = 2480  # May 2019
    values[-1] = 1498  # June 2019
    rows = pd.DataFrame({"Month": stamps.strftime("%Y-%m-%d"), "Visits": values})
    report, kpi = _kpi(_project(tmp_path, rows, "2019-06"))
    by_month = rows.assign(Month=pd.to_datetime(rows["Month"])).set_index("Month")["Visits"]
    june, may = by_month["2019-06"].sum(), by_month["2019-05"].sum()
    june_last_year = by_month["2018-06"].sum()
    assert (kpi.actual, kpi.previous, kpi.last_year) == (june, may, june_last_year)
    assert kpi.change_pct == pytest.approx((june - may) / may)  # -39.6%
    assert round(kpi.change_pct * 100, 1) == -39.6
    assert report.results.previous_label == "May 2019"
    assert report.results.coverage["export"].grain == "month"


def test_monthly_rows_cannot_give_a_month_to_date(tmp_path: Path) -> None:
    stamps = pd.date_range("2018-01-01", "2019-06-01", freq="MS")
    rows = pd.DataFrame({"Month": stamps.strftime("%Y-%m-%d"), "Visits": range(len(stamps))})
    report, kpi = _kpi(_project(tmp_path, rows, "2019-06", as_of="2019-06-15"))
    assert math.isnan(kpi.actual) and math.isnan(kpi.previous)
    assert "by month" in kpi.note("now")
    html = sections.scorecard(report).html
    assert "reports by month" in html


def test_a_month_without_data_last_year_shows_no_number_and_no_change(tmp_path: Path) -> None:
    days = pd.date_range("2019-01-01", "2019-10-31", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 5})
    report, kpi = _kpi(_project(tmp_path, rows, "2019-10"))
    assert kpi.actual == 31 * 5 and kpi.previous == 30 * 5
    assert math.isnan(kpi.last_year) and math.isnan(kpi.yoy_pct)
    assert kpi.note("last_year") == "no data for October 2018"
    assert kpi.to_dict()["periods"]["last_year"] is None
    html = sections.scorecard(report).html
    cells = _row_cells(html, "Visits")
    assert cells[-1] == "\u2013"  # vs last year: nothing, not "+X%"
    assert not {"0", "$0", "$0.00", "n/a"} & set(cells)
    assert "no data for October 2018" in html
    tile = sections.executive_summary(report).html
    assert "\u25b2" in tile  # the change on September is there...
    comparisons = sections.comparisons(report).html
    assert "no data for October 2018" in comparisons
    cells = _row_cells(comparisons, "Visits")
    assert cells[2:4] == ["no data", "\u2013"]  # last year, change on last year


def test_a_covered_period_without_rows_is_a_real_zero(tmp_path: Path) -> None:
    """Rows on 1-20 September and from 1 October; 21-30 September had none: a real 0, and
    September (covered from its first to its last day) is compared whole."""
    days = [d for d in pd.date_range("2019-08-01", "2019-10-31", freq="D")
            if not (date(2019, 9, 21) <= d.date() <= date(2019, 9, 30))]
    rows = pd.DataFrame({"Month": [d.strftime("%Y-%m-%d") for d in days], "Visits": 2})
    _, kpi = _kpi(_project(tmp_path, rows, "2019-10"))
    assert kpi.previous == 20 * 2 and kpi.actual == 31 * 2
    assert not kpi.note("previous")


def test_a_source_starting_mid_period_gives_no_comparison_for_that_period(tmp_path: Path) -> None:
    days = pd.date_range("2019-09-12", "2019-10-31", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 3})
    _, kpi = _kpi(_project(tmp_path, rows, "2019-10"))
    assert kpi.actual == 93 and math.isnan(kpi.previous)
    assert "incomplete" in kpi.note("previous") and "2019-09-12" in kpi.note("previous")


def test_a_month_to_date_is_compared_with_the_same_days(tmp_path: Path) -> None:
    days = pd.date_range("2018-01-01", "2019-10-31", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": range(len(days))})
    report, kpi = _kpi(_project(tmp_path, rows, "2019-10", as_of="2019-10-15"))
    frame = rows.assign(Month=pd.to_datetime(rows["Month"])).set_index("Month")["Visits"]
    assert kpi.actual == frame["2019-10-01":"2019-10-15"].sum()
    assert kpi.previous == frame["2019-09-01":"2019-09-15"].sum()
    assert kpi.last_year == frame["2018-10-01":"2018-10-15"].sum()
    assert report.results.previous_label == "1\u201315 September 2019"
    assert "1\u201315 September 2019" in sections.scorecard(report).html


def test_a_thirty_day_month_after_a_thirty_one_day_month_is_compared_whole(tmp_path: Path) -> None:
    days = pd.date_range("2018-01-01", "2019-06-30", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 10})
    _, kpi = _kpi(_project(tmp_path, rows, "2019-06"))
    assert (kpi.actual, kpi.previous) == (300, 310)  # all of May, not "May 1-30"
    assert kpi.to_dict()["periods"]["previous"] == {"start": "2019-05-01", "end": "2019-05-31"}


def test_an_absent_target_says_so(tmp_path: Path) -> None:
    days = pd.date_range("2019-01-01", "2019-10-31", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 1})
    report, _ = _kpi(_project(tmp_path, rows, "2019-10"))
    html = sections.scorecard(report).html
    assert "no target" in html


def test_a_source_that_stops_mid_period_says_so_with_its_last_date(tmp_path: Path) -> None:
    days = pd.date_range("2018-09-01", "2019-10-20", freq="D")
    rows = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 4})
    report, kpi = _kpi(_project(tmp_path, rows, "2019-10"))
    assert kpi.actual == 20 * 4 and kpi.previous == 30 * 4
    assert kpi.caveats["now"] == "export data ends on 2019-10-20, before October 2019 ends"
    assert "data ends on 2019-10-20" in sections.scorecard(report).html


def test_a_weekday_business_whose_file_starts_on_a_monday_covers_the_month(tmp_path: Path) -> None:
    """Seen on the real call-centre file: it starts on Monday 3 March 2003 because 1-2 March were
    a weekend; March is compared whole (a careful reader sums its rows), not called incomplete."""
    days = [d for d in pd.date_range("2003-03-03", "2003-04-30", freq="D") if d.weekday() < 5]
    rows = pd.DataFrame({"Month": [d.strftime("%Y-%m-%d") for d in days], "Visits": 7})
    report, kpi = _kpi(_project(tmp_path, rows, "2003-04"))
    march = sum(1 for d in days if d.month == 3) * 7
    assert kpi.previous == march and not kpi.note("previous")
    assert report.results.coverage["export"].slack == 2


def test_a_kpi_naming_a_source_does_not_change_another_kpis_sums(tmp_path: Path) -> None:
    """Seen by the gate's recomputation: one KPI's ``source:`` was applied to every KPI that
    shares its input, so "Visits" summed one export while its inputs named both."""
    days = pd.date_range("2019-09-01", "2019-10-31", freq="D")
    project = _project(tmp_path, pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 2}),
                       "2019-10")
    second = pd.DataFrame({"Month": days.strftime("%Y-%m-%d"), "Visits": 3})
    second.to_csv(project / "data" / "trial-client" / "second.csv", index=False)
    path = project / "params" / "trial-client.yaml"
    params = yaml.safe_load(path.read_text())
    params["sources"].append({**params["sources"][0], "name": "second", "path": "second.csv"})
    params["overlaps"] = [{"sources": ["export", "second"], "relation": "parts"}]
    params["kpis"] = [{"metric": "sessions", "label": "Visits"},
                      {"metric": "sessions", "label": "Visits (second export)", "source": "second"}]
    path.write_text(yaml.safe_dump(params), encoding="utf-8")
    report = open_report("trial-client", project_dir=project)
    both, second_only = report.results.kpis
    assert both.actual == 31 * (2 + 3) and second_only.actual == 31 * 3
    assert sorted(both.inputs["sessions"].sources) == ["export", "second"]
    assert list(second_only.inputs["sessions"].sources) == ["second"]
