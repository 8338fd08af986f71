"""Measurement data in (JSON or CSV) and out (CSV), for scripts and spreadsheet users.

Parsing keeps going past a bad point so that one response can list every problem: each point
is kept with its place (`index` in a JSON list, `row` = line number in a CSV file).
Dates must be ISO 8601 (YYYY-MM-DD): a day-first or month-first date is refused, never
guessed. CSV is liberal only where nothing can be misread: a byte-order mark, CRLF or bare CR
line ends (Excel's "CSV (Macintosh)"), spaces around cells, header names in any case and order.
The work a body can cause is bounded: a header of at most `MAX_COLUMNS`, cells of at most
131,072 characters (the csv module's own bound), and at most `MAX_ERRORS` problems listed.

Text going out to spreadsheets is defused (OWASP's advice on CSV injection): a cell that a
spreadsheet would run as a formula is sent with a leading apostrophe.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, from_json

from app.models.common import ISO_DATE
from app.models.data import DataPointIn, DataPointPublic
from app.models.measure import ValueType
from app.problems import MAX_ERRORS, InvalidInput, RuleBroken, counted, field_error, not_json

OPTIONAL_COLUMNS = ("annotation", "source")
MAX_COLUMNS = 16  # the widest header has five; a few to spare for a useful error
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATIO_TYPES = (ValueType.PROPORTION, ValueType.RATE)
_POINTS = TypeAdapter(list[DataPointIn])


def value_columns(value_type: ValueType) -> tuple[str, ...]:
    if value_type in RATIO_TYPES:
        return ("numerator", "denominator")
    return ("value",)


@dataclass
class PointBatch:
    """Points as posted, each with its place, and the problems found while reading them."""

    points: list[DataPointIn] = field(default_factory=list)
    places: list[dict[str, int]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # JSON points have a schema in the OpenAPI document; CSV is documented only as text, so
    # whatever is wrong in it breaks a rule the document states in words.
    schema_described: bool = True

    @classmethod
    def of(cls, points: Iterable[DataPointIn]) -> "PointBatch":
        batch = cls()
        for index, point in enumerate(points):
            batch.add({"index": index}, point)
        return batch

    def add(self, place: dict[str, int], point: DataPointIn) -> None:
        self.points.append(point)
        self.places.append(place)


def parse_json(body: bytes) -> PointBatch:
    """One point (an object) or many (a list); each validated on its own."""
    try:
        # A valid list, read and validated in one pass (bulks are usually valid).
        return PointBatch.of(_POINTS.validate_json(body))
    except ValidationError:
        pass
    try:
        parsed = from_json(body)
    except ValueError as exc:
        raise _not_json(str(exc)) from exc
    items = parsed if isinstance(parsed, list) else [parsed]
    batch = PointBatch()
    _add_validated(batch, [({"index": index}, item) for index, item in enumerate(items)])
    return batch


# How pydantic's JSON parser places its errors: "<reason> at line <n> column <n>".
_JSON_ERROR = re.compile(r"(?P<reason>.+) at line (?P<line>\d+) column (?P<column>\d+)")


def _not_json(error: str) -> InvalidInput:
    """Said as a body refused before it reaches this parser is (`app.errors`)."""
    found = _JSON_ERROR.fullmatch(error)
    if found is None:  # worded otherwise by some later pydantic: passed on as it is
        return not_json(error)
    # An empty body ends at column 0 by pydantic's count; columns are counted from 1.
    column = max(int(found["column"]), 1)
    return not_json(found["reason"], int(found["line"]), column)


def parse_csv(body: bytes, charset: str, value_type: ValueType) -> PointBatch:
    try:
        text = body.decode(charset).removeprefix("\ufeff")
    except (LookupError, UnicodeDecodeError) as exc:
        raise RuleBroken(
            f"The CSV is not {charset} text: send UTF-8 or name the charset in Content-Type",
            errors=[field_error("body", str(exc))],
        ) from exc
    _refuse_a_wide_header(text)
    reader = csv.reader(io.StringIO(text, newline=None))  # None: CR, LF and CRLF alike
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header, value_type)
        batch = PointBatch(schema_described=False)
        rows = [
            ({"row": line}, fields)
            for line, cells in enumerate(reader, start=2)
            if any(cell.strip() for cell in cells)
            if (fields := _read_row(batch, line, header, cells)) is not None
        ]
    except csv.Error as exc:  # a cell over the bound, or a stray quote
        line = reader.line_num
        raise RuleBroken(
            f"The CSV cannot be read at line {line}: {exc}",
            errors=[{"row": line, "field": "row", "message": str(exc)}],
        ) from exc
    _add_validated(batch, rows)
    return batch


def render_csv(points: Iterable[DataPointPublic], value_type: ValueType) -> str:
    ratio = value_columns(value_type) if value_type in RATIO_TYPES else ()
    columns = ("period", "value", *ratio, *OPTIONAL_COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for point in points:
        row = point.model_dump(mode="json")
        writer.writerow(_cell(row[c], c in OPTIONAL_COLUMNS) for c in columns)
    return out.getvalue()


def _cell(value: Any, text: bool) -> Any:
    if value is None:
        return ""
    return f"'{value}" if text and value.startswith(_FORMULA_STARTS) else value


def raise_if_any(errors: list[dict[str, Any]], against_schema: bool) -> None:
    """`against_schema`: some error is a departure from the OpenAPI document."""
    if errors:
        listed = f"the first {MAX_ERRORS} are listed" if len(errors) > MAX_ERRORS else "each listed"
        raise (InvalidInput if against_schema else RuleBroken)(
            f"{counted(len(errors), 'problem')} in the data points ({listed}); nothing was written",
            errors=errors,  # the renderer lists the first MAX_ERRORS
        )


def _refuse_a_wide_header(text: str) -> None:
    """Counted on the raw first line, before csv splits it: a header of millions of columns
    must not cost millions of strings."""
    first_line = re.split(r"[\r\n]", text, maxsplit=1)[0]
    _refuse_columns(first_line.count(",") + 1)


def _refuse_columns(columns: int) -> None:
    if columns > MAX_COLUMNS:
        message = f"has {columns:,} columns; a header has at most {MAX_COLUMNS}"
        raise RuleBroken(
            f"The CSV header {message}", errors=[{"row": 1, "field": "header", "message": message}]
        )


def _check_header(header: list[str], value_type: ValueType) -> None:
    _refuse_columns(len(header))  # exact: the raw count above also counted quoted commas
    expected = ("period", *value_columns(value_type))
    allowed = {*expected, *OPTIONAL_COLUMNS}
    problems = [f"missing column {name!r}" for name in expected if name not in header]
    problems += [f"unexpected column {name!r}" for name in header if name not in allowed]
    if len(set(header)) != len(header):
        problems.append("a column is named twice")
    if problems:
        raise RuleBroken(
            f"A {value_type.value} measure takes the header {','.join(expected)}"
            f" (optionally {', '.join(OPTIONAL_COLUMNS)}): {'; '.join(problems)}",
            errors=[{"row": 1, "field": "header", "message": p} for p in problems],
        )


def _read_row(
    batch: PointBatch, line: int, header: list[str], cells: list[str]
) -> dict[str, Any] | None:
    """The row's fields by column, or None (its problems added to the batch)."""
    if len(cells) != len(header):
        message = f"has {counted(len(cells), 'cell')}; the header has {len(header)}"
        batch.errors.append({"row": line, "field": "row", "message": message})
        return None
    fields: dict[str, Any] = {}
    for name, cell in zip(header, (c.strip() for c in cells), strict=True):
        try:
            fields[name] = _convert(name, cell)
        except ValueError as exc:
            batch.errors.append({"row": line, "field": name, "message": str(exc)})
    return fields if len(fields) == len(header) else None


def _add_validated(batch: PointBatch, items: list[tuple[dict[str, int], Any]]) -> None:
    """Validate the items as points: all at once, or one by one to place every problem."""
    try:
        points = _POINTS.validate_python([item for _, item in items])
    except ValidationError:
        for place, item in items:
            try:
                batch.add(place, DataPointIn.model_validate(item))
            except ValidationError as exc:
                batch.errors += [{**place, **_error(e)} for e in exc.errors()]
        return
    for (place, _), point in zip(items, points, strict=True):
        batch.add(place, point)


def _error(error: ErrorDetails) -> dict[str, str]:
    return {"field": ".".join(map(str, error["loc"])) or "point", "message": error["msg"]}


def _convert(name: str, cell: str) -> date | float | str | None:
    if name == "period":
        if not ISO_DATE.fullmatch(cell):
            raise ValueError(f"{cell!r} is not an ISO 8601 date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(cell)
        except ValueError:
            raise ValueError(f"{cell!r} is not a date in the calendar") from None
    if name in OPTIONAL_COLUMNS:
        return cell or None
    if not cell:
        raise ValueError("is empty")
    try:
        return float(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a number") from None
