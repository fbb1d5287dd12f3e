"""Month and weekday names on charts and in chart sentences: English as strftime writes it,
other languages from CLDR (nbreport.i18n.dates)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nbreport.i18n import dates

DAYS = [date(2026, 1, 5) + timedelta(days=offset) for offset in range(0, 365, 17)]


@pytest.mark.parametrize("day", DAYS)
def test_english_reads_exactly_as_strftime(day: date) -> None:
    assert dates.short_month(day) == day.strftime("%b")
    assert dates.short_weekday(day) == day.strftime("%a")
    assert dates.month_name(day) == day.strftime("%B")
    assert dates.month_year(day) == day.strftime("%B %Y")
    assert dates.day_month(day) == f"{day.day} {day:%B}"
    assert dates.short_date(day) == f"{day.day} {day:%b %Y}"
    assert dates.weekday_day_month(day, year=True) == f"{day:%A} {day.day} {day:%B %Y}"


def test_other_languages_take_cldr_names(monkeypatch: pytest.MonkeyPatch) -> None:
    day = date(2026, 10, 24)
    monkeypatch.setattr(dates, "current_language", lambda: "de")
    assert dates.month_name(day) == "Oktober"
    assert dates.day_month_year(day) == "24. Oktober 2026"
    monkeypatch.setattr(dates, "current_language", lambda: "pt-BR")
    assert dates.month_year(day) == "outubro de 2026"
    assert dates.short_weekday(day) == "sáb."


def test_a_language_without_cldr_data_falls_back_to_english_names(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "current_language", lambda: "qps")
    assert dates.month_name(date(2026, 10, 24)) == "October"
