"""The compute cache: a re-run recomputes exactly what depends on what changed, and nothing
it serves differs from what computing would give.

A demo client's report is opened twice in one process, with real files, real parsing and
real prophet fits. A spy counts each real parse of a source (``loader.load_one``) and each
real prophet fit (``prophet_model.fit_prophet``); the cache sits in front of both. Between
the two runs exactly one input of one kind changes: one number in one export, one forecast
setting, the commentary, the forecast code or prophet's version, or a damaged cache entry.
Every cached run is compared with the same report computed without the cache.
"""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from nbreport.core.code_digest import module_closure
from nbreport.core.compute_cache import CACHE_FOLDER, CACHE_VARIABLE, ComputeCache
from nbreport.forecast import fit_cache, prophet_model
from nbreport.forecast.history import prepare_history
from nbreport.forecast.store import forecast_document
from nbreport.report import open_report
from nbreport.report.context import Report
from nbreport.settings import Settings
from nbreport.sources import loader
from tests.conftest import copy_project

CLIENT = "harbourside-dental"  # five sources; prophet for five series (German report)
ENGLISH_CLIENT = "ledgerline"
PERIOD = "2026-10"
SOURCES = {"google-ads", "meta-ads", "web-analytics", "bookings", "patient-reviews"}
REPORTED_END = pd.Timestamp("2026-10-31")
FRESH_FIELDS = ("read_at", "read_seconds")


@dataclass
class Recomputed:
    """What was really computed since the last :meth:`clear`."""

    parses: Counter[str] = field(default_factory=Counter)  # source name -> parses
    fits: Counter[tuple[str, str]] = field(default_factory=Counter)  # (series, check|ahead)

    def clear(self) -> None:
        self.parses.clear()
        self.fits.clear()


@pytest.fixture
def recomputed(monkeypatch: pytest.MonkeyPatch) -> Recomputed:
    """Spies on the real parse and the real fit (they still run: nothing is mocked)."""
    seen = Recomputed()
    real_fit, real_load = prophet_model.fit_prophet, loader.load_one

    def fit(history: Any, dates: pd.DatetimeIndex, *args: Any) -> Any:
        # the method check forecasts the last complete period; the report's fit looks ahead
        moment = "check" if dates[-1] <= REPORTED_END else "ahead"
        seen.fits[(str(history.values.name), moment)] += 1
        return real_fit(history, dates, *args)

    def load(spec: Any, *args: Any, **kwargs: Any) -> Any:
        seen.parses[spec.name] += 1
        return real_load(spec, *args, **kwargs)

    monkeypatch.setattr(prophet_model, "fit_prophet", fit)
    monkeypatch.setattr(loader, "load_one", load)
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    return seen


@pytest.fixture
def own_project(tmp_path: Path, demo_data_dir: Path) -> Settings:
    """A project copy with its own copy of the client's data, free to edit."""
    shutil.copytree(demo_data_dir / CLIENT, tmp_path / "data" / CLIENT)
    return copy_project(tmp_path / "project", tmp_path / "data")


def _open(settings: Settings, *, use_cache: bool = True) -> Report:
    return open_report(CLIENT, project_dir=settings.project_dir, data_dir=settings.data_dir,
                       outputs_dir=settings.outputs_dir, use_cache=use_cache)


def _figures(report: Report) -> str:
    """Every figure, forecast path and source record of a report (read times aside), as text."""
    records = [{name: value for name, value in record.to_dict().items() if name not in FRESH_FIELDS}
               for record in report.inputs.data.provenance]
    return json.dumps({"results": report.results.to_dict(),
                       "forecasts": forecast_document(report.results.forecasts, CLIENT, PERIOD),
                       "sources": records}, sort_keys=True, default=str)


def _assert_same(cached: Report, computed: Report) -> None:
    assert _figures(cached) == _figures(computed)
    assert cached.inputs.data.tables.keys() == computed.inputs.data.tables.keys()
    for kind, table in computed.inputs.data.tables.items():
        pd.testing.assert_frame_equal(cached.inputs.data.tables[kind], table, check_exact=True)


def _all_fits(recomputed: Recomputed) -> Counter[tuple[str, str]]:
    """The fits of a cold run: each series' method check and its forecast, once each."""
    assert recomputed.fits and set(recomputed.fits.values()) == {1}
    assert {"check", "ahead"} == {moment for _, moment in recomputed.fits}
    return Counter(recomputed.fits)


def _cache_files(settings: Settings) -> list[Path]:
    """The computed entries (sources, fits, charts); not the QA gate's verdicts, which are of
    the report files and so new with every report written."""
    from nbreport.qa import verdict_store

    folder = settings.outputs_dir / CACHE_FOLDER
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and path.relative_to(folder).parts[0] != verdict_store.KIND)


def test_a_second_run_recomputes_nothing_and_reports_the_same(
        own_project: Settings, recomputed: Recomputed) -> None:
    cold = _open(own_project)
    assert recomputed.parses == Counter(dict.fromkeys(SOURCES, 1))
    _all_fits(recomputed)
    recomputed.clear()

    warm = _open(own_project)

    assert not recomputed.parses and not recomputed.fits
    _assert_same(warm, cold)


def test_a_commentary_edit_recomputes_nothing(own_project: Settings,
                                              recomputed: Recomputed) -> None:
    cold = _open(own_project)
    commentary = own_project.project_dir / "commentary" / CLIENT / f"{PERIOD}.md"
    sentence = "Die neue Praxis am Hafen hat im Oktober eröffnet."
    text = commentary.read_text(encoding="utf-8")
    assert text.count("## Trends\n\n{{ draft }}") == 1  # the analyst writes the section now
    commentary.write_text(text.replace("## Trends\n\n{{ draft }}", f"## Trends\n\n{sentence}"),
                          encoding="utf-8")
    recomputed.clear()

    edited = _open(own_project)

    assert not recomputed.parses and not recomputed.fits
    assert sentence in (edited.inputs.commentary.text or "")
    assert _figures(edited) == _figures(cold)


def test_one_changed_number_reparses_its_source_and_refits_only_its_series(
        own_project: Settings, recomputed: Recomputed) -> None:
    cold = _open(own_project)
    export = own_project.data_dir / CLIENT / "meta-ads.csv"
    text = export.read_text(encoding="utf-8")
    row = "2026-06-11,Awareness - 10 km Radius,Reach,27.74,"
    assert text.count(row) == 1
    export.write_text(text.replace(row, row.replace("27.74", "29.74")), encoding="utf-8")
    recomputed.clear()

    changed = _open(own_project)

    assert recomputed.parses == Counter({"meta-ads": 1})
    assert recomputed.fits == Counter({("spend", "check"): 1, ("spend", "ahead"): 1})
    assert _figures(changed) != _figures(cold)
    _assert_same(changed, _open(own_project, use_cache=False))


@pytest.mark.parametrize(("setting", "refits"), [
    ({"periods_ahead": 2}, "ahead"),  # longer forecasts: each series' forecast is fitted again
    ({"holidays": False}, "ahead"),   # the method check never models holidays: it stays
    ({"samples": 1000}, None),        # prophet's fits are point forecasts: none is redone...
], ids=["periods_ahead", "holidays", "samples"])
def test_a_forecast_setting_refits_the_fits_it_shapes_and_reparses_nothing(
        own_project: Settings, recomputed: Recomputed, setting: dict[str, Any],
        refits: str | None) -> None:
    cold = _open(own_project)
    fitted = _all_fits(recomputed)
    params_file = own_project.params_dir / f"{CLIENT}.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    params["forecast"] = {**params.get("forecast", {}), **setting}
    params_file.write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    recomputed.clear()

    changed = _open(own_project)

    assert not recomputed.parses
    assert recomputed.fits == Counter({fit: 1 for fit in fitted if fit[1] == refits})
    assert _figures(changed) != _figures(cold)  # even with no refit: the ranges moved
    _assert_same(changed, _open(own_project, use_cache=False))


@pytest.mark.parametrize("change", ["forecast code", "prophet version"])
def test_new_forecast_code_or_a_new_prophet_refits_everything_and_reparses_nothing(
        own_project: Settings, recomputed: Recomputed, monkeypatch: pytest.MonkeyPatch,
        change: str) -> None:
    cold = _open(own_project)
    fitted = _all_fits(recomputed)
    if change == "forecast code":
        monkeypatch.setattr(fit_cache, "code_digest", lambda module: "edited forecast code")
    else:
        monkeypatch.setattr(fit_cache, "library_versions", lambda *names: "prophet==99.0")
    recomputed.clear()

    again = _open(own_project)

    assert not recomputed.parses
    assert recomputed.fits == fitted
    _assert_same(again, cold)


def _damaged(path: Path, damage: str) -> None:
    """Damage one entry: its bytes on disk, or (``undecodable``) its content, digest and all."""
    stored = path.read_bytes()
    if damage == "undecodable":  # the digest holds: only the decoder can tell
        entry = ComputeCache(path.parents[2])
        entry.write(path.parent.parent.name, path.stem, path.suffix, b"not a cache entry")
        return
    flipped = bytearray(stored)
    flipped[len(stored) // 2] ^= 0x01
    path.write_bytes({"garbage": b"not a cache entry" * 50, "truncated": stored[:len(stored) // 2],
                      "empty": b"", "one bit flipped": bytes(flipped)}[damage])


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "one bit flipped",
                                    "undecodable"])
def test_a_damaged_cache_entry_is_a_miss_never_an_error(
        own_project: Settings, recomputed: Recomputed, damage: str) -> None:
    cold = _open(own_project)
    fitted = _all_fits(recomputed)
    entries = _cache_files(own_project)
    assert {path.suffix for path in entries} == {".arrow", ".npz"}
    for path in entries:
        _damaged(path, damage)
    recomputed.clear()

    repaired = _open(own_project)

    assert recomputed.parses == Counter(dict.fromkeys(SOURCES, 1))
    assert recomputed.fits == fitted
    _assert_same(repaired, cold)
    recomputed.clear()
    _open(own_project)  # the entries were written again
    assert not recomputed.parses and not recomputed.fits


def test_nbreport_cache_off_computes_everything_every_time(
        own_project: Settings, recomputed: Recomputed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    _open(own_project)
    fitted = _all_fits(recomputed)
    recomputed.clear()

    _open(own_project)

    assert recomputed.parses == Counter(dict.fromkeys(SOURCES, 1))
    assert recomputed.fits == fitted
    assert not (own_project.outputs_dir / CACHE_FOLDER).exists()


def test_nbreport_cache_may_name_another_folder(
        own_project: Settings, recomputed: Recomputed, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "shared-cache"))
    _open(own_project)
    recomputed.clear()

    _open(own_project)

    assert not recomputed.parses and not recomputed.fits
    assert list((tmp_path / "shared-cache").rglob("*.npz"))
    assert not (own_project.outputs_dir / CACHE_FOLDER).exists()


def test_a_cache_that_cannot_be_written_costs_time_never_the_report(
        own_project: Settings, recomputed: Recomputed, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("in the way")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    first = _open(own_project)
    recomputed.clear()

    second = _open(own_project)

    assert recomputed.parses == Counter(dict.fromkeys(SOURCES, 1))
    _assert_same(second, first)


def test_a_fit_key_changes_with_every_input_of_the_fit() -> None:
    days = pd.date_range("2026-01-01", periods=120, freq="D")
    values = pd.Series(range(120), index=days, dtype="float64", name="spend")
    dates = pd.date_range("2026-05-01", periods=31, freq="D")
    holidays = pd.DataFrame({"holiday": ["May Day"], "ds": [pd.Timestamp("2026-05-01")]})

    def key(series: pd.Series = values, **changes: Any) -> str:
        given = {"dates": dates, "samples": 0, "holidays": None, **changes}
        return fit_cache.fit_key(prepare_history(series, screen_outliers=False), **given)

    one_value = values.copy()
    one_value.iloc[40] += 0.01
    gap = values.copy()
    gap.iloc[40] = float("nan")
    assert key() == key(values.copy())  # equal inputs, equal key
    variants = [key(one_value), key(gap), key(values.iloc[1:]), key(samples=500),
                key(dates=dates[:30]), key(holidays=holidays)]
    assert len({key(), *variants}) == 1 + len(variants)


def test_the_code_of_a_fit_and_of_a_parse_is_their_import_closure() -> None:
    fit = {path.relative_to(path.parents[1]).as_posix()
           for path in module_closure(fit_cache.FIT_MODULE)}
    assert {"forecast/prophet_model.py", "forecast/fit_cache.py", "forecast/history.py",
            "forecast/samples.py", "speedups/prophet.py"} <= fit
    assert not any(name.startswith(("report/", "sources/", "commentary/")) for name in fit)

    from nbreport.sources.parse_cache import PARSE_MODULE

    parse = {path.relative_to(path.parents[1]).as_posix() for path in module_closure(PARSE_MODULE)}
    assert {"sources/loader.py", "sources/harmonise.py", "sources/presets.py",
            "sources/transform_steps.py", "sources/parse_cache.py"} <= parse
    assert not any(name.startswith(("report/", "forecast/", "commentary/")) for name in parse)


@pytest.mark.kernel
def test_a_cached_run_publishes_the_same_report_byte_for_byte(project: Settings) -> None:
    """A demo client run twice by ``nbreport run --force`` in real kernels: the second run
    takes every source, fit and chart from the cache (no entry is written again) and its report is
    the first one's, once the run times are masked (an English report: the mask reads its
    words)."""
    from nbreport.batch import BatchOptions, run_batch
    from tests.report_html import without_run_times

    def run() -> tuple[str, str]:
        outcome = run_batch(project, [ENGLISH_CLIENT], overrides={"period": PERIOD},
                            options=BatchOptions(workers=1, force=True))
        assert outcome.exit_code == 0, [result.error for result in outcome.results]
        folder = project.outputs_dir / PERIOD / ENGLISH_CLIENT
        return ((folder / "report.html").read_text(encoding="utf-8"),
                (folder / "results.json").read_text(encoding="utf-8"))

    def entries() -> dict[Path, tuple[int, int]]:  # a miss writes its entry (a new file)
        return {path: (path.stat().st_ino, path.stat().st_mtime_ns)
                for path in _cache_files(project)}

    cold_html, cold_results = run()
    written = entries()
    warm_html, warm_results = run()

    assert {path.suffix for path in written} == {".arrow", ".npz", ".html"}  # sources, fits, charts
    assert entries() == written
    assert "nbr-tile" in warm_html and "data:image/png" in warm_html  # a real report, charts
    assert warm_results == cold_results
    assert without_run_times(warm_html) == without_run_times(cold_html)

    # and the kernels do read the entries: a doctored fit shows in the next report
    cache = ComputeCache(project.outputs_dir / CACHE_FOLDER)
    for path in written:
        if path.suffix == fit_cache.SUFFIX:
            content = cache.read(fit_cache.KIND, path.stem, path.suffix)
            assert content is not None
            with np.load(io.BytesIO(content)) as entry:
                doctored = {name: entry[name] for name in entry.files}
            doctored["point"] = doctored["point"] * 2
            buffer = io.BytesIO()
            np.savez(buffer, **doctored)
            cache.write(fit_cache.KIND, path.stem, path.suffix, buffer.getvalue())
    assert run()[1] != cold_results
