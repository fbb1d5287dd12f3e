"""One error hierarchy: every error class of nbreport is an NbreportError, survives pickling
with its fields (Dask and process pools pickle what a worker raises), and a DataError's
location reaches the manifest from inside a report's kernel."""

from __future__ import annotations

import ast
import builtins
import importlib
import json
import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import REPO

from nbreport.batch.pipeline import describe_failure
from nbreport.batch.results import ClientError, ClientResult
from nbreport.commentary.bindings import UnknownPlaceholder
from nbreport.commentary.errors import CommentaryError, CommentaryIssue
from nbreport.core.errors import (
    ConfigError,
    DataError,
    NbreportError,
    ParamsError,
    ParamsIssue,
    ReportError,
    ReportInterrupted,
    ReportTimeout,
    RunLockedError,
    StorageError,
    data_location,
)
from nbreport.forecast.prophet_model import ProphetUnavailable
from nbreport.metrics.names import UnknownMetricError
from nbreport.core.period import PeriodParseError
from nbreport.qa.gate import ReportHeldBack
from nbreport.qa.recompute import EvidenceError
from nbreport.qa.truth import SummaryError
from nbreport.settings import Settings
from nbreport.sources.date_values import DateProblem

SRC = REPO / "src"

# One instance of every error class, each with all the data it can carry.
EXAMPLES: dict[type[BaseException], Callable[[], BaseException]] = {
    NbreportError: lambda: NbreportError("something went wrong"),
    ConfigError: lambda: ConfigError("no params folder in the project; run nbreport new-client"),
    RunLockedError: lambda: RunLockedError("outputs/2026-10 is being written by run 4242"),
    StorageError: lambda: StorageError("outputs/2026-10/manifest.json", 28),
    ParamsError: lambda: ParamsError("params/acme.yaml", [
        ParamsIssue("kpis[2].target", "expected a number, found 'ten'", line=14,
                    source="params/acme.yaml"),
        ParamsIssue("period", "'2026-13' is not a month", source="command line")]),
    DataError: lambda: DataError("found 'abc', expected a number such as 1,234.5",
                                 source="google-ads", path="google-ads.csv", row=7,
                                 column="Cost"),
    ReportError: lambda: ReportError("cell 4 raised DataError: bad", cell_index=4,
                                     ename="DataError", evalue="bad",
                                     location={"source": "ads", "row": 7, "column": "Cost"}),
    ReportTimeout: lambda: ReportTimeout("cell 3 did not finish within its 60 s time limit",
                                         cell_index=3, ename="CellTimeoutError",
                                         evalue="timed out after 60 s"),
    ReportInterrupted: lambda: ReportInterrupted("stopped at cell 2: the run was interrupted",
                                                 cell_index=2, ename="Interrupted"),
    ReportHeldBack: lambda: ReportHeldBack("held back: numbers recomputed differ", cell_index=None,
                                           ename="ReportHeldBack", evalue="revenue differs"),
    CommentaryError: lambda: CommentaryError("commentary/acme/2026-10.md", [
        CommentaryIssue("unknown placeholder {{ revenu.actual }}", section="Trends", line=9),
        CommentaryIssue("unknown section 'Outlook'", line=20)]),
    ProphetUnavailable: lambda: ProphetUnavailable("prophet is not installed"),
    PeriodParseError: lambda: PeriodParseError("'2026-13' is not a period; use 2026-10"),
    UnknownMetricError: lambda: UnknownMetricError("unknown metric 'revenu'; did you mean 'revenue'?"),
    SummaryError: lambda: SummaryError("the run summary has no 'kpis'"),
    EvidenceError: lambda: EvidenceError("rows-ads.parquet is missing beside the report"),
    DateProblem: lambda: DateProblem("'31/02/2026' is not a date", position=12),
    UnknownPlaceholder: lambda: UnknownPlaceholder("revenu.actual", "revenue.actual"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def exception_classes_in_src() -> list[tuple[str, str]]:
    """(module, class) of every module-level class in src/ that derives from an exception,
    found by reading the code (a class deriving from one of them counts too)."""
    classes = []
    for path in sorted((SRC / "nbreport").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                bases = {base.id if isinstance(base, ast.Name) else base.attr
                         for base in node.bases if isinstance(base, ast.Name | ast.Attribute)}
                classes.append((_module_name(path), node.name, bases))
    exceptions = {name for name, value in vars(builtins).items()
                  if isinstance(value, type) and issubclass(value, BaseException)}
    found: set[tuple[str, str]] = set()
    while True:
        new = {(module, name) for module, name, bases in classes
               if bases & exceptions and (module, name) not in found}
        if not new:
            return sorted(found)
        found |= new
        exceptions |= {name for _, name in new}


def test_every_error_class_in_src_derives_from_the_root() -> None:
    found = exception_classes_in_src()
    assert len(found) >= len(EXAMPLES) - 1  # the root itself derives from Exception
    outside = [f"{module}.{name}" for module, name in found
               if not issubclass(getattr(importlib.import_module(module), name), NbreportError)]
    assert outside == [], "make these subclasses of nbreport.core.errors.NbreportError"


def test_every_error_class_has_a_pickling_example() -> None:
    classes = {getattr(importlib.import_module(module), name)
               for module, name in exception_classes_in_src()}
    assert classes == set(EXAMPLES), "add an example of each new error class to EXAMPLES"


@pytest.mark.parametrize("error_class", list(EXAMPLES), ids=lambda cls: cls.__name__)
def test_errors_survive_pickling_with_their_fields(error_class: type[BaseException]) -> None:
    error = EXAMPLES[error_class]()
    assert type(error) is error_class
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is error_class
    assert str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)  # every field, the issues lists and notes included


def test_params_and_commentary_errors_keep_each_issue_through_pickling() -> None:
    params = pickle.loads(pickle.dumps(EXAMPLES[ParamsError]()))
    assert isinstance(params, ParamsError) and params.exit_code == 2
    assert params.path == "params/acme.yaml"
    assert [(i.key, i.line, i.source) for i in params.issues] == [
        ("kpis[2].target", 14, "params/acme.yaml"), ("period", None, "command line")]
    assert "params/acme.yaml, line 14: kpis[2].target: expected a number" in str(params)
    commentary = pickle.loads(pickle.dumps(EXAMPLES[CommentaryError]()))
    assert [(i.section, i.line) for i in commentary.issues] == [("Trends", 9), (None, 20)]
    assert str(commentary).startswith("commentary/acme/2026-10.md: 2 problems")


def test_errors_from_values_keep_their_builtin_kind() -> None:
    # pydantic turns a ValueError raised in a validator into a validation error: still one
    assert issubclass(PeriodParseError, ValueError) and issubclass(UnknownMetricError, ValueError)
    assert issubclass(UnknownPlaceholder, KeyError)
    assert PeriodParseError("x").exit_code == 2 and UnknownMetricError("x").exit_code == 2


def test_a_data_error_names_where_it_is_in_its_message_and_its_note() -> None:
    error = EXAMPLES[DataError]()
    assert str(error) == ("source 'google-ads', google-ads.csv, row 7, column 'Cost': "
                          "found 'abc', expected a number such as 1,234.5")
    assert error.location == {"source": "google-ads", "path": "google-ads.csv", "row": 7,
                              "column": "Cost"}
    assert error.__notes__ == ['nbreport data location: {"source": "google-ads", '
                               '"path": "google-ads.csv", "row": 7, "column": "Cost"}']
    plain = DataError("the file is empty")
    assert plain.location == {} and not hasattr(plain, "__notes__")


def _kernel_traceback(error: BaseException) -> list[str]:
    """The traceback a Jupyter kernel sends for ``error``: IPython's, with terminal colours."""
    from IPython.core.ultratb import AutoFormattedTB

    try:
        raise error
    except type(error):
        return AutoFormattedTB(mode="Context", theme_name="linux").structured_traceback(
            *sys.exc_info())


def test_data_location_reads_the_note_of_an_ipython_traceback() -> None:
    traceback = _kernel_traceback(EXAMPLES[DataError]())
    assert any("\x1b[" in line for line in traceback)  # coloured, as a kernel sends it
    assert data_location(traceback) == {"source": "google-ads", "path": "google-ads.csv",
                                        "row": 7, "column": "Cost"}
    assert data_location(_kernel_traceback(DataError("no rows in October"))) is None
    assert data_location(_kernel_traceback(ValueError("row 7"))) is None


def test_data_location_takes_the_last_note_and_only_well_formed_fields() -> None:
    note = "nbreport data location: "
    assert data_location([f'{note}{{"row": 2}}', f'{note}{{"row": 9, "column": "Cost"}}']) == \
        {"row": 9, "column": "Cost"}
    assert data_location([f"{note}not json"]) is None
    assert data_location([f'{note}["row", 7]']) is None
    assert data_location([f'{note}{{"row": "7", "secret": "x", "column": "Cost"}}']) == \
        {"column": "Cost"}


def test_the_manifest_records_a_data_errors_location_without_local_paths(tmp_path: Path) -> None:
    settings = Settings.for_project(tmp_path)
    error = ReportError("cell 5 raised DataError: bad", cell_index=5, ename="DataError",
                        location={"source": "ads", "path": f"{settings.data_dir}/acme/ads.csv",
                                  "row": 7, "column": "Cost"})
    recorded = describe_failure(error, settings)
    assert recorded == ClientError("execute", "cell 5 raised DataError: bad", 5, "DataError",
                                   {"source": "ads", "path": "data/acme/ads.csv", "row": 7,
                                    "column": "Cost"})
    result = ClientResult("acme", "2026-10", "failed", error=recorded)
    again = ClientResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.error == recorded
    old_entry = {**result.to_dict(), "error": {"stage": "execute", "message": "m"}}
    assert ClientResult.from_dict(old_entry).error == ClientError("execute", "m")
