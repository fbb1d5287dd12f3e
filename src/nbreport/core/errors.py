"""The errors nbreport raises on purpose.

One root class, :class:`NbreportError`; each subclass carries the data a user
needs to act on it and the exit code the command line maps it to (the click
``exit_code`` pattern). Messages name the file, key, row or column at fault and
say how to fix it.

Every error survives pickling with its fields (Dask and process pools pickle what a
worker raises), and a :class:`DataError` raised inside a report's kernel keeps its
source, file, row and column on the way back to the runner: see :func:`data_location`.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from nbreport.core.exit_codes import (  # the one table
    EXIT_OK,
    EXIT_REPORTS_FAILED,
    EXIT_STORAGE,
    EXIT_USAGE,
)

__all__ = [
    "EXIT_OK",
    "EXIT_REPORTS_FAILED",
    "EXIT_STORAGE",
    "EXIT_USAGE",
    "NbreportError",
    "ParamsError",
    "ParamsIssue",
    "DataError",
    "ReportError",
    "ConfigError",
    "ReportTimeout",
    "ReportInterrupted",
    "RunLockedError",
    "StorageError",
    "DATA_LOCATION_NOTE",
    "data_location",
]



class NbreportError(Exception):
    """Root of every error nbreport raises deliberately."""

    exit_code: ClassVar[int] = EXIT_REPORTS_FAILED

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its message and fields, without calling __init__: a subclass's
        # __init__ takes other arguments than the message that ``args`` holds
        return _rebuild, (type(self), self.args, dict(self.__dict__))


def _rebuild(cls: type[NbreportError], args: tuple[Any, ...],
             state: dict[str, Any]) -> NbreportError:
    """The error pickled by :meth:`NbreportError.__reduce__`."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class ConfigError(NbreportError):
    """The project layout or the command line is wrong (no params folder, bad option)."""

    exit_code: ClassVar[int] = EXIT_USAGE


@dataclass(frozen=True)
class ParamsIssue:
    """One problem in a parameter file.

    Attributes
    ----------
    key:
        Dotted path of the key at fault, e.g. ``kpis[2].target``.
    message:
        What is wrong and what was expected.
    line:
        1-based line in ``source`` where the key is, when known.
    source:
        The file (or ``command line``) the offending value came from.
    """

    key: str
    message: str
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}, line {self.line}" if where else f"line {self.line}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.key}: {self.message}"


class ParamsError(NbreportError):
    """A client's parameters are missing, malformed or invalid.

    Carries the file and every issue found, so that one run reports all of
    them instead of one per attempt.
    """

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, path: str, issues: list[ParamsIssue]) -> None:
        self.path = path
        self.issues = issues
        lines = [f"{path}: invalid parameters ({len(issues)} problem{'s' * (len(issues) != 1)})"]
        lines += [f"  - {issue}" for issue in issues]
        super().__init__("\n".join(lines))


# Where a DataError is, as one line of its traceback (an exception note, PEP 678): the
# message stays as people read it, and the runner finds the fields in the kernel's traceback.
DATA_LOCATION_NOTE = "nbreport data location: "
_LOCATION_FIELDS = {"source": str, "path": str, "row": int, "column": str}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class DataError(NbreportError):
    """A data source cannot be read or fails a check.

    Its fields also travel as a note (``nbreport data location: {...}``, JSON) that
    tracebacks show, so that a report's kernel passes them on: see :func:`data_location`.

    Parameters
    ----------
    message:
        What is wrong and how to fix it.
    source:
        Name of the source in the params file.
    path:
        File (relative to the data root) or query at fault.
    row, column:
        Where in the file, when known (row is 1-based and counts the header as row 1).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.source = source
        self.path = path
        self.row = row
        self.column = column
        self.reason = message
        where = [part for part in (
            f"source '{source}'" if source else None,
            path,
            f"row {row}" if row is not None else None,
            f"column '{column}'" if column else None,
        ) if part]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        if self.location:
            self.add_note(DATA_LOCATION_NOTE + json.dumps(self.location, ensure_ascii=False))

    @property
    def location(self) -> dict[str, Any]:
        """The known fields of ``source``, ``path``, ``row`` and ``column``."""
        return {name: getattr(self, name) for name in _LOCATION_FIELDS
                if getattr(self, name) is not None}


def data_location(traceback: Iterable[str]) -> dict[str, Any] | None:
    """The fields of the DataError a traceback shows (the last one), ``None`` if it shows none.

    ``traceback`` is a kernel's error output (its lines may hold terminal colour codes).
    """
    found = None
    for line in _ANSI.sub("", "\n".join(traceback)).splitlines():
        if line.strip().startswith(DATA_LOCATION_NOTE):
            found = line.strip()[len(DATA_LOCATION_NOTE):]
    if found is None:
        return None
    try:
        fields = json.loads(found)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    return {name: value for name, value in fields.items()
            if name in _LOCATION_FIELDS and isinstance(value, _LOCATION_FIELDS[name])
            and not isinstance(value, bool)} or None


class ReportError(NbreportError):
    """Executing or exporting one client's report failed.

    Attributes mirror papermill's ``PapermillExecutionError`` so that the
    manifest can say which cell failed and why; ``location`` holds the fields of a
    :class:`DataError` the cell raised (source, path, row, column), when it did.
    """

    def __init__(
        self,
        message: str,
        *,
        cell_index: int | None = None,
        ename: str | None = None,
        evalue: str | None = None,
        location: dict[str, Any] | None = None,
    ) -> None:
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.location = location
        super().__init__(message)


class ReportTimeout(ReportError):
    """A cell of one client's report ran out of time (its kernel was stopped)."""


class ReportInterrupted(ReportError):
    """One client's report was stopped because the whole run was interrupted (Ctrl-C, SIGTERM)."""


class RunLockedError(ConfigError):
    """Another run is writing the same period's outputs."""


# errno -> (what happened, how to fix it), for the one line a user sees
_STORAGE_ADVICE: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on the device", "free some space and run again"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space and run again"),
    errno.EROFS: ("the file system is read-only",
                  "make it writable or point nbreport at another folder (--outputs-dir) "
                  "and run again"),
    errno.EACCES: ("permission denied",
                   "give your user write access to {folder} and run again"),
    errno.EPERM: ("operation not permitted",
                  "give your user write access to {folder} and run again"),
    errno.ENOENT: ("the folder {folder} does not exist (removed while nbreport ran?)",
                   "create it, or check --outputs-dir, and run again"),
}
# errors of the whole device, not of one file: a batch stops on these (see batch.pipeline)
DEVICE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


class StorageError(NbreportError):
    """A file or folder could not be written: full or read-only disk, no permission, a missing
    folder. Raised by :mod:`nbreport.core.files` instead of the raw ``OSError``; the message is
    one line naming the path and the fix.

    Attributes
    ----------
    path:
        The file or folder that could not be written.
    errno:
        The operating system's error number (``errno.ENOSPC`` ...), ``None`` when unknown.
    """

    exit_code: ClassVar[int] = EXIT_STORAGE

    def __init__(self, path: str | os.PathLike[str], error_number: int | None,
                 detail: str = "") -> None:
        self.path = str(path)
        self.errno = error_number
        super().__init__(storage_message(self.path, error_number, detail))

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | os.PathLike[str] | None = None) -> StorageError:
        """The error for ``exc``, naming ``path`` (default: the file the OSError names)."""
        where = path if path is not None else (exc.filename or "(unknown file)")
        return cls(where, exc.errno, exc.strerror or str(exc))

    @property
    def device_wide(self) -> bool:
        """Whether the cause is the whole device (full, read-only) rather than this one file."""
        return self.errno in DEVICE_ERRNOS


def storage_message(path: str, error_number: int | None, detail: str = "") -> str:
    """``cannot write PATH: WHAT; FIX``, the path shown relative to the working folder."""
    shown = shown_path(path)
    folder = shown_path(os.path.dirname(os.path.abspath(path)))
    what, fix = _STORAGE_ADVICE.get(error_number or -1, (
        detail or "the operating system refused the write",
        "check that {folder} exists, is writable and has space, and run again"))
    return f"cannot write {shown}: {what.format(folder=folder)}; {fix.format(folder=folder)}"


def shown_path(path: str) -> str:
    """``path`` relative to the working folder when it is inside it, else as given."""
    try:
        return os.path.relpath(path) if os.path.abspath(path).startswith(os.getcwd() + os.sep) \
            else path
    except (OSError, ValueError):  # no working folder (removed), another drive
        return path
