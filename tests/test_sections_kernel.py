"""``nbreport run`` in real kernels: a client's sections follow its params, an empty one is left
out with its reason in the appendix, and a previewed draft is published for the analyst but
fails the gate and shows "Needs review" on the index (issue 19, parts 5 and 8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from nbreport.report.outline import OUTLINE
from nbreport.settings import Settings
from tests.conftest import copy_project

pytestmark = pytest.mark.kernel
CLIENT = "northwind-outfitters"


def nbreport(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nbreport", "--project", str(settings.project_dir),
                           "--data-dir", str(settings.data_dir), *args],
                          capture_output=True, text=True, timeout=600)


def _edit_params(settings: Settings, **changes: object) -> None:
    path = settings.params_dir / f"{CLIENT}.yaml"
    params = yaml.safe_load(path.read_text()) | changes
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))


def _page(settings: Settings, *parts: str) -> BeautifulSoup:
    return BeautifulSoup((settings.outputs_dir.joinpath("2026-10", *parts)).read_text(), "html.parser")


def _manifest_entry(settings: Settings) -> dict:
    return json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())["clients"][CLIENT]


def _card(settings: Settings) -> str:
    card = _page(settings, "index.html").select_one(f'li[data-client="{CLIENT}"] .idx-card-status')
    return card.get_text(" ", strip=True)


def test_excluded_and_empty_sections_are_absent_and_the_appendix_says_why(
        tmp_path: Path, demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    _edit_params(settings, sections={"exclude": ["forecast", "budget"], "order": ["trends"]},
                 triangulation=[])
    result = nbreport(settings, "run", CLIENT, "--period", "2026-10")
    assert result.returncode == 0, result.stdout + result.stderr

    page = _page(settings, CLIENT, "report.html")
    left_out = {"Forecast", "Budget", "Checking the numbers across sources"}
    level2 = [s.title for s in OUTLINE if s.level == 2 and s.title not in left_out]
    expected = ["Trends", *[t for t in level2 if t != "Trends"]]
    assert [h.get_text(strip=True) for h in page.select("main h2")] == expected
    assert not left_out & {a.get_text(strip=True) for a in page.select("nav a")}
    assert page.select(".nbr-forecast") == [] and "Planned budget" not in page.get_text()
    reasons = [li.get_text(" ", strip=True).replace(" :", ":") for li in page.select(".nbr-left-out li")]
    assert reasons == ["Checking the numbers across sources: no figure is checked across sources "
                       "for this client"]
    entry = _manifest_entry(settings)
    assert entry["qa"]["passed"] and _card(settings) == "Ready to send"
    stored = json.loads((settings.outputs_dir / "2026-10" / CLIENT / "forecasts.json").read_text())
    assert stored["forecasts"] == [] and stored.get("paths", []) == []  # no model was fitted


def test_previewed_drafts_are_published_but_fail_the_gate(tmp_path: Path, demo_data_dir: Path) -> None:
    settings = copy_project(tmp_path / "project", demo_data_dir)
    path = settings.project_dir / "commentary" / CLIENT / "2026-10.md"
    text = path.read_text()
    for title in ("Trends", "Campaigns"):  # two sections nobody wrote: drafts
        start = text.index(f"## {title}")
        end = text.index("## ", start + 3)
        text = text[:start] + f"## {title}\n\n" + text[end:]
    path.write_text(text)

    preview = nbreport(settings, "run", CLIENT, "--set", "commentary.drafts=preview")
    assert preview.returncode == 1, preview.stdout + preview.stderr
    page = _page(settings, CLIENT, "report.html")  # published, for the analyst to read
    assert len(page.select(".nbr-draft-label")) == 2
    entry = _manifest_entry(settings)
    assert entry["status"] == "ok" and entry["qa"]["failed"] == ["commentary reviewed"]
    assert _card(settings) == "Needs review: 2 draft sections"
    check = nbreport(settings, "check", "2026-10", "--client", CLIENT)
    assert check.returncode == 1 and "unreviewed draft commentary in 'Trends', 'Campaigns'" in check.stdout

    blocked = nbreport(settings, "run", CLIENT, "--force")  # the default, block: held back
    assert blocked.returncode == 1
    assert _manifest_entry(settings)["status"] == "failed"
    assert _card(settings).startswith("Failed: held back by the QA gate: commentary reviewed")

    allow = nbreport(settings, "run", CLIENT, "--set", "commentary.drafts=allow")
    assert allow.returncode == 2 and "did you mean 'preview'?" in (allow.stdout + allow.stderr).lower()
