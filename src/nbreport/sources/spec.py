"""How a params file declares a data source (the ``sources:`` list).

Kept free of pandas (and of SQLAlchemy) so that validating params stays fast and
happens before any kernel starts.

A source is a file in the client's data folder (``path``) or a query (``sql``).
A ``preset`` names the tool that made the export (see
:mod:`nbreport.sources.presets`); the generic ``mapping`` refines it or, without a
preset, describes any other export.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from nbreport.sources.presets import PRESETS, PresetName
from nbreport.sources.transform_spec import TransformStep
from nbreport.core.strict_model import Slug, StrictModel

SourceKind = Literal["ads", "web", "orders", "crm", "survey", "support", "accounts", "usage", "lookup"]
"""The canonical kinds of data (see :mod:`nbreport.sources.canonical` for their columns), and
``lookup``: a table read only to be joined into other sources (``transform: - join:``)."""
LOOKUP = "lookup"

FileFormat = Literal["csv", "xlsx", "parquet", "jsonl"]
BlankRule = Literal["error", "drop", "zero", "keep"]

ENV_REFERENCE = re.compile(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")
"""``${env:NAME}``: a value read from the environment when connecting, never stored."""

_URL_PASSWORD = re.compile(r"^[^:/]+://[^:/@]*:(?P<password>[^@/]*)@")


def _relative_path(value: str) -> str:
    if value.startswith(("/", "\\", "~")) or (len(value) > 1 and value[1] == ":"):
        raise ValueError(
            "must be relative to the data root, the client's data folder (absolute paths are "
            "refused so that one client's params cannot reach another client's files)")
    if ".." in value.replace("\\", "/").split("/"):
        raise ValueError("must not contain '..': keep every file inside the client's data folder")
    return value


class ColumnMapping(StrictModel):
    """The generic mapping from an export's columns to the canonical model.

    Attributes
    ----------
    rename:
        Export column name -> canonical column name (or a list, to fill several). A key written ``re:<pattern>``
        matches column names by regular expression (whole name), e.g.
        ``"re:Amount spent \\((?P<currency>[A-Z]{3})\\)": spend``; a group named
        ``currency`` also fills the ``currency`` column.
    date_format:
        strptime format(s) of the date and timestamp columns, e.g. ``"%d/%m/%Y"`` or
        ``"%d/%m/%Y %H:%M:%S %z"`` (anything Python's ``datetime.strptime`` reads, the
        offset anywhere); a list is tried in turn, value by value. ``epoch`` and
        ``epoch_ms`` read Unix timestamps. Timestamp columns also read ISO 8601. Without
        it, a date column's format is taken only when exactly one reading fits every value
        one way; an ambiguous or mixed column is an error listing the possible readings.
    year:
        The year of every date, for a ``date_format`` without one (``"%d %B"``); such a
        format is refused without it (it would read every date as 1900).
    scale:
        Canonical column -> factor applied after reading (``0.000001`` for micros).
    constants:
        Canonical column -> value for every row (e.g. ``channel: Paid Search``).
    values:
        Canonical column -> {export value: canonical value}, e.g.
        ``stage: {Closed Won: won}``; other values pass unchanged.
    filter:
        Export column -> accepted value(s): keeps only the client's rows (tenant filter).
    drop:
        Export column -> regular expression; matching rows are dropped (e.g. total
        rows ``"^Total"``) and counted in the report's data-quality appendix.
    if_blank:
        Canonical column -> what to do with a blank value in a column that must be
        filled in: ``error`` (default), ``drop`` the row (counted in the appendix),
        ``zero``, or ``keep`` it missing.
    """

    rename: dict[str, str | list[str]] = Field(default_factory=dict)
    date_format: str | list[str] | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    scale: dict[str, float] = Field(default_factory=dict)
    constants: dict[str, str | int | float] = Field(default_factory=dict)
    values: dict[str, dict[str, str | int | float]] = Field(default_factory=dict)
    filter: dict[str, str | list[str]] = Field(default_factory=dict)
    drop: dict[str, str] = Field(default_factory=dict)
    if_blank: dict[str, BlankRule] = Field(default_factory=dict)

    @field_validator("drop")
    @classmethod
    def _patterns_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for column, pattern in value.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{column}': not a regular expression ({exc})") from None
        return value

    @field_validator("date_format")
    @classmethod
    def _strptime_formats(cls, value: str | list[str] | None) -> str | list[str] | None:
        from nbreport.sources.strptime import check_format

        for fmt in [value] if isinstance(value, str) else value or []:
            if fmt not in ("epoch", "epoch_ms"):
                check_format(fmt)
        return value

    def yearless_formats(self) -> list[str]:
        """The date formats given here that hold no year (they need ``year``)."""
        from nbreport.sources.strptime import has_year

        formats = [self.date_format] if isinstance(self.date_format, str) else self.date_format or []
        return [fmt for fmt in formats if fmt not in ("epoch", "epoch_ms") and not has_year(fmt)]

    @model_validator(mode="after")
    def _year_only_when_needed(self) -> ColumnMapping:
        if self.year is not None and not self.yearless_formats():
            raise ValueError("year is only for a date_format without a year (such as '%d %B'); "
                             "remove it, the dates carry their own year")
        return self


class SqlQuery(StrictModel):
    """A query against a database, through SQLAlchemy, or over the source's own file.

    On a source with ``path``, give only ``query``: it runs in DuckDB over the file as read
    (the relation ``export``), before the ``transform`` steps.

    Attributes
    ----------
    database:
        A DuckDB database file in the client's data folder (the embedded default),
        opened read-only.
    url:
        A SQLAlchemy URL of a server, e.g. ``postgresql://reporting@db.internal:5432/agency``.
        Never holds a password: name the environment variable with ``password_env``, or
        write ``${env:NAME}`` for any part read from the environment.
    password_env:
        Environment variable holding the password, read only when connecting.
    query:
        The SELECT to run; ``:name`` placeholders are bound from ``parameters``.
    parameters:
        Values bound to the query's placeholders (e.g. the client's account id).
    """

    database: str | None = None
    url: str | None = None
    password_env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    query: Annotated[str, Field(min_length=1)]
    parameters: dict[str, str | int | float] = Field(default_factory=dict)

    @field_validator("database")
    @classmethod
    def _database_inside(cls, value: str | None) -> str | None:
        return None if value is None else _relative_path(value)

    @field_validator("url")
    @classmethod
    def _no_secret_in_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = _URL_PASSWORD.match(value)
        if match and not ENV_REFERENCE.fullmatch(match["password"]):
            raise ValueError(
                "holds a password: remove it from the URL and name the environment variable "
                "that holds it with password_env (secrets never go into params files)")
        if value.startswith("duckdb") and not value.rstrip("/").endswith(":memory:"):
            raise ValueError("for a DuckDB file use 'database: <file>' (a path in the client's "
                             "data folder) instead of a URL")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> SqlQuery:
        if self.database is not None and self.url is not None:
            raise ValueError("give either database (a DuckDB file in the client's folder) or url")
        if self.over_file and (self.password_env or self.parameters):
            raise ValueError("a query over the source's file takes no password_env or parameters; "
                             "write the values into the query")
        if self.password_env and (self.database is not None or str(self.url).startswith("duckdb")):
            raise ValueError("DuckDB takes no password: remove password_env (it is for database "
                             "servers such as PostgreSQL)")
        return self

    @property
    def over_file(self) -> bool:
        """A query over the source's own file (neither database nor url)."""
        return self.database is None and self.url is None

    @property
    def location(self) -> str:
        """The database, as it may be shown: the file, or the URL (which holds no secret)."""
        return self.database or str(self.url)


class SourceSpec(StrictModel):
    """One data source of a client: a file in the client's data folder, or a query.

    Attributes
    ----------
    name:
        The source's name in the report (a slug), e.g. ``google-ads``.
    kind:
        Which canonical model it maps to.
    path:
        File path relative to the client's data folder. Paths leaving it are refused.
    sql:
        A query instead of a file (see :class:`SqlQuery`).
    preset:
        The tool that made the export, e.g. ``google_ads`` (its column names, date
        format and units); ``mapping`` refines it.
    format:
        File format; by default taken from the file's extension.
    encoding, delimiter, decimal:
        For text files. The delimiter is sniffed when not given; ``decimal: ","`` reads
        ``1.234,5`` (the default ``"."`` reads ``1,234.5``).
    sheet:
        For xlsx files: the sheet's name or 0-based position (default the first).
    skip_rows:
        Lines above the header row (report titles, date ranges).
    header_contains:
        Find the header row as the first row with a cell equal to this text (exports
        whose title block varies in length).
    timezone:
        IANA zone of timestamps that carry none (default UTC).
    unique_key:
        Columns (canonical or export names) that identify a row, when the export is
        finer than the kind's usual grain (e.g. one row per ad: ``[ad_id]``). They extend the
        preset's key, else the kind's grain (an ads export: date, campaign and these).
    allow_empty:
        A source with no rows in the reported period is an error unless true (e.g. a
        survey that may get no responses in a quiet month).
    grain:
        The span of days one row stands for: ``day``, ``week`` (the seven days from the row's
        date) or ``month`` (the calendar month of the row's date); ``auto`` (the default)
        detects it from the dates. A period is never cut inside one row's span.
    shared:
        The file (or database) holds several clients' rows: an agency-wide export kept in
        ``data/_shared/``. A tenant filter (``mapping.filter``) is then required, and the data
        layer applies it before anything else sees the rows.
    mapping:
        Column renames, date format, scaling, constants, value recoding, tenant filter,
        dropped rows.
    transform:
        Steps that reshape the export before ``mapping`` (filter, map values, derive, dates
        from parts, dedupe, aggregate, pivot an event log, join another source), run in
        DuckDB; see :class:`nbreport.sources.transform_spec.TransformStep`.
    """

    name: Slug
    kind: SourceKind
    path: Annotated[str, Field(min_length=1)] | None = None
    sql: SqlQuery | None = None
    preset: PresetName | None = None
    format: FileFormat | None = None
    encoding: str = "utf-8"
    delimiter: Annotated[str, Field(min_length=1, max_length=1)] | None = None
    decimal: Literal[".", ","] = "."
    sheet: str | int | None = None
    skip_rows: Annotated[int, Field(ge=0)] = 0
    header_contains: str | None = None
    timezone: str | None = None
    unique_key: list[str] | None = None
    allow_empty: bool = False
    grain: Literal["auto", "day", "week", "month"] = "auto"
    shared: bool = False
    mapping: ColumnMapping = Field(default_factory=ColumnMapping)
    transform: list[TransformStep] = Field(default_factory=list)

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str | None) -> str | None:
        return None if value is None else _relative_path(value)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        import codecs

        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding '{value}' (e.g. utf-8, cp1252, latin-1, utf-16)") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}' (an IANA name such as Europe/Berlin)") from None
        return value

    @model_validator(mode="after")
    def _file_or_query(self) -> SourceSpec:
        if self.path is None and self.sql is None:
            raise ValueError("give either path (a file in the client's data folder) or sql (a query)")
        if self.path is not None and self.sql is not None and not self.sql.over_file:
            raise ValueError("give either path or sql with a database; a query over the file "
                             "(sql: {query: SELECT ... FROM export}) names no database or url")
        if self.path is None and self.sql is not None and self.sql.over_file:
            raise ValueError("sql names no database or url: give database (a DuckDB file), url, "
                             "or path (the file the query reads as 'export')")
        if self.path is not None and self.format is None and self.detected_format() is None:
            raise ValueError(
                f"cannot tell the format of '{self.path}' from its extension; "
                "add format: csv | xlsx | parquet | jsonl")
        if self.shared and not self.mapping.filter:
            raise ValueError("a shared source holds other clients' rows: add mapping.filter, "
                             "the tenant filter that keeps only this client's rows "
                             "(e.g. filter: {Account: \"1234-567-890\"})")
        yearless = self.mapping.yearless_formats()
        if yearless and self.mapping.year is None:
            raise ValueError(
                f"source '{self.name}': mapping.date_format '{yearless[0]}' has no year, so every "
                "date would be read in 1900: add mapping.year, the year of the export's dates "
                "(e.g. year: 2026)")
        if self.kind == LOOKUP and (self.preset is not None or self.shared):
            raise ValueError("a lookup source is only joined into other sources: it takes no "
                             "preset and is not shared")
        if self.preset is not None and PRESETS[self.preset].kind != self.kind:
            raise ValueError(f"preset {self.preset} makes {PRESETS[self.preset].kind} data, "
                             f"not {self.kind}: change kind or preset")
        return self

    @property
    def file(self) -> str | None:
        """The file this source reads (the export, or the DuckDB database), relative to the
        client's folder, or to the shared folder when ``shared``."""
        return self.path if self.path is not None else (self.sql.database if self.sql else None)

    @property
    def is_query(self) -> bool:
        """A query against a database (not a file, nor a query over a file)."""
        return self.path is None

    @property
    def is_data(self) -> bool:
        """Data of the report (a lookup source is only joined into others)."""
        return self.kind != LOOKUP

    @property
    def location(self) -> str:
        """Where the data comes from, as messages and the report may show it (never a secret)."""
        if self.path is not None:
            return self.path
        assert self.sql is not None
        return f"query on {self.sql.location}"

    def detected_format(self) -> FileFormat | None:
        """The declared format, else the one the file extension implies."""
        if self.format is not None:
            return self.format
        path = self.path or ""
        suffix = path.lower().rsplit(".", 1)[-1] if "." in path else ""
        return {
            "csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx",
            "parquet": "parquet", "jsonl": "jsonl", "ndjson": "jsonl",
        }.get(suffix)  # type: ignore[return-value]
