"""One run at a time per period: a lock on ``outputs/<period>/.nbreport.lock``.

The lock is an ``flock`` held for the whole run, so the operating system
releases it when the process ends, however it ends: a killed run never leaves
a stale lock behind. The file says who holds it, for the message the next run
prints.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from nbreport.core.errors import RunLockedError
from nbreport.core.files import make_folder, storage_errors
from nbreport.core.layout import LOCK_FILE, ProjectLayout


@contextlib.contextmanager
def period_locks(outputs_dir: Path, periods: Iterable[str]) -> Iterator[None]:
    """Hold the lock of every period in ``periods`` (in a fixed order, so two runs cannot deadlock).

    Raises
    ------
    RunLockedError
        When another run holds one of them; nothing has been written then.
    """
    with contextlib.ExitStack() as stack:
        for period in sorted(set(periods)):
            stack.enter_context(_period_lock(ProjectLayout(outputs_dir).period_dir(period)))
        yield


@contextlib.contextmanager
def _period_lock(period_dir: Path) -> Iterator[None]:
    import fcntl

    # The lock file is the one file written in place, not renamed: a rename would give it a
    # new inode and a second run would lock another file. Its content only says who holds it.
    make_folder(period_dir)
    path = period_dir / LOCK_FILE
    with storage_errors(path):
        stream = path.open("a+", encoding="utf-8")
    with stream:
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockedError(_locked_message(period_dir, stream)) from None
        with storage_errors(path):  # a full disk stops the run here, before any kernel starts
            _write_holder(stream)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):  # emptying it is a courtesy; flock is the lock
                stream.truncate(0)
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


def _write_holder(stream: IO[str]) -> None:
    stream.seek(0)
    stream.truncate(0)
    json.dump({"pid": os.getpid(), "host": socket.gethostname(),
               "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}, stream)
    stream.flush()


def _locked_message(period_dir: Path, stream: IO[str]) -> str:
    stream.seek(0)
    try:
        holder = json.loads(stream.read() or "{}")
    except ValueError:
        holder = {}
    who = (f" (process {holder['pid']} on {holder.get('host', '?')}, started "
           f"{holder.get('started_at', '?')})" if "pid" in holder else "")
    return (f"another nbreport run is writing outputs/{period_dir.name}{who}; wait for it to "
            "finish or stop it, then run again")
