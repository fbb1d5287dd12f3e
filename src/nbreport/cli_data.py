"""The commands about a client's params and data: validate, preview, new-client, schema, metrics.

Registered on the ``nbreport`` group by :mod:`nbreport.cli`; kept apart so that each module
stays short. Nothing here starts a kernel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from nbreport.core.errors import EXIT_OK, EXIT_USAGE, DataError
from nbreport.settings import Settings

pass_settings = click.make_pass_decorator(Settings)


def data_commands() -> list[click.Command]:
    return [validate, preview, new_client, schema, metrics]


@click.command()
@click.argument("clients", nargs=-1)
@click.option("--period", help="Validate as if this period were reported.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Validate with a parameter overridden as run --set would, e.g. kpis[0].target=5.")
@click.option("--data", "whole_data", is_flag=True,
              help="Also check what preview shows: every source covers the reported period and the "
                   "headline KPIs compute (no rows printed).")
@pass_settings
def validate(settings: Settings, clients: tuple[str, ...], period: str | None,
             assignments: tuple[str, ...], whole_data: bool) -> None:
    """Check the params of CLIENTS (all when none are named) and read their data files as a
    run would, without starting a kernel or running a query."""
    from nbreport.batch import plan
    from nbreport.core.period_names import cover_line
    from nbreport.sources.preflight import check_client_data

    tasks, invalid = plan(settings, clients or None, overrides(period, assignments))
    failed = bool(invalid)
    for task in tasks:
        found = check_client_data(task.params, settings.data_dir / task.client_id)
        if whole_data and not found.errors:
            found.errors.extend(_data_problems(task.params, settings.data_dir / task.client_id))
        if found.errors:
            failed = True
            click.echo(f"invalid  {task.client_id} (data in data/{task.client_id}/)", err=True)
            click.echo(indent("\n".join(map(str, found.errors))), err=True)
        else:
            click.echo(f"ok       {task.client_id} ({cover_line(task.params.period, task.params.report_period)})")
        for note in [*found.notes, *_target_notes(task.params)]:
            click.echo(f"    note: {note}")
    for result in invalid:
        click.echo(f"invalid  {result.client_id}", err=True)
        click.echo(indent(result.error.message if result.error else ""), err=True)
    sys.exit(EXIT_USAGE if failed else EXIT_OK)


def _target_notes(params: Any) -> list[str]:
    """How each summed KPI's monthly target is pro-rated to the period (a week, a quarter...)."""
    from nbreport.metrics.targets import target_explained

    return [why for kpi in params.kpis if (why := target_explained(kpi, params.period))]


def _data_problems(params: Any, client_dir: Path) -> list[DataError]:
    """What preview would flag, as errors: a source short of the period, KPIs that fail."""
    from nbreport.report.preview import preview_client

    return [DataError(problem) for problem in preview_client(params, client_dir, heads=0).problems]


@click.command()
@click.argument("client")
@click.argument("source", required=False)
@click.option("--period", help="Preview as if this period were reported.")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Preview with a parameter overridden, e.g. sources[0].path=october.csv.")
@click.option("--rows", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Rows shown after each step.")
@pass_settings
def preview(settings: Settings, client: str, source: str | None, period: str | None,
            assignments: tuple[str, ...], rows: int) -> None:
    """Show what CLIENT's data becomes (one SOURCE, or all): the SQL of its transform steps and
    the first rows after each, each canonical column's type and blanks, the dates covered
    against the period, the rows left out and why, and the headline KPI values."""
    from nbreport.params import load_client_params
    from nbreport.report.preview import preview_client
    from nbreport.report.preview_view import print_preview

    params = load_client_params(client, settings.params_dir, overrides=overrides(period, assignments))
    found = preview_client(params, settings.data_dir / client, source, heads=rows)
    print_preview(found)
    sys.exit(EXIT_USAGE if found.problems else EXIT_OK)


@click.command(name="new-client")
@click.argument("client_id")
@click.argument("more_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The client's exports (csv/tsv/txt, xlsx, parquet, jsonl): one source each, "
              "its preset, delimiter, encoding, header row, date format and columns guessed and "
              "commented. Files are not copied.")
@click.option("--like", "like", metavar="OTHER_CLIENT",
              help="Start from another client's params (branding, KPIs, targets, mappings...).")
@click.option("--name", help="Display name (default: from the id).")
@click.option("--force", is_flag=True, help="Replace an existing params file.")
@pass_settings
def new_client(settings: Settings, client_id: str, more_files: tuple[Path, ...], files: tuple[Path, ...],
               like: str | None, name: str | None, force: bool) -> None:
    """Write a commented params/CLIENT_ID.yaml to start from: `new-client acme --from a.csv b.xlsx`."""
    from nbreport.params.new_client import create_client

    made = create_client(settings, client_id, name, [*files, *more_files], like, force)
    click.echo(f"created {display_path(made.path)}; put the client's files in data/{client_id}/")
    for step in made.todo:
        click.echo(f"  to do: {step}")


@click.command()
def schema() -> None:
    """Print the JSON Schema of a params file (for editor completion and validation)."""
    from nbreport.params import ClientParams

    document = ClientParams.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "nbreport client parameters"
    click.echo(json.dumps(document, indent=2))


@click.command()
@click.option("--columns", is_flag=True, help="Print the canonical model instead (Markdown): "
              "per kind of data, each column with its unit, the metrics that read it and the "
              "presets that fill it; docs/sources.md is this output.")
def metrics(columns: bool) -> None:
    """List the metric names a KPI can use with their definitions, and the signals a health
    score can weigh."""
    from nbreport.metrics.definitions import HEALTH_SIGNALS
    from nbreport.metrics.names import metric_listing

    if columns:
        from nbreport.sources.model_doc import model_document

        click.echo(model_document(), nl=False)
        return
    for line in metric_listing():
        click.echo(line)
    click.echo("\nHealth signals (customer_success.health_score.components[].signal):")
    for name, signal in HEALTH_SIGNALS.items():
        click.echo(f"{name:<26} {signal.label:<34} {'+'.join(signal.kinds):<16} {signal.description}")


def overrides(period: str | None, assignments: tuple[str, ...]) -> dict[str, Any]:
    from nbreport.params import parse_override

    overrides = dict(parse_override(text) for text in assignments)
    if period:
        overrides["period"] = period
    return overrides


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
