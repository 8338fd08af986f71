"""Measurement data in (JSON or CSV) and out (CSV), for scripts and spreadsheet users.

Parsing keeps going past a bad point so that one response can list every problem: each point
is kept with its place (`index` in a JSON list, `row` = line number in a CSV file).
Dates must be ISO 8601 (YYYY-MM-DD): a day-first or month-first date is refused, never
guessed. CSV is liberal only where nothing can be misread: a byte-order mark, CRLF line ends,
spaces around cells, header names in any case and order.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, from_json

from app.models.common import ISO_DATE
from app.models.data import DataPointIn, DataPointPublic
from app.models.measure import ValueType
from app.problems import InvalidInput, field_error

OPTIONAL_COLUMNS = ("annotation", "source")
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
        problem = field_error("body", str(exc))
        raise InvalidInput(f"The body is not JSON: {exc}", errors=[problem]) from exc
    items = parsed if isinstance(parsed, list) else [parsed]
    batch = PointBatch()
    _add_validated(batch, [({"index": index}, item) for index, item in enumerate(items)])
    return batch


def parse_csv(body: bytes, charset: str, value_type: ValueType) -> PointBatch:
    try:
        text = body.decode(charset).removeprefix("\ufeff")
    except (LookupError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"The CSV is not {charset} text: send UTF-8 or name the charset in Content-Type",
            errors=[field_error("body", str(exc))],
        ) from exc
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader, [])]
    _check_header(header, value_type)
    batch = PointBatch()
    rows = [
        ({"row": line}, fields)
        for line, cells in enumerate(reader, start=2)
        if any(cell.strip() for cell in cells)
        if (fields := _read_row(batch, line, header, cells)) is not None
    ]
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
        writer.writerow("" if row[c] is None else row[c] for c in columns)
    return out.getvalue()


def raise_if_any(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise InvalidInput(
            f"{len(errors)} problems in the data points; nothing was written", errors=errors
        )


def _check_header(header: list[str], value_type: ValueType) -> None:
    expected = ("period", *value_columns(value_type))
    allowed = {*expected, *OPTIONAL_COLUMNS}
    problems = [f"missing column {name!r}" for name in expected if name not in header]
    problems += [f"unexpected column {name!r}" for name in header if name not in allowed]
    if len(set(header)) != len(header):
        problems.append("a column is named twice")
    if problems:
        raise InvalidInput(
            f"A {value_type.value} measure takes the header {','.join(expected)}"
            f" (optionally {', '.join(OPTIONAL_COLUMNS)}): {'; '.join(problems)}",
            errors=[{"row": 1, "field": "header", "message": p} for p in problems],
        )


def _read_row(
    batch: PointBatch, line: int, header: list[str], cells: list[str]
) -> dict[str, Any] | None:
    """The row's fields by column, or None (its problems added to the batch)."""
    if len(cells) != len(header):
        message = f"has {len(cells)} cells; the header has {len(header)}"
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
