"""sources/spec: what a params file may declare as a data source, and the errors it gets otherwise."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nbreport.sources.spec import ENV_REFERENCE, ColumnMapping, SourceSpec, SqlQuery


def source(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "ads-export", "kind": "ads", **fields})


def refused(match: str, **fields: object) -> str:
    with pytest.raises(ValidationError, match=match) as caught:
        source(**fields)
    return str(caught.value)


@pytest.mark.parametrize("path", ["/etc/passwd", "~/ads.csv", "C:/ads.csv", "\\\\server\\ads.csv"])
def test_absolute_paths_are_refused(path: str) -> None:
    message = refused("must be relative to the data root", path=path)
    assert "path" in message  # pydantic names the key at fault


def test_paths_leaving_the_client_folder_are_refused() -> None:
    refused("must not contain '..'", path="ads/../../other-client/ads.csv")


def test_a_source_is_either_a_file_or_a_query() -> None:
    refused("give either path .* or sql")
    refused("give either path or sql with a database", path="a.csv",
            sql={"database": "w.duckdb", "query": "SELECT 1"})
    refused("sql names no database or url: give database .*, url, or path", sql={"query": "SELECT 1"})
    over_file = source(path="a.csv", sql={"query": "SELECT * FROM export"})
    assert over_file.sql is not None and over_file.sql.over_file and not over_file.is_query


def test_the_format_comes_from_the_extension_or_must_be_given() -> None:
    assert source(path="x/ads.TSV").detected_format() == "csv"
    assert source(path="r.ndjson").detected_format() == "jsonl"
    assert source(path="export", format="xlsx").detected_format() == "xlsx"
    refused("cannot tell the format of 'export' .*add format: csv", path="export")


def test_a_shared_source_needs_a_tenant_filter() -> None:
    refused("a shared source holds other clients' rows: add mapping.filter", path="a.csv", shared=True)
    assert source(path="a.csv", shared=True, mapping={"filter": {"Account": "1"}}).shared


def test_a_preset_must_make_the_source_kind() -> None:
    refused("preset ga4 makes web data, not ads: change kind or preset", path="a.csv", preset="ga4")


def test_encoding_and_timezone_are_checked_by_name() -> None:
    refused("unknown encoding 'utf-9'", path="a.csv", encoding="utf-9")
    refused("unknown time zone 'Mars/Olympus'", path="a.csv", timezone="Mars/Olympus")


def test_a_date_format_without_a_year_needs_one_and_only_then() -> None:
    refused("mapping.date_format '%d %B' has no year, .*add mapping.year", path="a.csv",
            mapping={"date_format": "%d %B"})
    assert source(path="a.csv", mapping={"date_format": "%d %B", "year": 2026}).mapping.year == 2026
    with pytest.raises(ValidationError, match="year is only for a date_format without a year"):
        ColumnMapping(date_format="%Y-%m-%d", year=2026)


def test_mapping_patterns_and_formats_are_checked() -> None:
    with pytest.raises(ValidationError, match="'Day': not a regular expression"):
        ColumnMapping(drop={"Day": "(unclosed"})
    with pytest.raises(ValidationError, match="is not a strptime format"):
        ColumnMapping(date_format="%d/%m/%Y %d")
    assert ColumnMapping(date_format=["%d %B", "epoch"]).yearless_formats() == ["%d %B"]


def test_unknown_keys_are_errors() -> None:
    refused("Extra inputs are not permitted", path="a.csv", pathh="b.csv")


def test_query_urls_never_hold_a_password() -> None:
    with pytest.raises(ValidationError, match="holds a password"):
        SqlQuery(url="postgresql://user:hunter2@db:5432/x", query="SELECT 1")
    query = SqlQuery(url="postgresql://user:${env:DB_PASSWORD}@db:5432/x", query="SELECT 1")
    assert query.location == "postgresql://user:${env:DB_PASSWORD}@db:5432/x"
    assert ENV_REFERENCE.findall(query.location) == ["DB_PASSWORD"]


def test_query_targets() -> None:
    with pytest.raises(ValidationError, match="give either database"):
        SqlQuery(database="w.duckdb", url="postgresql://db/x", query="SELECT 1")
    with pytest.raises(ValidationError, match="a query over the source's file takes no password_env"):
        SqlQuery(password_env="PW", query="SELECT 1")
    with pytest.raises(ValidationError, match="DuckDB takes no password"):
        SqlQuery(database="w.duckdb", password_env="PW", query="SELECT 1")
    with pytest.raises(ValidationError, match="for a DuckDB file use 'database: <file>'"):
        SqlQuery(url="duckdb:///w.duckdb", query="SELECT 1")
    with pytest.raises(ValidationError, match="must not contain '..'"):
        SqlQuery(database="../w.duckdb", query="SELECT 1")


def test_location_and_file() -> None:
    query = source(sql={"database": "w.duckdb", "query": "SELECT 1"})
    assert (query.location, query.file) == ("query on w.duckdb", "w.duckdb")
    assert (source(path="a.csv").location, source(path="a.csv").file) == ("a.csv", "a.csv")
