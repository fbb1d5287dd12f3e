"""How a params file declares a data source (the ``sources:`` list).

Kept free of pandas so that validating params stays fast and happens before
any kernel starts.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from nbreport.strict_model import Slug, StrictModel

SourceKind = Literal["ads", "web", "orders", "crm", "survey", "support", "accounts", "usage"]
"""The canonical kinds of data; see :mod:`nbreport.sources.canonical` for their columns."""

FileFormat = Literal["csv", "xlsx", "parquet", "jsonl"]


class ColumnMapping(StrictModel):
    """The generic mapping from an export's columns to the canonical model.

    Attributes
    ----------
    rename:
        Export column name -> canonical column name.
    date_format:
        strftime format(s) of the date columns, e.g. ``"%d/%m/%Y"``. Dates are
        never guessed: without a format only ISO dates (``2026-10-31``) are read.
    scale:
        Canonical column -> factor applied after reading (``0.000001`` for micros).
    constants:
        Canonical column -> value for every row (e.g. ``source: google_ads``).
    filter:
        Column -> accepted value(s): keeps only the client's rows (the tenant filter).
    """

    rename: dict[str, str] = Field(default_factory=dict)
    date_format: str | list[str] | None = None
    scale: dict[str, float] = Field(default_factory=dict)
    constants: dict[str, str | int | float] = Field(default_factory=dict)
    filter: dict[str, str | list[str]] = Field(default_factory=dict)


class SourceSpec(StrictModel):
    """One data source of a client: a file under the data root and how to read it.

    Attributes
    ----------
    name:
        The source's name in the report (a slug), e.g. ``google-ads``.
    kind:
        Which canonical model it maps to.
    path:
        File path relative to the data root. Paths leaving the data root are refused.
    format:
        File format; by default taken from the file's extension.
    encoding, delimiter:
        For text files. The delimiter is sniffed when not given.
    mapping:
        Column renames, date format, scaling, constants and tenant filter.
    """

    name: Slug
    kind: SourceKind
    path: Annotated[str, Field(min_length=1)]
    format: FileFormat | None = None
    encoding: str = "utf-8"
    delimiter: str | None = None
    mapping: ColumnMapping = Field(default_factory=ColumnMapping)

    @field_validator("path")
    @classmethod
    def _relative_path(cls, value: str) -> str:
        if value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
            raise ValueError(
                "must be relative to the data root (absolute paths are refused so that "
                "one client's params cannot reach another client's files)"
            )
        if ".." in value.replace("\\", "/").split("/"):
            raise ValueError("must not contain '..': keep every file inside the data root")
        return value

    @model_validator(mode="after")
    def _format_known(self) -> SourceSpec:
        if self.format is None and self.detected_format() is None:
            raise ValueError(
                f"cannot tell the format of '{self.path}' from its extension; "
                "add format: csv | xlsx | parquet | jsonl"
            )
        return self

    def detected_format(self) -> FileFormat | None:
        """The declared format, else the one the file extension implies."""
        if self.format is not None:
            return self.format
        suffix = self.path.lower().rsplit(".", 1)[-1] if "." in self.path else ""
        return {
            "csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx",
            "parquet": "parquet", "jsonl": "jsonl", "ndjson": "jsonl",
        }.get(suffix)  # type: ignore[return-value]
