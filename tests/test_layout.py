"""Where every output goes: ProjectLayout gives the paths the code wrote before it existed."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from nbreport.batch.fingerprint import file_hash, tree_hash
from nbreport.batch.lock import period_locks
from nbreport.batch.pipeline import published_files
from nbreport.core.digests import file_sha256, update_with_file
from nbreport.core.layout import ProjectLayout, evidence_file, period_href
from nbreport.settings import Settings

SRC = Path(__file__).resolve().parents[1] / "src" / "nbreport"
LAYOUT = ProjectLayout(Path("agency") / "outputs")


@pytest.mark.parametrize(("path", "expected"), [
    (LAYOUT.archive_index(), "agency/outputs/index.html"),
    (LAYOUT.period_dir("2026-10"), "agency/outputs/2026-10"),
    (LAYOUT.manifest("2026-10"), "agency/outputs/2026-10/manifest.json"),
    (LAYOUT.index("2026-10"), "agency/outputs/2026-10/index.html"),
    (LAYOUT.qa("2026-10"), "agency/outputs/2026-10/qa.json"),
    (LAYOUT.lock("2026-W41"), "agency/outputs/2026-W41/.nbreport.lock"),
    (LAYOUT.client_dir("2026-10", "acme"), "agency/outputs/2026-10/acme"),
    (LAYOUT.report_html("2026-10", "acme"), "agency/outputs/2026-10/acme/report.html"),
    (LAYOUT.report_notebook("2026-10", "acme"), "agency/outputs/2026-10/acme/report.ipynb"),
    (LAYOUT.failed_notebook("2026-10", "acme"), "agency/outputs/2026-10/acme/report.failed.ipynb"),
    (LAYOUT.report_pdf("2026-10", "acme"), "agency/outputs/2026-10/acme/report.pdf"),
    (LAYOUT.forecasts("2026-10", "acme"), "agency/outputs/2026-10/acme/forecasts.json"),
    (LAYOUT.evidence("2026-10", "acme", "sales"), "agency/outputs/2026-10/acme/rows-sales.parquet"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_paths_are_those_the_code_wrote_before(path: Path, expected: str) -> None:
    assert path.as_posix() == expected


def test_names_relative_to_the_period_folder() -> None:
    from nbreport.report.evidence import evidence_name

    assert period_href("acme", "report.pdf") == "acme/report.pdf"
    assert evidence_file("web") == evidence_name("web") == "rows-web.parquet"
    assert published_files("acme", {"artifacts": ["forecasts.json", "rows-web.parquet"]}) == {
        "html": "acme/report.html", "notebook": "acme/report.ipynb",
        "forecasts.json": "acme/forecasts.json", "rows-web.parquet": "acme/rows-web.parquet"}


def test_layout_of_a_project_uses_its_outputs_folder(tmp_path: Path) -> None:
    assert ProjectLayout.of(Settings.for_project(tmp_path)).outputs_dir == tmp_path.resolve() / "outputs"
    assert ProjectLayout.default(tmp_path).outputs_dir == tmp_path / "outputs"
    elsewhere = tmp_path / "shared-outputs"
    assert ProjectLayout.of(Settings.for_project(tmp_path, outputs_dir=elsewhere)).outputs_dir == elsewhere


def test_globs_find_what_is_there(tmp_path: Path) -> None:
    layout = ProjectLayout(tmp_path)
    for name in ("2026-09/acme/forecasts.json", "2026-10/acme/forecasts.json",
                 "2026-10/other/forecasts.json", "2026-10/manifest.json",
                 "2026-10/.work-acme-x1y2/tmp/scratch", "2026-10/acme/report.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in layout.stored_forecasts("acme")) == [
        "2026-09/acme/forecasts.json", "2026-10/acme/forecasts.json"]
    assert [p.relative_to(tmp_path).as_posix() for p in layout.manifests()] == ["2026-10/manifest.json"]
    assert [p.name for p in layout.work_dirs("2026-10")] == [".work-acme-x1y2"]


def test_the_period_lock_is_where_it_was(tmp_path: Path) -> None:
    with period_locks(tmp_path, ["2026-10"]):
        assert (tmp_path / "2026-10" / ".nbreport.lock").is_file()


def test_file_digests_match_plain_hashlib(tmp_path: Path) -> None:
    content = bytes(range(256)) * 5000  # over one read block
    path = tmp_path / "data.bin"
    path.write_bytes(content)
    assert file_sha256(path) == hashlib.sha256(content).hexdigest()
    assert file_hash(path) == hashlib.sha256(content).hexdigest()[:16]
    running = hashlib.sha256(b"prefix")
    update_with_file(running, path)
    assert running.hexdigest() == hashlib.sha256(b"prefix" + content).hexdigest()


def test_tree_fingerprint_is_unchanged(tmp_path: Path) -> None:
    files = {"a.csv": b"x,y\n1,2\n", "sub/b.txt": b"hello", "__pycache__/c.pyc": b"skipped"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    expected = hashlib.sha256(b"a.csv\0x,y\n1,2\n" + b"sub/b.txt\0hello").hexdigest()[:16]
    assert tree_hash(tmp_path) == expected
    assert tree_hash(tmp_path / "missing") == "-"


@pytest.mark.parametrize("module", ["core/digests.py", "core/layout.py", "report/outline.py"])
def test_leaf_modules_import_nothing_of_nbreport_at_run_time(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    runtime = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = [alias.name for node in runtime if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in runtime if isinstance(node, ast.ImportFrom)]
    assert not [name for name in names if name.split(".")[0] == "nbreport"]
