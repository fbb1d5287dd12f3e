"""The ``nbreport send`` command (registered on the ``nbreport`` group by :mod:`nbreport.cli`)."""

from __future__ import annotations

import sys

import click

from nbreport.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


def delivery_commands() -> list[click.Command]:
    return [send]


@click.command()
@click.argument("period")
@click.argument("clients", nargs=-1)
@click.option("--dry-run", is_flag=True,
              help="Send nothing: write each message to outputs/PERIOD/outbox/CLIENT.eml.")
@click.option("--resend", is_flag=True, help="Send again the reports that were sent already.")
@click.option("--retries", type=click.IntRange(min=1), metavar="N",
              help="Attempts per message (default 3, or NBREPORT_SMTP_RETRIES).")
@click.option("--backoff", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Wait before the first retry, doubled each time (default 5, or "
                   "NBREPORT_SMTP_BACKOFF).")
@pass_settings
def send(settings: Settings, period: str, clients: tuple[str, ...], dry_run: bool,
         resend: bool, retries: int | None, backoff: float | None) -> None:
    """E-mail the reports of PERIOD to each client's recipients (CLIENTS: only those).

    Only reports that passed the QA gate and whose commentary is approved are sent; the
    others are listed with the reason. Recipients, subject and attachments come from each
    client's `delivery:` params; the mail server from NBREPORT_SMTP_HOST, _PORT, _USER,
    _PASSWORD and _TLS (starttls by default). What was sent is recorded in
    outputs/PERIOD/deliveries.json: sending again sends nothing unless --resend. Exit code 1
    when a report was not sent.
    """
    from dataclasses import replace

    from nbreport.delivery.send import SendOptions, send_period
    from nbreport.delivery.smtp import RetryPolicy, SmtpConfig

    retry = RetryPolicy.from_env()
    retry = replace(retry, attempts=retries or retry.attempts,
                    backoff_s=retry.backoff_s if backoff is None else backoff)
    config = None if dry_run else SmtpConfig.from_env(settings.project_dir)
    outcome = send_period(settings, period, list(clients) or None, config=config,
                          options=SendOptions(dry_run=dry_run, resend=resend, retry=retry))
    width = max([len(c.client_id) for c in outcome.clients] + [6])
    for client in outcome.clients:
        click.echo(f"{client.client_id:<{width}}  {client.result:<12}  {client.detail}")
    if not outcome.clients:
        click.echo(f"no reports for {period}")
    if dry_run:
        click.echo("dry run: nothing was sent")
    sys.exit(outcome.exit_code)
