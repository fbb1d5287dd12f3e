"""Small Arrow helpers shared by the harmonising steps: masks, trimmed text, one value repeated."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow result as a NumPy mask, nulls counting as False."""
    return np.asarray(array.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def trimmed_text(array: pa.Array, null_values: tuple[str, ...] = ()) -> pa.Array:
    """A column as trimmed text: nulls and the tool's null markers (``--``, ``(not set)``) become ``""``."""
    if not pa.types.is_string(array.type):
        array = pc.cast(array, pa.string())
    text = pc.utf8_trim_whitespace(array.fill_null(""))
    if null_values:
        text = pc.if_else(pc.is_in(text, pa.array(list(null_values))), "", text)
    return text


def repeat(value: str, length: int) -> pa.Array:
    """One text value for every row, without building a Python list of millions of strings."""
    indices = pa.array(np.zeros(length, dtype="int32"))
    return pa.DictionaryArray.from_arrays(indices, pa.array([value], pa.string())).cast(pa.string())
