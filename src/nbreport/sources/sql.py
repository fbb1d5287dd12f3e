"""Reading a query result through SQLAlchemy: DuckDB embedded by default, any server by URL.

Secrets never sit in params: a URL names environment variables (``${env:NAME}``,
``password_env``) that are read here, at connect time, and nowhere else. Whatever
the database says back is scrubbed of those values before it reaches an error
message, a log line or the report. Connections are read-only: a DuckDB file is
opened read-only with access to other files switched off, a PostgreSQL session
starts with ``default_transaction_read_only``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from nbreport.core.errors import DataError
from nbreport.sources.reading import RawTable, _numbered
from nbreport.sources.spec import ENV_REFERENCE, SourceSpec

log = logging.getLogger(__name__)

DRIVERS = {"postgresql": "postgresql+psycopg"}
"""A bare dialect name gets the driver nbreport installs (psycopg 3)."""


def read_query(spec: SourceSpec, database_file: Path | None) -> RawTable:
    """Run the source's query and return its result; ``database_file`` is the resolved DuckDB file."""
    from sqlalchemy.exc import SQLAlchemyError

    assert spec.sql is not None
    secrets: list[str] = []
    engine = _engine(spec, database_file, secrets)
    log.info("running the query of source %s on %s", spec.name, spec.sql.location)
    try:
        from sqlalchemy import text

        with engine.connect() as connection:
            result = connection.execute(text(spec.sql.query), spec.sql.parameters)
            columns = list(result.keys())
            rows = result.fetchall()
    except SQLAlchemyError as exc:
        reason = _scrub(_first_line(getattr(exc, "orig", None) or exc), secrets)
        raise DataError(f"the query failed: {reason}", source=spec.name, path=spec.location) from None
    finally:
        engine.dispose()
    return _numbered(_to_arrow(columns, rows), first_row=1)


def _engine(spec: SourceSpec, database_file: Path | None, secrets: list[str]) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    sql = spec.sql
    assert sql is not None
    if sql.database is not None:
        assert database_file is not None
        if not database_file.is_file():
            raise DataError("database file not found; check sql.database in the params file",
                            source=spec.name, path=spec.location)
        return create_engine(f"duckdb:///{database_file}", connect_args={
            "read_only": True, "config": {"enable_external_access": False}})
    url = make_url(_resolve_references(str(sql.url), spec, secrets))
    url = url.set(drivername=DRIVERS.get(url.drivername, url.drivername))
    if sql.password_env:
        url = url.set(password=_environment(sql.password_env, spec, secrets))
    connect_args = {}
    if url.get_backend_name() == "postgresql":
        connect_args = {"options": "-c default_transaction_read_only=on", "connect_timeout": 10}
    try:
        return create_engine(url, connect_args=connect_args)
    except ModuleNotFoundError as exc:
        raise DataError(f"the database driver '{exc.name}' is not installed; install it into "
                        "nbreport's environment (psycopg[binary] for PostgreSQL)",
                        source=spec.name, path=spec.location) from None


def _resolve_references(url: str, spec: SourceSpec, secrets: list[str]) -> str:
    return ENV_REFERENCE.sub(lambda match: _environment(match[1], spec, secrets), url)


def _environment(name: str, spec: SourceSpec, secrets: list[str]) -> str:
    value = os.environ.get(name)
    if not value:
        raise DataError(f"the environment variable {name} is not set; set it where nbreport runs "
                        "(the params file only names it, so that no secret is ever written down)",
                        source=spec.name, path=spec.location)
    secrets.append(value)
    return value


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(exc).__name__


def _to_arrow(columns: list[str], rows: list[Any]) -> pa.Table:
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=columns)
    return pa.Table.from_pandas(frame, preserve_index=False)
