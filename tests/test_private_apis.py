"""The private APIs nbreport's fast path relies on are still there, with the same signatures.

Each speed trick overrides or reads something a package does not promise to keep, and all of
them live in ``nbreport.speedups`` (one submodule per trick): jupyter_client's kernel client,
manager and provisioner (``client``, ``manager``, ``provisioner``), the standard library's fork
server and cmdstanpy's temporary folder (``zygote``), papermill's nbclient engine
(``engine``), nbconvert's HTML exporter (``exporter``), prophet's model and Stan backend
(``prophet``) and the standard library's strptime regular expressions (``strptime``).
pyproject.toml caps those packages at the versions these tests passed on; when one fails, it
names the package, its version and what changed, so that the trick is updated (or dropped)
before the cap is raised. ``nbreport run --plain`` needs none of them.
"""

from __future__ import annotations

import ast
import inspect
import multiprocessing.forkserver
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import entry_points, version
from pathlib import Path
from typing import Any

import pytest


def _fail(package: str, what: str, user: str) -> None:
    installed = f"Python {platform.python_version()}" if package == "python" \
        else f"{package} {version(package)}"
    pytest.fail(f"{installed}: {what}; {user} relies on it: update it for this version, then "
                "the bound in pyproject.toml and environment.yml", pytrace=False)


def _expect_signature(package: str, function: Any, names: list[str], user: str, *,
                      coroutine: bool = False) -> None:
    """``function`` exists and takes (at least, in this order) the parameters ``names``."""
    qualname = getattr(function, "__qualname__", repr(function))
    if not callable(function):
        _fail(package, f"{qualname} is gone", user)
    found = list(inspect.signature(function).parameters)
    if found[:len(names)] != names:
        _fail(package, f"{qualname}{inspect.signature(function)} no longer takes {names}", user)
    if coroutine and not inspect.iscoroutinefunction(function):
        _fail(package, f"{qualname} is no longer a coroutine function", user)


def _method(package: str, owner: type, name: str, user: str) -> Callable[..., Any]:
    method = inspect.getattr_static(owner, name, None)
    if method is None:
        _fail(package, f"{owner.__name__}.{name} is gone", user)
    return getattr(owner, name)


SPEEDUPS = "nbreport.speedups"
SOURCE = Path(__file__).resolve().parents[1] / "src" / "nbreport"


def test_jupyter_client_kernel_client_waits_through_a_private_coroutine() -> None:
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.client import KernelClient

    from nbreport.speedups.client import client_class

    user = f"{SPEEDUPS}.client.ReadyKernelClient (a kernel is ready as soon as it replies)"
    wait = _method("jupyter_client", KernelClient, "_async_wait_for_ready", user)
    _expect_signature("jupyter_client", wait, ["self", "timeout"], user, coroutine=True)
    if AsyncKernelClient.wait_for_ready is not KernelClient._async_wait_for_ready:
        _fail("jupyter_client", "AsyncKernelClient.wait_for_ready is no longer bound to "
              "KernelClient._async_wait_for_ready", user)
    _expect_signature("jupyter_client", _method("jupyter_client", KernelClient,
                                                "_handle_kernel_info_reply", user),
                      ["self", "msg"], user)
    _expect_signature("jupyter_client", _method("jupyter_client", KernelClient,
                                                "_async_is_alive", user),
                      ["self"], user, coroutine=True)
    _method("jupyter_client", AsyncKernelClient, "_context_default", user)
    ready = client_class()
    if ready.wait_for_ready is not ready._async_wait_for_ready:  # what papermill calls is ours
        _fail("jupyter_client", "ReadyKernelClient.wait_for_ready is not its own override", user)


def test_jupyter_client_kernel_manager_hooks_keep_their_signatures() -> None:
    from jupyter_client.manager import AsyncKernelManager

    from nbreport.speedups.manager import kernel_manager_class

    user = f"{SPEEDUPS}.manager.ReportKernelManager (quick reaping, a zygote provisioner)"
    _expect_signature("jupyter_client", _method("jupyter_client", AsyncKernelManager,
                                                "_async_wait", user),
                      ["self", "pollinterval"], user, coroutine=True)
    pre_start = _method("jupyter_client", AsyncKernelManager, "_async_pre_start_kernel", user)
    _expect_signature("jupyter_client", pre_start, ["self"], user, coroutine=True)
    # the provisioner set before the base class runs must be kept, not replaced
    if "if self.provisioner is None" not in inspect.getsource(pre_start):
        _fail("jupyter_client", "AsyncKernelManager._async_pre_start_kernel no longer keeps a "
              "provisioner that is already set", user)
    _method("jupyter_client", AsyncKernelManager, "_context_default", user)
    for trait in ("transport", "ip", "connection_file", "client_factory", "context"):
        if not AsyncKernelManager.class_traits().get(trait):
            _fail("jupyter_client", f"AsyncKernelManager has no trait '{trait}'", user)
    ours = kernel_manager_class()
    for name in ("_async_wait", "_async_pre_start_kernel"):  # still hooks, not dead overrides
        if not any(name in vars(klass) for klass in ours.__mro__[1:]
                   if klass.__module__.startswith("jupyter_client")):
            _fail("jupyter_client", f"no jupyter_client class defines {name} any more", user)


def test_jupyter_client_local_provisioner_is_still_driven_by_its_process_fields() -> None:
    from jupyter_client.provisioning import LocalProvisioner

    user = f"{SPEEDUPS}.provisioner.ZygoteProvisioner (kernels forked from the zygote)"
    _expect_signature("jupyter_client", _method("jupyter_client", LocalProvisioner,
                                                "launch_kernel", user),
                      ["self", "cmd"], user, coroutine=True)
    _expect_signature("jupyter_client", _method("jupyter_client", LocalProvisioner, "wait", user),
                      ["self"], user, coroutine=True)
    _expect_signature("jupyter_client", _method("jupyter_client", LocalProvisioner,
                                                "cleanup", user),
                      ["self", "restart"], user, coroutine=True)
    for field in ("process", "pid", "pgid"):  # what the fork sets in place of a Popen's
        if not hasattr(LocalProvisioner, field):
            _fail("jupyter_client", f"LocalProvisioner.{field} is gone", user)
    wait_source = inspect.getsource(LocalProvisioner.wait)
    if "self.process.wait()" not in wait_source or "self.process = None" not in wait_source:
        _fail("jupyter_client", "LocalProvisioner.wait no longer waits on self.process "
              "(ZygoteProvisioner stands a _ForkedProcess in for it)", user)
    from nbreport.speedups.provisioner import provisioner_class

    if not issubclass(provisioner_class(), LocalProvisioner):
        _fail("jupyter_client", "ZygoteProvisioner is no LocalProvisioner", user)


def test_the_stdlib_fork_server_keeps_its_alive_pipe_where_kernels_close_it() -> None:
    from nbreport.speedups import zygote

    user = f"{SPEEDUPS}.zygote._release_zygote (kernels die with the zygote)"
    if zygote.ZYGOTE_PRELOAD[-1] != f"{SPEEDUPS}.freeze":
        _fail("python", "the zygote no longer freezes what it imported last", user)
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    if not isinstance(server, multiprocessing.forkserver.ForkServer):
        _fail("python", "multiprocessing.forkserver._forkserver is no longer the ForkServer", user)
    if not hasattr(multiprocessing.forkserver.ForkServer(), "_forkserver_alive_fd"):
        _fail("python", "ForkServer has no _forkserver_alive_fd", user)


def test_cmdstanpy_keeps_its_temporary_folder_in_a_module_global() -> None:
    import cmdstanpy

    from nbreport.speedups.zygote import MODULE_TEMP_DIRS

    user = f"{SPEEDUPS}.zygote._own_module_temp_dirs (each kernel writes its fits to its own folder)"
    attribute = MODULE_TEMP_DIRS["cmdstanpy"]
    folder = getattr(cmdstanpy, attribute, None)
    if not isinstance(folder, str):
        _fail("cmdstanpy", f"cmdstanpy.{attribute} is no longer a folder's path", user)


def test_prophet_methods_the_quick_model_overrides_keep_their_signatures() -> None:
    import pandas as pd
    from prophet import Prophet
    from prophet.models import CmdStanPyBackend

    from nbreport.speedups.prophet import quick_prophet

    user = f"{SPEEDUPS}.prophet.QuickProphet (cached features, arrays for Stan)"
    if not issubclass(quick_prophet(Prophet), Prophet):
        _fail("prophet", "QuickProphet is no Prophet", user)
    if not isinstance(inspect.getattr_static(CmdStanPyBackend, "prepare_data", None),
                      staticmethod):
        _fail("prophet", "CmdStanPyBackend.prepare_data is no longer a static method", user)
    _expect_signature("prophet", CmdStanPyBackend.prepare_data, ["init", "data"], user)
    for name, parameters in (("regressor_column_matrix", ["self", "seasonal_features", "modes"]),
                             ("make_all_seasonality_features", ["self", "df"]),
                             ("setup_dataframe", ["self", "df"]),
                             ("predict_trend", ["self", "df"]),
                             ("predictive_samples", ["self", "df"])):
        _expect_signature("prophet", _method("prophet", Prophet, name, user), parameters, user)
    model = Prophet()
    for field in ("stan_backend", "train_holiday_names", "holidays", "holidays_mode",
                  "holidays_prior_scale", "country_holidays", "extra_regressors",
                  "seasonalities", "component_modes", "y_scale", "params"):
        if not hasattr(model, field):
            _fail("prophet", f"Prophet instances have no '{field}'", user)
    days = pd.DataFrame({"ds": pd.date_range("2026-01-01", periods=30), "y": range(30)})
    made = model.make_all_seasonality_features(model.setup_dataframe(days, initialize_scales=True))
    if not (isinstance(made, tuple) and len(made) == 4):
        _fail("prophet", "make_all_seasonality_features no longer returns (features, priors, "
              "component columns, modes)", user)


def test_papermill_nbclient_engine_is_still_extended_the_same_way() -> None:
    from papermill.engines import Engine, NBClientEngine, papermill_engines

    from nbreport.speedups.engine import ENGINE_NAME, NbreportEngine, engine_class

    user = f"{SPEEDUPS}.engine.NbreportEngine (papermill --engine nbreport)"
    _expect_signature("papermill", NBClientEngine.execute_managed_notebook,
                      ["nb_man", "kernel_name"], user)
    _expect_signature("papermill", Engine.execute_notebook, ["nb", "kernel_name"], user)
    source = inspect.getsource(NBClientEngine.execute_managed_notebook)
    if "PapermillNotebookClient(nb_man, **final_kwargs)" not in source:
        _fail("papermill", "NBClientEngine.execute_managed_notebook no longer hands its keywords "
              "(kernel_manager_class, shutdown_kernel) to PapermillNotebookClient", user)
    registered = {point.name: point.value for point in entry_points(group="papermill.engine")}
    if registered.get(ENGINE_NAME) != "nbreport.speedups.engine:NbreportEngine":
        pytest.fail(f"the papermill.engine entry point '{ENGINE_NAME}' is not installed "
                    f"({registered}); run `make setup` after changing pyproject.toml",
                    pytrace=False)
    if not issubclass(NbreportEngine, NBClientEngine) or NbreportEngine is not engine_class():
        _fail("papermill", "NbreportEngine is no longer papermill's NBClientEngine", user)
    if papermill_engines.get_engine(ENGINE_NAME) is not NbreportEngine:
        _fail("papermill", f"papermill does not find the engine '{ENGINE_NAME}'", user)


def test_the_stdlib_strptime_keeps_its_regular_expressions_where_columns_read_them() -> None:
    from nbreport.speedups.strptime import strptime_locale, strptime_pattern, strptime_regex

    user = f"{SPEEDUPS}.strptime (date columns read with Python's own strptime expression)"
    try:
        from _strptime import _TimeRE_cache
    except ImportError:
        _fail("python", "_strptime._TimeRE_cache is gone", user)
    for name in ("pattern", "compile", "locale_time"):
        if not hasattr(_TimeRE_cache, name):
            _fail("python", f"_strptime._TimeRE_cache has no '{name}'", user)
    if not re.fullmatch(strptime_pattern("%d.%m.%Y"), "07.10.2026"):
        _fail("python", "_TimeRE_cache.pattern('%d.%m.%Y') no longer matches '07.10.2026'", user)
    found = strptime_regex("%d %B %Y").fullmatch("7 october 2026")
    if found is None or found.groupdict() != {"d": "7", "B": "october", "Y": "2026"}:
        _fail("python", "_TimeRE_cache.compile('%d %B %Y') no longer captures the fields d, B, "
              "Y (case-insensitively)", user)
    locale = strptime_locale()
    if len(locale.f_month) != 13 or len(locale.a_month) != 13 or len(locale.am_pm) != 2:
        _fail("python", "_TimeRE_cache.locale_time no longer lists 12 months and am/pm", user)


def test_the_zygote_freezes_what_it_imported() -> None:
    """``nbreport.speedups.freeze``, imported last by the zygote, hides every object imported so
    far from the garbage collector (in a process of its own: it does it on import)."""
    frozen = subprocess.run([sys.executable, "-c", "import gc; import nbreport.speedups.freeze; "
                             "print(gc.get_freeze_count())"],
                            capture_output=True, text=True, check=True).stdout
    assert int(frozen) > 1000


# Names with a leading underscore that their owner documents as public
DOCUMENTED = frozenset({"os._exit"})


def _private(name: str) -> bool:
    """A leading underscore, but not a dunder nor a display hook (``_repr_html_``)."""
    return name.startswith("_") and not name.endswith("_")


def private_api_uses(source: str) -> list[str]:
    """Where ``source`` imports a private name or module of another package, or reads a
    private attribute of one it imported (``pkg._x``, ``from pkg import _x``, ``pkg._mod``)."""
    tree = ast.parse(source)
    imported: dict[str, str] = {}  # local name -> what it is
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "nbreport":
                    imported[alias.asname or alias.name.split(".")[0]] = alias.name
                    if any(map(_private, alias.name.split("."))):
                        found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] not in ("nbreport", "__future__"):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                if any(map(_private, [*node.module.split("."), alias.name])):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id in imported for base in node.bases):
            found += [f"line {item.lineno}: {node.name}.{item.name} overrides a private method"
                      for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                      and _private(item.name)]
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain, base = [node.attr], node.value
            while isinstance(base, ast.Attribute):
                chain.append(base.attr)
                base = base.value
            dotted = ".".join([imported.get(getattr(base, "id", ""), ""), *reversed(chain)])
            if isinstance(base, ast.Name) and base.id in imported and dotted not in DOCUMENTED:
                found.append(f"line {node.lineno}: {dotted}")
    return found


def test_the_scan_for_private_apis_finds_them() -> None:
    assert private_api_uses("from _strptime import _TimeRE_cache") == [
        "line 1: from _strptime import _TimeRE_cache"]
    assert private_api_uses("import multiprocessing.forkserver as f\nf._forkserver.x") == [
        "line 2: multiprocessing.forkserver._forkserver"]
    assert private_api_uses("from a.b import c\nc.d._e") == ["line 2: a.b.c.d._e"]
    assert private_api_uses("from nbreport.x import _y\nimport os\nos.__name__") == []
    assert private_api_uses("import os\nos._exit(1)\nfrom a import w\nw._repr_html_()") == []
    assert private_api_uses("from a import B\nclass C(B):\n    def _f(self): pass") == [
        "line 3: C._f overrides a private method"]


def test_nothing_outside_speedups_touches_a_private_api_of_a_dependency() -> None:
    found = {str(path.relative_to(SOURCE)): uses
             for path in sorted(SOURCE.rglob("*.py")) if "speedups" not in path.parts
             if (uses := private_api_uses(path.read_text(encoding="utf-8")))}
    assert not found, ("private APIs of dependencies used outside nbreport.speedups (move the "
                       f"trick into a submodule of nbreport.speedups, with a test here): {found}")
    inside = {path.name for path in (SOURCE / "speedups").glob("*.py")
              if private_api_uses(path.read_text(encoding="utf-8"))}
    assert {"zygote.py", "strptime.py"} <= inside  # the scan sees the ones that are there
