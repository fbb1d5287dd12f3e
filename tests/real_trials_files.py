"""The public files of ``../shared/data/real/`` as trials see them: params, plain-pandas readers,
trials.

Each :class:`RealFile` holds the ``sources`` a params file needs to read one public export as
it is (every quirk handled by ``sources[].mapping``, nothing done to the file), the KPIs a client
would track on it, how an analyst reads the same file with plain pandas (never through
nbreport), and the periods to report. See ``test_real_trials.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tests.real_trials_expected import KpiExpectation as K


@dataclass(frozen=True)
class Trial:
    """One report: ``period`` (a month or ISO week), cut at ``as_of`` when given."""

    name: str  # what it tries, in the test id and the client id
    period: str
    as_of: str | None = None


@dataclass(frozen=True)
class RealFile:
    """A public file, the params that map it, how plain pandas reads it, and its trials."""

    key: str
    files: tuple[str, ...]
    client: dict[str, str]
    sources: list[dict[str, Any]]
    kpis: list[K]
    inputs: dict[str, tuple[str, ...]]  # KPI metric -> the summed metrics behind it
    kind: str
    read: Callable[[Path], pd.DataFrame]  # raw rows: date, source and the measure columns
    trials: tuple[Trial, ...]
    private_columns: tuple[str, ...] = field(default=())  # never to appear in a report

    def client_id(self, trial: Trial) -> str:
        return f"{self.key}-{trial.name}"


# --- the raw files, read as an analyst would: plain pandas, nothing from nbreport -------------

def _calls(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "bank_call_centre_5min.csv")
    # "2003-03-03T07:00:00Z" is the bank's local clock: the day is the one written
    return pd.DataFrame({"date": pd.to_datetime(raw["DateTime"].str[:10]), "source": "calls",
                         "calls": raw["Calls"]})


def _retail(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "prophet_example_retail_sales.csv")
    return pd.DataFrame({"date": pd.to_datetime(raw["ds"]), "source": "retail-sales",
                         "sales": raw["y"]})


def _ab(folder: Path) -> pd.DataFrame:
    frames = []
    for name in ("control", "test"):
        raw = pd.read_csv(folder / f"ab_{name}_group.csv", sep=";")
        frames.append(pd.DataFrame({
            "date": pd.to_datetime(raw["Date"], format="%d.%m.%Y"), "source": name,
            "spend": raw["Spend [USD]"], "impressions": raw["# of Impressions"],
            "clicks": raw["# of Website Clicks"], "purchases": raw["# of Purchase"]}))
    return pd.concat(frames, ignore_index=True)


def _nps(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "nps_survey_responses_practice.csv")
    promoters, detractors = (raw["NPS"] >= 9).astype(int), (raw["NPS"] <= 6).astype(int)
    return pd.DataFrame({"date": pd.to_datetime(raw["Survey date"], format="%d/%m/%Y"),
                         "source": "nps", "net": promoters - detractors, "responses": 1})


def _olist(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "olist_order_reviews_sample.csv")
    return pd.DataFrame({"date": pd.to_datetime(raw["review_creation_date"].str[:10]),
                         "source": "reviews", "satisfied": (raw["review_score"] >= 4).astype(int),
                         "responses": 1})


def _peyton(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "prophet_example_wp_log_peyton_manning.csv")
    return pd.DataFrame({"date": pd.to_datetime(raw["ds"]), "source": "page-views",
                         "views": raw["y"]})


AB_MAPPING = {
    "rename": {"Campaign Name": "campaign", "Date": "date",
               r"re:Spend \[(?P<currency>[A-Z]{3})\]": "spend", "# of Impressions": "impressions",
               "# of Website Clicks": "clicks", "# of Purchase": "conversions"},
    "date_format": "%d.%m.%Y",
    "if_blank": {"impressions": "keep", "clicks": "keep"},  # 5.08.2019: spend only, rest blank
}

FILES: tuple[RealFile, ...] = (
    RealFile(
        key="calls", files=("bank_call_centre_5min.csv",), kind="web",
        client={"name": "North American Bank call centre", "currency": "USD", "locale": "en_US"},
        sources=[{"name": "calls", "kind": "web", "path": "bank_call_centre_5min.csv",
                  "unique_key": ["DateTime"],  # one row per 5 minutes, not per day
                  "mapping": {"rename": {"DateTime": "date", "Calls": "sessions"},
                              "constants": {"channel": "Phone"}}}],
        kpis=[K("sessions", "Calls", "count", "calls")], inputs={"sessions": ("sessions",)},
        read=_calls,
        trials=(Trial("complete-month", "2003-05"), Trial("month-to-date", "2003-07", "2003-07-15"),
                Trial("april-after-march", "2003-04"), Trial("first-month", "2003-03"),
                Trial("iso-week", "2003-W32"))),
    RealFile(
        key="retail", files=("prophet_example_retail_sales.csv",), kind="orders",
        client={"name": "US retail trade", "currency": "USD", "locale": "en_US"},
        sources=[{"name": "retail-sales", "kind": "orders",
                  "path": "prophet_example_retail_sales.csv",
                  "mapping": {"rename": {"ds": "date", "y": "revenue"},
                              "date_format": "%Y-%m-%d"}}],
        kpis=[K("revenue", "Retail sales", "currency", "sales")], inputs={"revenue": ("revenue",)},
        read=_retail,
        # a week (and a month to date) cuts a monthly row: the report has no value for it, and
        # says why, rather than a made-up share of the month
        trials=(Trial("complete-month", "2015-10"), Trial("month-to-date", "2016-05", "2016-05-15"),
                Trial("september-after-august", "2015-09"), Trial("first-year", "1992-06"),
                Trial("iso-week", "2015-W41"))),
    RealFile(
        key="ads", files=("ab_control_group.csv", "ab_test_group.csv"), kind="ads",
        client={"name": "A/B ad campaign", "currency": "USD", "locale": "en_US"},
        sources=[{"name": name, "kind": "ads", "path": f"ab_{name}_group.csv", "delimiter": ";",
                  "mapping": AB_MAPPING} for name in ("control", "test")],
        kpis=[K("spend", "Ad spend", "currency", "spend"),
              K("impressions", "Impressions", "count", "impressions"),
              K("clicks", "Website clicks", "count", "clicks"),
              K("conversions", "Purchases", "count", "purchases"),
              K("ctr", "Click-through rate", "percent", "clicks", "impressions"),
              K("cpa", "Cost per purchase", "currency", "spend", "purchases")],
        inputs={"spend": ("spend",), "impressions": ("impressions",), "clicks": ("clicks",),
                "conversions": ("conversions",), "ctr": ("clicks", "impressions"),
                "cpa": ("spend", "conversions")},
        read=_ab,
        # one month of data (1-30 August 2019): no 30-day month after a 31-day one
        trials=(Trial("complete-month", "2019-08"), Trial("month-to-date", "2019-08", "2019-08-15"),
                Trial("iso-week", "2019-W33"))),
    RealFile(
        key="nps", files=("nps_survey_responses_practice.csv",), kind="survey",
        client={"name": "Practice NPS programme", "currency": "GBP", "locale": "en_GB"},
        sources=[{"name": "nps", "kind": "survey", "path": "nps_survey_responses_practice.csv",
                  "mapping": {"rename": {"ID": "response_id", "Survey date": "date", "NPS": "score",
                                         "Market": "segment"},
                              "date_format": "%d/%m/%Y", "constants": {"scale": "nps"}}}],
        kpis=[K("nps", "Net Promoter Score", "score", "net", "responses", 100.0),
              K("nps_responses", "Survey responses", "count", "responses")],
        inputs={"nps": ("nps_promoters", "nps_detractors", "nps_responses"),
                "nps_responses": ("nps_responses",)},
        read=_nps, private_columns=("Customer Name",),
        trials=(Trial("complete-month", "2021-05"), Trial("month-to-date", "2021-07", "2021-07-15"),
                Trial("september-after-august", "2021-09"), Trial("first-month", "2021-01"),
                Trial("iso-week", "2021-W32"))),
    RealFile(
        key="reviews", files=("olist_order_reviews_sample.csv",), kind="survey",
        client={"name": "Olist marketplace", "currency": "BRL", "locale": "pt_BR"},
        sources=[{"name": "reviews", "kind": "survey", "path": "olist_order_reviews_sample.csv",
                  "unique_key": ["review_id", "order_id"],
                  "mapping": {"rename": {"review_id": "response_id", "review_score": "score",
                                         "review_creation_date": "date",
                                         "review_comment_message": "comment"},
                              "constants": {"scale": "csat"}}}],
        kpis=[K("csat", "Customer satisfaction", "percent", "satisfied", "responses"),
              K("csat_responses", "Reviews", "count", "responses")],
        inputs={"csat": ("csat_satisfied", "csat_responses"),
                "csat_responses": ("csat_responses",)},
        read=_olist,
        trials=(Trial("complete-month", "2018-05"), Trial("month-to-date", "2018-03", "2018-03-15"),
                Trial("june-after-may", "2018-06"), Trial("first-year", "2017-03"),
                Trial("iso-week", "2018-W20"),
                # the week before has no review but lies inside the file's dates: a real 0
                Trial("week-after-an-empty-week", "2017-W03"))),
    RealFile(
        key="views", files=("prophet_example_wp_log_peyton_manning.csv",), kind="orders",
        client={"name": "Wikipedia page views", "currency": "EUR", "locale": "de_DE"},
        # y is a log of page views, a decimal: orders' revenue is the one summed decimal column a
        # daily file can map onto (web sessions must be whole numbers)
        sources=[{"name": "page-views", "kind": "orders",
                  "path": "prophet_example_wp_log_peyton_manning.csv",
                  "mapping": {"rename": {"ds": "date", "y": "revenue"},
                              "date_format": "%Y-%m-%d"}}],
        kpis=[K("revenue", "Log page views", "currency", "views")],
        inputs={"revenue": ("revenue",)},
        read=_peyton,
        trials=(Trial("complete-month", "2010-07"), Trial("month-to-date", "2015-10", "2015-10-15"),
                Trial("september-after-august", "2009-09"), Trial("first-year", "2008-07"),
                Trial("iso-week", "2014-W32"))),
)
