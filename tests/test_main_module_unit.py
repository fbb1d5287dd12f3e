"""``python -m nbreport`` is the ``nbreport`` command, exit codes included."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from nbreport.metrics.definitions import METRICS


def test_importing_main_runs_the_command_line(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["nbreport", "metrics"])
    monkeypatch.delitem(sys.modules, "nbreport.__main__", raising=False)
    import nbreport.__main__  # noqa: F401  (runs main() as `python -m nbreport metrics` does)

    listed = capsys.readouterr().out
    assert all(name in listed for name in METRICS)


def test_a_usage_error_exits_with_code_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["nbreport", "no-such-command"])
    monkeypatch.delitem(sys.modules, "nbreport.__main__", raising=False)
    with pytest.raises(SystemExit) as exited:
        importlib.import_module("nbreport.__main__")
    assert exited.value.code == 2
    assert "No such command 'no-such-command'" in capsys.readouterr().err


def test_python_m_nbreport_in_a_fresh_interpreter() -> None:
    done = subprocess.run([sys.executable, "-m", "nbreport", "--help"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and "validate" in done.stdout and "new-client" in done.stdout
