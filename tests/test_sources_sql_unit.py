"""sources/sql: a query on an embedded DuckDB file, parameters bound, errors naming the source."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nbreport.core.errors import DataError
from nbreport.sources.spec import SourceSpec
from nbreport.sources.sql import DRIVERS, read_query

ROWS = [("2026-10-01", "A", 10.5), ("2026-10-02", "A", 4.0), ("2026-10-01", "B", 99.0)]


def database(folder: Path) -> Path:
    path = folder / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE spend (day VARCHAR, account VARCHAR, cost DOUBLE)")
        connection.executemany("INSERT INTO spend VALUES (?, ?, ?)", ROWS)
    return path


def spec(query: str, **sql: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "wh", "kind": "ads", "sql": {"database": "warehouse.duckdb",
                                                                           "query": query, **sql}})


def test_the_bound_query_returns_only_its_rows_numbered_from_one(tmp_path: Path) -> None:
    path = database(tmp_path)
    raw = read_query(spec("SELECT day, cost FROM spend WHERE account = :account ORDER BY day",
                          parameters={"account": "A"}), path)
    expected = sorted((day, cost) for day, account, cost in ROWS if account == "A")
    assert list(zip(raw.table.column("day").to_pylist(), raw.table.column("cost").to_pylist())) == expected
    assert raw.rows.tolist() == [1, 2]


def test_a_failing_query_names_the_source(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the query failed: .*no_such_table") as caught:
        read_query(spec("SELECT * FROM no_such_table"), database(tmp_path))
    assert caught.value.source == "wh" and caught.value.path == "query on warehouse.duckdb"


def test_the_database_is_opened_read_only(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the query failed"):
        read_query(spec("DELETE FROM spend"), database(tmp_path))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM spend").fetchone() == (len(ROWS),)


def test_a_missing_database_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="database file not found; check sql.database"):
        read_query(spec("SELECT 1"), tmp_path / "warehouse.duckdb")


def test_an_unset_environment_variable_is_named_before_connecting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NBREPORT_UNIT_DB_HOST", raising=False)
    server = SourceSpec.model_validate({"name": "wh", "kind": "ads", "sql": {
        "url": "postgresql://reporting@${env:NBREPORT_UNIT_DB_HOST}:5432/agency", "query": "SELECT 1"}})
    with pytest.raises(DataError, match="the environment variable NBREPORT_UNIT_DB_HOST is not set"):
        read_query(server, None)
    assert DRIVERS["postgresql"] == "postgresql+psycopg"
