"""The exit codes of every ``nbreport`` command: one table, shown in ``nbreport --help`` and in
the README (a test keeps the three in step).

``run X`` and ``check --client X`` answer for X only: another client's failing report changes
the period's index page, never the exit code of a command that did not name it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_REPORTS_FAILED = 1
EXIT_USAGE = 2
EXIT_STORAGE = 3
EXIT_INTERRUPTED = 130

# (code, meaning), in the order shown to users
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "all good: every report of the clients named (all clients when none are named) "
              "was produced or unchanged, and passed the QA gate"),
    (EXIT_REPORTS_FAILED, "a report of the clients named failed, is missing or did not pass "
                          "the QA gate; other clients' reports never count"),
    (EXIT_USAGE, "usage or parameter errors (and data errors, for validate), or another run is "
                "writing the same period"),
    (EXIT_STORAGE, "a file could not be written (disk full or read-only, no permission, a "
                   "folder missing); the message names it, and previous good files are unchanged"),
    (EXIT_INTERRUPTED, "stopped by Ctrl-C or SIGTERM; previous good reports are unchanged"),
)


def markdown_table() -> str:
    """The table as the README shows it."""
    rows = ["| Exit code | Meaning |", "|---|---|"]
    rows += [f"| `{code}` | {meaning} |" for code, meaning in EXIT_CODES]
    return "\n".join(rows)


def help_text() -> str:
    """The table as ``nbreport --help`` shows it (click keeps ``\\b`` paragraphs as written)."""
    lines = ["\b", "Exit codes:"]
    lines += [f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES]
    return "\n".join(lines)
