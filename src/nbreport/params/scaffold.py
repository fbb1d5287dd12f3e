"""``nbreport new-client``: a commented params file to start a client from."""

from __future__ import annotations

from pathlib import Path

from nbreport.core.errors import ConfigError
from nbreport.core.files import write_atomic
from nbreport.core.strict_model import SLUG_HELP, SLUG_RE

HEAD = """\
# Parameters of {name}'s report. Values here override params/_defaults.yaml;
# `nbreport validate {client_id}` checks this file, `nbreport schema` prints every key.

client:
  id: {client_id}             # must match the file name
  name: "{name}"
  industry: ""                # shown on the cover, e.g. "Online shop"
  currency: {currency}{currency_note}
  locale: en_US               # how numbers are written: en_GB, de_DE, fr_FR...
  # country: US               # public holidays for forecasts

period: last-month            # 2026-10, 2026-Q3, 2026-W42, 2026-10-01..2026-10-15, last-month...

"""

SOURCES = """\
# Files live in data/{client_id}/ ; paths below are relative to that folder.
# `nbreport new-client {client_id} --from FILE...` guesses this block from the exports.
sources:
  - name: google-ads
    kind: ads                 # ads | web | orders | crm | survey | support | accounts | usage
    path: google-ads.csv
    # mapping:                # export column -> canonical column, when the names differ
    #   rename: {{"Day": date, "Campaign": campaign, "Impr.": impressions, "Cost": spend}}
    #   date_format: "%d/%m/%Y"

# Two sources of one kind (two ad platforms, two CRM exports) are never added up silently:
# say whether they hold different rows (parts: summed) or the same rows twice (alternatives:
# only the truth is summed, the others are checked against it).
# overlaps:
#   - {{sources: [google-ads, meta-ads], relation: parts}}
#   - {{sources: [hubspot, salesforce], relation: alternatives, truth: hubspot}}

kpis:                         # `nbreport metrics` lists the metric names; targets are per month,
                              # pro-rated to a week, a quarter... (or targets_by_period: {{week: 60}})
  - metric: spend
    target: 10000
    direction: lower
  - metric: conversions
    target: 250
    headline: true
  - metric: cpa
    target: 40
    headline: true
"""

BUDGET = """
budget:
  amount: 10000               # planned media spend per month (pro-rated to other periods)
"""

TAIL = """
# branding:                   # defaults come from params/_defaults.yaml
#   logo: templates/brand/logo.png
#   primary_color: "#1f3a5f"

report:
  feedback: reports@example.com
"""

TEMPLATE = HEAD + SOURCES + BUDGET + TAIL
"""The whole scaffold without sniffed sources."""


def render_params(client_id: str, name: str, *, sources: str | None = None, budget: bool = True,
                  currency: str | None = None) -> str:
    """The commented params text; ``sources`` (the sources, overlaps and kpis blocks) replaces
    the example ones."""
    note = "               # ISO 4217 code" if currency is None else \
        "               # named in the exports' headers"
    head = HEAD.format(client_id=client_id, name=name, currency=currency or "USD", currency_note=note)
    body = SOURCES.format(client_id=client_id) if sources is None else sources
    return head + body + (BUDGET if budget else "") + TAIL


def target_path(params_dir: Path, client_id: str, force: bool) -> Path:
    """``params/<client_id>.yaml``, refused when the id is no slug or the file exists."""
    if not SLUG_RE.match(client_id):
        raise ConfigError(f"client id '{client_id}' must be {SLUG_HELP}")
    path = params_dir / f"{client_id}.yaml"
    if path.exists() and not force:
        raise ConfigError(f"{params_dir.name}/{path.name} already exists; pass --force to replace it")
    return path


def display_name(client_id: str, name: str | None) -> str:
    return (name or client_id.replace("-", " ").title()).replace('"', "'")


def scaffold_client(params_dir: Path, client_id: str, name: str | None = None, *,
                    force: bool = False) -> Path:
    """Write ``params/<client_id>.yaml`` from the commented template; returns its path."""
    path = target_path(params_dir, client_id, force)
    write_atomic(path, render_params(client_id, display_name(client_id, name)))
    return path
