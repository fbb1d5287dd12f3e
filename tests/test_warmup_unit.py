"""The kernel zygote's warm-up: it fills the caches of a first report, and never stops a batch."""

from __future__ import annotations

import logging
import sys

import pytest

from nbreport.report import warmup


def test_the_warm_up_draws_parses_and_writes_without_touching_a_client(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    warmup.warm_up()
    from matplotlib import font_manager

    assert font_manager._get_font.cache_info().currsize > 0  # a font loaded for the charts
    assert {"bs4", "openpyxl"} <= set(sys.modules)
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_a_failing_step_is_skipped_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("no fonts on this machine")

    monkeypatch.setattr(warmup, "_draw_charts", broken)
    monkeypatch.setattr(warmup, "_parse_html", lambda: ran.append("parse"))
    monkeypatch.setattr(warmup, "_write_workbook", lambda: ran.append("workbook"))
    with caplog.at_level(logging.DEBUG, logger=warmup.__name__):
        warmup.warm_up()
    assert ran == ["parse", "workbook"]
    assert "no fonts on this machine" in caplog.text
