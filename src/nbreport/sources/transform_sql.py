"""The SQL of each ``transform:`` step, written for DuckDB.

Every step reads the previous step's relation (a view named ``step_<n-1>``) and keeps the
``_row`` column: the row number of the export line a row came from (for a group, its first
line), so that an error found after a reshaping still names a row a person can open.
Values are compared as trimmed text, whatever type the export gave them, because CSV
exports are read as text and a value means what is written.
"""

from __future__ import annotations

from collections.abc import Sequence

ROW = "_row"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
SCIENTIFIC_ID = r"^-?\d(?:[.,]\d+)?[eE][+-]?\d+$"
"""An id a spreadsheet rewrote in scientific notation (``1.23457E+11``, ``1,23457E+11`` in a
decimal-comma locale): digits were lost. ``new-client --from`` looks for the same."""


def ident(name: str) -> str:
    """A column or relation name, quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A value as an SQL text literal (numbers as they are written in YAML, booleans as true/false)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return "'" + text.replace("'", "''") + "'"


MACROS = (
    "CREATE MACRO txt(x) AS coalesce(trim(CAST(x AS VARCHAR)), '')",
    "CREATE MACRO num(x) AS TRY_CAST(NULLIF(replace(regexp_replace(txt(x), '[\\s$€£%]', '', 'g'), "
    "',', ''), '') AS DOUBLE)",
    "CREATE MACRO num_comma(x) AS TRY_CAST(NULLIF(replace(regexp_replace(txt(x), '[\\s$€£%.]', '', 'g'), "
    "',', '.'), '') AS DOUBLE)",
    "CREATE MACRO month_no(x) AS coalesce(TRY_CAST(txt(x) AS INTEGER), CASE left(lower(txt(x)), 3) "
    + " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(MONTHS, start=1)) + " END)",
)
"""Helpers every step's SQL uses: ``txt`` a value as trimmed text (missing -> ''), ``num`` a
number written as text (``1,234.50``, ``$1,234.50``; ``num_comma`` for ``1.234,50``) or NULL,
``month_no`` a month number from 1-12 or an English name (``Sept``, ``june``)."""


def text(column: str, alias: str = "") -> str:
    """A column as trimmed text; a missing value is the empty text."""
    return f"txt({alias + '.' if alias else ''}{ident(column)})"


def folded(column: str) -> str:
    """A column as :func:`text` compares it case-blind (``map``)."""
    return f"lower({text(column)})"


def number(column: str, decimal: str) -> str:
    """A column read as a number: ``1,234.50``, ``$1,234.50`` and ``1.234,50`` (decimal comma)."""
    return f"{'num_comma' if decimal == ',' else 'num'}({ident(column)})"


def unreadable_number(column: str, decimal: str) -> str:
    """True where a value is written but is no number."""
    plain = f"TRY_CAST({text(column)} AS DOUBLE) IS NULL"  # cheap first: most values are plain numbers
    return f"({text(column)} <> '' AND {plain} AND {number(column, decimal)} IS NULL)"


def values_list(values: object) -> str:
    items = values if isinstance(values, list) else [values]
    return ", ".join(literal(item) for item in items)


def matches(column: str, values: object) -> str:
    """True where a column holds one of ``values`` (booleans match true/false in any case)."""
    items = values if isinstance(values, list) else [values]
    if all(isinstance(item, bool) for item in items):
        return f"lower({text(column)}) IN ({values_list(items)})"
    return f"{text(column)} IN ({values_list(items)})"


def select_where(source: str, condition: str) -> str:
    return f"SELECT * FROM {source} WHERE {condition}"


def select_replacing(source: str, columns: Sequence[str], expressions: dict[str, str]) -> str:
    """Every column of ``source``, those in ``expressions`` replaced or added. SQL names ignore
    case: an expression named ``campaign`` beside a ``Campaign`` column takes its place."""
    replaced = {name: expr for name, expr in expressions.items() if name in columns}
    added = {name: expr for name, expr in expressions.items() if name not in columns}
    renamed = [column for column in columns if column not in expressions
               and column.lower() in {name.lower() for name in added}]
    star = "*" if not renamed else "* EXCLUDE (" + ", ".join(ident(c) for c in renamed) + ")"
    if replaced:
        star += " REPLACE (" + ", ".join(f"{expr} AS {ident(name)}" for name, expr in replaced.items()) + ")"
    extra = "".join(f", {expr} AS {ident(name)}" for name, expr in added.items())
    return f"SELECT {star}{extra} FROM {source}"


def after_adding(columns: Sequence[str], added: Sequence[str]) -> list[str]:
    """The columns once ``added`` are there: a name equal but for case replaces the old column."""
    lowered = {name.lower() for name in added}
    kept = [c for c in columns if c in added or c.lower() not in lowered]
    return kept + [name for name in added if name not in kept]


def recode(column: str, table: dict[str, object]) -> str:
    """``map``: words replaced case-blind; ``""`` matches a blank; others unchanged (as text)."""
    cases = " ".join(f"WHEN {literal(str(word).strip().lower())} THEN {literal(new)}"
                     for word, new in table.items())
    return f"CASE {folded(column)} {cases} ELSE CAST({ident(column)} AS VARCHAR) END"


def month_number(column: str) -> str:
    """1-12 from a number or an English month name or abbreviation (``Sept``, ``june``)."""
    return f"month_no({ident(column)})"


def integer(column: str) -> str:
    return f"TRY_CAST(NULLIF({text(column)}, '') AS INTEGER)"


def iso_text(date_expression: str) -> str:
    return f"strftime({date_expression}, '%Y-%m-%d')"


def day_of(year: str, month: str, day: str) -> str:
    """A date from parts; NULL for an impossible one (30 February), never rolled over."""
    return f"try(make_date({year}, {month}, {day}))"


def monday_of_week(year: str, week: str) -> str:
    """The Monday of ISO week ``week`` of ``year``; NULL for a week the year does not have."""
    fourth = f"make_date({year}, 1, 4)"
    monday = f"(CAST({fourth} AS DATE) - CAST(isodow({fourth}) - 1 AS INTEGER) + ({week} - 1) * 7)"
    return f"CASE WHEN {week} BETWEEN 1 AND 53 AND weekofyear({monday}) = {week} THEN {monday} END"


def dedupe_all(source: str, columns: Sequence[str]) -> str:
    """Exact duplicate rows removed, the first in file order kept."""
    names = ", ".join(ident(name) for name in columns)
    return f"SELECT {names}, min({ROW}) AS {ROW} FROM {source} GROUP BY ALL"


def dedupe_key(source: str, key: Sequence[str], keep: str) -> str:
    partition = ", ".join(text(name) for name in key)
    order = "ASC" if keep == "first" else "DESC"
    return (f"SELECT * FROM {source} QUALIFY row_number() OVER "
            f"(PARTITION BY {partition} ORDER BY {ROW} {order}) = 1")


def aggregate(source: str, by: Sequence[str], measures: dict[str, str]) -> str:
    """Groups of ``by`` (as trimmed text), each measure an SQL expression named by its output."""
    values = [f"{expr} AS {ident(name)}" for name, expr in measures.items()]
    if not by:
        return f"SELECT {', '.join(values + [f'min({ROW}) AS {ROW}'])} FROM {source}"
    # the keys as text computed once, beside the columns: DuckDB then groups a quarter faster
    keyed = {ident(f"{ROW}_key_{i}"): name for i, name in enumerate(by, start=1)}
    inner = ", ".join(f"{text(name)} AS {key}" for key, name in keyed.items())
    keys = [f"{key} AS {ident(name)}" for key, name in keyed.items()]
    return (f"SELECT {', '.join(keys + values + [f'min({ROW}) AS {ROW}'])} "
            f"FROM (SELECT *, {inner} FROM {source}) GROUP BY {', '.join(keyed)}")


def measure(function: str, column: str, decimal: str, numeric: bool) -> str:
    """One aggregate: ``sum`` of numbers, ``count`` of rows or written values, ``count_distinct``
    of written values, ``min``/``max`` of numbers (or of text, when the column holds text)."""
    if function == "count":
        return "CAST(count(*) AS DOUBLE)" if column == "*" else \
            f"CAST(count(NULLIF({text(column)}, '')) AS DOUBLE)"
    if function == "count_distinct":
        return f"CAST(count(DISTINCT NULLIF({text(column)}, '')) AS DOUBLE)"
    if function == "sum":
        return f"sum({number(column, decimal)})"
    value = number(column, decimal) if numeric else f"NULLIF({text(column)}, '')"
    return f"{function}({value})"


def event_in(event_column: str, names: object) -> str:
    items = names if isinstance(names, list) else [names]
    return f"lower({text(event_column)}) IN ({values_list([str(i).strip().lower() for i in items])})"


def join(left: str, right: str, keys: tuple[str, str], added: dict[str, str], how: str,
         text_columns: Sequence[str] = ()) -> str:
    """``left`` with ``added`` (new name -> right column) of the one ``right`` row sharing the key.
    A row without a match gets blanks in ``text_columns`` (as an empty cell reads), NULL in others."""
    columns = "".join(
        f", coalesce(r.{ident(theirs)}, '') AS {ident(name)}" if theirs in text_columns
        else f", r.{ident(theirs)} AS {ident(name)}" for name, theirs in added.items())
    kind = "LEFT JOIN" if how == "left" else "JOIN"
    on = f"{text(keys[0], 'l')} = {text(keys[1], 'r')}"
    return f"SELECT l.*{columns} FROM {left} AS l {kind} {right} AS r ON {on}"
