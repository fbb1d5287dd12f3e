"""A client's run reads only that client's data: its own folder, or shared exports through a
tenant filter the data layer applies before anything else sees the rows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nbreport.core.errors import DataError, ParamsError
from nbreport.params import params_from_plain
from nbreport.sources import SourceSpec, load_sources

SHARED_ADS = (
    "date,campaign,impressions,clicks,spend,Account\n"
    "2026-10-01,Acme brand,1000,50,10.00,acme\n"
    "2026-10-01,GLOBEX-SECRET-CAMPAIGN,9999,999,999.00,globex\n"
    "2026-10-02,Acme brand,1200,60,12.00,acme\n"
)


def shared_spec(**fields: object) -> SourceSpec:
    return SourceSpec.model_validate({"name": "agency-ads", "kind": "ads", "path": "all-clients-ads.csv",
                                      "shared": True, "mapping": {"filter": {"Account": "acme"}},
                                      **fields})


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "_shared").mkdir()
    (tmp_path / "_shared" / "all-clients-ads.csv").write_text(SHARED_ADS, encoding="utf-8")
    (tmp_path / "acme").mkdir()
    (tmp_path / "globex").mkdir()
    (tmp_path / "globex" / "ads.csv").write_text(SHARED_ADS, encoding="utf-8")
    return tmp_path


def test_a_shared_export_yields_only_the_clients_rows(data_dir: Path) -> None:
    data = load_sources([shared_spec()], data_dir / "acme")
    ads = data.table("ads")
    assert list(ads["campaign"]) == ["Acme brand", "Acme brand"]
    assert ads["spend"].sum() == pytest.approx(22.0)
    record = data.provenance[0]
    assert "GLOBEX" not in repr(record) and "globex" not in repr(record.warnings)


def test_a_shared_source_without_a_tenant_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="a shared source holds other clients' rows: add mapping.filter"):
        SourceSpec.model_validate({"name": "agency-ads", "kind": "ads", "path": "all.csv", "shared": True})


def test_the_refusal_names_the_params_key(tmp_path: Path) -> None:
    params = {"client": {"id": "acme", "name": "Acme"}, "period": "2026-10",
              "sources": [{"name": "agency-ads", "kind": "ads", "path": "all.csv", "shared": True}],
              "kpis": [{"metric": "clicks"}]}
    with pytest.raises(ParamsError) as caught:
        params_from_plain(params)
    assert caught.value.issues[0].key == "sources[0]"


@pytest.mark.parametrize("path", ["../globex/ads.csv", "../_shared/all-clients-ads.csv"])
def test_another_clients_folder_cannot_be_reached(data_dir: Path, path: str) -> None:
    with pytest.raises(ValueError, match="must not contain '..'"):
        SourceSpec.model_validate({"name": "x", "kind": "ads", "path": path})


def test_symlinks_out_of_either_folder_are_refused(data_dir: Path) -> None:
    os.symlink(data_dir / "globex" / "ads.csv", data_dir / "acme" / "ads.csv")
    with pytest.raises(DataError, match="resolves outside the client's data folder"):
        load_sources([SourceSpec(name="ads", kind="ads", path="ads.csv")], data_dir / "acme")
    os.symlink(data_dir / "globex" / "ads.csv", data_dir / "_shared" / "escape.csv")
    with pytest.raises(DataError, match="resolves outside the shared data folder"):
        load_sources([shared_spec(path="escape.csv")], data_dir / "acme")


def test_errors_in_shared_exports_never_quote_other_clients_rows(data_dir: Path) -> None:
    (data_dir / "_shared" / "all-clients-ads.csv").write_text(
        SHARED_ADS + '2026-10-03,"GLOBEX-UNCLOSED,1,1,1.00,globex\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_sources([shared_spec()], data_dir / "acme")
    assert "GLOBEX" not in str(caught.value)
