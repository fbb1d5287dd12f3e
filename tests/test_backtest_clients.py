"""The backtest's series of a client are the daily sums its report forecasts, up to its cut-off."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nbreport.forecast.backtest import client_series
from nbreport.settings import Settings
from tests import raw_exports as raw
from tests.conftest import REPO


def test_client_series_are_the_daily_leads_up_to_the_reported_period(demo_data_dir: Path) -> None:
    settings = Settings.for_project(REPO, data_dir=demo_data_dir)
    series = {s.name: s for s in client_series(settings, ["ledgerline"])}
    leads = series["ledgerline leads"].values
    assert leads.index.max() <= pd.Timestamp("2026-10-31")
    crm = raw.hubspot_deals(demo_data_dir / "ledgerline" / "crm.csv")
    october = crm[(crm["date"] >= "2026-10-01") & (crm["date"] <= "2026-10-31")]
    assert leads.loc["2026-10-01":"2026-10-31"].sum() == len(october)
