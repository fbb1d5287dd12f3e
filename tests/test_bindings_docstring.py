"""The examples in nbreport.commentary.bindings' docstring are real: each value source it shows is
registered, and each placeholder it shows resolves on a demo client's report."""

from __future__ import annotations

import re

import nbreport.commentary.bindings as bindings
import nbreport.commentary.values  # noqa: F401 - registers the value sources
from nbreport.commentary.bindings import VALUE_SOURCES
from nbreport.report import open_report
from nbreport.settings import Settings

DOC = bindings.__doc__ or ""
REGISTERED = re.findall(r'register_values\("([a-z_]+)"', DOC)
PLACEHOLDERS = re.findall(r"\{\{\s*([\w.]+)\s*\}\}", DOC)


def test_the_docstring_shows_registered_value_sources() -> None:
    assert len(REGISTERED) >= 3
    assert [name for name in REGISTERED if name not in VALUE_SOURCES] == []


def test_every_placeholder_in_the_docstring_resolves_on_a_demo_report(project: Settings) -> None:
    assert len(PLACEHOLDERS) >= 5
    report = open_report("northwind-outfitters", project_dir=project.project_dir,
                         data_dir=project.data_dir)
    values = report.commentary.bindings
    texts = {name: values.text(name) for name in PLACEHOLDERS}  # UnknownPlaceholder if not
    assert texts["period.label"] == "October 2026"
    assert all(texts.values()), texts
