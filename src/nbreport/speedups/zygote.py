"""Kernels forked from a *zygote*: a process that imported the report's libraries once.

Starting a Jupyter kernel the usual way costs seconds per client: a new Python, then
ipykernel, pandas, matplotlib, seaborn and nbreport imported again. Here every kernel is
instead forked from a zygote that has imported those modules once and never runs any code
of a client. A forked kernel is a new process with fresh memory, so no state passes from one
client to the next; it only skips the imports. The zygote is the standard library's
``multiprocessing`` fork server.

Private APIs touched (``tests/test_private_apis.py`` checks them): the fork server's
``_forkserver`` and its ``_forkserver_alive_fd`` (a kernel closes its copy of the pipe, so
that it dies with the zygote), and cmdstanpy's module-level ``_TMPDIR`` (each kernel gets a
folder of its own).

Kernels are forked only where that is sound: on POSIX, from a process that may have children,
for a kernel spec that runs ipykernel on this very interpreter (:func:`is_forkable`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from nbreport.render.kernels import runtime_dir

# What the zygote imports once: the kernel itself and what the master notebook and the library
# pull in. A module that is not installed is skipped (the fork server ignores ImportError).
ZYGOTE_PRELOAD: tuple[str, ...] = (
    "__main__",  # the parent's main module, so forked children need not import it again
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
    "IPython.core.interactiveshell", "IPython.core.completer", "sqlite3", "psutil", "pdb",
    "numpy", "pandas", "pyarrow", "matplotlib.figure", "matplotlib.backends.backend_agg",
    "seaborn", "babel.numbers", "pydantic", "jinja2", "nh3", "prophet",
    "nbreport.report", "nbreport.report.sections",
    "nbreport.report.preload",  # what a report imports and compiles on first use
    "nbreport.speedups.freeze",  # last: what is imported so far is never collected
)
# Preloaded packages that keep a temporary folder made at import in a global (name -> global):
# each kernel gets a folder of its own (see _own_module_temp_dirs).
MODULE_TEMP_DIRS: dict[str, str] = {"cmdstanpy": "_TMPDIR"}
# The matplotlib backend ipykernel sets, so that pyplot figures display inline in a forked kernel.
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_LAUNCHER = ("-m", "ipykernel_launcher")
_PR_SET_PDEATHSIG = 1


def start_zygote(preload: Sequence[str] = ZYGOTE_PRELOAD) -> bool:
    """Start the zygote in the background (it imports while the caller goes on).

    Returns whether kernels can be forked in this process at all.
    """
    if not _can_fork_here():
        return False
    # debugpy, imported with ipykernel, warns about frozen modules on import: not for a report
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    from multiprocessing import forkserver

    global _zygote_started
    with _ZYGOTE_LOCK:
        if _zygote_started:
            forkserver.ensure_running()  # restarts it if it died (then its errors are shown)
        else:
            with _stderr_to(zygote_log()):
                forkserver.ensure_running()
            _zygote_started = True
    return True


def zygote_log() -> Path:
    """Where the zygote and its kernels write before ipykernel captures their output (import
    warnings, a crash): a file, not the terminal a progress bar is drawn on."""
    return runtime_dir() / "zygote.log"


@contextlib.contextmanager


def _stderr_to(path: Path) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` while a child process is started (it inherits it)."""
    saved = os.dup(2)
    with path.open("ab") as log_file:
        os.dup2(log_file.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


_ZYGOTE_LOCK = threading.Lock()
_zygote_started = False


def _can_fork_here() -> bool:
    return (os.name == "posix" and "forkserver" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def is_forkable(cmd: Sequence[str]) -> bool:
    """Whether ``cmd`` starts ipykernel on this interpreter (so a fork of it is the same kernel)."""
    return (len(cmd) >= 3 and tuple(cmd[1:3]) == _LAUNCHER
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


def _kernel_main(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """Body of a forked kernel process: become a kernel exactly as ``ipykernel_launcher`` would."""
    os.setsid()  # its own process group: the terminal's Ctrl-C reaches the run, not the kernel
    _release_zygote()
    _die_with_parent()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    parent = str(os.getppid())
    os.environ["JPY_PARENT_PID"] = parent
    tempfile.tempdir = None  # a preloaded module may have cached the zygote's; use this TMPDIR
    _own_module_temp_dirs()
    _inline_figures()
    from ipykernel.kernelapp import IPKernelApp

    # ipykernel read JPY_PARENT_PID when the zygote imported it: pass it again, so that the
    # kernel exits if the zygote goes away and stays quiet about its connection file
    IPKernelApp.launch_instance(argv=[*argv, f"--IPKernelApp.parent_handle={parent}"])


def _own_module_temp_dirs() -> None:
    """Give each module that made a temporary folder when the zygote imported it one of this
    kernel's own, inside its TMPDIR.

    cmdstanpy creates a folder at import and writes every fit's data (a client's daily
    figures) and results there; it copies the path into its submodules' globals. Left as
    it is, every kernel of a run would write into the zygote's one folder, side by side.
    """
    for package, attribute in MODULE_TEMP_DIRS.items():
        shared = getattr(sys.modules.get(package), attribute, None)
        if not isinstance(shared, str):
            continue
        own = tempfile.mkdtemp(prefix=f"{package}-")
        for name, module in list(sys.modules.items()):
            if (name == package or name.startswith(f"{package}.")) and \
                    getattr(module, attribute, None) == shared:
                setattr(module, attribute, own)


def _release_zygote() -> None:
    """Close this kernel's copy of the pipe that keeps the zygote alive.

    The fork server lives while any process holds the write end of its "alive" pipe, and it
    hands that end to every child. A kernel holding it would keep the zygote alive after the
    run that owns both died, and the kernel itself waits for the zygote to die: neither would
    ever exit. Without it, the zygote exits with its owner and takes its kernels along.
    """
    from multiprocessing import forkserver

    server = forkserver._forkserver  # noqa: SLF001 - the stdlib offers no public handle on it
    alive = getattr(server, "_forkserver_alive_fd", None)
    if alive is not None:
        with contextlib.suppress(OSError):
            os.close(alive)
        server._forkserver_alive_fd = None


def _inline_figures() -> None:
    """The backend ipykernel would give matplotlib, which the zygote imported before it could."""
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        matplotlib.rcParams["backend"] = os.environ.get("MPLBACKEND") or _INLINE_BACKEND


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the zygote dies (no orphan kernels)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class _ForkedProcess:
    """What jupyter_client's local provisioner expects of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process
        self.pid: int = process.pid  # type: ignore[assignment]

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        code = self._process.exitcode
        if code is not None:
            self._process.close()
        return code

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").splitlines()[-lines:]) or "nothing"
    except OSError:
        return "nothing"
