"""SQL sources: DuckDB embedded (always), a real PostgreSQL server (when one is reachable).

.ci/run starts a PostgreSQL server and exports NBREPORT_TEST_PG_URL (no password in it) and
NBREPORT_TEST_PG_PASSWORD; elsewhere the PostgreSQL tests skip and say why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pydantic import ValidationError

from nbreport.core.errors import DataError
from nbreport.sources import SourceSpec, load_source, load_sources

ADS_QUERY = ("SELECT day AS date, campaign, impressions, clicks, cost AS spend, currency "
             "FROM ads WHERE account = :account ORDER BY day, campaign")
PG_PASSWORD_ENV = "NBREPORT_TEST_PG_PASSWORD"


def sql_source(**sql: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "warehouse-ads", "kind": "ads", "sql": sql})


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A client folder holding a DuckDB database with two accounts' ads."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as db:
        db.execute("CREATE TABLE ads (account VARCHAR, day DATE, campaign VARCHAR, impressions BIGINT, "
                   "clicks BIGINT, cost DECIMAL(12, 2), currency VARCHAR)")
        db.execute("INSERT INTO ads VALUES ('acme', '2026-10-01', 'Brand', 1000, 50, 12.50, 'USD'), "
                   "('acme', '2026-10-02', 'Brand', 900, 45, 11.25, 'USD'), "
                   "('globex', '2026-10-01', 'Other', 5, 1, 99.00, 'USD')")
    return tmp_path


def test_duckdb_query_loads_typed_columns_with_provenance(warehouse: Path) -> None:
    source = sql_source(database="warehouse.duckdb", query=ADS_QUERY, parameters={"account": "acme"})
    data = load_sources([source], warehouse, currency="USD")
    ads = data.table("ads")
    assert ads["spend"].tolist() == [12.5, 11.25] and ads["date"].dtype == "datetime64[ns]"
    assert ads["impressions"].sum() == 1900
    record = data.provenance[0]
    assert record.path == "query on warehouse.duckdb" and record.query == ADS_QUERY
    assert record.sha256 is None and (record.first_date, record.last_date) == ("2026-10-01", "2026-10-02")


def test_duckdb_is_read_only_and_cannot_reach_other_files(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other-client") / "secret.csv"
    other.write_text("date,campaign,impressions,clicks,spend\n2026-10-01,Theirs,1,1,1\n")
    for query in (f"SELECT * FROM read_csv('{other}')", "INSERT INTO ads VALUES ('x', '2026-10-01', 'x', 1, 1, 1, 'USD')"):
        with pytest.raises(DataError, match="the query failed"):
            load_source(sql_source(database="warehouse.duckdb", query=query), warehouse)


def test_database_files_stay_inside_the_client_folder(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with pytest.raises(ValidationError, match="must not contain '..'"):
        sql_source(database="../warehouse.duckdb", query="SELECT 1")
    with pytest.raises(ValidationError, match="use 'database: <file>'"):
        sql_source(url="duckdb:///elsewhere.duckdb", query="SELECT 1")
    mine = tmp_path_factory.mktemp("mine")
    os.symlink(warehouse / "warehouse.duckdb", mine / "warehouse.duckdb")
    with pytest.raises(DataError, match="resolves outside the client's data folder"):
        load_source(sql_source(database="warehouse.duckdb", query=ADS_QUERY), mine)


def test_secrets_are_named_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="holds a password: remove it from the URL"):
        sql_source(url="postgresql://reporting:hunter2@db.internal/agency", query="SELECT 1")
    sql_source(url="postgresql://reporting:${env:DB_PASSWORD}@db.internal/agency", query="SELECT 1")
    monkeypatch.delenv("NBREPORT_MISSING_SECRET", raising=False)
    source = sql_source(url="postgresql://reporting@127.0.0.1:1/agency",
                        password_env="NBREPORT_MISSING_SECRET", query="SELECT 1")
    with pytest.raises(DataError, match="the environment variable NBREPORT_MISSING_SECRET is not set"):
        load_source(source, tmp_path)


# --- PostgreSQL ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def postgres() -> str:
    """The test server's URL (without password); skips, saying why, when none is reachable."""
    url = os.environ.get("NBREPORT_TEST_PG_URL")
    if not url or not os.environ.get(PG_PASSWORD_ENV):
        pytest.skip("no PostgreSQL server: set NBREPORT_TEST_PG_URL and NBREPORT_TEST_PG_PASSWORD "
                    "(bash .ci/run starts one) to run the PostgreSQL tests")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg",
                                             password=os.environ[PG_PASSWORD_ENV]),
                           connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS tickets, ads"))
            connection.execute(text(
                "CREATE TABLE ads (account text, day date, campaign text, impressions bigint, "
                "clicks bigint, cost numeric(12, 2), currency char(3))"))
            connection.execute(text(
                "INSERT INTO ads VALUES ('acme', '2026-10-01', 'Brand', 1000, 50, 12.50, 'EUR'), "
                "('acme', '2026-10-02', 'Brand', 900, 45, 11.25, 'EUR'), "
                "('globex', '2026-10-01', 'Other', 5, 1, 99.00, 'EUR')"))
            connection.execute(text(
                "CREATE TABLE tickets (id int, opened timestamptz, first_reply timestamptz, status text)"))
            connection.execute(text(
                "INSERT INTO tickets VALUES (1, '2026-10-01 10:00+02', '2026-10-01 10:30+02', 'solved')"))
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL at {url} is not reachable ({str(exc.orig).splitlines()[0]})")
    finally:
        engine.dispose()
    return url


def test_postgresql_query_with_password_from_the_environment(postgres: str) -> None:
    source = sql_source(url=postgres, password_env=PG_PASSWORD_ENV, query=ADS_QUERY,
                        parameters={"account": "acme"})
    data = load_sources([source], Path("."), currency="EUR")
    ads = data.table("ads")
    assert ads["spend"].tolist() == [12.5, 11.25] and ads["clicks"].sum() == 95
    assert set(ads["currency"]) == {"EUR"} and ads["date"].min() == pd.Timestamp("2026-10-01")
    secret = os.environ[PG_PASSWORD_ENV]
    assert secret not in json.dumps([p.to_dict() for p in data.provenance])
    assert data.provenance[0].path == f"query on {postgres}"


def test_postgresql_timestamps_with_zones_arrive_in_utc(postgres: str) -> None:
    source = SourceSpec.model_validate({"name": "desk", "kind": "support", "sql": {
        "url": postgres, "password_env": PG_PASSWORD_ENV,
        "query": "SELECT opened::date AS date, id::text AS ticket_id, opened AS created_at, "
                 "first_reply AS first_response_at, status FROM tickets"}})
    frame, _ = load_source(source, Path("."))
    assert frame["created_at"].iloc[0] == pd.Timestamp("2026-10-01 08:00")
    assert frame["first_response_at"].iloc[0] == pd.Timestamp("2026-10-01 08:30")


def test_postgresql_session_is_read_only_and_errors_hold_no_secret(postgres: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write = sql_source(url=postgres, password_env=PG_PASSWORD_ENV,
                       query="INSERT INTO ads VALUES ('x', '2026-10-01', 'x', 1, 1, 1, 'EUR') RETURNING day AS date")
    with pytest.raises(DataError, match="the query failed: .*read-only transaction"):
        load_source(write, Path("."))
    wrong = "not-the-password-" + os.environ[PG_PASSWORD_ENV][:4]
    monkeypatch.setenv("NBREPORT_WRONG_PASSWORD", wrong)
    source = sql_source(url=postgres, password_env="NBREPORT_WRONG_PASSWORD", query=ADS_QUERY)
    with pytest.raises(DataError) as caught:
        load_source(source, Path("."))
    assert "password authentication failed" in str(caught.value) and wrong not in str(caught.value)
