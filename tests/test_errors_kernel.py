"""A bad value in a client's data fails its report in the kernel; the manifest names the row and
column (as fields, not only in the message), so that the analyst can fix the file."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from tests.conftest import copy_project

from nbreport.batch import run_batch
from nbreport.params import load_client_params
from nbreport.sources.preflight import check_client_data

pytestmark = pytest.mark.kernel

CLIENT = "northwind-outfitters"
BAD_ROW = 7  # as a spreadsheet shows the file: its first line is row 1
BAD_COLUMN = "Cost"


def _spoil(path: Path, row: int, column: str) -> str:
    """Write 'twelve' into ``column`` at file line ``row``; returns the value it replaced."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header_line = next(i for i, line in enumerate(lines) if line.startswith("Day,"))
    assert header_line + 1 < row  # the spoiled line holds data, not the header or preamble
    header = next(csv.reader([lines[header_line]]))
    cells = next(csv.reader([lines[row - 1]]))
    replaced, cells[header.index(column)] = cells[header.index(column)], "twelve"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[row - 1] = out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    return replaced


def test_a_bad_value_fails_the_report_and_the_manifest_names_its_row_and_column(
        tmp_path: Path, demo_data_dir: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir / CLIENT, data_dir / CLIENT)
    settings = copy_project(tmp_path / "project", data_dir)
    params = yaml.safe_load((settings.params_dir / f"{CLIENT}.yaml").read_text())
    source = next(s for s in params["sources"] if s["preset"] == "google_ads")
    replaced = _spoil(data_dir / CLIENT / source["path"], BAD_ROW, BAD_COLUMN)
    float(replaced)  # the file held a number there before

    outcome = run_batch(settings, [CLIENT])

    assert outcome.exit_code == 1
    manifest = json.loads((settings.outputs_dir / "2026-10" / "manifest.json").read_text())
    entry = manifest["clients"][CLIENT]
    assert entry["status"] == "failed"
    error = entry["error"]
    assert error["ename"] == "DataError" and error["cell"] is not None
    assert error["location"] == {"source": source["name"], "path": source["path"],
                                 "row": BAD_ROW, "column": BAD_COLUMN}
    assert f"row {BAD_ROW}, column '{BAD_COLUMN}': found 'twelve'" in error["message"]
    # the run's message is validate's for the same file, not "cell N raised DataError: ..."
    found = check_client_data(load_client_params(CLIENT, settings.params_dir), data_dir / CLIENT)
    assert error["message"] == str(found.errors[0])
    assert error["message"].startswith(f"source '{source['name']}', {source['path']}, row {BAD_ROW}")
