"""params/schema and params/scaffold, with the domain settings it composes (forecast, qa)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from nbreport.core.errors import ConfigError
from nbreport.core.yamlfile import read_yaml
from nbreport.forecast import spec as forecast_spec_module
from nbreport.forecast.spec import ForecastSpec
from nbreport.params.scaffold import scaffold_client
from nbreport.params.schema import Branding, ClientInfo, ClientParams, ReportOptions
from nbreport.qa.spec import QaSpec

BASE: dict[str, Any] = {
    "client": {"id": "acme", "name": "Acme"},
    "period": "2026-10",
    "sources": [{"name": "ads", "kind": "ads", "path": "ads.csv"},
                {"name": "shop", "kind": "orders", "path": "orders.csv"}],
    "kpis": [{"metric": "spend", "target": 1000, "direction": "lower"}, {"metric": "revenue", "target": 5000}],
}


def params(**changes: Any) -> ClientParams:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return ClientParams.model_validate(data)


def refused(match: str, **changes: Any) -> None:
    with pytest.raises(ValidationError, match=match):
        params(**changes)


def test_a_minimal_client_gets_the_documented_defaults() -> None:
    result = params()
    assert (result.period.start.isoformat(), result.period.end.isoformat()) == ("2026-10-01", "2026-10-31")
    assert (result.client.currency, result.client.locale) == ("USD", "en_US")
    assert result.qa == QaSpec() and (result.qa.max_report_mb, result.qa.max_data_lag_days) == (1.5, 2)
    assert result.forecast.method == "auto" and result.report_period == result.period
    assert params(as_of="2026-10-15").report_period.end.isoformat() == "2026-10-15"


def test_cross_checks_name_the_key_at_fault() -> None:
    refused("source names must be unique; repeated: ads",
            sources=[BASE["sources"][0], BASE["sources"][0]])
    refused(r"kpis\[0\]\.source: no source named 'crm'", kpis=[{"metric": "spend", "source": "crm"}])
    refused(r"kpis\[0\] 'leads' needs 'leads', which comes from .* data, and this client has no such source",
            kpis=[{"metric": "leads", "target": 5}])
    refused("forecast names sessions, which is not among this client's kpis",
            forecast={"kpis": ["sessions"]})
    refused("as_of 2026-09-30 is before the period starts", as_of="2026-09-30")
    refused("period", period="October")


def test_client_branding_and_report_values_are_checked() -> None:
    with pytest.raises(ValidationError, match="unknown locale 'xx_YY'"):
        ClientInfo(id="acme", name="Acme", locale="xx_YY")
    with pytest.raises(ValidationError, match="expected an ISO 4217 code in capitals"):
        ClientInfo(id="acme", name="Acme", currency="eur")
    with pytest.raises(ValidationError, match="the logo must be a .png, .jpg, .jpeg or .svg file"):
        Branding(logo="logo.gif")
    with pytest.raises(ValidationError, match="relative to the project folder"):
        Branding(logo="../other/logo.png")
    with pytest.raises(ValidationError, match="must be a CSS font stack"):
        Branding(font_family="Arial; background: url(x)")
    with pytest.raises(ValidationError, match="web address starting with https:// or an e-mail"):
        ReportOptions(feedback="javascript:alert(1)")
    assert ReportOptions(feedback="reports@example.com").feedback == "reports@example.com"


def test_the_json_schema_lists_every_section() -> None:
    schema = ClientParams.model_json_schema()
    assert set(schema["required"]) == {"client", "period", "sources", "kpis"}
    assert {"forecast", "qa", "commentary", "branding"} <= set(schema["properties"])


# --- forecast and qa settings ------------------------------------------------------------
def test_forecast_settings_take_old_metric_names_and_report_unknown_ones() -> None:
    spec = ForecastSpec(kpis=["roas"], next_targets={"roi": 2.0})
    assert spec.kpis == ["blended_roas"] and spec.next_targets == {"blended_roi": 2.0}
    assert spec.unknown_metrics(["blended_roas"]) == ["blended_roi"]
    for bad in ({"periods_ahead": 4}, {"interval": 0.5}, {"samples": 10}, {"method": "arima"}):
        with pytest.raises(ValidationError, match=next(iter(bad))):
            ForecastSpec(**bad)
    assert forecast_spec_module.Method.__args__ == ("auto", "prophet", "seasonal-naive")


def test_qa_limits_are_positive() -> None:
    with pytest.raises(ValidationError, match="max_report_mb"):
        QaSpec(max_report_mb=0)
    with pytest.raises(ValidationError, match="max_data_lag_days"):
        QaSpec(max_data_lag_days=-1)
    assert QaSpec(markers=["ACME-7"]).markers == ["ACME-7"]


# --- scaffold ----------------------------------------------------------------------------
def test_a_scaffolded_file_is_valid_params(tmp_path: Path) -> None:
    path = scaffold_client(tmp_path / "params", "acme-outdoor", 'Acme "Outdoor"')
    document = read_yaml(path, "params/acme-outdoor.yaml")
    parsed = ClientParams.model_validate(document.data)
    assert parsed.client.id == "acme-outdoor" and parsed.client.name == "Acme 'Outdoor'"
    assert [kpi.metric for kpi in parsed.kpis] == ["spend", "conversions", "cpa"]
    assert 'name: "Ledgerline"' in scaffold_client(tmp_path, "ledgerline").read_text()  # from the id


def test_scaffold_refuses_a_bad_id_and_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="client id 'Acme Co' must be a slug"):
        scaffold_client(tmp_path, "Acme Co")
    scaffold_client(tmp_path, "acme")
    with pytest.raises(ConfigError, match="acme.yaml already exists; pass --force"):
        scaffold_client(tmp_path, "acme")
    scaffold_client(tmp_path, "acme", "Renamed", force=True)
    assert 'name: "Renamed"' in (tmp_path / "acme.yaml").read_text()
