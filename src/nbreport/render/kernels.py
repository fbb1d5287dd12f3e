"""Kernel processes for report runs: a fresh kernel per client, ready in a fraction of a second.

Starting a Jupyter kernel the usual way costs seconds per client: a new
Python, then ipykernel, pandas, matplotlib, seaborn and nbreport imported
again. Here every kernel is instead forked from a *zygote*: a process that
has imported those modules once and never runs any code of a client. A
forked kernel is a new process with fresh memory, so no state passes from
one client to the next; it only skips the imports. The zygote is the
standard library's ``multiprocessing`` fork server, and the kernel is driven
through jupyter_client's own provisioner interface, so nbclient and papermill
see an ordinary kernel.

Kernels are forked only where that is sound: on POSIX, from a process that
may have children, for a kernel spec that runs ipykernel on this very
interpreter. Anywhere else (another language, another environment, a daemonic
Dask worker) the kernel is launched the usual way.

Each kernel gets its own process group, dies with the process that started
it, and is recorded in a :class:`KernelWatch` so that a run being stopped can
kill it from another thread.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from queue import Empty
from typing import Any

log = logging.getLogger(__name__)

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
    "nbreport.render.freeze",  # last: what is imported so far is never collected
)
# Preloaded packages that keep a temporary folder made at import in a global (name -> global):
# each kernel gets a folder of its own (see _own_module_temp_dirs).
MODULE_TEMP_DIRS: dict[str, str] = {"cmdstanpy": "_TMPDIR"}
# The matplotlib backend ipykernel sets, so that pyplot figures display inline in a forked kernel.
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_LAUNCHER = ("-m", "ipykernel_launcher")
RUNTIME_PREFIX = "nbreport-kernels-"  # + the run's process id: its kernels' sockets
_REAP_POLL_S = 0.01
_IOPUB_CONNECT_S = 0.5
# How soon a socket that found no kernel listening tries again (zmq waits 100 ms by default):
# the client connects right after the fork, before the new kernel has bound its sockets.
_RECONNECT_MS = 5
_PR_SET_PDEATHSIG = 1


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
    return _runtime_dir() / "zygote.log"


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


@functools.cache
def _provisioner_class() -> type:
    from jupyter_client.provisioning import LocalProvisioner

    class ZygoteProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Forks the kernel from the zygote when it can, else launches it as usual."""

        watch: KernelWatch | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            if is_forkable(cmd) and start_zygote():
                try:
                    self._fork(cmd, kwargs)
                except (OSError, EOFError) as exc:  # a broken zygote must not cost the report
                    log.warning("forking a kernel failed (%s; the zygote wrote: %s); starting it "
                                "the usual way", exc, _tail(zygote_log()))
                    await super().launch_kernel(cmd, **kwargs)
            else:
                await super().launch_kernel(cmd, **kwargs)
            self.pgid = self.pid
            if self.watch is not None:
                self.watch.add(self.pid)
            return self.connection_info

        def _fork(self, cmd: list[str], kwargs: dict[str, Any]) -> None:
            cwd = str(kwargs.get("cwd") or os.getcwd())
            env = {key: str(value) for key, value in (kwargs.get("env") or os.environ).items()}
            context = multiprocessing.get_context("forkserver")
            process = context.Process(target=_kernel_main, args=(list(cmd[3:]), cwd, env),
                                      name="nbreport-kernel")
            process.start()
            self.process = _ForkedProcess(process)
            self.pid = process.pid
            self.cwd = cwd

        async def wait(self) -> int | None:
            # a killed kernel is gone within milliseconds: look more often than every 100 ms
            while isinstance(self.process, _ForkedProcess) and self.process.poll() is None:
                await asyncio.sleep(_REAP_POLL_S)
            return await super().wait()

        async def cleanup(self, restart: bool = False) -> None:
            if self.watch is not None and self.pid is not None:
                self.watch.discard(self.pid)
            await super().cleanup(restart=restart)

    return ZygoteProvisioner


@functools.cache
def _client_class() -> type:
    from jupyter_client.asynchronous import AsyncKernelClient
    from traitlets import default

    class ReadyKernelClient(AsyncKernelClient):  # type: ignore[misc]
        """Knows the kernel is ready as soon as it has replied and IOPub is connected.

        jupyter_client's own wait ends with 0.2 s of IOPub silence: a fixed cost on every
        client's report. Here IOPub is known to be connected when it carries the idle status
        of our kernel_info request, or the kernel's ``iopub_welcome`` (sent to each new
        subscriber by kernels that follow JEP 65), whichever comes first. Its sockets retry
        a connection the kernel was not ready for yet within milliseconds.
        """

        @default("context")
        def _context_default(self) -> Any:
            return _quick_reconnects(super()._context_default())

        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            while time.monotonic() < deadline:
                request = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply and reply["parent_header"].get("msg_id") == request:
                    if await self._idle_after(request, _IOPUB_CONNECT_S):
                        self._handle_kernel_info_reply(reply)
                        return
                elif not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

        # AsyncKernelClient binds ``wait_for_ready`` to its base class's function, so an
        # override of ``_async_wait_for_ready`` alone is never called
        wait_for_ready = _async_wait_for_ready

        async def _idle_after(self, request: str, timeout: float) -> bool:
            """Whether IOPub shows it is connected within ``timeout`` seconds: the idle status
            of ``request`` or a welcome. A subscription that is not connected yet misses the
            status; without a welcome, the request is then sent again."""
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if message["msg_type"] == "iopub_welcome":
                    return True
                if (message["msg_type"] == "status"
                        and message["parent_header"].get("msg_id") == request
                        and message["content"].get("execution_state") == "idle"):
                    return True
            return False

    return ReadyKernelClient


def _quick_reconnects(context: Any) -> Any:
    """``context``, whose new sockets retry a refused connection after a few milliseconds."""
    import zmq

    context.setsockopt(zmq.RECONNECT_IVL, _RECONNECT_MS)
    return context


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").splitlines()[-lines:]) or "nothing"
    except OSError:
        return "nothing"


@functools.cache
def _runtime_dir() -> Path:
    """A private folder (mode 0700) for the kernels' Unix sockets and connection files (which
    hold each kernel's signing key), outside any client's folder; named after this process,
    so that a later run can remove it should this one be killed."""
    remove_stale_runtime_dirs()
    folder = tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


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


def kernel_manager_class(watch: KernelWatch | None = None,
                         env: dict[str, str] | None = None) -> type:
    """An async kernel manager on Unix sockets whose kernels are forked from the zygote.

    ``watch`` records the kernel's process so that a stopped run can kill it; ``env`` is added
    to the kernel's environment (this process's environment is left alone).
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    provisioner_class = _provisioner_class()

    class ReportKernelManager(AsyncKernelManager):  # type: ignore[misc]
        # Unix sockets: local only, no open TCP port; an absolute path so the kernel's own
        # working folder does not matter.
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")

        @default("client_factory")
        def _ready_client(self) -> type:
            return _client_class()

        @default("context")
        def _context_default(self) -> Any:  # its control socket, like the client's sockets
            return _quick_reconnects(super()._context_default())

        @default("ip")
        def _socket_path(self) -> str:
            return str(_runtime_dir() / f"kernel-{uuid.uuid4().hex[:12]}")

        @default("connection_file")
        def _connection_path(self) -> str:
            # beside its kernel's sockets and named after them, not a loose file in the
            # system's temporary folder
            return f"{self.ip}.json"

        async def _async_wait(self, pollinterval: float = _REAP_POLL_S) -> None:
            # after a kill, jupyter_client checks every 100 ms whether the kernel is gone: it
            # is gone within milliseconds, and every report waits for it
            await super()._async_wait(pollinterval=_REAP_POLL_S)

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = provisioner_class(kernel_id=self.kernel_id,
                                                     kernel_spec=self.kernel_spec, parent=self)
                self.provisioner.watch = watch
            if env:
                kw["env"] = {**kw.get("env", os.environ), **env}
            return await super()._async_pre_start_kernel(**kw)

    return ReportKernelManager
