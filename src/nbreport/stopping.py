"""Ctrl-C and SIGTERM stop a command within a second, even inside a long call into C.

Python runs a signal handler only between bytecodes: while pyarrow or pandas works through a
hundred-megabyte export, ``KeyboardInterrupt`` waits for them. The C-level handler does write
the signal to a "wakeup" pipe at once (:func:`signal.set_wakeup_fd`); a watchdog thread waits
on that pipe and, when the command has not stopped on its own :data:`GRACE_S` after the
signal, ends the process with the interrupted exit code. ``nbreport run`` does not use it: its
own handlers stop the kernels and record the interruption in the manifest.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from nbreport.core.exit_codes import EXIT_INTERRUPTED

GRACE_S = 0.5


def arm() -> None:
    """Start the watchdog (main thread only; once per process)."""
    if threading.current_thread() is not threading.main_thread() or _ARMED.is_set():
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    except ValueError:  # not the main thread of the main interpreter
        return
    _ARMED.set()
    threading.Thread(target=_watch, args=(read_end,), name="nbreport-stop-watchdog",
                     daemon=True).start()


def disarm() -> None:
    """Stop ending the process on a signal (a command with handlers of its own calls this)."""
    _ARMED.clear()


_ARMED = threading.Event()
_STOPPING = (signal.SIGINT, signal.SIGTERM)


def _watch(read_end: int) -> None:
    while True:
        received = os.read(read_end, 1)
        if not received or received[0] not in _STOPPING or not _ARMED.is_set():
            continue
        if _finished_within(GRACE_S):
            return
        if _ARMED.is_set():
            os.write(sys.stderr.fileno(), b"\naborted\n")
            os._exit(EXIT_INTERRUPTED)


def _finished_within(seconds: float) -> bool:
    """Whether the main thread ends within ``seconds`` (the interpreter then exits)."""
    main = threading.main_thread()
    main.join(seconds)
    return not main.is_alive()
