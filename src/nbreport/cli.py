"""The ``nbreport`` command line: parses, builds one :class:`Settings`, calls the library.

Exit codes: the table in :mod:`nbreport.core.exit_codes`, shown by ``nbreport --help``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from nbreport import __version__
from nbreport.core.errors import EXIT_OK, EXIT_REPORTS_FAILED, EXIT_USAGE, NbreportError, ParamsError
from nbreport.core.exit_codes import EXIT_INTERRUPTED, EXIT_STORAGE, help_text
from nbreport.cli_data import data_commands, display_path, overrides
from nbreport.delivery.due_cli import schedule_commands
from nbreport.delivery.cli import delivery_commands
from nbreport.delivery.cli_changes import changes_commands
from nbreport.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=help_text())
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="The project folder (params/, data/, notebooks/...).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="NBREPORT_DATA_DIR",
              help="Where the clients' data folders are (default: <project>/data).")
@click.option("--outputs-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="NBREPORT_OUTPUTS_DIR", help="Where reports are written (default: <project>/outputs).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="nbreport")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path, data_dir: Path | None, outputs_dir: Path | None,
        verbose: int) -> None:
    """Client reports from one parameterised Jupyter notebook."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    folders = {name: value.resolve() for name, value in
               (("data_dir", data_dir), ("outputs_dir", outputs_dir)) if value is not None}
    ctx.obj = Settings.for_project(project_dir, **folders)


@cli.command()
@click.argument("clients", nargs=-1)
@click.option("--all", "run_all", is_flag=True, help="Run every client in params/.")
@click.option("--period", help="Report this period instead of the one in the params files "
              "(2026-10, 2026-Q3, last-month...).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter for this run, e.g. --set budget.amount=30000.")
@click.option("--cell-timeout", type=float, help="Seconds a notebook cell may run (default 600; "
              "a client's report.cell_timeout and a cell's timeout=N tag win).")
@click.option("-j", "--workers", type=click.IntRange(min=1),
              help="Clients run at the same time (default: one per CPU).")
@click.option("--only-failed", is_flag=True,
              help="Run only the clients whose last run for the period did not succeed.")
@click.option("--force", is_flag=True,
              help="Run clients even when nothing changed since their last good report.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Worker processes on this machine, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local Dask cluster).")
@click.option("--publish", type=click.Choice(["passing", "all"]), default="passing",
              show_default=True,
              help="Publish only the reports that pass the QA gate (nbreport check), or every "
              "report produced: 'all' lets a failing report out and records that in the "
              "manifest. The gate runs after every batch either way.")
@click.option("--format", "report_format", type=click.Choice(["html", "pdf", "html+pdf"]),
              default="html", show_default=True,
              help="Publish each report as HTML, as PDF (printed by headless Chromium), or both.")
@click.option("--plain", is_flag=True, envvar="NBREPORT_PLAIN",
              help="No speed tricks: papermill.execute_notebook and nbconvert's public "
              "HTMLExporter, one client per worker process (also NBREPORT_PLAIN=1).")
@click.option("--due", is_flag=True, help="Run the clients whose schedule says a report is due "
              "now (nbreport due; CLIENTS: only those), each for the period it is due for.")
@pass_settings
def run(settings: Settings, clients: tuple[str, ...], run_all: bool, period: str | None,
        assignments: tuple[str, ...], cell_timeout: float | None, workers: int | None,
        only_failed: bool, force: bool, executor: str, scheduler: str | None, publish: str,
        report_format: str, plain: bool, due: bool) -> None:
    """Produce the reports of CLIENTS (or --all, --only-failed, --due) and the period's index page.

    Clients whose params, data, commentary, notebook, templates and nbreport version are
    unchanged since their last good report are skipped. Ctrl-C stops the run cleanly.
    """
    from dataclasses import replace

    from nbreport.batch import BatchOptions, run_batch
    from nbreport.batch.progress import Progress, summary_table

    if due and (run_all or only_failed or period):
        raise click.UsageError("--due chooses each client's period from its schedule; "
                               "drop --all, --only-failed and --period")
    if clients and run_all or not (clients or run_all or only_failed or due):
        raise click.UsageError("name one or more clients, or pass --all")
    from nbreport import stopping

    stopping.disarm()  # a run stops its kernels and records what was interrupted itself
    _skip_slow_optional_imports()
    if cell_timeout is not None:
        settings = replace(settings, cell_timeout=cell_timeout)
    if plain:
        settings = replace(settings, plain=True)
    if report_format != "html":
        from nbreport.render.pdf import find_chromium

        find_chromium()  # no Chromium: a usage error now, not a failure per client later
        settings = replace(settings, report_format=report_format)
    from nbreport.qa.gate import check_before_publishing
    from nbreport.qa.table import gate_table

    options = BatchOptions(workers=workers, executor=executor, scheduler=scheduler,
                           only_failed=only_failed, force=force,
                           checks=(check_before_publishing,) if publish == "passing" else ())
    if due:
        from nbreport.delivery.due_cli import due_groups

        runs: dict[str | None, list[str] | None] = dict(due_groups(settings, clients or None))
    else:
        runs = {period: list(clients) or None}
    exit_code = EXIT_OK
    for run_period, run_clients in runs.items():  # one batch per period (--due: each its own)
        progress = Progress()
        try:
            outcome = run_batch(settings, run_clients, overrides=overrides(run_period, assignments),
                                options=options, events=progress)
        finally:
            progress.close()
        click.echo(summary_table(outcome))
        for gate in outcome.gates:
            click.echo(gate_table(gate, failures_only=True))
        for page in outcome.index_pages:
            click.echo(f"index: {display_path(page)}")
        exit_code = max(exit_code, outcome.exit_code)
        if outcome.interrupted:
            click.echo("interrupted: previous good reports are unchanged; the manifest records what "
                       "was stopped (nbreport run --only-failed runs those clients again)", err=True)
            break
    sys.exit(exit_code)


@cli.command(name="list")
@pass_settings
def list_clients(settings: Settings) -> None:
    """List the clients in params/ with their name and period."""
    from nbreport.params import client_files, load_client_params

    for client_id in client_files(settings.params_dir):
        try:
            params = load_client_params(client_id, settings.params_dir)
            click.echo(f"{client_id:<28} {params.client.name:<32} {params.period.label}")
        except ParamsError:
            click.echo(f"{client_id:<28} (invalid parameters: nbreport validate {client_id})")


@cli.command()
@click.argument("period", required=False)
@click.option("--client", "clients", multiple=True, help="Check only this client (repeatable).")
@pass_settings
def check(settings: Settings, period: str | None, clients: tuple[str, ...]) -> None:
    """The gate before sending: check every report of PERIOD (default: the latest run).

    No errored cells, no code, no parameters, no secrets, no other client's data, no external
    resources, no unreviewed drafts, fresh data, size within budget. Exit code 1 on any failure
    of the clients checked (--client: those only). Reports on disk that the manifest does not
    know (a run killed before recording them) are recorded as "recovered" and checked too.
    """
    from nbreport.batch.lock import period_locks
    from nbreport.batch.manifest import reconcile_manifest
    from nbreport.core.layout import ProjectLayout
    from nbreport.qa import gate_period, latest_period, record
    from nbreport.qa.table import gate_table
    from nbreport.render.index import write_period_index

    period = period or latest_period(settings.outputs_dir)
    layout = ProjectLayout.of(settings)
    period_dir = layout.period_dir(period)
    with period_locks(settings.outputs_dir, [period]):  # check writes the manifest and index too
        # reports a killed run published without recording them: into the manifest and the index
        stale_index = bool(reconcile_manifest(period_dir)) or (
            layout.manifest(period).exists() and not layout.index(period).exists())
        if stale_index:
            write_period_index(period_dir, settings.templates_dir)  # the gate checks the index too
        report = gate_period(settings, period, list(clients) or None)
        record(report, settings)
        if stale_index:
            write_period_index(period_dir, settings.templates_dir)  # now with the verdicts
    click.echo(gate_table(report))
    for client_id in sorted(set(clients) - {verdict.client_id for verdict in report.clients}):
        click.echo(f"error: {client_id} has no report for {period}: run `nbreport run "
                   f"{client_id} --period {period}` first", err=True)
    sys.exit(EXIT_OK if report.passed_for(clients or None) else EXIT_REPORTS_FAILED)


@cli.command(name="demo-data")
@click.option("--force", is_flag=True, help="Regenerate even when the data is up to date.")
@pass_settings
def demo_data(settings: Settings, force: bool) -> None:
    """Generate the demo clients' data under data/ (deterministic; skipped when up to date)."""
    from nbreport.demo import generate_demo_data

    written = generate_demo_data(settings.data_dir, force=force)
    click.echo(f"demo data: {'generated ' + ', '.join(written) if written else 'up to date'}")


@cli.command()
@click.argument("clients", nargs=-1)
@click.option("--real-data", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the public real series (default: ../shared/data/real beside the "
                   "project, when it exists).")
@click.option("--origins", type=click.IntRange(1, 24), default=6, show_default=True,
              help="Rolling origins per series, one horizon apart.")
@click.option("--no-clients", is_flag=True, help="Only the real series.")
@pass_settings
def backtest(settings: Settings, clients: tuple[str, ...], real_data: Path | None, origins: int,
             no_clients: bool) -> None:
    """Rolling-origin backtests of the forecasts of CLIENTS (all when none are named) and of the
    public real series: MAPE and interval coverage next to seasonal naive, measured in this run."""
    from dataclasses import replace

    from nbreport.forecast.backtest import backtest as run_backtest
    from nbreport.forecast.backtest import client_series, real_series, table_block, table_header
    from nbreport.params import client_files

    folder = real_data or settings.project_dir.parent / "shared" / "data" / "real"
    series = [] if no_clients else client_series(
        settings, clients or list(client_files(settings.params_dir)), origins=origins)
    series += [replace(s, origins=origins) for s in real_series(folder)] if folder.is_dir() else []
    if not series:
        raise click.UsageError("nothing to backtest: no clients and no real-data folder")
    click.echo(table_header())
    for item in series:
        click.echo(table_block(run_backtest(item)))


# Optional modules that other packages import for features a run never uses, at a high start-up
# cost: jsonschema (under nbformat) builds an IRI grammar with rfc3987_syntax, about 2 s of CPU,
# for a string format that notebook validation never checks. This process skips them.
SKIPPED_OPTIONAL_MODULES = ("rfc3987_syntax",)


for _command in [*data_commands(), *schedule_commands(), *delivery_commands(), *changes_commands()]:
    cli.add_command(_command)


def _skip_slow_optional_imports() -> None:
    for name in SKIPPED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type] - None reads "not installed"


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point: runs the CLI and maps nbreport errors to their exit codes."""
    from nbreport import stopping

    signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops any command as Ctrl-C does
    stopping.arm()  # ... within a second, even inside a long call into C
    try:
        _run_cli()
    except KeyboardInterrupt:  # a stop arriving after click's own handling, on the way out
        _aborted()
    finally:
        # the command is over: Python puts the default handlers back while it shuts down, and
        # a stop arriving then would end the process by the signal instead of with its code
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, signal.SIG_IGN)


def _run_cli() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _aborted()
    except NbreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # one the library did not turn into a StorageError: still one line
        click.echo(f"error: {_os_error_line(exc)}", err=True)
        sys.exit(EXIT_STORAGE)


def _os_error_line(exc: OSError) -> str:
    """An operating-system error as one line naming the file and the fix, never a traceback."""
    from nbreport.core.errors import DEVICE_ERRNOS, StorageError, shown_path

    if exc.errno in DEVICE_ERRNOS or not exc.filename:
        return str(StorageError.from_os_error(exc))
    return (f"{shown_path(str(exc.filename))}: {exc.strerror or exc}; check that it exists and that your user "
            "may read and write it, and run again")


def _aborted() -> None:
    """Say so and exit 130 at once: tearing down what an interrupted command built (a large
    table's memory, worker threads) can take longer than the second a stop may take."""
    click.echo("aborted", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
