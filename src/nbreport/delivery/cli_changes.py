"""The commands about what clients see over time: ``nbreport diff`` and ``nbreport publish``.

Registered on the ``nbreport`` group by :mod:`nbreport.cli`. Nothing here starts a kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from nbreport.core.errors import EXIT_OK, EXIT_REPORTS_FAILED
from nbreport.core.formatting import Formatter
from nbreport.core.layout import ProjectLayout
from nbreport.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


def changes_commands() -> list[click.Command]:
    return [diff, publish]


@click.command()
@click.argument("client")
@click.argument("period")
@click.option("--against", type=click.Choice(["previous", "sent"]), default="previous",
              show_default=True,
              help="The previous period's report (KPI deltas), or the copy of this period's "
                   "report that was sent (every number that moved since).")
@click.option("--json", "as_json", is_flag=True, help="The changes as JSON, for scripts.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when something moved (--against sent), as diff does.")
@pass_settings
def diff(settings: Settings, client: str, period: str, against: str, as_json: bool,
         exit_code: bool) -> None:
    """What changed in CLIENT's report of PERIOD, from the stored results (not the HTML).

    \b
    nbreport diff northwind-outfitters 2026-10                  against September's report
    nbreport diff northwind-outfitters 2026-10 --against sent   a re-run against what was sent
    """
    from nbreport.delivery.diff import diff_report

    fmt, name = client_formatter(settings, client)
    found = diff_report(ProjectLayout.of(settings), client, period, against, fmt, name)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps({"client": client, "period": period, "against": against,
                               "old": found.old_label, "new": found.new_label,
                               "changes": [dict(zip(("what", "old", "new", "change"), row))
                                           for row in found.rows]}, indent=1, ensure_ascii=False))
    else:
        click.echo(found.text())
    sys.exit(EXIT_REPORTS_FAILED if exit_code and found.changed else EXIT_OK)


@click.command()
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the portal to (default: outputs/portal); replaced whole.")
@click.option("--unguessable", is_flag=True,
              help="Name each client's folder with a random token, the same at every publish "
                   "(kept in outputs/portal-tokens.json, never published).")
@pass_settings
def publish(settings: Settings, target: Path | None, unguessable: bool) -> None:
    """Write a static portal, one folder per client with only their own reports and data
    packs that passed the QA gate, and a page of their periods; ready for any static host."""
    from nbreport.cli_data import display_path
    from nbreport.delivery.publish import PORTAL_FOLDER, publish as write_portal

    published = write_portal(settings, target, unguessable=unguessable)
    root = target or settings.outputs_dir / PORTAL_FOLDER
    for client in published:
        periods = ", ".join(report.period for report in client.reports)
        click.echo(f"{client.client_id:<28} {client.folder}/  ({periods})")
    click.echo(f"portal: {display_path(root.resolve())} ({len(published)} clients)")


def client_formatter(settings: Settings, client_id: str) -> tuple[Formatter, str]:
    """The client's formatter and name from its params (defaults when it has none any more)."""
    from nbreport.core.errors import ParamsError
    from nbreport.params import load_client_params

    try:
        params = load_client_params(client_id, settings.params_dir)
    except ParamsError:
        return Formatter(), client_id
    return Formatter(params.client.currency, params.client.locale), params.client.name

