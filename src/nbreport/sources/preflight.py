"""What ``nbreport validate`` checks of a client's data before any kernel starts.

Everything a report would refuse in its first cell: a source path that leaves the client's
folder (``..``, a symlink), a currency a source declares or holds that is not the client's,
and every check of reading and harmonising each export (bad dates, NUL bytes, binary junk,
missing columns...). A file that is not there yet is named, not counted as an error:
``nbreport new-client`` writes params before the exports arrive. Queries are not run
(``validate`` never connects to a database).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbreport.core.errors import DataError
from nbreport.params.schema import ClientParams
from nbreport.sources.checks import check_currencies
from nbreport.sources.harmonise import effective_mapping
from nbreport.sources.loader import load_source, resolve_source_path
from nbreport.sources.spec import SourceSpec


@dataclass
class DataCheck:
    """What was found in one client's data: errors (each stops a run) and notes."""

    errors: list[DataError] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # files not there yet
    queries: list[str] = field(default_factory=list)  # sources whose query is not run

    @property
    def notes(self) -> list[str]:
        notes = [f"not there yet, not checked: {', '.join(self.missing)}"] if self.missing else []
        return notes + ([f"queries not run: {', '.join(self.queries)}"] if self.queries else [])


def check_client_data(params: ClientParams, client_dir: Path) -> DataCheck:
    """Read every file source of ``params`` from ``client_dir`` as a run would, and check it."""
    found = DataCheck()
    currencies: dict[str, tuple[str, set[str]]] = {}
    for spec in params.sources:
        if not spec.is_data:
            continue  # a lookup is read, and checked, by the sources that join it
        try:
            declared = _declared_currency(spec)
            if declared:
                currencies[spec.name] = (spec.location, {declared})
            if spec.sql is not None and spec.is_query and not spec.sql.database:
                found.queries.append(spec.name)
                continue
            path = resolve_source_path(spec, client_dir)
            if not path.exists():
                found.missing.append(str(spec.file))
                continue
            if spec.sql is not None and spec.is_query:
                continue  # a DuckDB file inside the folder: the query itself is not run
            table, _ = load_source(spec, client_dir, params.sources)
            if "currency" in table.columns:
                held = set(table["currency"].dropna().astype(str).unique()) - {""}
                currencies[spec.name] = (spec.location, held | currencies.get(spec.name, ("", set()))[1])
        except DataError as exc:
            found.errors.append(exc)
    if not found.errors:
        try:
            check_currencies(currencies, params.client.currency)
        except DataError as exc:
            found.errors.append(exc)
    return found


def _declared_currency(spec: SourceSpec) -> str | None:
    """The currency a source's mapping writes into every row (``constants: {currency: EUR}``)."""
    value = effective_mapping(spec).constants.get("currency")
    return str(value) if value not in (None, "") else None
