"""The canonical, tidy model: one table shape per kind of data.

Every reader maps its export onto one of these shapes, so that metrics never
depend on which tool the numbers came from. Each loaded table also gets a
``source`` column holding the source's name from the params file.

=========  ==========================================================================
kind       columns (* required) — grain (the key checked for duplicates)
=========  ==========================================================================
ads        date*, campaign*, channel, campaign_type, impressions*, clicks*, spend*,
           conversions, conversion_value, currency — one row per day and campaign
           (key: date, campaign)
web        date*, channel, sessions*, users, new_users, conversions, revenue, currency —
           one row per day and channel group (key: date, channel)
orders     date*, order_id, channel, revenue*, currency — one row per order (key: order_id)
crm        date* (created), lead_id, channel, stage* (lead, opportunity, won, lost),
           close_date, amount, currency — one row per lead or deal (key: lead_id)
survey     date*, score*, scale* (nps 0-10, csat 1-5, ces 1-7), segment, comment,
           response_id — one row per response (key: response_id)
support    date* (created), ticket_id, account_id, channel, status, priority, created_at,
           first_response_at, resolved_at (timestamps), satisfaction — one row per ticket
           (key: ticket_id)
accounts   date* (snapshot day), account_id*, segment, plan, status* (active, churned),
           mrr, seats, start_date, churn_date, currency — one row per account and
           snapshot (key: date, account_id)
usage      date*, account_id*, active_users, sessions, key_actions — one row per account
           and day (key: date, account_id)
=========  ==========================================================================

Types and rules every source is held to:

- ``date`` columns hold calendar days (``datetime64[ns]`` at midnight). A day is the
  day written in the export: exports already count days in the account's time zone,
  so ``2026-10-31T23:30:00-05:00`` is 31 October, not 1 November in UTC.
- ``datetime`` columns hold instants as naive UTC ``datetime64[ns]``. A value with a
  zone (``Z``, ``+02:00``) is converted to UTC; a value without one is read in the
  source's ``timezone`` (UTC when not given). A column that mixes both is an error
  unless the source declares its ``timezone``: mixing them silently shifts
  response times by hours.
- ``int`` and ``float`` columns are ``float64`` (so a missing optional count is NaN,
  never a made-up 0, unless the column has a default).
- ``currency`` is the ISO 4217 code of the money columns, when the export says it;
  one source must not mix currencies, and none may differ from the client's.
- Columns marked non-negative (counts, spend) refuse negative values; columns with
  choices refuse anything else (map the export's words with ``mapping.values``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["date", "datetime", "int", "float", "str"]

SCORE_RANGES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
"""Valid scores per survey scale."""


@dataclass(frozen=True)
class Column:
    """One canonical column: name, type, whether the export must have it, its default.

    ``unit`` is given only where the metrics that sum the column do not say it (money no
    metric sums, a score): see :func:`nbreport.sources.model_doc.unit_of`.
    """

    name: str
    type: ColumnType
    required: bool = False
    default: str | float | None = None
    description: str = ""
    non_negative: bool = False
    choices: tuple[str, ...] = ()
    unit: str = ""


def _c(name: str, type_: ColumnType, required: bool = False, default: str | float | None = None,
       description: str = "", *, non_negative: bool = False,
       choices: tuple[str, ...] = (), unit: str = "") -> Column:
    return Column(name, type_, required, default, description, non_negative, choices, unit)


def _count(name: str, required: bool = False, description: str = "") -> Column:
    return _c(name, "int", required, None if required else 0, description, non_negative=True)


_CURRENCY = _c("currency", "str", default="", description="ISO 4217 code of the money columns")

CANONICAL: dict[str, tuple[Column, ...]] = {
    "ads": (
        _c("date", "date", True, description="Day of the activity"),
        _c("campaign", "str", True),
        _c("channel", "str", default="Unknown", description="Channel group, e.g. Paid Search"),
        _c("campaign_type", "str", default=""),
        _count("impressions", True),
        _count("clicks", True),
        _c("spend", "float", True, description="Cost in the client's currency", non_negative=True),
        _c("conversions", "float", default=0.0, description="As the platform reports them",
           non_negative=True),
        _c("conversion_value", "float", default=0.0, non_negative=True),
        _CURRENCY,
    ),
    "web": (
        _c("date", "date", True),
        _c("channel", "str", default="Unknown"),
        _count("sessions", True),
        _count("users"),
        _count("new_users"),
        _c("conversions", "float", default=0.0, non_negative=True),
        _c("revenue", "float", default=0.0),
        _CURRENCY,
    ),
    "orders": (
        _c("date", "date", True),
        _c("order_id", "str", default=""),
        _c("channel", "str", default="Unknown"),
        _c("revenue", "float", True, description="Order value; refunds may be negative"),
        _CURRENCY,
    ),
    "crm": (
        _c("date", "date", True, description="Day the lead was created"),
        _c("lead_id", "str", default=""),
        _c("channel", "str", default="Unknown"),
        _c("stage", "str", True, description="lead, opportunity, won or lost",
           choices=("lead", "opportunity", "won", "lost")),
        _c("close_date", "date", description="Day the deal was won or lost"),
        _c("amount", "float", description="Deal value"),
        _CURRENCY,
    ),
    "survey": (
        _c("date", "date", True),
        _c("score", "float", True, description="Within the scale's range", unit="score"),
        _c("scale", "str", True, description="nps (0-10), csat (1-5) or ces (1-7)",
           choices=tuple(SCORE_RANGES)),
        _c("segment", "str", default=""),
        _c("comment", "str", default=""),
        _c("response_id", "str", default=""),
    ),
    "support": (
        _c("date", "date", True, description="Day the ticket was created"),
        _c("ticket_id", "str", default=""),
        _c("account_id", "str", default=""),
        _c("channel", "str", default=""),
        _c("status", "str", default="", description="e.g. open, pending, solved, closed"),
        _c("priority", "str", default=""),
        _c("created_at", "datetime", description="When the ticket was opened"),
        _c("first_response_at", "datetime"),
        _c("resolved_at", "datetime"),
        _c("satisfaction", "float", description="Ticket CSAT score, when rated", unit="score"),
    ),
    "accounts": (
        _c("date", "date", True, description="Snapshot day"),
        _c("account_id", "str", True),
        _c("segment", "str", default=""),
        _c("plan", "str", default=""),
        _c("status", "str", True, description="active or churned", choices=("active", "churned")),
        _c("mrr", "float", default=0.0, description="Monthly recurring revenue", non_negative=True,
           unit="currency"),
        _count("seats"),
        _c("start_date", "date"),
        _c("churn_date", "date"),
        _CURRENCY,
    ),
    "usage": (
        _c("date", "date", True),
        _c("account_id", "str", True),
        _count("active_users"),
        _count("sessions"),
        _count("key_actions", description="Uses of the product's core feature"),
    ),
}

KEYS: dict[str, tuple[str, ...]] = {
    "ads": ("date", "campaign"),
    "web": ("date", "channel"),
    "orders": ("order_id",),
    "crm": ("lead_id",),
    "survey": ("response_id",),
    "support": ("ticket_id",),
    "accounts": ("date", "account_id"),
    "usage": ("date", "account_id"),
}
"""The grain of each kind: no two rows of one source may share these values.
A single identifier column is only checked where it is filled in."""

DAILY_KINDS = ("ads", "web", "usage")
"""Kinds that have a row for every day with activity, so a missing day is a gap worth
flagging (orders, leads and survey responses may really not happen on a quiet day)."""

MEASURES: dict[str, tuple[str, ...]] = {
    "ads": ("spend", "clicks"),
    "web": ("sessions", "conversions"),
    "orders": ("revenue",),
    "usage": ("active_users",),
}
"""Daily totals watched for outliers (a budget typed with an extra zero, a tracking outage)."""


def columns_of(kind: str) -> tuple[Column, ...]:
    return CANONICAL[kind]
