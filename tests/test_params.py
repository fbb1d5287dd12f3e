"""Parameter files: loading, defaults, overrides, and one specific message per kind of mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from nbreport.core.errors import ConfigError, ParamsError
from nbreport.params import load_client_params, params_from_plain, params_hash, parse_override

VALID = """\
client:
  id: acme
  name: Acme Ltd
  currency: EUR
  locale: de_DE
period: 2026-10
sources:
  - name: google-ads
    kind: ads
    path: google-ads.csv
  - name: shop
    kind: orders
    path: orders.csv
kpis:
  - metric: revenue
    target: 1000
  - metric: roas
    target: 4
budget:
  amount: 500
"""


def write(folder: Path, text: str, name: str = "acme.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(change) -> str:  # noqa: ANN001 - a function editing the parsed YAML
    data = yaml.safe_load(VALID)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def test_valid_file_loads_with_defaults_and_overrides(tmp_path: Path) -> None:
    write(tmp_path, "branding:\n  agency_name: Shared Agency\nstatus:\n  amber: 0.8\n", "_defaults.yaml")
    write(tmp_path, VALID)
    params = load_client_params("acme", tmp_path, overrides={"period": "2026-Q3", "budget.amount": 900})
    assert params.client.name == "Acme Ltd"
    assert params.branding.agency_name == "Shared Agency"  # from the defaults
    assert params.status.amber == 0.8 and params.status.green == 1.0
    assert params.period.key == "2026-Q3"  # command line beats the file
    assert params.budget is not None and params.budget.amount == 900


def test_plain_values_round_trip_and_hash_is_stable(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    params = load_client_params("acme", tmp_path)
    plain = params.model_dump(mode="json")
    json.dumps(plain)  # only plain values cross into the notebook
    again = params_from_plain(plain)
    assert again == params
    assert params_hash(again) == params_hash(params)
    assert params_hash(load_client_params("acme", tmp_path, overrides={"budget.amount": 1})) != params_hash(params)


def test_yaml_surprises_are_avoided(tmp_path: Path) -> None:
    text = VALID.replace("  locale: de_DE", "  locale: de_DE\n  country: NO")
    write(tmp_path, text)
    assert load_client_params("acme", tmp_path).client.country == "NO"  # not False


def test_parse_override() -> None:
    assert parse_override("budget.amount=30000") == ("budget.amount", 30000)
    assert parse_override("period=2026-10") == ("period", "2026-10")
    assert parse_override("report.title=Q3 review: final") == ("report.title", "Q3 review: final")
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_override("budget")


# Each case: (id, file text, expected key, expected fragment of the message, expected line or None)
INVALID_CASES = [
    ("misspelt-top-level-key", VALID.replace("kpis:", "kpi:"),
     "kpi", "unknown key; did you mean 'kpis'?", 14),
    ("misspelt-nested-key", VALID.replace("    target: 1000", "    traget: 1000"),
     "kpis[0].traget", "did you mean 'target'?", 16),
    ("missing-required-key", VALID.replace("  name: Acme Ltd\n", ""),
     "client.name", "required key is missing", None),
    ("missing-section", edited(lambda d: d.pop("sources")),
     "sources", "required key is missing; expected a mapping with keys name, kind, path", None),
    ("wrong-type", VALID.replace("amount: 500", "amount: lots"),
     "budget.amount", "valid number", 20),
    ("client-id-not-a-slug", VALID.replace("id: acme", "id: Acme Ltd"),
     "client.id", "'Acme Ltd' is not valid: expected a slug", 2),
    ("file-name-differs-from-id", VALID.replace("id: acme", "id: acme-two"),
     "client.id", "the file is named 'acme.yaml'", 2),
    ("month-out-of-range", VALID.replace("period: 2026-10", "period: 2026-13"),
     "period", "month must be 01..12", 6),
    ("period-not-understood", VALID.replace("period: 2026-10", "period: October"),
     "period", "expected a month '2026-10', a quarter '2026-Q3'", 6),
    ("period-range-reversed", VALID.replace("period: 2026-10", "period: {start: 2026-10-09, end: 2026-10-01}"),
     "period", "before it starts", 6),
    ("unknown-metric", VALID.replace("metric: revenue", "metric: revenu"),
     "kpis[0].metric", "unknown metric 'revenu'; did you mean 'revenue'?", 15),
    ("currency-not-iso", VALID.replace("currency: EUR", "currency: euro"),
     "client.currency", "expected an ISO 4217 code in capitals", 4),
    ("negative-target", VALID.replace("target: 1000", "target: -5"),
     "kpis[0].target", "greater than or equal to 0", 16),
    ("kpi-without-its-data", VALID.replace("metric: roas", "metric: leads"),
     "(top level)", "needs 'leads', which comes from crm data", None),
    ("absolute-source-path", VALID.replace("path: orders.csv", "path: /etc/passwd.csv"),
     "sources[1].path", "must be relative to the data root", 13),
    ("source-path-leaves-folder", VALID.replace("path: orders.csv", "path: ../other-client/orders.csv"),
     "sources[1].path", "must not contain '..'", 13),
    ("unknown-format", VALID.replace("path: orders.csv", "path: orders.numbers"),
     "sources[1]", "cannot tell the format of 'orders.numbers'", 11),
    ("unknown-source-kind", VALID.replace("kind: orders", "kind: invoices"),
     "sources[1].kind", "'ads', 'web', 'orders', 'crm', 'survey', 'support', 'accounts', 'usage' or 'lookup'", 12),
    ("duplicate-source-names", VALID.replace("name: shop", "name: google-ads"),
     "sources", "source names must be unique; repeated: google-ads", 7),
    ("unknown-locale", VALID.replace("locale: de_DE", "locale: xx_YY"),
     "client.locale", "unknown locale 'xx_YY'", 5),
    ("colour-not-hex", VALID + "branding:\n  primary_color: blue\n",
     "branding.primary_color", "expected a colour written #rgb or #rrggbb", 22),
    ("feedback-not-an-address", VALID + "report:\n  feedback: call us any time\n",
     "report.feedback", "web address starting with https:// or an e-mail address", 22),
    ("budget-split-too-big", VALID.replace("amount: 500", "amount: 500\n  by_channel: {Search: 400, Social: 300}"),
     "budget", "by_channel adds up to 700.00, more than amount 500.00", 19),
    ("neutral-metric-without-direction", VALID.replace("metric: roas\n    target: 4", "metric: spend\n    target: 400"),
     "kpis[1]", "has no natural direction", 17),
    ("empty-kpi-list", edited(lambda d: d.update(kpis=[])),
     "kpis", "at least 1 item", None),
    ("status-thresholds-crossed", VALID + "status:\n  green: 0.8\n  amber: 0.9\n",
     "status", "amber (0.9) must not be above green (0.8)", 21),
    ("css-injection-in-font", VALID + "branding:\n  font_family: \"x;}</style><script>alert(1)</script>\"\n",
     "branding.font_family", "must be a CSS font stack", 22),
]


@pytest.mark.parametrize("text, key, fragment, line", [c[1:] for c in INVALID_CASES],
                         ids=[c[0] for c in INVALID_CASES])
def test_invalid_params_name_file_key_and_fix(tmp_path: Path, text: str, key: str, fragment: str,
                                              line: int | None) -> None:
    write(tmp_path, text)
    with pytest.raises(ParamsError) as caught:
        load_client_params("acme", tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path.name}/acme.yaml: invalid parameters")
    issue = next((i for i in caught.value.issues if i.key == key), None)
    assert issue is not None, f"no issue for key {key!r} in:\n{message}"
    assert fragment in issue.message, message
    if line is not None:
        assert issue.line == line, message
    assert caught.value.exit_code == 2


def test_every_invalid_case_has_its_own_message() -> None:
    fragments = [case[3] for case in INVALID_CASES]
    assert len(set(fragments)) == len(fragments)


@pytest.mark.parametrize("text, fragment", [
    ("client: [unclosed", "not valid YAML"),
    ("client:\n  id: acme\nclient:\n  id: acme\n", "duplicate key (first given on line 1)"),
    ("- just\n- a list\n", "expected a mapping of keys"),
], ids=["syntax-error", "duplicate-key", "not-a-mapping"])
def test_yaml_level_errors(tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path, text)
    with pytest.raises(ParamsError, match=None) as caught:
        load_client_params("acme", tmp_path)
    assert fragment in str(caught.value)
    assert caught.value.issues[0].line is not None


def test_error_names_the_file_the_bad_value_came_from(tmp_path: Path) -> None:
    write(tmp_path, "status:\n  green: nope\n", "_defaults.yaml")
    write(tmp_path, VALID)
    with pytest.raises(ParamsError) as caught:
        load_client_params("acme", tmp_path)
    issue = caught.value.issues[0]
    assert (issue.key, issue.source, issue.line) == ("status.green", f"{tmp_path.name}/_defaults.yaml", 2)


def test_bad_command_line_override_is_attributed_to_it(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    with pytest.raises(ParamsError) as caught:
        load_client_params("acme", tmp_path, overrides={"period": "2026-Q5"})
    assert caught.value.issues[0].source == "command line"


def test_unknown_client_suggests_the_closest(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    with pytest.raises(ParamsError, match="did you mean 'acme'"):
        load_client_params("acne", tmp_path)
    with pytest.raises(ParamsError, match="must be a slug"):
        load_client_params("../etc", tmp_path)


def test_non_utf8_file(tmp_path: Path) -> None:
    (tmp_path / "acme.yaml").write_bytes(VALID.replace("Acme Ltd", "Caf\u00e9").encode("cp1252"))
    with pytest.raises(ParamsError, match="not UTF-8 text"):
        load_client_params("acme", tmp_path)
