"""How a params file reshapes an export before mapping it: the ``transform:`` steps.

Each step is one mapping with one key (``filter``, ``aggregate``...). The steps run in
DuckDB over the export as read, compiled into one SQL query
(:mod:`nbreport.sources.transform`); their output is then mapped to the canonical model like
any export. Kept free of DuckDB and pandas, so that validating params stays fast.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from nbreport.core.strict_model import StrictModel

ColumnName = Annotated[str, Field(min_length=1, max_length=200)]
Values = str | int | float | bool | list[str | int | float | bool]
ColumnsToValues = dict[ColumnName, Values]
OutputsToInputs = dict[ColumnName, ColumnName]


def checked_formats(value: str | list[str] | None) -> str | list[str] | None:
    """strptime formats, each checked (an unknown directive is an error here, not in a run)."""
    from nbreport.sources.strptime import check_format

    for fmt in [value] if isinstance(value, str) else value or []:
        check_format(fmt)
    return value


class DateParts(StrictModel):
    """A date put together from parts: year, month (number or name) and day, or ISO week.

    Attributes
    ----------
    into:
        The column to write (ISO ``YYYY-MM-DD`` text), e.g. ``date``.
    year:
        A year (``2020``), a column holding it, or ``file_name``: the four-digit year written
        in the export's file name (``sales_2020.csv``).
    month:
        A column of month numbers (1-12) or English month names or abbreviations.
    day:
        A column of days of the month (default: the 1st, for monthly rows).
    week:
        A column of ISO week numbers, instead of month and day: the Monday of that week.
    """

    into: ColumnName = "date"
    year: Annotated[int, Field(ge=1900, le=2200)] | ColumnName
    month: ColumnName | None = None
    day: ColumnName | None = None
    week: ColumnName | None = None

    @model_validator(mode="after")
    def _month_or_week(self) -> DateParts:
        if (self.month is None) == (self.week is None):
            raise ValueError("give month (with day) or week, the ISO week number")
        if self.week is not None and self.day is not None:
            raise ValueError("a week number has no day: remove day, or use month and day")
        return self


class DateOfTimestamp(StrictModel):
    """The day written in a timestamp (``2026-10-14 23:30 -0500`` is 14 October).

    Attributes
    ----------
    from_:
        The column holding the timestamps (key ``from``).
    format:
        strptime format(s) of the values, e.g. ``"%d/%m/%Y %H:%M"``; ISO 8601 when not given.
    into:
        The column to write (ISO ``YYYY-MM-DD`` text).
    """

    # ``from`` is a Python keyword: the field is ``from_``, written and read back as ``from`` (the
    # params reach the kernel as JSON, validated again there)
    model_config = ConfigDict(serialize_by_alias=True)

    from_: ColumnName = Field(alias="from")
    format: str | list[str] | None = None
    into: ColumnName = "date"

    @field_validator("format")
    @classmethod
    def _formats(cls, value: str | list[str] | None) -> str | list[str] | None:
        return checked_formats(value)


class Dedupe(StrictModel):
    """One row per key: re-sent rows keep the first (or last) in file order."""

    key: Annotated[list[ColumnName], Field(min_length=1)]
    keep: Literal["first", "last"] = "first"


class Aggregate(StrictModel):
    """Rows grouped by ``by``; each other key maps an output column to the input it reads.

    ``count`` reads ``"*"`` (rows) or a column (its non-blank values); ``count_distinct``
    ignores blanks. Numbers written as text (``"1,234.50"``) are read as numbers.
    """

    by: list[ColumnName] = Field(default_factory=list)
    sum: OutputsToInputs = Field(default_factory=dict)
    count: OutputsToInputs = Field(default_factory=dict)
    count_distinct: OutputsToInputs = Field(default_factory=dict)
    min: OutputsToInputs = Field(default_factory=dict)
    max: OutputsToInputs = Field(default_factory=dict)

    @model_validator(mode="after")
    def _something_computed(self) -> Aggregate:
        outputs = [name for measures in self.measures().values() for name in measures]
        if not outputs:
            raise ValueError("say what to compute: sum, count, count_distinct, min or max "
                             "(e.g. sum: {revenue: Revenue})")
        clashes = sorted({name for name in outputs if outputs.count(name) > 1} | (set(outputs) & set(self.by)))
        if clashes:
            raise ValueError(f"the output column '{clashes[0]}' is named twice; give each its own name")
        return self

    def measures(self) -> dict[str, dict[str, str]]:
        return {"sum": self.sum, "count": self.count, "count_distinct": self.count_distinct,
                "min": self.min, "max": self.max}


EventNames = str | list[str]


class PivotEvents(StrictModel):
    """An event log (one row per event) as one row per case.

    Attributes
    ----------
    case:
        The column identifying the case (a ticket id); the output keeps its name.
    at:
        When each event happened (ISO 8601, or ``format``).
    event:
        Which event it was.
    first, last:
        Output column -> event name(s): the earliest (``first``) or latest (``last``) time of
        such an event in the case, e.g. ``first: {created_at: created}``.
    status:
        An output column holding the name of the case's last event.
    keep:
        Output column -> input column: its value on the case's first event (a channel).
    """

    case: ColumnName
    at: ColumnName
    event: ColumnName
    format: str | list[str] | None = None
    first: dict[ColumnName, EventNames] = Field(default_factory=dict)
    last: dict[ColumnName, EventNames] = Field(default_factory=dict)
    status: ColumnName | None = None
    keep: OutputsToInputs = Field(default_factory=dict)

    @field_validator("format")
    @classmethod
    def _formats(cls, value: str | list[str] | None) -> str | list[str] | None:
        return checked_formats(value)


class Join(StrictModel):
    """Columns of another source of the client, matched on a key.

    Attributes
    ----------
    source:
        The other source's name (often one with ``kind: lookup``).
    on:
        The key column, named the same on both sides, or ``{this column: their column}``.
    columns:
        Their columns to add (a list, or ``{new name: their column}``); default every non-key column.
    how:
        ``left`` keeps every row of this source (missing matches blank); ``inner`` keeps matches only.
    """

    source: Annotated[str, Field(min_length=1)]
    on: ColumnName | Annotated[dict[ColumnName, ColumnName], Field(min_length=1, max_length=1)]
    columns: list[ColumnName] | OutputsToInputs | None = None
    how: Literal["left", "inner"] = "left"

    def keys(self) -> tuple[str, str]:
        """(this source's key column, the other source's key column)."""
        if isinstance(self.on, str):
            return self.on, self.on
        return next(iter(self.on.items()))


STEP_NAMES = ("filter", "exclude", "where", "map", "derive", "date_parts", "date", "dedupe",
              "aggregate", "pivot_events", "join")


class TransformStep(StrictModel):
    """One step of ``transform:``: exactly one of the keys below.

    Attributes
    ----------
    filter:
        Column -> value(s): keeps the rows holding one of them (surrounding spaces ignored).
    exclude:
        Column -> value(s): drops the rows holding one of them.
    where:
        A DuckDB SQL condition over the columns; keeps the rows where it is true.
    map:
        Column -> {value: new value}: recodes words (case and spaces ignored, ``""`` matches a
        blank); other values pass unchanged.
    derive:
        Column -> DuckDB SQL expression: adds (or replaces) a column.
    date_parts:
        A date from year/month/day or week columns (see :class:`DateParts`).
    date:
        The day written in a timestamp column (see :class:`DateOfTimestamp`).
    dedupe:
        ``all``: drops exact duplicate rows; or ``{key: [...], keep: first|last}``.
    aggregate:
        Groups rows (see :class:`Aggregate`).
    pivot_events:
        An event log as one row per case (see :class:`PivotEvents`).
    join:
        Adds another source's columns (see :class:`Join`).
    """

    filter: ColumnsToValues | None = None
    exclude: ColumnsToValues | None = None
    where: Annotated[str, Field(min_length=1)] | None = None
    map: dict[ColumnName, dict[str, str | int | float | bool]] | None = None
    derive: dict[ColumnName, Annotated[str, Field(min_length=1)]] | None = None
    date_parts: DateParts | None = None
    date: DateOfTimestamp | None = None
    dedupe: Literal["all"] | Dedupe | None = None
    aggregate: Aggregate | None = None
    pivot_events: PivotEvents | None = None
    join: Join | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TransformStep:
        given = self.names()
        if len(given) != 1:
            said = f"found {', '.join(given)}" if given else "found none"
            raise ValueError(f"each transform step has exactly one of {', '.join(STEP_NAMES)} "
                             f"({said}); write each as its own list item")
        return self

    def names(self) -> list[str]:
        return [name for name in STEP_NAMES if getattr(self, name) is not None]

    @property
    def name(self) -> str:
        return self.names()[0]

    @property
    def body(self) -> object:
        return getattr(self, self.name)

    def plain(self) -> str | None:
        """What the step did, in words a client reads (no column internals, no filter values);
        None for steps whose effect the report tells elsewhere (rows left out are counted)."""
        body = self.body
        if isinstance(body, Aggregate):
            return f"rows added up by {_listed(body.by)}" if body.by else "rows added up"
        if isinstance(body, PivotEvents):
            return "the events of each case combined into one row"
        if isinstance(body, Join):
            return f"matched with the {body.source} export"
        if isinstance(body, DateParts):
            return "dates put together from separate year, month and day columns" \
                if body.week is None else "dates taken from week numbers (each week's Monday)"
        if isinstance(body, DateOfTimestamp):
            return "each row's day taken from its time stamp"
        if self.name == "map":
            return f"the names in {_listed(self.map or {})} made consistent"
        if self.name == "derive":
            return f"{_listed(self.derive or {})} worked out from the other columns"
        return None  # filter, exclude, where, dedupe: their left-out rows are counted and told


def _listed(names: object) -> str:
    words = [str(name).replace("_", " ") for name in names]  # type: ignore[attr-defined]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
