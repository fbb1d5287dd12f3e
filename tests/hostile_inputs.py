"""A small client project and the front door a user has: ``nbreport validate`` (shared by the
hostile-params and hostile-data tests)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from nbreport import cli

REPO = Path(__file__).resolve().parents[1]

GOOD_PARAMS = """\
client:
  id: acme
  name: Acme Outdoor
  currency: USD
  locale: en_US
period: 2026-10
sources:
  - name: ads
    kind: ads
    path: ads.csv
kpis:
  - metric: clicks
    target: 1000
  - metric: spend
    direction: lower
    target: 400
budget:
  amount: 500
"""

HEADER = "date,campaign,impressions,clicks,spend,currency"


def good_rows(days: int = 31) -> list[str]:
    return [f"2026-10-{day:02d},Brand,100,10,12.50,USD" for day in range(1, days + 1)]


GOOD_CSV = "\n".join([HEADER, *good_rows()]) + "\n"


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def make_project(root: Path, params: str | bytes = GOOD_PARAMS, data: str | bytes = GOOD_CSV) -> Path:
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "data" / "acme").mkdir(parents=True, exist_ok=True)
    write(root / "params" / "acme.yaml", params)
    write(root / "data" / "acme" / "ads.csv", data)
    return root


def write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def validate(project: Path, *args: str) -> Outcome:
    """``nbreport --project PROJECT validate ARGS`` in this process, as the console script runs
    it (its ``main`` maps errors to messages and exit codes)."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["nbreport", "--project", str(project), "validate", *args]
    with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            cli.main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return Outcome(code, out.getvalue(), err.getvalue())


MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: far above a validate run, far below a bomb

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.argv = ["nbreport", *sys.argv[1:]]
from nbreport.cli import main
main()
"""


def validate_limited(project: Path, *args: str, timeout: float = 60) -> Outcome:
    """``nbreport validate`` in a subprocess whose memory is capped with ``setrlimit``: a
    regression that expands a bomb fails with MemoryError instead of swapping the machine."""
    code = _LIMITED.format(limit=MEMORY_LIMIT)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-c", code, "--project", str(project), "validate", *args],
                            capture_output=True, text=True, timeout=timeout, env=env)
    return Outcome(result.returncode, result.stdout, result.stderr)
