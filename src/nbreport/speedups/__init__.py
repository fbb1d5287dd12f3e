"""The speed tricks: every place where nbreport leans on a private or undocumented API of a
dependency to be fast, and nowhere else.

Each submodule is one trick; ``tests/test_private_apis.py`` checks, per trick, that the
API it touches is still there, and ``pyproject.toml`` caps each package at the versions
those tests passed on.

==================  =====================================================================
``zygote``          kernels forked from a pre-imported process (the standard library's fork
                    server: its alive pipe; cmdstanpy's module-level temporary folder)
``provisioner``     jupyter_client's ``LocalProvisioner`` driven by a forked process
``client``          jupyter_client's kernel client: ready as soon as the kernel replies
``manager``         jupyter_client's kernel manager: Unix sockets, quick reaping, the above
``prophet``         prophet's model and Stan backend: cached features, arrays for Stan
``strptime``        the standard library's strptime regular expressions, run by Arrow over
                    whole date columns (``nbreport.sources.strptime``)
``freeze``          ``gc.freeze()`` in the zygote (public, but only a speed-up)
``engine``          the papermill engine that puts the kernel tricks together
                    (``papermill --engine nbreport``)
==================  =====================================================================

The plain path (``nbreport run --plain``, :mod:`nbreport.render.plain`) uses none of them:
``papermill.execute_notebook``. Both paths export with nbconvert's public ``HTMLExporter``, so
their reports are the same bytes (``tests/test_plain_path.py``). Nothing outside this
package may import a private API of a dependency.

Submodules are imported on use: importing this package imports nothing else.
"""
