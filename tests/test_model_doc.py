"""docs/sources.md is the canonical model as the code defines it: generated, never hand-written,
and a test fails the moment the two differ."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from nbreport.metrics import definitions
from nbreport.metrics.definitions import Provider, SummedMetric
from nbreport.sources import model_doc, presets
from nbreport.sources.canonical import CANONICAL, KEYS
from nbreport.sources.model_doc import REGENERATE, model_document
from tests.conftest import REPO

DOC = REPO / "docs" / "sources.md"


def _rows(document: str, kind: str) -> dict[str, list[str]]:
    """Column name -> the cells of its row, in the section of ``kind``."""
    section = document.split(f"\n## {kind}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[cells[0].strip("`")] = cells
    return rows


def test_docs_sources_md_is_the_generated_model() -> None:
    assert DOC.read_text(encoding="utf-8") == model_document(), (
        f"docs/sources.md differs from the canonical model in the code; run `{REGENERATE}` "
        "(or `make docs`) and commit it")


def test_metrics_columns_prints_the_document() -> None:
    result = subprocess.run([sys.executable, "-m", "nbreport", "metrics", "--columns"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == model_document()


def test_every_kind_and_column_has_its_row_with_type_and_requirement() -> None:
    document = model_document()
    for kind, columns in CANONICAL.items():
        rows = _rows(document, kind)
        assert list(rows) == [column.name for column in columns]
        assert f"(key: {', '.join(KEYS[kind])})" in document.split(f"\n## {kind}\n", 1)[1]
        for column in columns:
            cells = rows[column.name]
            assert cells[1] == column.type
            assert (cells[3] == "required") == column.required, (kind, column.name)


def test_units_metrics_and_presets_of_known_columns() -> None:
    document = model_document()
    ads, crm, support = (_rows(document, kind) for kind in ("ads", "crm", "support"))
    assert ads["spend"][2] == "currency" and ads["clicks"][2] == "count"
    assert ads["date"][2] == "day" and support["resolved_at"][2] == "instant"
    # a deal's revenue counts on its close date, among won deals
    direct, built = crm["close_date"][5].split(" -> ")
    assert set(direct.split(", ")) == {"revenue", "deals_won", "paid_revenue"}
    assert {"cac", "lead_to_deal_rate", "win_rate", "blended_roas"} <= set(built.split(", "))
    assert "google_ads_api (`metrics.cost_micros`, `metrics_cost_micros` x 1e-06)" in ads["spend"][6]
    assert "meta_ads (always 'Paid Social')" in ads["channel"][6]
    assert "zendesk_tickets (`Created at`)" in support["created_at"][6]
    assert "created_at + `First reply time in minutes` minutes" in support["first_response_at"][6]
    assert "README.md#your-own-data" in document and "transform:" in document


def test_a_new_metric_and_a_new_preset_appear_without_editing_the_document(
        monkeypatch: pytest.MonkeyPatch) -> None:
    metric = SummedMetric("priority_tickets", "Priority tickets", "count", "lower",
                          (Provider("support", None, where=(("priority", ("high",)),)),))
    monkeypatch.setitem(definitions.METRICS, metric.name, metric)
    preset = dataclasses.replace(presets.PRESETS["zendesk_tickets"], name="freshdesk",
                                 rename={"Ticket ID": "ticket_id", "Urgency": "priority"})
    monkeypatch.setitem(presets.PRESETS, "freshdesk", preset)
    row = _rows(model_doc.model_document(), "support")["priority"]
    assert row[5] == "priority_tickets"
    assert row[6] == "zendesk_tickets (`Priority`); freshdesk (`Urgency`)"
