"""A real browser for the tests: Playwright driving Debian's Chromium, axe-core injected.

Outside CI the browser tests skip, saying what is missing, when Chromium, Playwright or
axe-core (``npm ci`` in the repository) is absent; in CI (``CI`` set) they fail instead,
because ``.ci/run`` installs all three. Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from nbreport.core.errors import ConfigError
from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "browser"
WIDTHS = (375, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update"]


def _missing(what: str) -> None:
    message = f"browser tests need {what}"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run installs it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from nbreport.render.pdf import find_chromium

    try:
        return find_chromium()
    except ConfigError as exc:
        _missing(f"Chromium: {exc}")
        raise


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        _missing("axe-core: run `npm ci` in the repository (package.json lists it)")
    return AXE


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python: pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What went wrong while a page loaded and ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console_errors, *self.page_errors, *self.failed_requests, *self.outside_requests]


@dataclass
class OpenedPage:
    page: Any
    log: PageLog


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """``open_page(path, width)``: the file in an offline browser tab ``width`` px wide,
    with a log of console errors, page errors, failed requests and any request that is
    not for a local file or a data URI (a self-contained page makes none)."""
    contexts = []

    def opener(path: Path, width: int = 1280) -> OpenedPage:
        context = browser.new_context(viewport={"width": width, "height": 900}, offline=True,
                                      java_script_enabled=True)
        contexts.append(context)
        page = context.new_page()
        log = PageLog()
        page.on("console", lambda msg: msg.type in ("error", "warning") and log.console_errors.append(
            f"console {msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: log.page_errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: log.failed_requests.append(
            f"failed request: {req.url[:120]} ({req.failure})"))
        page.on("request", lambda req: req.url.startswith(("data:", "file:")) or
                log.outside_requests.append(f"request outside the file: {req.url[:120]}"))
        page.goto(path.as_uri(), wait_until="load")
        return OpenedPage(page, log)

    yield opener
    for context in contexts:
        context.close()


def axe_violations(page: Any, axe: Path) -> list[str]:
    """Serious and critical accessibility violations axe-core finds on the page."""
    page.add_script_tag(path=str(axe))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
