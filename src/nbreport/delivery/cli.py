"""The ``nbreport send`` command (registered on the ``nbreport`` group by :mod:`nbreport.cli`)."""

from __future__ import annotations

import sys

import click

from nbreport.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


def delivery_commands() -> list[click.Command]:
    return [send]


@click.command()
@click.argument("period", required=False)
@click.argument("clients", nargs=-1)
@click.option("--due", is_flag=True, help="Send the reports each client's schedule says are due "
              "now (nbreport due), for the period each is due for; PERIOD is then left out.")
@click.option("--dry-run", is_flag=True,
              help="Send nothing: write each message to outputs/PERIOD/outbox/CLIENT.eml.")
@click.option("--resend", is_flag=True, help="Send again the reports that were sent already.")
@click.option("--retries", type=click.IntRange(min=1), metavar="N",
              help="Attempts per message (default 3, or NBREPORT_SMTP_RETRIES).")
@click.option("--backoff", type=click.FloatRange(min=0), metavar="SECONDS",
              help="Wait before the first retry, doubled each time (default 5, or "
                   "NBREPORT_SMTP_BACKOFF).")
@pass_settings
def send(settings: Settings, period: str | None, clients: tuple[str, ...], due: bool,
         dry_run: bool, resend: bool, retries: int | None, backoff: float | None) -> None:
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
    options = SendOptions(dry_run=dry_run, resend=resend, retry=retry)
    exit_code = 0
    for each_period, named in _periods_to_send(settings, period, clients, due).items():
        outcome = send_period(settings, each_period, named, config=config, options=options)
        width = max([len(c.client_id) for c in outcome.clients] + [6])
        for client in outcome.clients:
            click.echo(f"{client.client_id:<{width}}  {client.result:<12}  {client.detail}")
        if not outcome.clients:
            click.echo(f"no reports for {each_period}")
        exit_code = max(exit_code, outcome.exit_code)
    if dry_run:
        click.echo("dry run: nothing was sent")
    sys.exit(exit_code)


def _periods_to_send(settings: Settings, period: str | None, clients: tuple[str, ...],
                     due: bool) -> dict[str, list[str] | None]:
    """PERIOD and its CLIENTS (``None``: all), or with ``--due`` what the schedules say is due
    now, by period (CLIENTS narrow it down)."""
    if not due:
        if period is None:
            raise click.UsageError("name the PERIOD to send (e.g. 2026-10), or use --due")
        return {period: list(clients) or None}
    if period is not None and not _looks_like_client(settings, period):
        raise click.UsageError("--due chooses each client's period from its schedule; "
                               "leave PERIOD out")
    from datetime import datetime, timezone

    from nbreport.delivery.due import due_for_sending

    named = set(clients) | ({period} if period else set())
    due_now = due_for_sending(settings, datetime.now(timezone.utc))
    found = {key: [c for c in ids if not named or c in named] for key, ids in due_now.items()}
    found = {key: ids for key, ids in found.items() if ids}
    if not found:
        click.echo("nothing is due to be sent")
    return found  # type: ignore[return-value]


def _looks_like_client(settings: Settings, name: str) -> bool:
    """With --due the first name is a client (click reads it as PERIOD)."""
    return (settings.params_dir / f"{name}.yaml").is_file()
