"""Hostile inputs stay inert: script payloads in data, commentary and params never run in the
report or the index (a real browser), and a client name written as Python never runs in the kernel.

One real kernel run of Northwind with payloads planted in its campaign names (two ad exports),
its commentary file, and its params (client name, report title, a KPI label, the agency name).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from nbreport.batch import run_batch
from nbreport.settings import Settings
from tests.conftest import copy_project

pytestmark = [pytest.mark.kernel, pytest.mark.browser]

CLIENT = "northwind-outfitters"
PAYLOADS = {  # where -> markup that would set window.__xss if it ever ran
    "campaign name (Google Ads)": "<img src=x onerror=window.__xss='google'>",
    "campaign name (Meta)": "<script>window.__xss='meta'</script>",
    "commentary": "<script>window.__xss='commentary'</script> <img src=x onerror=\"window.__xss='img'\"> "
                  "[a link](javascript:window.__xss='link') <a href=\"javascript:window.__xss='a'\">x</a>",
    "report title": "<script>window.__xss='title'</script>",
    "KPI label": "<svg onload=window.__xss='label'>",
    "agency name": "<iframe src=javascript:window.__xss='agency'></iframe>",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> Iterator[tuple[Settings, Path]]:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(demo_data_dir / CLIENT, data / CLIENT)
    _replace(data / CLIENT / "google-ads.csv", "Search - Brand", PAYLOADS["campaign name (Google Ads)"])
    _replace(data / CLIENT / "meta-ads.csv", "Retargeting - Dynamic Ads", PAYLOADS["campaign name (Meta)"])
    settings = copy_project(root / "project", data)
    commentary = settings.project_dir / "commentary" / CLIENT / "2026-10.md"
    _replace(commentary, "The new retargeting creative", f"{PAYLOADS['commentary']} The new retargeting creative")
    # a short path: the client name (payload and path) must stay within the schema's 120 characters
    canary = Path(tempfile.mkdtemp(prefix="c")) / "p"
    params_path = settings.params_dir / f"{CLIENT}.yaml"
    params = yaml.safe_load(params_path.read_text())
    params["client"]["name"] = f"x'); import os; os.system('touch {canary}') # \"\"\" {PAYLOADS['KPI label']}"
    params["report"] = {"title": PAYLOADS["report title"]}
    params["kpis"][0]["label"] = PAYLOADS["KPI label"]
    params["branding"] = {"agency_name": PAYLOADS["agency name"]}
    params_path.write_text(yaml.safe_dump(params, sort_keys=False))
    outcome = run_batch(settings, [CLIENT])
    assert outcome.results[0].ok, outcome.results[0].error
    yield settings, canary
    shutil.rmtree(canary.parent, ignore_errors=True)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_client_name_written_as_python_never_runs(hostile_run: tuple[Settings, Path]) -> None:
    settings, canary = hostile_run
    assert not canary.exists()
    from bs4 import BeautifulSoup

    html = (settings.outputs_dir / "2026-10" / CLIENT / "report.html").read_text()
    heading = BeautifulSoup(html, "html.parser").find("h1")
    assert heading is not None and "x'); import os; os.system(" in heading.get_text()  # plain text


@pytest.mark.parametrize("page_name", ["report", "index"])
def test_no_payload_runs_in_a_real_browser(hostile_run: tuple[Settings, Path], open_page: Any,
                                           page_name: str) -> None:
    settings, _ = hostile_run
    period_dir = settings.outputs_dir / "2026-10"
    path = period_dir / CLIENT / "report.html" if page_name == "report" else period_dir / "index.html"
    opened = open_page(path)
    page = opened.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for link in page.query_selector_all("a[href]"):
        assert not link.get_attribute("href").lower().startswith("javascript:")
    assert page.evaluate("() => window.__xss") is None
    assert page.evaluate("() => document.querySelectorAll('script, iframe, svg[onload]').length") == 0
    handlers = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))")
    assert handlers == []
    assert not dialogs and not opened.log.problems()
    text = page.inner_text("body")
    if page_name == "report":  # the payloads are there, as text (campaign names: in the
        # campaigns table a reader opens, and in the charts' alt text)
        everything = page.text_content("body")
        assert "<script>window.__xss='meta'</script>" in everything
        assert "<img src=x onerror=window.__xss='google'>" in everything
    assert "x'); import os; os.system(" in text
