"""Summary of mutmut's results for the chosen functions: totals, kill rate, and every mutant that
was not killed with its file, line and change (``make mutate`` prints it after the run).

Usage: ``python tests/mutation_report.py PATTERN...`` (mutmut's mutant-name globs, the same
as given to ``mutmut run``), from the project folder after ``mutmut run``.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

REPO = Path(__file__).resolve().parents[1]
KILLED = {"killed", "caught by type check"}


def results(patterns: list[str]) -> dict[str, str]:
    """Mutant name -> mutmut status, for the mutants matching ``patterns``."""
    found: dict[str, str] = {}
    for meta in sorted((REPO / "mutants").rglob("*.py.meta")):
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in exit_codes.items():
            if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                found[name] = status_by_exit_code[code]
    return found


def change(name: str) -> tuple[str, str]:
    """``(file:line, "old -> new")`` of one mutant, from ``mutmut show`` (whose diff numbers
    the lines of the mutated function from 1, its ``def`` line)."""
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    path = next(line[4:].strip() for line in shown if line.startswith("--- "))
    removed, added, first_removed, old_line = [], [], None, 0
    for line in shown:
        if line.startswith("@@"):
            old_line = int(line.split()[1].lstrip("-").split(",")[0])
        elif line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:].strip())
            first_removed = old_line if first_removed is None else first_removed
            old_line += 1
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:].strip())
        elif line.startswith(" "):
            old_line += 1
    where = path
    if first_removed is not None:
        source = (REPO / path).read_text(encoding="utf-8").splitlines()
        function = name.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[-1].split("\u01c1")[-1]
        function = function.removeprefix("x_") if name.count("\u01c1") == 0 else function
        start = next((i for i, text in enumerate(source)
                      if text.lstrip().startswith(f"def {function}(")), None)
        if start is not None:
            where = f"{path}:{start + first_removed}"
    return where, f"{' / '.join(removed) or '(nothing)'}  ->  {' / '.join(added) or '(removed)'}"


def main(patterns: list[str]) -> int:
    found = results(patterns)
    if not found:
        print("no mutmut results for these functions: run `mutmut run` first", file=sys.stderr)
        return 2
    counts = Counter("killed" if status in KILLED else status for status in found.values())
    tested = sum(n for status, n in counts.items() if status in ("killed", "survived", "timeout"))
    rate = (counts["killed"] + counts["timeout"]) / tested if tested else 1.0
    others = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())
                       if status not in ("killed", "survived", "timeout"))
    print(f"mutmut: {len(found)} mutants, {counts['killed']} killed, {counts['survived']} "
          f"survived, {counts['timeout']} timeout{', ' + others if others else ''}; "
          f"kill rate {rate:.1%}")
    for name, status in sorted(found.items()):
        if status not in KILLED and status != "timeout":
            where, what = change(name)
            print(f"  {status}: {where}  {what}   [{name}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
