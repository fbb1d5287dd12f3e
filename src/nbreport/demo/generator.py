"""Deterministic generator of the demo clients' data.

``generate_client(profile, folder)`` writes one file per data source for every
day from :data:`DEMO_START` to :data:`DEMO_END`: ad platforms, web analytics,
orders or CRM records, and survey responses, each in the shape of a real tool's
export (see :mod:`nbreport.demo.exports`), so the demo clients load through the
same presets a real client's files do. The numbers have
growth, weekly and yearly seasonality, a realistic campaign mix, dated
anomalies (a spend spike, a tracking outage, a paused campaign) and a real
discrepancy between sources of the same metric: ad platforms over-report
conversions and web analytics misses some of them.

The same profile always gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nbreport.core.files import make_folder, write_atomic
from nbreport.demo import customer_success, exports
from nbreport.demo.profiles import DEMO_END, DEMO_START, Anomaly, Campaign, ClientProfile

GENERATOR_VERSION = "2"
ORGANIC_CHANNEL_SHARES = {"Organic Search": 0.55, "Direct": 0.27, "Email": 0.11, "Referral": 0.07}
CSAT_WEIGHTS = np.array([0.07, 0.035, 0.085, 0.19, 0.62])  # scores 1..5
NPS_WEIGHTS = np.array([0.02, 0.01, 0.02, 0.03, 0.04, 0.06, 0.08, 0.16, 0.18, 0.2, 0.2])  # 0..10
COMMENTS = {
    "csat": ["Fast delivery, thank you", "Great service", "Item arrived damaged",
             "Took too long to get a reply", "Exactly what I needed", "Easy to book"],
    "nps": ["Reconciliation saves us hours", "Support answered within minutes",
            "Bank feeds break too often", "Pricing went up again", "Great onboarding",
            "Reports are hard to customise"],
}


@dataclass
class _Days:
    """The calendar of the demo and the client's demand on each day."""

    dates: pd.DatetimeIndex
    demand: np.ndarray  # growth x season x weekday x noise, around 1
    season: np.ndarray
    weekday: np.ndarray
    years: np.ndarray  # time since the start, in years


def generate_client(profile: ClientProfile, folder: Path) -> list[Path]:
    """Write the client's demo data files into ``folder``, each shaped like its tool's export;
    returns their paths."""
    rng = np.random.default_rng(zlib.crc32(profile.client_id.encode()))
    days = _calendar(profile, rng)
    make_folder(folder)
    ads = _ads(profile, days, rng)
    true_conversions = _true_conversions(profile, days, ads, rng)
    tables: dict[str, pd.DataFrame] = {}
    for platform, frame in ads.groupby("platform", sort=True):
        tables[f"{platform}.csv"] = frame.drop(columns=["platform", "true_conversions"])
    records = _conversion_records(profile, true_conversions, rng)
    tables["web-analytics.csv"] = _web(profile, days, ads, records, rng)
    if profile.business == "ecommerce":
        tables["orders.csv"] = records[["order_id", "date", "channel", "revenue"]]
    else:
        tables["crm.csv"] = _crm(profile, records, rng)
    tables["surveys"] = _surveys(profile, days, rng)
    # times of day, extra line items: drawn apart, so that the numbers above never change
    cosmetic = np.random.default_rng(zlib.crc32(f"exports:{profile.client_id}".encode()))
    written = []
    for name, tool in profile.exports:
        table = tables["surveys" if name.startswith("surveys.") else name]
        written.append(_export(tool, table, profile, cosmetic, folder / name))
    files = customer_success.customer_success_files(profile.client_id, days.dates, profile.customer_base)
    for name, frame in files.items():
        write_atomic(folder / name, frame.to_csv(index=False, lineterminator="\n",
                                                 float_format="%.2f"))
        written.append(folder / name)
    return written


def _export(tool: str, table: pd.DataFrame, profile: ClientProfile, rng: np.random.Generator,
            path: Path) -> Path:
    currency = profile.currency
    writers = {
        "google_ads_report": lambda: exports.google_ads_report(table, currency, path),
        "google_ads_api": lambda: exports.google_ads_api(table, currency, path),
        "meta_ads": lambda: exports.meta_ads_export(table, currency, path),
        "linkedin_ads": lambda: exports.linkedin_ads_export(table, currency, path),
        "ga4": lambda: exports.ga4_export(table, profile.client_id, path),
        "shopify": lambda: exports.shopify_orders(table, currency, profile.timezone, rng, path),
        "hubspot": lambda: exports.hubspot_deals(table, currency, rng, path),
        "salesforce": lambda: exports.salesforce_opportunities(table, path),
        "typeform": lambda: exports.typeform_responses(table, rng, path),
        "delighted": lambda: exports.delighted_responses(table, rng, path),
    }
    return writers[tool]()


def fingerprint(profile: ClientProfile) -> str:
    """Changes whenever the profile or the generator changes: regenerate then."""
    customers = customer_success.fingerprint(profile.client_id, profile.customer_base)
    return hashlib.sha256(f"{GENERATOR_VERSION}:{profile!r}:{customers}".encode()).hexdigest()[:16]


# --- calendar and demand ------------------------------------------------------------------
def _calendar(profile: ClientProfile, rng: np.random.Generator) -> _Days:
    dates = pd.date_range(DEMO_START, DEMO_END, freq="D")
    years = (dates - dates[0]).days.to_numpy() / 365.25
    # monthly multipliers placed mid-month and interpolated, so seasons change smoothly
    day_of_year = dates.day_of_year.to_numpy()
    anchors = np.array([15 + 30.4 * m for m in range(-1, 13)])
    values = np.array([profile.monthly[-1], *profile.monthly, profile.monthly[0]])
    season = np.interp(day_of_year, anchors, values)
    weekday = np.array(profile.weekly)[dates.day_of_week.to_numpy()]
    noise = rng.lognormal(0.0, 0.06, len(dates))
    demand = (1 + profile.yearly_growth) ** years * season * weekday * noise
    return _Days(dates, demand, season, weekday, years)


def _anomaly_factor(anomalies: tuple[Anomaly, ...], kind: str, target: str,
                    dates: pd.DatetimeIndex) -> np.ndarray:
    factor = np.ones(len(dates))
    for anomaly in anomalies:
        if anomaly.kind == kind and anomaly.target in ("", target):
            inside = (dates >= pd.Timestamp(anomaly.start)) & (dates <= pd.Timestamp(anomaly.end))
            factor[inside] *= 0.0 if kind == "campaign_paused" else anomaly.factor
    return factor


# --- ad platforms -------------------------------------------------------------------------
def _ads(profile: ClientProfile, days: _Days, rng: np.random.Generator) -> pd.DataFrame:
    frames = [_campaign_days(profile, campaign, days, rng) for campaign in profile.campaigns]
    return pd.concat(frames, ignore_index=True).sort_values(["platform", "date", "campaign"],
                                                            kind="stable")


def _campaign_days(profile: ClientProfile, campaign: Campaign, days: _Days,
                   rng: np.random.Generator) -> pd.DataFrame:
    n = len(days.dates)
    anomalies = profile.anomalies
    budget = (campaign.daily_budget * (1 + 0.6 * profile.yearly_growth) ** days.years
              * days.season ** 0.6 * days.weekday ** 0.4 * rng.lognormal(0, 0.08, n))
    spend = (budget * _anomaly_factor(anomalies, "campaign_paused", campaign.name, days.dates)
             * _anomaly_factor(anomalies, "spend_spike", campaign.name, days.dates))
    cpc = (campaign.cpc * days.season ** 0.3 * rng.lognormal(0, 0.05, n)
           * _anomaly_factor(anomalies, "cpc_shift", campaign.name, days.dates))
    clicks = np.round(spend / cpc)
    spend = np.where(clicks > 0, spend, 0.0)
    impressions = np.round(clicks / (campaign.ctr * rng.lognormal(0, 0.07, n)))
    conversion_rate = (campaign.conversion_rate * days.weekday ** 0.5
                       * _anomaly_factor(anomalies, "cvr_shift", campaign.name, days.dates))
    true_conversions = rng.poisson(clicks * conversion_rate)
    reported = true_conversions + rng.poisson(true_conversions * campaign.reported_conversion_inflation)
    value = reported * profile.average_value * rng.lognormal(0, 0.1, n)
    return pd.DataFrame({
        "date": days.dates.strftime("%Y-%m-%d"),
        "platform": campaign.platform,
        "campaign": campaign.name,
        "campaign_type": campaign.campaign_type,
        "channel": campaign.channel,
        "impressions": impressions.astype(int),
        "clicks": clicks.astype(int),
        "spend": np.round(spend, 2),
        "conversions": reported.astype(int),
        "conversion_value": np.round(value, 2),
        "true_conversions": true_conversions,
    })


# --- what really converted, by day and channel --------------------------------------------
def _true_conversions(profile: ClientProfile, days: _Days, ads: pd.DataFrame,
                      rng: np.random.Generator) -> pd.DataFrame:
    paid = ads.groupby(["date", "channel"], as_index=False)["true_conversions"].sum()
    organic = []
    for channel, share in ORGANIC_CHANNEL_SHARES.items():
        sessions = profile.organic_sessions * share * days.demand
        organic.append(pd.DataFrame({
            "date": days.dates.strftime("%Y-%m-%d"),
            "channel": channel,
            "true_conversions": rng.poisson(sessions * profile.organic_conversion_rate),
        }))
    return pd.concat([paid, *organic], ignore_index=True)


def _conversion_records(profile: ClientProfile, conversions: pd.DataFrame,
                        rng: np.random.Generator) -> pd.DataFrame:
    """One row per real conversion (an order, a lead, a booking) with its value."""
    counts = conversions["true_conversions"].to_numpy()
    records = pd.DataFrame({
        "date": np.repeat(conversions["date"].to_numpy(), counts),
        "channel": np.repeat(conversions["channel"].to_numpy(), counts),
    }).sort_values(["date", "channel"], kind="stable", ignore_index=True)
    sigma = 0.55
    mean_log = np.log(profile.average_value) - sigma ** 2 / 2
    records["revenue"] = np.round(rng.lognormal(mean_log, sigma, len(records)), 2)
    records["captured"] = rng.random(len(records)) < profile.web_conversion_capture
    prefix = {"ecommerce": "NW", "b2b_leads": "LL", "local_services": "HD"}[profile.business]
    records.insert(0, "order_id", [f"{prefix}{100000 + i}" for i in range(len(records))])
    return records


def _web(profile: ClientProfile, days: _Days, ads: pd.DataFrame, records: pd.DataFrame,
         rng: np.random.Generator) -> pd.DataFrame:
    paid_clicks = ads.groupby(["date", "channel"], as_index=False)["clicks"].sum()
    landing = {"Paid Search": 0.91, "Paid Social": 0.8}
    paid_clicks["sessions"] = np.round(
        paid_clicks["clicks"] * paid_clicks["channel"].map(landing)
        * rng.lognormal(0, 0.04, len(paid_clicks))).astype(int)
    organic = [pd.DataFrame({
        "date": days.dates.strftime("%Y-%m-%d"),
        "channel": channel,
        "sessions": np.round(profile.organic_sessions * share * days.demand).astype(int),
    }) for channel, share in ORGANIC_CHANNEL_SHARES.items()]
    web = pd.concat([paid_clicks[["date", "channel", "sessions"]], *organic], ignore_index=True)
    web["users"] = np.round(web["sessions"] * 0.78).astype(int)
    web["new_users"] = np.round(web["users"] * rng.uniform(0.55, 0.68, len(web))).astype(int)
    captured = (records[records["captured"]].groupby(["date", "channel"])
                .agg(conversions=("revenue", "size"), revenue=("revenue", "sum")).reset_index())
    web = web.merge(captured, on=["date", "channel"], how="left").fillna(
        {"conversions": 0, "revenue": 0.0})
    outage = _anomaly_factor(profile.anomalies, "tracking_outage", "",
                             pd.DatetimeIndex(pd.to_datetime(web["date"])))
    web["conversions"] = np.round(web["conversions"] * outage).astype(int)
    # only a shop's web analytics sees money; lead forms and bookings carry none
    revenue_seen = 1.0 if profile.business == "ecommerce" else 0.0
    web["revenue"] = np.round(web["revenue"] * outage * revenue_seen, 2)
    return web.sort_values(["date", "channel"], kind="stable", ignore_index=True)


def _crm(profile: ClientProfile, records: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(records)
    created = pd.to_datetime(records["date"])
    close = created + pd.to_timedelta(
        np.ceil(rng.gamma(2.0, profile.days_to_close / 2.0, n)), unit="D")
    outcome = rng.random(n)
    won = outcome < profile.lead_to_deal
    lost = (outcome >= profile.lead_to_deal) & (outcome < profile.lead_to_deal + 0.45)
    closed = close <= pd.Timestamp(DEMO_END)
    stage = np.where(closed & won, "won", np.where(closed & lost, "lost", np.where(
        rng.random(n) < 0.4, "opportunity", "lead")))
    return pd.DataFrame({
        "lead_id": records["order_id"].str.replace(r"^[A-Z]+", "L", regex=True),
        "date": records["date"],
        "channel": records["channel"],
        "stage": stage,
        "close_date": np.where(np.isin(stage, ["won", "lost"]), close.dt.strftime("%Y-%m-%d"), ""),
        "amount": np.where(stage == "won", records["revenue"], np.nan),
    })


def _surveys(profile: ClientProfile, days: _Days, rng: np.random.Generator) -> pd.DataFrame:
    counts = rng.poisson(profile.surveys_per_day * days.demand ** 0.5)
    dates = np.repeat(days.dates.strftime("%Y-%m-%d"), counts)
    n = len(dates)
    if profile.survey_scale == "csat":
        scores = rng.choice(np.arange(1, 6), size=n, p=CSAT_WEIGHTS)
        segments = rng.choice(["New customer", "Returning customer"], size=n, p=[0.45, 0.55])
    else:
        scores = rng.choice(np.arange(0, 11), size=n, p=NPS_WEIGHTS / NPS_WEIGHTS.sum())
        segments = rng.choice(["Starter", "Growth", "Enterprise"], size=n, p=[0.5, 0.35, 0.15])
    with_comment = rng.random(n) < 0.2
    comments = np.where(with_comment, rng.choice(COMMENTS[profile.survey_scale], size=n), "")
    return pd.DataFrame({
        "response_id": [f"R{profile.client_id[:2].upper()}{i:06d}" for i in range(n)],
        "date": dates,
        "scale": profile.survey_scale,
        "score": scores,
        "segment": segments,
        "comment": comments,
    })
