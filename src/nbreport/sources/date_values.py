"""What the date readers share: a column as its distinct values, the error a column raises,
and formats named for people (``%d/%m/%Y`` -> ``DD/MM/YYYY``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nbreport.core.errors import NbreportError

EPOCH_FORMATS = {"epoch": "s", "epoch_ms": "ms"}


class DateProblem(NbreportError):
    """A date column cannot be read; ``position`` is the offending row when there is one."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class Distinct:
    """A text column as its distinct values (trimmed), and which value each row holds."""

    values: pa.Array
    indices: pa.Array
    blank: np.ndarray
    rows: np.ndarray  # how many rows hold each distinct value

    @classmethod
    def of(cls, text: pa.Array) -> Distinct:
        encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(text.fill_null("")))
        values = encoded.dictionary
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
        blank = np.asarray(pc.equal(values, "").to_numpy(zero_copy_only=False), dtype=bool)
        return cls(values, encoded.indices, blank, np.bincount(codes, minlength=len(values)))

    def first_row(self, bad: np.ndarray) -> int:
        """The first row (0-based) holding one of the distinct values marked ``bad``."""
        codes = self.indices.to_numpy(zero_copy_only=False)
        return int(np.flatnonzero(bad[codes])[0])

    def text(self, i: int) -> str:
        return str(self.values[i].as_py())


def human(fmt: str) -> str:
    """``%d/%m/%Y`` -> ``DD/MM/YYYY``, for messages."""
    if fmt in EPOCH_FORMATS:
        return f"a Unix time in {'milliseconds' if fmt == 'epoch_ms' else 'seconds'} (1900 to 2200)"
    for directive, word in (("%Y", "YYYY"), ("%y", "YY"), ("%m", "MM"), ("%d", "DD"),
                            ("%b", "Mon"), ("%B", "Month"), ("%H", "hh"), ("%I", "hh"),
                            ("%M", "mm"), ("%S", "ss"), ("%z", "+zone"), ("%p", "AM/PM"),
                            ("%a", "Day"), ("%f", "ffffff")):
        fmt = fmt.replace(directive, word)
    return fmt
