"""Demo customer-success data: accounts, product usage and support tickets of a software client.

For the demo clients that sell subscriptions (Ledgerline), this module writes
what a customer-success team exports from its billing system, product
analytics and help desk, in the canonical columns (see
:mod:`nbreport.sources.canonical`):

* ``accounts.csv`` — one snapshot per account at every month end: status
  (active / churned), plan, segment, seats, MRR, start and churn dates;
* ``product-usage.csv`` — per account and day with any use: active users,
  sessions, key actions (reconciliations run);
* ``support-tickets.csv`` — one row per ticket with ISO timestamps of
  creation, first response and resolution, priority, channel, and the 1-5
  satisfaction rating when the customer gave one;
* ``ces-survey.csv`` — the 1-7 customer-effort survey sent after solved tickets.

The story in the numbers: each account has an engagement level that drifts
month by month; low engagement raises the chance to churn and lowers
expansion, so usage-based health scores really do predict churn. A bank-feed
outage in mid-October 2026 floods support with tickets, slows resolution and
hurts ticket satisfaction. Everything is drawn from a generator seeded by the
client id: the same files on every machine.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

VERSION = "1"
SEGMENTS = ("Starter", "Growth", "Enterprise")
BUSINESS_DAYS = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.12, 0.08])  # Monday..Sunday
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_SHARES = (0.3, 0.5, 0.15, 0.05)
FIRST_RESPONSE_HOURS = np.array([8.0, 4.0, 1.5, 0.5])  # mean by priority
RESOLUTION_HOURS = np.array([30.0, 20.0, 10.0, 5.0])
CHANNELS = ("email", "chat", "phone")
CHANNEL_SHARES = (0.55, 0.3, 0.15)


@dataclass(frozen=True)
class SubscriptionProfile:
    """How a subscription client's customer base behaves."""

    accounts_at_start: int
    new_per_month: float
    yearly_growth: float
    segment_shares: tuple[float, float, float]
    seats: tuple[float, float, float]  # median seats per segment
    price_per_seat: tuple[float, float, float]  # monthly, per segment's plan
    plans: tuple[str, str, str]
    monthly_churn: float  # of an account with average engagement
    tickets_per_seat_day: float
    rated_share: float  # share of solved tickets the customer rates
    ces_share: float  # share of solved tickets answered in the effort survey
    outage: tuple[date, date, float]  # dated incident: first day, last day, ticket multiplier


PROFILES: dict[str, SubscriptionProfile] = {
    "ledgerline": SubscriptionProfile(
        accounts_at_start=260, new_per_month=16, yearly_growth=0.28,
        segment_shares=(0.55, 0.35, 0.10), seats=(3, 12, 55), price_per_seat=(25, 30, 35),
        plans=("Starter", "Professional", "Enterprise"), monthly_churn=0.022,
        tickets_per_seat_day=0.004, rated_share=0.32, ces_share=0.22,
        outage=(date(2026, 10, 12), date(2026, 10, 16), 2.6),
    ),
}


def fingerprint(client_id: str, base: str | None = None) -> str:
    """Changes whenever this module's output for the client would change."""
    return f"{VERSION}:{PROFILES.get(base or client_id)!r}"


def customer_success_files(client_id: str, dates: pd.DatetimeIndex,
                           base: str | None = None) -> dict[str, pd.DataFrame]:
    """The client's customer-success files by file name; empty for clients without any.

    ``base`` names the customer base (a key of :data:`PROFILES`) when it is not the client's own
    id, as for a benchmark's copies of a demo client; the data still differ per client.
    """
    profile = PROFILES.get(base or client_id)
    if profile is None:
        return {}
    rng = np.random.default_rng(zlib.crc32(f"{client_id}:customer-success".encode()))
    base = _simulate_accounts(profile, dates, rng)
    prefix = "".join(part[0] for part in client_id.split("-")).upper()[:2] or "CS"
    tickets = _tickets(profile, base, dates, rng, prefix)
    return {
        "accounts.csv": _snapshots(base, prefix),
        "product-usage.csv": _usage(base, dates, rng, prefix),
        "support-tickets.csv": tickets.drop(columns=["resolution_hours", "segment"]),
        "ces-survey.csv": _ces_survey(profile, tickets, rng, prefix),
    }


@dataclass
class _Base:
    """Every account ever, with month-by-month engagement and seats."""

    months: pd.PeriodIndex
    segment: np.ndarray
    start: pd.DatetimeIndex
    churn: pd.DatetimeIndex  # NaT while still a customer
    engagement: np.ndarray  # accounts x months, 0..1
    seats: np.ndarray  # accounts x months
    price: np.ndarray
    plan: np.ndarray


def _simulate_accounts(profile: SubscriptionProfile, dates: pd.DatetimeIndex,
                       rng: np.random.Generator) -> _Base:
    months = pd.period_range(dates[0], dates[-1], freq="M")
    growth = (1 + profile.yearly_growth) ** (np.arange(len(months)) / 12)
    arrivals = rng.poisson(profile.new_per_month * growth)
    first_month = np.concatenate([np.full(profile.accounts_at_start, -1),
                                  np.repeat(np.arange(len(months)), arrivals)])
    n = len(first_month)
    segment = rng.choice(3, size=n, p=profile.segment_shares)
    start = _start_dates(first_month, months, rng)
    seats = np.zeros((n, len(months)))
    engagement = np.zeros((n, len(months)))
    churn = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    current_seats = np.maximum(1, np.round(np.array(profile.seats)[segment]
                                           * rng.lognormal(0, 0.35, n)))
    current = rng.beta(5.0, 2.5, n)
    for k, month in enumerate(months):
        alive = (first_month <= k) & np.isnat(churn)
        current = np.clip(current + rng.normal(0, 0.07, n), 0.03, 0.98)  # engagement drifts
        engagement[:, k] = current
        hazard = _hazard(profile, current, k - first_month)
        leaving = alive & (first_month < k) & (rng.random(n) < hazard)
        churn[leaving] = (month.start_time + pd.to_timedelta(
            rng.integers(0, month.days_in_month, leaving.sum()), "D")).to_numpy()
        current_seats = _resized(current_seats, alive & ~leaving, current, rng)
        seats[:, k] = current_seats
    price = np.array(profile.price_per_seat, dtype=float)[segment]
    return _Base(months, np.array(SEGMENTS)[segment], start, pd.DatetimeIndex(churn), engagement,
                 seats, price, np.array(profile.plans)[segment])


def _hazard(profile: SubscriptionProfile, engagement: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Monthly chance to leave: higher when engagement is low; rarely in the first months."""
    hazard = profile.monthly_churn * np.exp(3.2 * (0.62 - engagement))
    return np.where(age < 2, hazard * 0.3, hazard)


def _resized(seats: np.ndarray, staying: np.ndarray, engagement: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """Engaged customers add seats (expansion), disengaged ones drop some (contraction)."""
    n = len(seats)
    grow = staying & (rng.random(n) < 0.015 + 0.05 * engagement)
    shrink = staying & ~grow & (rng.random(n) < 0.03 * (1 - engagement))
    seats = np.where(grow, seats + np.ceil(seats * rng.uniform(0.1, 0.35, n)), seats)
    return np.where(shrink, np.maximum(1, seats - np.ceil(seats * 0.2)), seats)


def _start_dates(first_month: np.ndarray, months: pd.PeriodIndex,
                 rng: np.random.Generator) -> pd.DatetimeIndex:
    first_day = months[0].start_time
    earlier = first_day - pd.to_timedelta(rng.integers(20, 1100, len(first_month)), "D")
    month_start = months.start_time.to_numpy()[np.maximum(first_month, 0)]
    within = pd.to_timedelta(rng.integers(0, 28, len(first_month)), "D")
    return pd.DatetimeIndex(np.where(first_month < 0, earlier, month_start + within))


def _snapshots(base: _Base, prefix: str) -> pd.DataFrame:
    """Every month end: each customer, and each account that left during that month."""
    frames = []
    for k, month in enumerate(base.months):
        month_end = month.end_time.normalize()
        started = base.start <= month_end
        gone_before = base.churn < month.start_time
        left_now = (base.churn >= month.start_time) & (base.churn <= month_end)
        keep = np.flatnonzero(started & ~gone_before)
        churned = left_now[keep]
        mrr = np.where(churned, 0.0, base.seats[keep, k] * base.price[keep])
        frames.append(pd.DataFrame({
            "date": month_end.strftime("%Y-%m-%d"),
            "account_id": [f"{prefix}-A{i:05d}" for i in keep],
            "segment": base.segment[keep],
            "plan": base.plan[keep],
            "status": np.where(churned, "churned", "active"),
            "mrr": np.round(mrr, 2),
            "seats": base.seats[keep, k].astype(int),
            "start_date": base.start[keep].strftime("%Y-%m-%d"),
            "churn_date": np.where(churned, base.churn[keep].strftime("%Y-%m-%d"), ""),
        }))
    return pd.concat(frames, ignore_index=True)


def _customer_days(base: _Base, dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """(accounts x days) mask of days an account was a customer, and each day's month index."""
    day_values = dates.to_numpy()
    started = base.start.to_numpy()[:, None] <= day_values[None, :]
    churn = base.churn.to_numpy()
    before_churn = np.isnat(churn)[:, None] | (day_values[None, :] < churn[:, None])
    month_index = np.searchsorted(base.months.start_time.to_numpy(), day_values, side="right") - 1
    return started & before_churn, month_index


def _usage(base: _Base, dates: pd.DatetimeIndex, rng: np.random.Generator,
           prefix: str) -> pd.DataFrame:
    customer, month_index = _customer_days(base, dates)
    engagement = base.engagement[:, month_index]
    seats = base.seats[:, month_index]
    # the weeks before leaving, use fades
    churn = base.churn.to_numpy()
    days_left = (churn[:, None] - dates.to_numpy()[None, :]) / np.timedelta64(1, "D")
    fading = np.where(~np.isnat(churn)[:, None] & (days_left < 45), 0.45, 1.0)
    weekday = BUSINESS_DAYS[dates.day_of_week.to_numpy()][None, :]
    probability = np.clip(engagement * fading * weekday, 0, 1)
    active = rng.binomial(seats.astype(int), probability) * customer
    rows, cols = np.nonzero(active)
    users = active[rows, cols]
    sessions = users + rng.poisson(users * 1.6)
    actions = rng.poisson(users * (2 + 10 * engagement[rows, cols]))
    frame = pd.DataFrame({
        "date": dates[cols].strftime("%Y-%m-%d"),
        "account_id": [f"{prefix}-A{i:05d}" for i in rows],
        "active_users": users,
        "sessions": sessions,
        "key_actions": actions,
    })
    return frame.sort_values(["date", "account_id"], kind="stable", ignore_index=True)


def _tickets(profile: SubscriptionProfile, base: _Base, dates: pd.DatetimeIndex,
             rng: np.random.Generator, prefix: str) -> pd.DataFrame:
    customer, month_index = _customer_days(base, dates)
    friction = rng.gamma(2.0, 0.5, len(base.segment))[:, None]
    first, last, surge_factor = profile.outage
    incident = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
    surge = np.where(incident, surge_factor, 1.0)[None, :]
    rate = (base.seats[:, month_index] * profile.tickets_per_seat_day * friction * surge
            * BUSINESS_DAYS[dates.day_of_week.to_numpy()][None, :])
    counts = rng.poisson(rate * customer)
    rows, cols = np.nonzero(counts)
    rows, cols = np.repeat(rows, counts[rows, cols]), np.repeat(cols, counts[rows, cols])
    n = len(rows)
    priority = rng.choice(4, size=n, p=PRIORITY_SHARES)
    during_incident = incident[cols]
    slow = np.where(during_incident, 1.9, 1.0)
    created = dates[cols] + pd.to_timedelta(8 * 60 + rng.integers(0, 10 * 60, n), "min")
    first_hours = rng.gamma(1.5, FIRST_RESPONSE_HOURS[priority] / 1.5) * slow
    resolve_hours = first_hours + rng.gamma(2.0, RESOLUTION_HOURS[priority] / 2.0) * slow
    first = created + pd.to_timedelta(np.round(first_hours * 60), "min")
    resolved = created + pd.to_timedelta(np.round(resolve_hours * 60), "min")
    data_end = dates[-1] + pd.Timedelta(hours=23, minutes=59)
    solved = resolved <= data_end
    responded = first <= data_end
    rated = solved & (rng.random(n) < profile.rated_share)
    mood = 4.7 - 0.025 * resolve_hours - np.where(during_incident, 0.9, 0.0) + rng.normal(0, 0.8, n)
    satisfaction = np.where(rated, np.clip(np.round(mood), 1, 5), np.nan)
    recent = (data_end - resolved) < pd.Timedelta(days=4)
    frame = pd.DataFrame({
        "date": dates[cols].strftime("%Y-%m-%d"),
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"),
        "account_id": [f"{prefix}-A{i:05d}" for i in rows],
        "channel": np.array(CHANNELS)[rng.choice(3, size=n, p=CHANNEL_SHARES)],
        "priority": np.array(PRIORITIES)[priority],
        "status": np.where(solved, np.where(recent, "solved", "closed"), "open"),
        "first_response_at": np.where(responded, first.strftime("%Y-%m-%dT%H:%M:%S"), ""),
        "resolved_at": np.where(solved, resolved.strftime("%Y-%m-%dT%H:%M:%S"), ""),
        "satisfaction": satisfaction,
        "resolution_hours": np.where(solved, resolve_hours, np.nan),
        "segment": base.segment[rows],
    })
    frame = frame.sort_values(["created_at", "account_id"], kind="stable", ignore_index=True)
    frame.insert(0, "ticket_id", [f"{prefix}-T{i:06d}" for i in range(len(frame))])
    return frame


def _ces_survey(profile: SubscriptionProfile, tickets: pd.DataFrame, rng: np.random.Generator,
                prefix: str) -> pd.DataFrame:
    """The effort survey after solved tickets: quicker resolutions feel easier."""
    solved = tickets[tickets["resolution_hours"].notna()]
    answered = solved[rng.random(len(solved)) < profile.ces_share]
    hours = answered["resolution_hours"].to_numpy()
    effort = 6.3 - 0.035 * hours + rng.normal(0, 0.9, len(answered))
    day = pd.to_datetime(answered["resolved_at"]).dt.strftime("%Y-%m-%d")
    return pd.DataFrame({
        "response_id": [f"{prefix}-C{i:06d}" for i in range(len(answered))],
        "date": day.to_numpy(),
        "scale": "ces",
        "score": np.clip(np.round(effort), 1, 7).astype(int),
        "segment": answered["segment"].to_numpy(),
        "comment": "",
    }).sort_values(["date", "response_id"], kind="stable", ignore_index=True)
