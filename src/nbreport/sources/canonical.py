"""The canonical, tidy model: one table shape per kind of data.

Every reader maps its export onto one of these shapes, so that metrics never
depend on which tool the numbers came from. Each loaded table also gets a
``source`` column holding the source's name from the params file.

=========  ==========================================================================
kind       columns (* required)
=========  ==========================================================================
ads        date*, campaign*, channel, campaign_type, impressions*, clicks*, spend*,
           conversions, conversion_value — one row per day and campaign
web        date*, channel, sessions*, users, new_users, conversions, revenue —
           one row per day and channel group
orders     date*, order_id, channel, revenue* — one row per order
crm        date* (created), lead_id, channel, stage* (lead, opportunity, won, lost),
           close_date, amount — one row per lead or deal
survey     date*, score*, scale* (nps, csat, ces), segment, comment, response_id —
           one row per response
support    date* (created), ticket_id, account_id, channel, status, priority,
           first_response_at, resolved_at (timestamps), satisfaction — one row per ticket
accounts   date* (snapshot day), account_id*, segment, plan, status* (active, churned),
           mrr, seats, start_date, churn_date — one row per account and snapshot
usage      date*, account_id*, active_users, sessions, key_actions — one row per account and day
=========  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["date", "datetime", "int", "float", "str"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    default: str | float | None = None
    description: str = ""


def _c(name: str, type_: ColumnType, required: bool = False, default: str | float | None = None,
       description: str = "") -> Column:
    return Column(name, type_, required, default, description)


CANONICAL: dict[str, tuple[Column, ...]] = {
    "ads": (
        _c("date", "date", True, description="Day of the activity"),
        _c("campaign", "str", True),
        _c("channel", "str", default="Unknown", description="Channel group, e.g. Paid Search"),
        _c("campaign_type", "str", default=""),
        _c("impressions", "int", True),
        _c("clicks", "int", True),
        _c("spend", "float", True, description="Cost in the client's currency"),
        _c("conversions", "float", default=0.0, description="As the platform reports them"),
        _c("conversion_value", "float", default=0.0),
    ),
    "web": (
        _c("date", "date", True),
        _c("channel", "str", default="Unknown"),
        _c("sessions", "int", True),
        _c("users", "int", default=0),
        _c("new_users", "int", default=0),
        _c("conversions", "float", default=0.0),
        _c("revenue", "float", default=0.0),
    ),
    "orders": (
        _c("date", "date", True),
        _c("order_id", "str", default=""),
        _c("channel", "str", default="Unknown"),
        _c("revenue", "float", True),
    ),
    "crm": (
        _c("date", "date", True, description="Day the lead was created"),
        _c("lead_id", "str", default=""),
        _c("channel", "str", default="Unknown"),
        _c("stage", "str", True, description="lead, opportunity, won or lost"),
        _c("close_date", "date", description="Day the deal was won or lost"),
        _c("amount", "float", description="Deal value"),
    ),
    "survey": (
        _c("date", "date", True),
        _c("score", "float", True),
        _c("scale", "str", True, description="nps (0-10), csat (1-5) or ces (1-7)"),
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
        _c("satisfaction", "float", description="Ticket CSAT score, when rated"),
    ),
    "accounts": (
        _c("date", "date", True, description="Snapshot day"),
        _c("account_id", "str", True),
        _c("segment", "str", default=""),
        _c("plan", "str", default=""),
        _c("status", "str", True, description="active or churned"),
        _c("mrr", "float", default=0.0, description="Monthly recurring revenue"),
        _c("seats", "int", default=0),
        _c("start_date", "date"),
        _c("churn_date", "date"),
    ),
    "usage": (
        _c("date", "date", True),
        _c("account_id", "str", True),
        _c("active_users", "int", default=0),
        _c("sessions", "int", default=0),
        _c("key_actions", "int", default=0, description="Uses of the product's core feature"),
    ),
}


def columns_of(kind: str) -> tuple[Column, ...]:
    return CANONICAL[kind]
