"""A papermill engine with nbreport's kernel tricks: ``papermill --engine nbreport``.

papermill's own nbclient engine, with the kernel started by
:func:`nbreport.speedups.manager.kernel_manager_class`: forked from the zygote (the
libraries already imported), on Unix sockets, ready as soon as it replies, and shut down
at once when the notebook is done. Registered under the name ``nbreport`` through the
``papermill.engine`` entry point in ``pyproject.toml``, so that papermill's command line
and ``papermill.execute_notebook(..., engine_name="nbreport")`` use it too.

The class is made on first use (:func:`engine_class`, or the module attribute
``NbreportEngine``), not when this module is imported: papermill loads its entry points
while ``papermill.engines`` is being imported, so a module that imported papermill at the
top would, imported first, be asked for its engine before it had defined it.
"""

from __future__ import annotations

import functools
from typing import Any

from nbreport.render.kernels import KernelWatch
from nbreport.speedups.manager import kernel_manager_class

ENGINE_NAME = "nbreport"


@functools.cache
def engine_class() -> type:
    """The engine class (papermill's engines are imported on first use)."""
    # defined before papermill.engines loads the entry points, even while it is being imported
    from papermill.engines import NBClientEngine

    class NbreportEngine(NBClientEngine):  # type: ignore[misc, valid-type]
        """papermill's nbclient engine on a kernel forked from the zygote.

        Besides papermill's and nbclient's own keywords it takes ``kernel_watch`` (a
        :class:`~nbreport.render.kernels.KernelWatch` that records the kernel, so that
        another thread can kill it) and ``kernel_env`` (variables the kernel gets on top of
        this process's environment).
        """

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *,
                                     kernel_watch: KernelWatch | None = None,
                                     kernel_env: dict[str, str] | None = None,
                                     **kwargs: Any) -> Any:
            kwargs.setdefault("kernel_manager_class",
                              kernel_manager_class(kernel_watch, kernel_env))
            # a finished report's kernel has nothing to save: no polite shutdown request
            kwargs.setdefault("shutdown_kernel", "immediate")
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    NbreportEngine.__module__ = __name__
    return NbreportEngine


def __getattr__(name: str) -> Any:
    """``NbreportEngine``: the entry point's target (see the module's docstring)."""
    if name == "NbreportEngine":
        return engine_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
