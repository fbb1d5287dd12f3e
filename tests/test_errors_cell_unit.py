"""A DataError raised in a report's kernel reaches the runner as papermill's ename, evalue and
coloured traceback; the runner's error keeps its source, file, row and column and reads as
``nbreport validate`` writes it, never "cell 3 raised ...". Other exceptions name their cell."""

from __future__ import annotations

from nbreport.core.errors import DataError
from nbreport.render.execute import cell_error
from tests.test_errors import _kernel_traceback

LOCATION = {"source": "google-ads", "path": "google-ads.csv", "row": 12, "column": "spend"}


def _in_kernel(error: BaseException) -> tuple[str, str, list[str]]:
    """What papermill reports of ``error`` raised in a cell: its class name, text, traceback."""
    return type(error).__name__, str(error), _kernel_traceback(error)


def test_a_data_error_keeps_its_location_and_reads_like_validate() -> None:
    raised = DataError("found -3.5: spend cannot be negative (1 rows)", **LOCATION)
    error = cell_error(3, *_in_kernel(raised))
    assert str(error) == str(raised)  # what validate prints for the same problem
    assert str(error) == ("source 'google-ads', google-ads.csv, row 12, column 'spend': "
                          "found -3.5: spend cannot be negative (1 rows)")
    assert error.location == LOCATION
    assert (error.cell_index, error.ename) == (3, "DataError")


def test_a_data_error_without_a_location_is_its_message() -> None:
    error = cell_error(5, *_in_kernel(DataError("no rows for October 2026")))
    assert str(error) == "no rows for October 2026" and error.location is None


def test_a_location_lost_from_the_text_is_put_back_in_front() -> None:
    ename, _, traceback = _in_kernel(DataError("found 'x'", **LOCATION))
    error = cell_error(3, ename, "found 'x'", traceback)
    assert str(error) == "source 'google-ads', google-ads.csv, row 12, column 'spend': found 'x'"


def test_an_error_raised_while_handling_a_data_error_names_its_cell() -> None:
    try:
        try:
            raise DataError("found 'x'", **LOCATION)
        except DataError:
            raise KeyError("spend")  # noqa: B904 - the chained traceback shows the DataError's note
    except KeyError as wrapped:
        error = cell_error(4, *_in_kernel(wrapped))
    assert error.location == LOCATION  # read from the chained DataError...
    assert str(error) == "cell 4 raised KeyError: 'spend'"  # ...but the KeyError is what failed


def test_other_exceptions_name_their_cell() -> None:
    error = cell_error(4, *_in_kernel(ValueError("planted failure")))
    assert str(error) == "cell 4 raised ValueError: planted failure" and error.location is None
