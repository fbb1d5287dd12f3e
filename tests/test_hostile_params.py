"""Hostile and broken params files, one table: each through ``nbreport validate`` (the user's
front door), each with the exact message expected, exit code 2 and no traceback. The
billion-laughs file runs in a subprocess under a memory limit (``setrlimit``), so that a
regression fails instead of swapping the machine."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from nbreport.params import load_client_params
from tests.hostile_inputs import GOOD_PARAMS, make_project, validate, validate_limited

import os
from pathlib import Path


G = GOOD_PARAMS


def sub(old: str, new: str) -> str:
    assert old in G, old
    return G.replace(old, new, 1)


def laughs() -> str:
    lines = ['lol: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return G + "\n".join(lines) + "\n"


def merge_bomb() -> str:
    lines = ["m0: &m0 {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8, k8: 9}"]
    lines += [f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + "]}" for i in range(1, 10)]
    return G + "\n".join(lines) + "\n"


def deep_block(levels: int) -> str:
    return G + "".join(f"{'  ' * i}n{i}:\n" for i in range(levels)) + f"{'  ' * levels}x: 1\n"


def many_aliases(count: int) -> str:
    return G + "a: &one 1\nlist: [" + ", ".join(["*one"] * count) + "]\n"


def fifo(root: Path) -> None:
    path = root / "params" / "acme.yaml"
    path.unlink()
    os.mkfifo(path)


def folder(root: Path) -> None:
    path = root / "params" / "acme.yaml"
    path.unlink()
    path.mkdir()


def device(root: Path) -> None:
    path = root / "params" / "acme.yaml"
    path.unlink()
    path.symlink_to("/dev/zero")


def data_symlink_out(root: Path) -> None:
    outside = root / "elsewhere.csv"
    (root / "data" / "acme" / "ads.csv").rename(outside)
    (root / "data" / "acme" / "ads.csv").symlink_to(outside)


CASES: list[tuple[str, object, tuple[str, ...]]] = [
    ("billion-laughs", laughs(), ()),
    ("merge-key-bomb", merge_bomb(), ()),
    ("alias-loop", G + "loop: &x [1, *x]\n", ()),
    ("mapping-alias-loop", G + "loop: &x {a: *x}\n", ()),
    ("nested-60-levels", deep_block(60), ()),
    ("flow-nested-3000", G + "deep: " + "[" * 3000 + "]" * 3000 + "\n", ()),
    ("1001-alias-uses", many_aliases(1001), ()),
    ("over-1-MB", G + "# " + "x" * 1_100_000 + "\n", ()),
    ("a-pipe", fifo, ()),
    ("a-folder", folder, ()),
    ("a-device", device, ()),
    ("not-utf8", G.replace("Acme Outdoor", "Acm\xe9 Outdoor").encode("latin-1"), ()),
    ("utf16", G.encode("utf-16"), ()),
    ("binary-junk", bytes(range(256)) * 4, ()),
    ("empty-file", "", ()),
    ("top-level-list", "- client\n- period\n", ()),
    ("syntax-error", sub("  name: Acme Outdoor\n", "  name: 'Acme Outdoor\n"), ()),
    ("tab-indent", sub("  currency: USD", "\tcurrency: USD"), ()),
    ("python-tag", G + "hook: !!python/object/apply:os.system ['echo pwned']\n", ()),
    ("duplicate-key", sub("  currency: USD\n", "  currency: USD\n  currency: EUR\n"), ()),
    ("misspelt-key", sub("    target: 1000", "    taget: 1000"), ()),
    ("currency-XYZ", sub("currency: USD", "currency: XYZ"), ()),
    ("currency-lower", sub("currency: USD", "currency: usd"), ()),
    ("currency-XXX", sub("currency: USD", "currency: XXX"), ()),
    ("currency-EUR-data-USD", sub("currency: USD", "currency: EUR"), ()),
    ("source-declares-GBP", sub("    path: ads.csv\n", "    path: ads.csv\n    mapping: {constants: {currency: GBP}}\n"), ()),
    ("as-of-after-period", sub("period: 2026-10\n", "period: 2026-10\nas_of: 2026-11-15\n"), ()),
    ("as-of-before-period", sub("period: 2026-10\n", "period: 2026-10\nas_of: 2026-09-30\n"), ()),
    ("as-of-impossible", sub("period: 2026-10\n", "period: 2026-10\nas_of: 2026-10-32\n"), ()),
    ("as-of-set-period-before", sub("period: 2026-10\n", "period: 2026-10\nas_of: 2026-10-15\n"), ("--period", "2026-09")),
    ("period-month-13", sub("period: 2026-10", "period: 2026-13"), ()),
    ("period-feb-30", sub("period: 2026-10", "period: 2026-02-30..2026-03-05"), ()),
    ("target-inf", sub("    target: 1000", "    target: .inf"), ()),
    ("target-minus-inf", sub("    target: 1000", "    target: -.inf"), ()),
    ("target-nan", sub("    target: 1000", "    target: .nan"), ()),
    ("target-1e400", sub("    target: 1000", "    target: 1e400"), ()),
    ("target-10^400", sub("    target: 1000", "    target: 1" + "0" * 400), ()),
    ("budget-10^30", sub("  amount: 500", "  amount: 1000000000000000000000000000000"), ()),
    ("budget-1e30-float", sub("  amount: 500", "  amount: 1.0e+30"), ()),
    ("target-1e16", sub("    target: 400", "    target: 1.0e+16"), ()),
    ("by-channel-inf", sub("  amount: 500", "  amount: 500\n  by_channel: {Paid Search: .inf}"), ()),
    ("next-target-nan", G + "forecast: {next_targets: {clicks: .nan}}\n", ()),
    ("target-text", sub("    target: 1000", "    target: a thousand"), ()),
    ("target-negative", sub("    target: 1000", "    target: -5"), ()),
    ("status-green-zero", G + "status: {green: 0}\n", ()),
    ("unknown-metric", sub("metric: clicks", "metric: clickz"), ()),
    ("path-dotdot", sub("path: ads.csv", "path: ../other-client/ads.csv"), ()),
    ("path-absolute", sub("path: ads.csv", "path: /etc/passwd"), ()),
    ("data-symlink-out", data_symlink_out, ()),
    ("client-id-mismatch", sub("  id: acme", "  id: other"), ()),
    ("client-id-not-slug", sub("  id: acme", "  id: Acme Outdoor"), ()),
    ("unknown-locale", sub("locale: en_US", "locale: xx_YY"), ()),
    ("no-kpis", G.split("kpis:")[0] + "kpis: []\n", ()),
    ("no-sources", sub("sources:\n  - name: ads\n    kind: ads\n    path: ads.csv\n", "sources: []\n"), ()),
    ("unknown-kind", sub("kind: ads", "kind: adz"), ()),
    ("bad-date-format", sub("    path: ads.csv\n", "    path: ads.csv\n    mapping: {date_format: '%Y-%Q'}\n"), ()),
    ("yearless-format", sub("    path: ads.csv\n", "    path: ads.csv\n    mapping: {date_format: '%d %B'}\n"), ()),
    ("colour-word", G + "branding: {primary_color: red}\n", ()),
    ("logo-dotdot", G + "branding: {logo: ../../secret.png}\n", ()),
    ("feedback-javascript", G + "report: {feedback: 'javascript:alert(1)'}\n", ()),
    ("cell-timeout-zero", G + "report: {cell_timeout: 0}\n", ()),
    ("set-item-out-of-range", G, ("--set", "kpis.5.target=5")),
    ("set-key-on-list", G, ("--set", "kpis.first.target=5")),
    ("set-item-on-mapping-value", G, ("--set", "budget.amount.0=5")),
    ("set-1e400", G, ("--set", "budget.amount=1e400")),
    ("set-currency", G, ("--set", "client.currency=XYZ")),
    ("set-item-bad-value", G, ("--set", "kpis.0.target=-1")),
]

EXPECTED: dict[str, str | list[str]] = {
    'billion-laughs': 'params/acme.yaml, line 24: (aliases): expands to more than 100,000 values through its aliases (*name) (the limit); write the values out once instead of nesting aliases',
    'merge-key-bomb': 'params/acme.yaml, line 23: (aliases): expands to more than 100,000 values through its aliases (*name) (the limit); write the values out once instead of nesting aliases',
    'alias-loop': 'params/acme.yaml, line 19: (aliases): an alias refers to the mapping or list that holds it (a loop); write the values out instead',
    'mapping-alias-loop': 'params/acme.yaml, line 19: (aliases): an alias refers to the mapping or list that holds it (a loop); write the values out instead',
    'nested-60-levels': 'params/acme.yaml, line 59: (nesting): nested more than 40 levels deep (the limit); a params file needs a few levels',
    'flow-nested-3000': 'params/acme.yaml, line 19: (syntax): not valid YAML: exceeded maximum nesting depth',
    '1001-alias-uses': 'params/acme.yaml, line 19: (aliases): more than 1,000 uses of aliases (*name) in one file (the limit); write the values out instead',
    'over-1-MB': '(file): holds 1,100,265 bytes or more; a YAML file may have at most 1,000,000 bytes (the limit); keep data in data files',
    'a-pipe': '(file): is a pipe, socket or device, not a regular file; a YAML file must be a plain text file',
    'a-folder': '(file): is a folder, not a regular file; a YAML file must be a plain text file',
    'a-device': '(file): is a pipe, socket or device, not a regular file; a YAML file must be a plain text file',
    'not-utf8': '(file): not UTF-8 text (invalid continuation byte at byte 30); save it as UTF-8',
    'utf16': '(file): not UTF-8 text (invalid start byte at byte 0); save it as UTF-8',
    'binary-junk': '(file): not UTF-8 text (invalid start byte at byte 128); save it as UTF-8',
    'empty-file': ['params/acme.yaml: client: required key is missing; expected a mapping with keys id, name, industry, currency, locale, country', 'params/acme.yaml: period: required key is missing; expected Period', 'params/acme.yaml: sources: required key is missing; expected a mapping with keys name, kind, path, sql, preset, format, encoding, delimiter, decimal, sheet, skip_rows, header_contains, timezone, unique_key, allow_empty, grain, shared, mapping, transform', 'params/acme.yaml: kpis: required key is missing; expected a mapping with keys metric, label, target, targets_by_period, direction, source, headline'],
    'top-level-list': "params/acme.yaml, line 1: (top level): expected a mapping of keys such as 'client:' and 'period:'",
    'syntax-error': 'params/acme.yaml, line 19: (syntax): not valid YAML: found unexpected end of stream',
    'tab-indent': 'params/acme.yaml, line 4: (syntax): not valid YAML: found a tab character that violates indentation',
    'python-tag': "params/acme.yaml, line 19: (tags): the tag '!!python/object/apply:os.system' is not allowed: a params file holds plain values; remove the tag",
    'duplicate-key': 'params/acme.yaml, line 5: client.currency: duplicate key (first given on line 4); keep one',
    'misspelt-key': "params/acme.yaml, line 13: kpis[0].taget: unknown key; did you mean 'target'? allowed keys here: metric, label, target, targets_by_period, direction, source, headline",
    'currency-XYZ': "params/acme.yaml, line 4: client.currency: 'XYZ' is not an ISO 4217 currency code (e.g. USD, EUR, GBP)",
    'currency-lower': "params/acme.yaml, line 4: client.currency: 'usd' is not valid: expected an ISO 4217 code in capitals, e.g. 'EUR'",
    'currency-XXX': "params/acme.yaml, line 4: client.currency: 'XXX' is not an ISO 4217 currency code (e.g. USD, EUR, GBP)",
    'currency-EUR-data-USD': "source 'ads', ads.csv: holds money in USD, but the client's reports are in EUR; convert the export to EUR or set client.currency to match (mixed currencies would add up to a meaningless total)",
    'source-declares-GBP': "source 'ads', ads.csv: holds money in GBP, but the client's reports are in USD; convert the export to USD or set client.currency to match (mixed currencies would add up to a meaningless total)",
    'as-of-after-period': 'params/acme.yaml, line 7: as_of: as_of 2026-11-15 is after the period ends (2026-10-31): the report would show the whole period as if cut short; remove as_of to report the whole period, or give a day from 2026-10-01 to 2026-10-31',
    'as-of-before-period': 'params/acme.yaml, line 7: as_of: as_of 2026-09-30 is before the period starts (2026-10-01); as_of cuts the period short, so it must fall inside it',
    'as-of-impossible': "params/acme.yaml, line 7: as_of: Input should be a valid date or datetime, day value is outside expected range (got '2026-10-32')",
    'as-of-set-period-before': 'params/acme.yaml, line 7: as_of: as_of 2026-10-15 is after the period ends (2026-09-30): the report would show the whole period as if cut short; remove as_of to report the whole period, or give a day from 2026-09-01 to 2026-09-30',
    'period-month-13': "params/acme.yaml, line 6: period: '2026-13': month must be 01..12",
    'period-feb-30': "params/acme.yaml, line 6: period: '2026-02-30..2026-03-05' is not a valid period: day is out of range for month",
    'target-inf': 'params/acme.yaml, line 13: kpis[0].target: Input should be a finite number (got inf)',
    'target-minus-inf': 'params/acme.yaml, line 13: kpis[0].target: Input should be a finite number (got -inf)',
    'target-nan': 'params/acme.yaml, line 13: kpis[0].target: Input should be a finite number (got nan)',
    'target-1e400': "params/acme.yaml, line 13: kpis[0].target: Input should be a finite number (got '1e400')",
    'target-10^400': 'params/acme.yaml, line 13: kpis[0].target: Input should be a valid number (got 100000000000000000000000000000000000000000000000000000000...)',
    'budget-10^30': 'params/acme.yaml, line 18: budget.amount: 1e+30 is larger than any real amount (the limit is 10^15 (1,000,000,000,000,000)); check for extra zeros or a misplaced decimal point',
    'budget-1e30-float': 'params/acme.yaml, line 18: budget.amount: 1e+30 is larger than any real amount (the limit is 10^15 (1,000,000,000,000,000)); check for extra zeros or a misplaced decimal point',
    'target-1e16': 'params/acme.yaml, line 16: kpis[1].target: 10,000,000,000,000,000 is larger than any real amount (the limit is 10^15 (1,000,000,000,000,000)); check for extra zeros or a misplaced decimal point',
    'by-channel-inf': 'params/acme.yaml, line 19: budget.by_channel.Paid Search: Input should be a finite number (got inf)',
    'next-target-nan': 'params/acme.yaml, line 19: forecast.next_targets.clicks: Input should be a finite number (got nan)',
    'target-text': "params/acme.yaml, line 13: kpis[0].target: Input should be a valid number, unable to parse string as a number (got 'a thousand')",
    'target-negative': 'params/acme.yaml, line 13: kpis[0].target: Input should be greater than or equal to 0 (got -5)',
    'status-green-zero': 'params/acme.yaml, line 19: status.green: Input should be greater than 0 (got 0)',
    'unknown-metric': "params/acme.yaml, line 12: kpis[0].metric: unknown metric 'clickz'; did you mean 'clicks'? known metrics: aov, blended_roas, blended_roi, cac, ces, ces_points, ces_responses, clicks, conversion_rate, conversion_value, conversions, cost_per_lead, cost_per_paid_lead, cost_per_paid_order, cpa, cpc, cpm, csat, csat_responses, csat_satisfied, ctr, deals_won, impressions, lead_to_deal_rate, leads, net_return, new_users, nps, nps_detractors, nps_net, nps_promoters, nps_responses, opportunities, orders, paid_leads, paid_net_return, paid_orders, paid_revenue, paid_roas, paid_roi, revenue, session_conversion_rate, sessions, spend, ticket_csat, tickets, tickets_rated, tickets_satisfied, users, web_conversions, web_revenue, win_rate",
    'path-dotdot': "params/acme.yaml, line 10: sources[0].path: must not contain '..': keep every file inside the client's data folder",
    'path-absolute': "params/acme.yaml, line 10: sources[0].path: must be relative to the data root, the client's data folder (absolute paths are refused so that one client's params cannot reach another client's files)",
    'data-symlink-out': "source 'ads', ads.csv: resolves outside the client's data folder (acme/); a client may only read its own files and, through a tenant filter, shared exports (symlinks out of the folder are refused too)",
    'client-id-mismatch': "params/acme.yaml, line 2: client.id: is 'other' but the file is named 'acme.yaml'; make them the same",
    'client-id-not-slug': "params/acme.yaml, line 2: client.id: 'Acme Outdoor' is not valid: expected a slug: lower-case letters, digits and single hyphens, 1-64 characters, starting and ending with a letter or digit (e.g. 'acme-outdoor')",
    'unknown-locale': "params/acme.yaml, line 5: client.locale: unknown locale 'xx_YY'; use a code such as en_US, en_GB, de_DE",
    'no-kpis': 'params/acme.yaml, line 11: kpis: List should have at least 1 item after validation, not 0 (got [])',
    'no-sources': 'params/acme.yaml, line 7: sources: List should have at least 1 item after validation, not 0 (got [])',
    'unknown-kind': "params/acme.yaml, line 9: sources[0].kind: Input should be 'ads', 'web', 'orders', 'crm', 'survey', 'support', 'accounts', 'usage' or 'lookup' (got 'adz')",
    'bad-date-format': "params/acme.yaml, line 11: sources[0].mapping.date_format: '%Y-%Q' is not a strptime format ('Q')",
    'yearless-format': "params/acme.yaml, line 8: sources[0]: source 'ads': mapping.date_format '%d %B' has no year, so every date would be read in 1900: add mapping.year, the year of the export's dates (e.g. year: 2026)",
    'colour-word': "params/acme.yaml, line 19: branding.primary_color: 'red' is not valid: expected a colour written #rgb or #rrggbb, e.g. '#1f3a5f'",
    'logo-dotdot': "params/acme.yaml, line 19: branding.logo: the logo path must be relative to the project folder, without '..'",
    'feedback-javascript': 'params/acme.yaml, line 19: report.feedback: must be a web address starting with https:// or an e-mail address',
    'cell-timeout-zero': 'params/acme.yaml, line 19: report.cell_timeout: Input should be greater than 0 (got 0)',
    'set-item-out-of-range': 'error: --set kpis.5.target: kpis holds 2 items, so there is no item 5 (items are counted from 0: 0 to 1); add it in the params file',
    'set-key-on-list': "error: --set kpis.first.target: kpis is a list, so 'first' must be an item's number, counted from 0 (e.g. kpis[0])",
    'set-item-on-mapping-value': "error: --set budget.amount.0: budget.amount holds a single value (500), so it has no '0'; set budget.amount itself",
    'set-1e400': "command line: budget.amount: Input should be a finite number (got '1e400')",
    'set-currency': "command line: client.currency: 'XYZ' is not an ISO 4217 currency code (e.g. USD, EUR, GBP)",
    'set-item-bad-value': 'command line: kpis[0].target: Input should be greater than or equal to 0 (got -1)',
}
LIMITED = {"billion-laughs", "merge-key-bomb", "alias-loop", "flow-nested-3000", "a-pipe", "a-device"}


def test_the_table_is_complete() -> None:
    assert [case[0] for case in CASES] == list(EXPECTED)
    assert len(CASES) >= 50


@pytest.mark.parametrize(("params", "args", "expected"),
                         [pytest.param(params, args, EXPECTED[name], id=name)
                          for name, params, args in CASES])
def test_a_bad_params_file_gets_its_exact_message(tmp_path: Path, request: pytest.FixtureRequest,
                                                  params: object, args: tuple[str, ...],
                                                  expected: str | list[str]) -> None:
    root = make_project(tmp_path / "project", params if isinstance(params, (str, bytes)) else GOOD_PARAMS)
    if callable(params):
        params(root)
    started = time.perf_counter()
    limited = request.node.callspec.id in LIMITED
    outcome = validate_limited(root, *args) if limited else validate(root, *args)
    lines = [line.strip().removeprefix("- ") for line in outcome.text.splitlines()]
    assert outcome.code == 2, outcome.text
    for line in [expected] if isinstance(expected, str) else expected:
        assert line in lines, outcome.text
    assert "Traceback" not in outcome.text and "MemoryError" not in outcome.text
    assert time.perf_counter() - started < (20 if limited else 5)


def test_a_list_item_can_be_set_from_the_command_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    for key in ("kpis.0.target=5", "kpis[0].target=5"):
        outcome = validate(root, "--set", key)
        assert outcome.code == 0 and "ok       acme (Monthly report, October 2026)" in outcome.out, outcome.text
        params = load_client_params("acme", root / "params", overrides=dict([key.split("=")]))
        assert [kpi.target for kpi in params.kpis] == [5.0, 400.0]


def test_another_client_s_bomb_never_reaches_this_client(tmp_path: Path) -> None:
    """validate X reads X's file only; the gate reads other clients' markers only, bounded."""
    from nbreport.qa.gate_context import GateContext
    from nbreport.settings import Settings

    root = make_project(tmp_path / "project")
    (root / "params" / "bomb.yaml").write_text(CASES[0][1])  # type: ignore[arg-type]
    os.mkfifo(root / "params" / "stuck.yaml")
    (root / "params" / "other.yaml").write_text(GOOD_PARAMS.replace("id: acme", "id: other")
                                                + "qa: {markers: [CANARY-OTHER]}\n")
    outcome = validate_limited(root, "acme")
    assert outcome.code == 0 and "ok       acme" in outcome.out, outcome.text
    started = time.perf_counter()
    context = GateContext.for_project(Settings.for_project(root))
    assert time.perf_counter() - started < 2
    assert context.foreign_to("acme") == {"other": ["CANARY-OTHER"]}
