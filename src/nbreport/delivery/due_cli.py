"""``nbreport due``: what the schedules say is due, and the groups ``run --due`` runs.

Registered on the ``nbreport`` group by :mod:`nbreport.cli` (``schedule_commands()``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import click

from nbreport.core.errors import EXIT_OK, EXIT_USAGE
from nbreport.settings import Settings

if TYPE_CHECKING:  # the schedule's modules load when a command needs them: nbreport starts fast
    from nbreport.delivery.due import DueItem

pass_settings = click.make_pass_decorator(Settings)


def schedule_commands() -> list[click.Command]:
    return [due]


def parse_moment(text: str) -> datetime:
    """An ISO 8601 instant with its offset (``2026-11-02T09:00+01:00``, ``...Z``)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"'{text}' is not an ISO date and time, e.g. 2026-11-02T09:00+01:00",
                                 param_hint="--at") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"'{text}' has no time zone; add one: {moment.isoformat()}Z for UTC "
                                 f"or {moment.isoformat()}+01:00", param_hint="--at")
    return moment


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


@click.command()
@click.argument("clients", nargs=-1)
@click.option("--at", "at", metavar="ISO_DATETIME",
              help="Ask about another moment than now, e.g. 2026-11-02T09:00+01:00 (for planning).")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@pass_settings
def due(settings: Settings, clients: tuple[str, ...], at: str | None, as_json: bool) -> None:
    """List what the schedules say is due now: each scheduled client (or CLIENTS) with the period
    its latest due time reports on and why it is due, waiting for data, run or sent.

    `nbreport run --due` runs the clients listed as due; `nbreport send --due` sends those run
    and not sent yet.
    """
    from nbreport.delivery.due import due_items, unscheduled_clients

    now = parse_moment(at) if at else now_utc()
    items = due_items(settings, now, clients or None)
    if as_json:
        click.echo(json.dumps({"at": now.isoformat(), "clients": [item.to_dict() for item in items]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(f"at {now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC")
        for line in due_lines(items):
            click.echo(line)
        if not clients and (unscheduled := unscheduled_clients(settings)):
            click.echo(f"no schedule: {', '.join(unscheduled)}")
    sys.exit(EXIT_USAGE if any(item.state == "invalid" for item in items) else EXIT_OK)


def due_lines(items: Iterable[DueItem]) -> list[str]:
    """One line per client: name, period, state and why."""
    return [f"{item.client_id:<28} {item.period or '-':<9} {item.state:<8} {item.why}" for item in items]


def due_groups(settings: Settings, clients: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The clients ``nbreport run --due`` runs now, by period; tells which are waiting."""
    from nbreport.delivery.due import by_period, due_items

    items = due_items(settings, now_utc(), clients)
    for line in due_lines(item for item in items if item.state in ("waiting", "invalid")):
        click.echo(line, err=True)
    groups = by_period(item for item in items if item.state == "due")
    if not groups:
        click.echo("nothing is due to run (nbreport due says why)")
    return groups
