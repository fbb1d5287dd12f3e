"""Writing outputs so that a reader never sees half a file and a failure never costs a good one.

Every file nbreport writes goes through :func:`write_atomic` or :func:`move_atomic`: the
content is written to a temporary name beside the target and renamed onto it, so the target
is either the previous file or the complete new one. An operating-system error (disk full,
read-only, no permission, a missing folder) leaves no temporary file behind and becomes a
:class:`~nbreport.core.errors.StorageError` naming the target and the fix.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nbreport.core.errors import DEVICE_ERRNOS, StorageError


@contextlib.contextmanager
def storage_errors(path: Path | str) -> Iterator[None]:
    """Turn an ``OSError`` raised in the block into a :class:`StorageError` naming ``path``."""
    try:
        yield
    except StorageError:
        raise
    except OSError as exc:
        raise StorageError.from_os_error(exc, path) from exc


def as_storage_error(exc: BaseException) -> StorageError | None:
    """``exc`` as a :class:`StorageError` when it is a full or read-only disk (papermill and
    nbconvert raise plain ``OSError``), else ``None``: a read can fail with EACCES too, and
    must not be reported as a write."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OSError) and exc.errno in DEVICE_ERRNOS:
        return StorageError.from_os_error(exc)
    # a report's kernel that hit the full disk: "[Errno 28] No space left on device: 'x.json'"
    reported = _KERNEL_OS_ERROR.search(str(getattr(exc, "evalue", None) or ""))
    if reported and int(reported["errno"]) in DEVICE_ERRNOS:
        return StorageError(reported["path"] or "(a file of the report)", int(reported["errno"]))
    return None


_KERNEL_OS_ERROR = re.compile(r"\[Errno (?P<errno>\d+)\][^:']*(?::\s*'(?P<path>[^']+)')?")


def make_folder(path: Path) -> None:
    """``path`` and its parents, or a :class:`StorageError` naming it."""
    with storage_errors(path):
        path.mkdir(parents=True, exist_ok=True)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it into place.

    Raises
    ------
    StorageError
        When any step fails; ``path`` is then unchanged and no temporary file is left.
    """
    make_folder(path.parent)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with storage_errors(path):
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
        try:
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; reports are shared
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def move_atomic(source: Path, destination: Path) -> None:
    """Rename ``source`` onto ``destination`` (same file system), replacing it in one step.

    Raises
    ------
    StorageError
        Naming ``destination``; it is then unchanged (``source`` stays where it was).
    """
    make_folder(destination.parent)
    with storage_errors(destination):
        os.replace(source, destination)
