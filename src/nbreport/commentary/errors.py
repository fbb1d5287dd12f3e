"""Errors in commentary files: each names the file, the section and the line."""

from __future__ import annotations

from dataclasses import dataclass

from nbreport.core.errors import NbreportError


@dataclass(frozen=True)
class CommentaryIssue:
    """One problem in a commentary or context-notes file.

    Attributes
    ----------
    message:
        What is wrong and how to fix it.
    section:
        Title of the section the problem is in, when there is one.
    line:
        1-based line in the file.
    """

    message: str
    section: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [part for part in (f"section '{self.section}'" if self.section else None,
                                   f"line {self.line}" if self.line is not None else None) if part]
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CommentaryError(NbreportError):
    """A commentary file cannot be used: unknown placeholder, unknown section, unreadable file.

    Every problem of the file is reported at once.
    """

    def __init__(self, path: str, issues: list[CommentaryIssue]) -> None:
        self.path = path
        self.issues = issues
        if len(issues) == 1:
            message = f"{path}, {issues[0]}"
        else:
            message = "\n".join([f"{path}: {len(issues)} problems",
                                 *(f"  - {issue}" for issue in issues)])
        super().__init__(message)
