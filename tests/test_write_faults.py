"""Full, read-only and unwritable disks (issue 22, item 3): every file nbreport writes is written to
a temporary name and renamed, so a failed write leaves the previous good file byte for byte (or no
file) and no temporary file; the user sees one line naming the path and the fix, no traceback,
and the documented exit code.

Faults are injected at the operating-system calls the write helpers make (``tempfile.mkstemp``,
``os.fsync``, ``os.replace``, ``os.mkdir``), at every write site; the command-level tests inject
them in the ``nbreport`` process through a small launcher, and one test fills a real 5 MB tmpfs
when this machine allows ``mount``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from nbreport.core import files
from nbreport.core.errors import StorageError
from nbreport.core.exit_codes import EXIT_REPORTS_FAILED, EXIT_STORAGE
from nbreport.settings import Settings
from tests.batch_project import PERIOD, make_project
from tests.conftest import REPO

ERRNOS = {"ENOSPC": errno.ENOSPC, "EROFS": errno.EROFS, "EACCES": errno.EACCES,
          "ENOENT": errno.ENOENT}
# the fix each error's line must give (independent of the wording of the cause)
FIXES = {errno.ENOSPC: "free some space and run again",
         errno.EROFS: "make it writable or point nbreport at another folder",
         errno.EACCES: "give your user write access to",
         errno.ENOENT: "create it"}
PREVIOUS = b'{"previous": "good"}\n'


def _raiser(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))
    return fail


def _leftovers(folder: Path) -> list[str]:
    """Temporary files the helpers would have left (hidden ``.name.*.tmp``)."""
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp")
                  or ".printing" in p.name)


# --- the helpers, at each system call they make ----------------------------------------------

CALLS = {
    "mkstemp": (tempfile, "mkstemp"),
    "fsync": (os, "fsync"),  # a write the disk could not take shows here at the latest
    "replace": (os, "replace"),
}


@pytest.mark.parametrize("name", ERRNOS)
@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("had_previous", [True, False], ids=["previous", "first"])
def test_write_atomic_keeps_the_previous_file_and_names_path_and_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, call: str,
        had_previous: bool) -> None:
    target = tmp_path / "outputs" / PERIOD / "manifest.json"
    target.parent.mkdir(parents=True)
    if had_previous:
        target.write_bytes(PREVIOUS)
    module, attribute = CALLS[call]
    monkeypatch.setattr(module, attribute, _raiser(ERRNOS[name]))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError) as raised:
        files.write_atomic(target, "x" * 200_000)
    monkeypatch.undo()
    assert (target.read_bytes() if target.exists() else None) == (PREVIOUS if had_previous else None)
    assert _leftovers(tmp_path) == []
    error = raised.value
    assert error.errno == ERRNOS[name] and error.path == str(target)
    assert "\n" not in str(error)
    assert str(error).startswith(f"cannot write outputs/{PERIOD}/manifest.json: ")
    assert FIXES[ERRNOS[name]] in str(error)
    assert error.exit_code == EXIT_STORAGE
    assert error.device_wide == (ERRNOS[name] in (errno.ENOSPC, errno.EROFS))


@pytest.mark.parametrize("name", ERRNOS)
def test_a_missing_folder_that_cannot_be_made_is_one_storage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    target = tmp_path / "outputs" / PERIOD / "ok-east" / "report.html"
    monkeypatch.setattr(os, "mkdir", _raiser(ERRNOS[name]))
    with pytest.raises(StorageError) as raised:
        files.write_atomic(target, "<html></html>")
    monkeypatch.undo()
    assert not (tmp_path / "outputs").exists()
    assert FIXES[ERRNOS[name]] in str(raised.value)


@pytest.mark.parametrize("name", ERRNOS)
def test_move_atomic_keeps_the_destination_and_the_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    source, destination = tmp_path / ".work-x" / "report.html", tmp_path / "c" / "report.html"
    source.parent.mkdir()
    destination.parent.mkdir()
    source.write_text("<html>new</html>")
    destination.write_bytes(PREVIOUS)
    monkeypatch.setattr(os, "replace", _raiser(ERRNOS[name]))
    with pytest.raises(StorageError) as raised:
        files.move_atomic(source, destination)
    monkeypatch.undo()
    assert destination.read_bytes() == PREVIOUS and source.read_text() == "<html>new</html>"
    assert raised.value.path == str(destination)


# --- every write site, called as the code calls it -------------------------------------------

def _site_results(folder: Path) -> Path:
    from nbreport.report.evidence import write_evidence

    write_evidence({"orders": pd.DataFrame({"date": ["2026-10-01"], "orders": [3]})}, folder)
    return folder / "rows-orders.parquet"


def _site_commentary(folder: Path) -> Path:
    from nbreport.commentary.store import write_client_file

    path = folder / "commentary" / "ok-east" / f"{PERIOD}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_client_file(path, folder, "ok-east", "new commentary\n")
    return path


def _site_scaffold(folder: Path) -> Path:
    from nbreport.params.scaffold import scaffold_client

    return scaffold_client(folder / "params", "ok-east", force=True)


def _site_notebook(folder: Path) -> Path:
    from nbreport.render.execute import write_notebook

    write_notebook(nbformat.v4.new_notebook(), folder / "report.ipynb")
    return folder / "report.ipynb"


def _site_manifest(folder: Path) -> Path:
    from nbreport.batch.manifest import update_manifest

    path = folder / PERIOD / "manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    update_manifest(path.parent, "October 2026", [])
    return path


def _site_demo_csv(folder: Path) -> Path:
    from nbreport.demo.exports import _write_csv

    return _write_csv(pd.DataFrame({"a": [1]}), folder / "orders.csv", "title\n")


SITES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "evidence rows": ("rows-orders.parquet", _site_results),
    "commentary file": (f"commentary/ok-east/{PERIOD}.md", _site_commentary),
    "scaffolded params": ("params/ok-east.yaml", _site_scaffold),
    "executed notebook": ("report.ipynb", _site_notebook),
    "manifest": (f"{PERIOD}/manifest.json", _site_manifest),
    "demo data": ("orders.csv", _site_demo_csv),
}


@pytest.mark.parametrize("name", ERRNOS)
@pytest.mark.parametrize("site", SITES)
def test_each_write_site_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 site: str, name: str) -> None:
    relative, write = SITES[site]
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(PREVIOUS)
    monkeypatch.setattr(os, "replace", _raiser(ERRNOS[name]))
    with pytest.raises(StorageError) as raised:
        write(tmp_path)
    monkeypatch.undo()
    assert target.read_bytes() == PREVIOUS
    assert _leftovers(tmp_path) == []
    assert raised.value.path == str(target) and FIXES[ERRNOS[name]] in str(raised.value)


@pytest.mark.parametrize("name", ERRNOS)
def test_the_lock_file_that_cannot_be_opened_is_one_storage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from nbreport.batch.lock import period_locks

    real_open = Path.open

    def refusing_open(self: Path, *args: object, **kwargs: object):  # noqa: ANN202
        if self.name == ".nbreport.lock":
            raise OSError(ERRNOS[name], os.strerror(ERRNOS[name]), str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    with pytest.raises(StorageError) as raised, period_locks(tmp_path, [PERIOD]):
        pass
    assert raised.value.path == str(tmp_path / PERIOD / ".nbreport.lock")


def test_a_report_whose_kernel_hit_a_full_disk_stops_the_run() -> None:
    """A cell that raised ``OSError: [Errno 28]`` is the device's fault, not the report's."""
    from nbreport.core.errors import ReportError

    full = ReportError("cell 4 raised OSError", ename="OSError",
                       evalue=f"[Errno {errno.ENOSPC}] No space left on device: 'forecasts.json'")
    error = files.as_storage_error(full)
    assert error is not None and error.device_wide and error.path == "forecasts.json"
    denied = ReportError("cell 4 raised PermissionError", ename="PermissionError",
                         evalue=f"[Errno {errno.EACCES}] Permission denied: 'forecasts.json'")
    assert files.as_storage_error(denied) is None
    assert files.as_storage_error(ValueError("[Errno 28] in a data value")) is None
    assert files.as_storage_error(OSError(errno.EACCES, "Permission denied", "x")) is None


def test_a_cut_off_failed_notebook_never_replaces_one_that_reads(tmp_path: Path) -> None:
    """What a full disk did: papermill saves the failed notebook in place and it was cut off at
    163,840 bytes; the cut-off file stays out of the client's folder."""
    from nbreport.batch.pipeline import _is_whole_notebook
    from nbreport.render.pdf import _is_whole_pdf

    whole = tmp_path / "whole.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), whole)
    cut = tmp_path / "cut.ipynb"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    assert _is_whole_notebook(whole) and not _is_whole_notebook(cut)
    assert not _is_whole_notebook(tmp_path / "missing.ipynb")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 5000 + b"\n%%EOF\n")
    cut_pdf = tmp_path / "cut.pdf"
    cut_pdf.write_bytes(pdf.read_bytes()[:4096])
    assert _is_whole_pdf(pdf) and not _is_whole_pdf(cut_pdf)


def test_no_file_is_written_except_through_the_atomic_helpers() -> None:
    """A new write site must use ``write_atomic``/``move_atomic``: none of the ways of writing a
    file in place appears in the library (the lock file, written in place on purpose, apart)."""
    in_place = re.compile(r"\.write_text\(|\.write_bytes\(|open\([^)]*[\"'][wax]b?\+?[\"']"
                          r"|nbformat\.write\(|json\.dump\(|\.to_csv\([^)]*(path|folder)"
                          r"|\.to_excel\((path|folder)|\.to_parquet\((path|folder)"
                          r"|shutil\.(copy|move)")
    allowed = {"core/files.py",  # the helpers themselves
               "batch/lock.py",  # the lock file: renaming it would give a second run another file
               "speedups/zygote.py"}  # an append-only log of the kernels' parent, not an output
    found = []
    for path in sorted((REPO / "src" / "nbreport").rglob("*.py")):
        relative = path.relative_to(REPO / "src" / "nbreport").as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = in_place.search(line.split("#")[0])
            if match and relative not in allowed:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


# --- the commands, with faults injected in the nbreport process ------------------------------

LAUNCHER = """
import errno, os, sys, tempfile, pathlib
code, site = int(sys.argv[1]), sys.argv[2]
def hit(path):  # the site's final name (not its copy in a working folder)
    return os.path.basename(str(path)) == site and "/.work-" not in str(path)
def fail(path):
    raise OSError(code, os.strerror(code), str(path))
real_replace, real_mkstemp, real_mkdtemp, real_open = (
    os.replace, tempfile.mkstemp, tempfile.mkdtemp, pathlib.Path.open)
def replace(source, destination, *a, **k):
    if hit(destination): fail(destination)
    return real_replace(source, destination, *a, **k)
def mkstemp(*a, prefix=None, dir=None, **k):
    target = os.path.join(str(dir), (prefix or ".")[1:-1])
    if prefix and hit(target): fail(target)
    return real_mkstemp(*a, prefix=prefix, dir=dir, **k)
def mkdtemp(*a, prefix=None, dir=None, **k):
    if prefix and prefix.startswith(site): fail(os.path.join(dir, prefix))
    return real_mkdtemp(*a, prefix=prefix, dir=dir, **k)
def open_(self, *a, **k):  # the lock file is opened, not written through the helpers
    if self.name == site == ".nbreport.lock": fail(self)
    return real_open(self, *a, **k)
os.replace, tempfile.mkstemp, tempfile.mkdtemp, pathlib.Path.open = replace, mkstemp, mkdtemp, open_
sys.argv = ["nbreport", *sys.argv[3:]]
from nbreport.cli import main
main()
"""


def nbreport(settings: Settings, *args: str, fault: tuple[int, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    launcher = ([sys.executable, "-c", LAUNCHER, str(fault[0]), fault[1]] if fault
                else [sys.executable, "-m", "nbreport"])
    return subprocess.run([*launcher, "--project", str(settings.project_dir), *args],
                          capture_output=True, text=True, timeout=300,
                          cwd=settings.project_dir)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".nbreport.lock"}


def _assert_every_file_is_previous_or_whole(before: dict[str, bytes], outputs: Path) -> None:
    after = _snapshot(outputs)
    assert not [name for name in after if name.endswith(".tmp") or "/.work-" in name]
    for name, data in after.items():
        if before.get(name) == data:
            continue
        if name.endswith((".json", ".ipynb")):
            json.loads(data)
        elif name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project whose two clients ran once and passed."""
    settings = make_project(tmp_path_factory.mktemp("faults") / "project", ["ok-east", "ok-west"])
    done = nbreport(settings, "run", "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    return settings


# (site, errno) -> exit code: a full or read-only disk stops the run, as does any file of the
# period (manifest, index, QA verdicts, lock, working folder); a client's own report that cannot
# be written fails that client only
RUN_SITES = ["report.html", "manifest.json", "index.html", "qa.json", ".nbreport.lock",
             ".work-ok-east"]


@pytest.mark.kernel
@pytest.mark.parametrize("name", ERRNOS)
@pytest.mark.parametrize("site", RUN_SITES)
def test_run_with_a_write_fault_says_one_line_and_keeps_the_good_files(
        produced: Settings, site: str, name: str) -> None:
    code = ERRNOS[name]
    outputs = produced.outputs_dir
    before = _snapshot(outputs)
    done = nbreport(produced, "run", "ok-east", "--force", fault=(code, site))
    assert "Traceback" not in done.stderr + done.stdout
    device_wide = code in (errno.ENOSPC, errno.EROFS)
    client_file = site in ("report.html", ".work-ok-east") and not device_wide
    if client_file:  # this client fails, the run goes on and records it
        assert done.returncode == EXIT_REPORTS_FAILED, done.stderr
        entry = json.loads((outputs / PERIOD / "manifest.json").read_text())["clients"]["ok-east"]
        assert entry["status"] == "failed", entry
        assert entry["error"]["message"].startswith(f"cannot write outputs/{PERIOD}")
        assert FIXES[code] in entry["error"]["message"]
        assert before[f"{PERIOD}/ok-east/report.html"] == \
            (outputs / PERIOD / "ok-east" / "report.html").read_bytes()
    else:
        assert done.returncode == EXIT_STORAGE, done.stdout + done.stderr
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, done.stderr
        assert errors[0].startswith(f"error: cannot write outputs/{PERIOD}"), errors
        assert FIXES[code] in errors[0]
        if site != ".work-ok-east":  # that one names the period's folder it could not write in
            assert site in errors[0]
    if site in ("manifest.json", ".nbreport.lock") or device_wide and site == ".work-ok-east":
        # stopped before the manifest was written, or failed writing it: the previous one
        assert _snapshot(outputs)[f"{PERIOD}/manifest.json"] == before[f"{PERIOD}/manifest.json"]
    _assert_every_file_is_previous_or_whole(before, outputs)
    again = nbreport(produced, "run", "ok-east", "--force")  # the next run recovers
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.kernel
@pytest.mark.parametrize("name", ["ENOSPC", "EROFS"])
@pytest.mark.parametrize("site", ["qa.json", "manifest.json"])
def test_check_with_a_write_fault_says_one_line(produced: Settings, site: str, name: str) -> None:
    before = _snapshot(produced.outputs_dir)
    done = nbreport(produced, "check", PERIOD, fault=(ERRNOS[name], site))
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == EXIT_STORAGE, done.stdout + done.stderr
    assert done.stderr.count("error:") == 1 and site in done.stderr
    assert FIXES[ERRNOS[name]] in done.stderr
    _assert_every_file_is_previous_or_whole(before, produced.outputs_dir)
    assert _snapshot(produced.outputs_dir)[f"{PERIOD}/manifest.json"] == \
        before[f"{PERIOD}/manifest.json"]


@pytest.mark.parametrize("name", ERRNOS)
def test_new_client_with_a_write_fault_says_one_line(tmp_path: Path, name: str) -> None:
    settings = Settings.for_project(tmp_path)
    (tmp_path / "params").mkdir()
    done = nbreport(settings, "new-client", "acme-co", fault=(ERRNOS[name], "acme-co.yaml"))
    assert done.returncode == EXIT_STORAGE, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: cannot write params/acme-co.yaml: ")
    assert FIXES[ERRNOS[name]] in done.stderr
    assert list((tmp_path / "params").iterdir()) == []


def test_an_os_error_nbreport_did_not_foresee_is_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An ``OSError`` no helper turned into a StorageError still reaches the user as one line."""
    from nbreport import cli

    def broken(**kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), "outputs/2026-10/index.html")

    monkeypatch.setattr(cli.cli, "main", broken)
    with pytest.raises(SystemExit) as exited:
        cli._run_cli()
    assert exited.value.code == EXIT_STORAGE
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stderr.startswith("error: outputs/2026-10/index.html: ")
    assert "run again" in stderr


# --- a real full disk ---------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 5 MB tmpfs (skipped where this machine does not allow ``mount``)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False) \
        if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.kernel
def test_a_real_full_disk_keeps_the_previous_reports(produced: Settings, small_disk: Path) -> None:
    outputs = small_disk / "outputs"
    shutil.copytree(produced.outputs_dir, outputs)
    before = _snapshot(outputs)
    filler = small_disk / "filler"
    with filler.open("wb") as stream:  # fill the disk to the last block
        try:
            while True:
                stream.write(b"\0" * 65536)
                stream.flush()
        except OSError:
            pass
    os.truncate(filler, filler.stat().st_size - 4096)  # room for the lock file, no more
    done = subprocess.run([sys.executable, "-m", "nbreport", "--project",
                           str(produced.project_dir), "--outputs-dir", str(outputs), "run",
                           "--all", "--force"], capture_output=True, text=True, timeout=300,
                          cwd=produced.project_dir)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == EXIT_STORAGE, done.stdout + done.stderr
    assert "no space left on the device; free some space and run again" in done.stderr
    _assert_every_file_is_previous_or_whole(before, outputs)
    assert {name: data for name, data in _snapshot(outputs).items() if name in before} == before
