"""Kernel processes of a run: who may kill them, and where their sockets live.

Each kernel gets its own process group and is recorded in a :class:`KernelWatch`, so that a
run being stopped can kill it from another thread. Kernels talk to the run over Unix sockets
in a private folder of the run's own (:func:`runtime_dir`), removed when the run exits, or by a
later run when this one was killed outright. The kernels themselves are started by
:mod:`nbreport.speedups.manager` (forked from a zygote) or, on the plain path, by papermill.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

RUNTIME_PREFIX = "nbreport-kernels-"  # + the run's process id: its kernels' sockets


class KernelWatch:
    """The kernel processes started for one client, so that another thread can stop them."""

    def __init__(self) -> None:
        self._groups: set[int] = set()
        self._lock = threading.Lock()
        self.killed = False

    def add(self, pid: int) -> None:
        with self._lock:
            self._groups.add(pid)
            killed = self.killed
        if killed:  # the run was stopped while this kernel was starting
            _kill_group(pid)

    def discard(self, pid: int) -> None:
        with self._lock:
            self._groups.discard(pid)

    def kill(self) -> None:
        """SIGKILL every kernel still running, with the processes it started."""
        with self._lock:
            self.killed = True
            groups = list(self._groups)
        for pid in groups:
            _kill_group(pid)


def _kill_group(pid: int) -> None:
    """SIGKILL the process group led by ``pid`` (a kernel and its children), else the process."""
    kill_signal = getattr(signal, "SIGKILL", signal.SIGTERM)
    for send in (getattr(os, "killpg", None), os.kill):
        if send is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                send(pid, kill_signal)
                return


@functools.cache


def _runtime_dir() -> Path:
    """A private folder (mode 0700) for the kernels' Unix sockets and connection files (which
    hold each kernel's signing key), outside any client's folder; named after this process,
    so that a later run can remove it should this one be killed."""
    remove_stale_runtime_dirs()
    folder = tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


def runtime_dir() -> Path:
    """This run's private folder for kernel sockets and connection files (made on first use)."""
    return _runtime_dir()


def remove_stale_runtime_dirs() -> list[Path]:
    """Remove the runtime folders of runs whose process is gone (killed outright, their exit
    handlers never ran); returns them."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}*-*"):
        owner = folder.name[len(RUNTIME_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and folder.is_dir() and not folder.is_symlink() \
                and folder.stat().st_uid == os.getuid() and not _is_running(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
