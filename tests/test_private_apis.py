"""The private APIs nbreport's fast path relies on are still there, with the same signatures.

Each speed trick overrides or reads something a package does not promise to keep:
jupyter_client's kernel client, manager and provisioner (``render/kernels.py``), the
standard library's fork server and cmdstanpy's temporary folder (the zygote), nbconvert's
HTML exporter (``render/export.py``) and prophet's model and Stan backend
(``forecast/prophet_model.py``). pyproject.toml caps those packages at the versions these
tests passed on; when one fails, it names the package, its version and what changed, so
that the trick is updated (or dropped) before the cap is raised.
"""

from __future__ import annotations

import ast
import inspect
import multiprocessing.forkserver
import platform
import textwrap
from collections.abc import Callable
from importlib.metadata import version
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


KERNELS = "nbreport.render.kernels"


def test_jupyter_client_kernel_client_waits_through_a_private_coroutine() -> None:
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.client import KernelClient

    from nbreport.render.kernels import _client_class

    user = f"{KERNELS}.ReadyKernelClient (a kernel is ready as soon as it replies)"
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
    ready = _client_class()
    if ready.wait_for_ready is not ready._async_wait_for_ready:  # what papermill calls is ours
        _fail("jupyter_client", "ReadyKernelClient.wait_for_ready is not its own override", user)


def test_jupyter_client_kernel_manager_hooks_keep_their_signatures() -> None:
    from jupyter_client.manager import AsyncKernelManager

    user = f"{KERNELS}.ReportKernelManager (quick reaping, a zygote provisioner)"
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


def test_jupyter_client_local_provisioner_is_still_driven_by_its_process_fields() -> None:
    from jupyter_client.provisioning import LocalProvisioner

    user = f"{KERNELS}.ZygoteProvisioner (kernels forked from the zygote)"
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


def test_the_stdlib_fork_server_keeps_its_alive_pipe_where_kernels_close_it() -> None:
    user = f"{KERNELS}._release_zygote (kernels die with the zygote)"
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    if not isinstance(server, multiprocessing.forkserver.ForkServer):
        _fail("python", "multiprocessing.forkserver._forkserver is no longer the ForkServer", user)
    if not hasattr(multiprocessing.forkserver.ForkServer(), "_forkserver_alive_fd"):
        _fail("python", "ForkServer has no _forkserver_alive_fd", user)


def test_cmdstanpy_keeps_its_temporary_folder_in_a_module_global() -> None:
    import cmdstanpy

    from nbreport.render.kernels import MODULE_TEMP_DIRS

    user = f"{KERNELS}._own_module_temp_dirs (each kernel writes its fits to its own folder)"
    attribute = MODULE_TEMP_DIRS["cmdstanpy"]
    folder = getattr(cmdstanpy, attribute, None)
    if not isinstance(folder, str):
        _fail("cmdstanpy", f"cmdstanpy.{attribute} is no longer a folder's path", user)


def _register_filter_names(function: Callable[..., Any]) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register_filter" and node.args
            and isinstance(node.args[0], ast.Constant)}


def test_nbconvert_html_exporter_does_what_the_report_exporter_repeats() -> None:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    user = "nbreport.render.export.ReportExporter (HTML export without the BeautifulSoup pass)"
    # ReportExporter repeats HTMLExporter.from_notebook_node but its last step: a new filter
    # registered there would be missing from every report
    registered = _register_filter_names(HTMLExporter.from_notebook_node)
    if registered != {"highlight_code", "filter_data_type"}:
        _fail("nbconvert", f"HTMLExporter.from_notebook_node registers the filters "
              f"{sorted(registered)}, not highlight_code and filter_data_type", user)
    _expect_signature("nbconvert", _method("nbconvert", HTMLExporter, "_init_resources", user),
                      ["self", "resources"], user)
    _expect_signature("nbconvert", TemplateExporter.from_notebook_node,
                      ["self", "nb", "resources"], user)
    if not hasattr(HTMLExporter(), "_nb_metadata"):
        _fail("nbconvert", "HTMLExporter instances have no _nb_metadata", user)
    for filter_class, keywords in ((Highlight2HTML, ["pygments_lexer"]),
                                   (WidgetsDataTypeFilter, ["notebook_metadata", "resources"])):
        accepted = inspect.signature(filter_class.__init__).parameters
        if missing := [name for name in keywords if name not in accepted]:
            _fail("nbconvert", f"{filter_class.__name__}() takes no {missing}", user)


def test_prophet_methods_the_quick_model_overrides_keep_their_signatures() -> None:
    import pandas as pd
    from prophet import Prophet
    from prophet.models import CmdStanPyBackend

    user = "nbreport.forecast.prophet_model.QuickProphet (cached features, arrays for Stan)"
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
