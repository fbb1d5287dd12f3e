"""``nbreport publish``: a static portal, one folder per client, that never leads to another
client; tested on a copy of the session's real demo reports."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from nbreport.cli import cli
from nbreport.core.errors import ConfigError
from nbreport.core.layout import ProjectLayout
from nbreport.params import load_client_params
from nbreport.settings import Settings
from tests.conftest import DEMO_CLIENTS

pytestmark = pytest.mark.kernel  # the demo reports come from real kernel runs


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


@pytest.fixture
def outputs(demo_outputs: Settings, tmp_path: Path) -> Settings:
    """The demo reports in an outputs folder of this test's own."""
    shutil.copytree(demo_outputs.outputs_dir, tmp_path / "outputs")
    return replace(demo_outputs, outputs_dir=tmp_path / "outputs")


def publish(settings: Settings, target: Path, *more: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(settings.project_dir), "--data-dir",
                                      str(settings.data_dir), "--outputs-dir",
                                      str(settings.outputs_dir), "publish", "--to", str(target), *more])
    assert result.exit_code == 0, result.output
    return result.output


def names_of(settings: Settings) -> dict[str, str]:
    return {client: load_client_params(client, settings.params_dir).client.name for client in DEMO_CLIENTS}


def test_no_page_leads_to_another_client(outputs: Settings, tmp_path: Path) -> None:
    portal = tmp_path / "portal"
    publish(outputs, portal)
    names = names_of(outputs)
    assert sorted(path.name for path in portal.iterdir() if path.is_dir()) == sorted(DEMO_CLIENTS)
    assert links(portal / "index.html") == []  # the root lists no client
    for client in DEMO_CLIENTS:
        folder = (portal / client).resolve()
        pages = sorted(folder.rglob("*.html"))
        assert folder / "index.html" in pages
        for page in pages:
            for link in links(page):
                parts = urlsplit(link)
                if parts.scheme in ("data", "mailto", "https") or link.startswith("#"):
                    continue  # embedded images, the feedback address, anchors in the page
                assert not parts.scheme and not parts.netloc, (page, link)
                target = (page.parent / parts.path).resolve()
                assert target.is_relative_to(folder), f"{page} links {link} outside its client"
                assert target.exists(), f"{page} links {link}, which is not published"
        text = "\n".join(path.read_bytes().decode("utf-8", "replace") for path in folder.rglob("*")
                         if path.is_file())
        for other in set(DEMO_CLIENTS) - {client}:
            assert other not in text and names[other] not in text, (client, other)


def test_each_client_gets_its_own_periods_with_an_index_in_its_branding(outputs: Settings,
                                                                        tmp_path: Path) -> None:
    portal = tmp_path / "portal"
    publish(outputs, portal)
    layout = ProjectLayout.of(outputs)
    for client in DEMO_CLIENTS:
        periods = sorted(path.parent.name for path in (portal / client).glob("*/report.html"))
        on_disk = sorted(period for period in ("2026-09", "2026-10")
                         if layout.report_html(period, client).exists())
        assert periods == on_disk
        for period in periods:  # the report itself, byte for byte
            assert (portal / client / period / "report.html").read_bytes() == \
                layout.report_html(period, client).read_bytes()
        params = load_client_params(client, outputs.params_dir)
        page = (portal / client / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{params.report.language}">' in page
        assert params.client.name in page and params.branding.agency_name in page
        assert params.branding.primary_color.lower() in page.lower()
        # each period: its report, then its data pack when there is one beside the report
        assert [link for link in links(portal / client / "index.html") if not link.startswith("data:")] == \
            [f"{period}/{name}" for period in sorted(periods, reverse=True)
             for name in ("report.html", "data.xlsx", "data.zip")
             if (layout.client_dir(period, client) / name).exists()]


def test_a_report_the_gate_fails_is_not_published(outputs: Settings, tmp_path: Path) -> None:
    """Code left in a report: the gate fails it, publish leaves it out."""
    layout = ProjectLayout.of(outputs)
    report = layout.report_html("2026-10", "ledgerline")
    html = report.read_text(encoding="utf-8")
    planted = '<div class="jp-InputArea"><pre>print(secret)</pre></div></main>'
    report.write_text(html.replace("</main>", planted, 1), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["--project", str(outputs.project_dir), "--data-dir",
                                       str(outputs.data_dir), "--outputs-dir", str(outputs.outputs_dir),
                                       "check", "2026-10"])
    assert checked.exit_code == 1, checked.output
    portal = tmp_path / "portal"
    publish(outputs, portal)
    assert not (portal / "ledgerline" / "2026-10").exists()
    assert (portal / "harbourside-dental" / "2026-10" / "report.html").exists()


def test_unguessable_folders_are_stable_and_their_tokens_never_published(outputs: Settings,
                                                                         tmp_path: Path) -> None:
    portal = tmp_path / "portal"
    publish(outputs, portal, "--unguessable")
    tokens_file = ProjectLayout.of(outputs).portal_tokens()
    tokens = json.loads(tokens_file.read_text(encoding="utf-8"))
    assert sorted(tokens) == sorted(DEMO_CLIENTS)
    folders = sorted(path.name for path in portal.iterdir() if path.is_dir())
    assert folders == sorted(tokens.values())
    assert all(len(token) >= 32 and not any(c in token for c in DEMO_CLIENTS) for token in folders)
    published = "\n".join(path.read_bytes().decode("utf-8", "replace") for path in portal.rglob("*")
                          if path.is_file())
    assert not any(client in published for client in DEMO_CLIENTS)  # not even in a page
    assert not any(path.name == tokens_file.name for path in portal.rglob("*"))
    publish(outputs, portal, "--unguessable")  # again: the same links
    assert sorted(path.name for path in portal.iterdir() if path.is_dir()) == folders
    assert json.loads(tokens_file.read_text(encoding="utf-8")) == tokens


def test_publish_refuses_a_folder_it_did_not_write(outputs: Settings, tmp_path: Path) -> None:
    target = tmp_path / "somewhere"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(outputs.project_dir), "--outputs-dir",
                                      str(outputs.outputs_dir), "publish", "--to", str(target)])
    assert isinstance(result.exception, ConfigError) and "not empty" in str(result.exception)
    assert result.exception.exit_code == 2
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"
