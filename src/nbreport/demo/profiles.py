"""The fictional demo clients: what kind of business each is and how its numbers behave.

Every number the generator draws comes from these profiles and a random
generator seeded by the client id, so the demo data is identical on every
machine. Nothing here is real; the companies are made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEMO_START = date(2025, 1, 1)
DEMO_END = date(2026, 10, 31)


@dataclass(frozen=True)
class Campaign:
    """One ad campaign: its platform, channel, budget share and unit economics.

    ``reported_conversion_inflation`` is how much the ad platform over-reports
    conversions compared with what really happened (view-through and
    modelled conversions): the source of the demo's real discrepancy.
    """

    name: str
    platform: str  # the source name in params, e.g. "google-ads"
    channel: str  # web-analytics channel group, e.g. "Paid Search"
    campaign_type: str
    daily_budget: float
    cpc: float
    ctr: float
    conversion_rate: float
    reported_conversion_inflation: float = 0.05


@dataclass(frozen=True)
class Anomaly:
    """A dated event in the data: a spike, a tracking outage, a paused campaign."""

    kind: str  # "spend_spike" | "tracking_outage" | "campaign_paused" | "cpc_shift" | "cvr_shift"
    start: date
    end: date
    target: str = ""  # campaign name, or empty for the whole client
    factor: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class ClientProfile:
    """How one demo client's business behaves day by day."""

    client_id: str
    business: str  # "ecommerce" | "b2b_leads" | "local_services"
    campaigns: tuple[Campaign, ...]
    organic_sessions: float  # sessions per day from non-paid channels at the start
    organic_conversion_rate: float
    average_value: float  # order value, deal value or booking value
    yearly_growth: float
    weekly: tuple[float, ...]  # Monday..Sunday multipliers
    monthly: tuple[float, ...]  # January..December multipliers
    web_conversion_capture: float  # share of real conversions web analytics records (consent, blockers)
    survey_scale: str  # "csat" | "nps"
    surveys_per_day: float
    anomalies: tuple[Anomaly, ...] = field(default_factory=tuple)
    lead_to_deal: float = 0.0  # B2B and local services: share of leads that are won
    days_to_close: int = 0
    currency: str = "USD"
    timezone: str = "America/New_York"
    exports: tuple[tuple[str, str], ...] = ()  # file -> the tool whose export shape it takes
    customer_base: str = ""  # its key in customer_success.PROFILES, for a subscription business


NORTHWIND = ClientProfile(
    client_id="northwind-outfitters",
    business="ecommerce",
    campaigns=(
        Campaign("Search - Brand", "google-ads", "Paid Search", "Search", 120, 0.45, 0.12, 0.085),
        Campaign("Search - Generic Outdoor", "google-ads", "Paid Search", "Search", 420, 1.35, 0.045, 0.024),
        Campaign("Shopping - All Products", "google-ads", "Paid Search", "Shopping", 560, 0.62, 0.011, 0.021),
        Campaign("Performance Max - Sale", "google-ads", "Paid Search", "Performance Max", 300, 0.70, 0.009, 0.019, 0.18),
        Campaign("Prospecting - Lookalike", "meta-ads", "Paid Social", "Conversions", 380, 0.85, 0.013, 0.011, 0.45),
        Campaign("Retargeting - Dynamic Ads", "meta-ads", "Paid Social", "Catalogue Sales", 190, 0.60, 0.017, 0.032, 0.30),
    ),
    organic_sessions=5200,
    organic_conversion_rate=0.017,
    average_value=86.0,
    yearly_growth=0.18,
    weekly=(0.95, 0.97, 0.98, 1.0, 1.02, 1.05, 1.03),
    monthly=(0.82, 0.78, 0.92, 1.0, 1.05, 1.08, 1.02, 0.98, 0.96, 1.02, 1.35, 1.42),
    web_conversion_capture=0.86,
    survey_scale="csat",
    surveys_per_day=14,
    exports=(("google-ads.csv", "google_ads_report"), ("meta-ads.csv", "meta_ads"),
             ("web-analytics.csv", "ga4"), ("orders.csv", "shopify"), ("surveys.csv", "typeform")),
    anomalies=(
        Anomaly("campaign_paused", date(2025, 7, 1), date(2025, 7, 14), "Search - Generic Outdoor",
                note="Generic search paused while the site was migrated"),
        Anomaly("spend_spike", date(2026, 3, 15), date(2026, 3, 15), "Shopping - All Products", 3.2,
                note="Shopping budget typed with an extra zero for one day"),
        Anomaly("tracking_outage", date(2026, 6, 10), date(2026, 6, 12), factor=0.05,
                note="Web analytics tag missing from the checkout after a release"),
        Anomaly("cpc_shift", date(2026, 10, 1), date(2026, 10, 31), "Search - Generic Outdoor", 1.22,
                note="A competitor bid up generic outdoor terms"),
        Anomaly("cvr_shift", date(2026, 10, 1), date(2026, 10, 31), "Retargeting - Dynamic Ads", 1.35,
                note="New catalogue creative in retargeting"),
    ),
)

LEDGERLINE = ClientProfile(
    client_id="ledgerline",
    business="b2b_leads",
    customer_base="ledgerline",
    campaigns=(
        Campaign("Search - Brand", "google-ads", "Paid Search", "Search", 70, 1.90, 0.15, 0.11),
        Campaign("Search - Accounting Software", "google-ads", "Paid Search", "Search", 260, 7.80, 0.038, 0.045),
        Campaign("Search - Competitor Terms", "google-ads", "Paid Search", "Search", 110, 9.50, 0.029, 0.03),
        Campaign("Sponsored Content - Finance Directors", "linkedin-ads", "Paid Social", "Sponsored Content", 240, 8.40, 0.0055, 0.05, 0.35),
        Campaign("Lead Gen Forms - SME Owners", "linkedin-ads", "Paid Social", "Lead Generation", 180, 7.10, 0.0062, 0.09, 0.25),
    ),
    organic_sessions=1400,
    organic_conversion_rate=0.009,
    average_value=4200.0,
    yearly_growth=0.28,
    weekly=(1.12, 1.15, 1.13, 1.08, 0.98, 0.30, 0.24),
    monthly=(1.08, 1.05, 1.07, 1.02, 1.0, 0.95, 0.78, 0.74, 1.04, 1.08, 1.02, 0.70),
    web_conversion_capture=0.9,
    survey_scale="nps",
    surveys_per_day=3.5,
    anomalies=(
        Anomaly("campaign_paused", date(2025, 12, 20), date(2026, 1, 3), "Search - Competitor Terms",
                note="Competitor campaign paused over the holidays"),
        Anomaly("spend_spike", date(2026, 5, 6), date(2026, 5, 7), "Sponsored Content - Finance Directors", 2.6,
                note="LinkedIn budget cap removed by mistake"),
        Anomaly("cvr_shift", date(2026, 10, 1), date(2026, 10, 31), "Lead Gen Forms - SME Owners", 0.7,
                note="A longer lead form was tested in October"),
    ),
    lead_to_deal=0.11,
    days_to_close=38,
    currency="GBP",
    timezone="Europe/London",
    exports=(("google-ads.csv", "google_ads_api"), ("linkedin-ads.csv", "linkedin_ads"),
             ("web-analytics.csv", "ga4"), ("crm.csv", "hubspot"), ("surveys.jsonl", "delighted")),
)

HARBOURSIDE = ClientProfile(
    client_id="harbourside-dental",
    business="local_services",
    campaigns=(
        Campaign("Search - Emergency Dentist", "google-ads", "Paid Search", "Search", 55, 3.10, 0.085, 0.13),
        Campaign("Search - Teeth Whitening", "google-ads", "Paid Search", "Search", 35, 1.80, 0.06, 0.07),
        Campaign("Local - Maps Listing", "google-ads", "Paid Search", "Local", 20, 0.90, 0.025, 0.09),
        Campaign("Awareness - 10 km Radius", "meta-ads", "Paid Social", "Reach", 30, 0.55, 0.009, 0.02, 0.6),
    ),
    organic_sessions=310,
    organic_conversion_rate=0.035,
    average_value=180.0,
    yearly_growth=0.06,
    weekly=(1.18, 1.1, 1.05, 1.05, 0.98, 0.55, 0.35),
    monthly=(1.22, 1.08, 1.02, 1.0, 0.98, 0.92, 0.85, 0.78, 1.0, 1.04, 1.02, 0.82),
    web_conversion_capture=0.8,
    survey_scale="csat",
    surveys_per_day=3.0,
    anomalies=(
        Anomaly("tracking_outage", date(2025, 11, 3), date(2025, 11, 9), factor=0.2,
                note="Booking widget stopped sending events"),
        Anomaly("spend_spike", date(2026, 9, 2), date(2026, 9, 3), "Awareness - 10 km Radius", 4.0,
                note="Open-day promotion boosted"),
        Anomaly("cpc_shift", date(2026, 10, 1), date(2026, 10, 31), "Search - Emergency Dentist", 0.85,
                note="Better ad relevance lowered emergency CPC"),
    ),
    lead_to_deal=0.62,
    days_to_close=6,
    currency="EUR",
    timezone="Europe/Berlin",
    exports=(("google-ads.csv", "google_ads_report"), ("meta-ads.csv", "meta_ads"),
             ("web-analytics.csv", "ga4"), ("crm.csv", "salesforce"), ("surveys.xlsx", "typeform")),
)

PROFILES: dict[str, ClientProfile] = {p.client_id: p for p in (NORTHWIND, LEDGERLINE, HARBOURSIDE)}
