from datetime import date

import pytest

from nbreport.core.period import Period, PeriodParseError


@pytest.mark.parametrize("text, start, end, kind, key, label", [
    ("2026-10", date(2026, 10, 1), date(2026, 10, 31), "month", "2026-10", "October 2026"),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "month", "2026-02", "February 2026"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month", "2024-02", "February 2024"),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "quarter", "2026-Q3", "Q3 2026"),
    ("2026-q4", date(2026, 10, 1), date(2026, 12, 31), "quarter", "2026-Q4", "Q4 2026"),
    ("2026-W42", date(2026, 10, 12), date(2026, 10, 18), "week", "2026-W42", "Week 42, 2026"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "year", "2026", "2026"),
    ("2026-10-01..2026-10-15", date(2026, 10, 1), date(2026, 10, 15), "custom",
     "2026-10-01_2026-10-15", "1\u201315 October 2026"),
    ("2026-10-01..2026-10-31", date(2026, 10, 1), date(2026, 10, 31), "month", "2026-10", "October 2026"),
], ids=lambda v: str(v))
def test_parse_forms(text, start, end, kind, key, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.kind, period.key, period.label) == (start, end, kind, key, label)
    assert Period.parse(period.key) == period


def test_mapping_form_and_relative_forms():
    assert Period.parse({"start": "2026-09-29", "end": "2026-10-05"}).days == 7
    today = date(2026, 11, 22)
    assert Period.parse("last-month", today=today).key == "2026-10"
    assert Period.parse("this-month", today=today).key == "2026-11"
    assert Period.parse("last-quarter", today=today).key == "2026-Q3"
    assert Period.parse("last-week", today=today).key == "2026-W46"


@pytest.mark.parametrize("period, previous, last_year", [
    ("2026-03", "2026-02", "2025-03"),
    ("2026-01", "2025-12", "2025-01"),
    ("2026-Q1", "2025-Q4", "2025-Q1"),
    ("2026-W01", "2025-W52", "2025-W01"),
    ("2026-10-01..2026-10-10", "2026-09-21_2026-09-30", "2025-10-01_2025-10-10"),
    ("2024-02-29..2024-03-01", "2024-02-27_2024-02-28", "2023-02-28_2023-03-01"),
])
def test_comparison_periods(period, previous, last_year):
    parsed = Period.parse(period)
    assert parsed.previous().key == previous
    assert parsed.same_period_last_year().key == last_year


def test_month_to_date():
    october = Period.parse("2026-10")
    partial = october.to_date(date(2026, 10, 15))
    assert (partial.start, partial.end, partial.days) == (date(2026, 10, 1), date(2026, 10, 15), 15)
    assert october.to_date(date(2026, 11, 3)) == october


@pytest.mark.parametrize("bad, message", [
    ("2026-13", "month must be 01..12"),
    ("October", "expected a month '2026-10'"),
    ("2026-W54", "not a valid period"),
    ("2026-10-15..2026-10-01", "before it starts"),
    (date(2026, 10, 1), "a single date"),
    ({"start": "2026-10-01"}, "needs exactly the keys"),
])
def test_bad_periods_say_what_is_accepted(bad, message):
    with pytest.raises(PeriodParseError, match=message):
        Period.parse(bad)
