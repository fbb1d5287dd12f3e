"""Throw-away projects for the export-shape acceptance tests (issue 18).

A test writes one client's params file (as YAML text, the way an analyst writes it) into a
project under ``tmp_path`` and copies the shape's fixture files into that client's data folder
(or into ``data/_shared/`` for an agency-wide export). The data are then read the ways nbreport
reads them: :func:`load_client` (``load_sources``, what a report's first cell does) and
:func:`validate_client` (``check_client_data``, what ``nbreport validate`` does). Nothing in
here knows a shape: every reshaping is in the params the test writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from tests.approved import approve_drafts
from tests.conftest import REPO

from nbreport.params.loader import load_client_params
from nbreport.params.schema import ClientParams
from nbreport.settings import Settings
from nbreport.sources.loader import SHARED_FOLDER, ClientData, load_sources
from nbreport.sources.preflight import DataCheck, check_client_data

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"

KPI_OF_KIND = {"ads": "spend", "web": "sessions", "orders": "revenue", "crm": "leads",
               "survey": "csat_responses", "support": "tickets"}
"""A KPI each kind can feed, for params files whose test reads only the data."""


def new_project(root: Path, *, with_notebook: bool = False) -> Settings:
    """An empty project at ``root``: the agency defaults, and the notebook and templates a run
    needs when ``with_notebook``."""
    (root / "params").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "params" / "_defaults.yaml", root / "params" / "_defaults.yaml")
    if with_notebook:
        for folder in ("notebooks", "templates"):
            shutil.copytree(REPO / folder, root / folder)
    return Settings.for_project(root)


def add_client(settings: Settings, client_id: str, sources: list[dict[str, Any]], *,
               files: dict[str, str] | None = None, shared: dict[str, str] | None = None,
               period: str = "2026-10", kpis: list[dict[str, Any]] | None = None,
               currency: str = "EUR", extra: dict[str, Any] | None = None,
               yaml_text: str | None = None) -> Path:
    """Write ``params/<client_id>.yaml`` and copy the fixtures; returns the client's data folder.

    ``files`` and ``shared`` map a file name in the client's (or the shared) folder to a fixture
    name. ``yaml_text`` replaces the params written from ``sources`` (for YAML spellings that a
    dump would not produce, such as an unquoted ``FALSE``).
    """
    data = settings.data_dir / client_id
    data.mkdir(parents=True, exist_ok=True)
    for target, fixture in (files or {}).items():
        shutil.copy(FIXTURES / fixture, data / target)
    for target, fixture in (shared or {}).items():
        (settings.data_dir / SHARED_FOLDER).mkdir(exist_ok=True)
        shutil.copy(FIXTURES / fixture, settings.data_dir / SHARED_FOLDER / target)
    if yaml_text is None:
        kinds = [source["kind"] for source in sources if source["kind"] in KPI_OF_KIND]
        params = {"client": {"id": client_id, "name": client_id.replace("-", " ").title(),
                             "currency": currency},
                  "period": period, "sources": sources,
                  "kpis": kpis or [{"metric": KPI_OF_KIND[kind]} for kind in dict.fromkeys(kinds)],
                  **(extra or {})}
        yaml_text = yaml.safe_dump(params, sort_keys=False, allow_unicode=True)
    (settings.params_dir / f"{client_id}.yaml").write_text(yaml_text, encoding="utf-8")
    approve_drafts(settings.project_dir, client_id, period)  # nobody writes commentary for these
    return data


def client_params(settings: Settings, client_id: str) -> ClientParams:
    return load_client_params(client_id, settings.params_dir)


def load_client(settings: Settings, client_id: str) -> ClientData:
    """The client's data as a report reads it: params from the YAML file, then ``load_sources``."""
    params = client_params(settings, client_id)
    return load_sources(params.sources, settings.data_dir / client_id, currency=params.client.currency)


def validate_client(settings: Settings, client_id: str) -> DataCheck:
    """What ``nbreport validate`` finds in the client's data."""
    return check_client_data(client_params(settings, client_id), settings.data_dir / client_id)


def rows_of(data: ClientData, kind: str, source: str | None = None) -> pd.DataFrame:
    """One kind's canonical rows (of one source when given), index reset."""
    table = data.table(kind)
    if source is not None:
        table = table[table["source"] == source]
    return table.reset_index(drop=True)


def raw(name: str, **options: Any) -> pd.DataFrame:
    """A fixture file as plain pandas reads it: every value as text, blanks as ''."""
    return pd.read_csv(FIXTURES / name, dtype=str, keep_default_na=False, **options)


def days(values: pd.Series) -> pd.Series:
    """ISO date text (or timestamps) as pandas midnight timestamps, for comparing date columns."""
    return pd.to_datetime(values).dt.normalize()


def frame_equal(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str],
                rtol: float = 1e-9) -> None:
    """``got`` holds exactly ``expected``'s rows and values on ``expected``'s columns, in any order."""
    columns = list(expected.columns)
    missing = [c for c in columns if c not in got.columns]
    assert not missing, f"canonical table lacks {missing}; it has {list(got.columns)}"
    left = _ns(got[columns]).sort_values(keys).reset_index(drop=True)
    right = _ns(expected).sort_values(keys).reset_index(drop=True)
    assert len(left) == len(right), (
        f"{len(left)} rows, expected {len(right)}; keys only in the result: "
        f"{_only(left, right, keys)}; only expected: {_only(right, left, keys)}")
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=rtol)


def _ns(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns in nanoseconds (pandas may read text to microseconds): values compare."""
    return frame.astype({name: "datetime64[ns]" for name, dtype in frame.dtypes.items()
                         if pd.api.types.is_datetime64_any_dtype(dtype)})


def _only(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> list[tuple[Any, ...]]:
    theirs = set(map(tuple, b[keys].astype(str).to_numpy()))
    return [key for key in map(tuple, a[keys].astype(str).to_numpy()) if key not in theirs][:5]
