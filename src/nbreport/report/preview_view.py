"""Print a :class:`~nbreport.report.preview.ClientPreview` as rich tables on the terminal."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from nbreport.report.preview import ClientPreview, SourcePreview

MAX_CELL = 40


def print_preview(preview: ClientPreview, console: Console | None = None) -> None:
    console = console or Console()
    console.rule(f"[bold]{preview.client_id}[/] — {preview.period}")
    for source in preview.sources:
        _print_source(console, source)
    _print_period(console, preview)
    if preview.kpis:
        console.print("[bold]Headline KPIs, as the report would show them[/]")
        table = Table()
        for name in ("KPI", "value", "target"):
            table.add_column(name, justify="left" if name == "KPI" else "right")
        for line in preview.kpis:
            table.add_row(line.label, line.value, line.target)
        console.print(table)
    for problem in preview.problems:
        console.print(f"[red]problem:[/] {problem}", markup=True, highlight=False)
    verdict = "[red]problems found[/]" if preview.problems else "[green]ok[/]"
    console.print(f"{verdict} — read in {preview.seconds:.2f} s")


def _print_source(console: Console, source: SourcePreview) -> None:
    console.rule(f"source [bold]{source.name}[/] ({source.kind}) — {source.location}", style="dim")
    if source.error is not None:
        console.print(f"[red]error:[/] {source.error}", highlight=False)
        return
    assert source.loaded is not None
    transformed = source.loaded.transformed
    if transformed is not None:
        console.print(Syntax(transformed.sql, "sql", word_wrap=True))
        for step, head in zip(transformed.steps, transformed.heads):
            title = (f"after step {step.number} ({step.name}): {step.rows:,} rows"
                     if step.number else f"after {step.name}: {step.rows:,} rows")
            console.print(f"[bold]{title}[/]", highlight=False)
            console.print(_rows_table(head))
        for warning in transformed.warnings:
            console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    record = source.loaded.record
    console.print(f"{record.rows_read:,} rows read, {record.rows_used:,} used; dates "
                  f"{record.first_date} to {record.last_date}", highlight=False)
    for line in source.dropped:
        console.print(f"  left out: {line}", highlight=False)
    console.print(_columns_table(source))
    if source.first_rows is not None and source.first_rows.num_rows:
        console.print("[bold]first rows in the canonical model[/]")
        console.print(_rows_table(source.first_rows))


def _columns_table(source: SourcePreview) -> Table:
    table = Table(title=f"canonical columns of {source.name}", title_justify="left", min_width=60)
    for name in ("column", "type", "export column", "blank", "rows"):
        table.add_column(name, justify="right" if name in ("blank", "rows") else "left")
    for column in source.columns:
        if column.export_column is None:
            table.add_row(column.name, column.type, "[dim]not in the export: its default[/]", "", "")
            continue
        blank = f"[yellow]{column.blanks:,}[/]" if column.blanks else "0"
        table.add_row(column.name, column.type, column.export_column, blank, f"{column.rows:,}")
    return table


def _rows_table(rows: pa.Table) -> Table:
    table = Table()
    for name in rows.column_names:
        table.add_column(name, overflow="ellipsis", max_width=MAX_CELL)
    for row in rows.to_pylist():
        table.add_row(*[_cell(value) for value in row.values()])
    return table


def _cell(value: object) -> str:
    if value is None:
        return "[dim]—[/]"
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()  # a canonical day
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _print_period(console: Console, preview: ClientPreview) -> None:
    if preview.coverage_error is not None:
        console.print(f"[red]period:[/] {preview.coverage_error}", highlight=False)
    for warning in preview.coverage:
        console.print(f"[yellow]period:[/] {warning.source}: {warning.message}", highlight=False)
    if preview.coverage_error is None and not preview.coverage and preview.sources:
        console.print(f"period: every source covers {preview.period}")
