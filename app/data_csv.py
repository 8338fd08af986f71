"""CSV in and out for measurement data, for spreadsheet users.

Dates must be ISO 8601 (YYYY-MM-DD): a day-first or month-first date is refused, never
guessed. Liberal only where nothing can be misread: a byte-order mark, CRLF line ends,
spaces around cells, header names in any case and order.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import ValidationError

from app.errors import InvalidInput
from app.models.data import DataPointIn, DataPointPublic
from app.models.measure import ValueType

OPTIONAL_COLUMNS = ("annotation", "source")
RATIO_TYPES = (ValueType.PROPORTION, ValueType.RATE)
MAX_LISTED_ERRORS = 100
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_columns(value_type: ValueType) -> tuple[str, ...]:
    if value_type in RATIO_TYPES:
        return ("numerator", "denominator")
    return ("value",)


def parse_csv(text: str, value_type: ValueType) -> list[DataPointIn]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip().lower() for name in next(reader, [])]
    _check_header(header, value_type)
    points: list[DataPointIn] = []
    errors: list[dict[str, Any]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        point, row_errors = _parse_row(line, header, cells)
        errors.extend(row_errors)
        if point is not None:
            points.append(point)
    raise_if_any(errors, "rows")
    return points


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


def raise_if_any(errors: list[dict[str, Any]], what: str) -> None:
    if not errors:
        return
    listed = errors[:MAX_LISTED_ERRORS]
    more = f" (the first {len(listed)} are listed)" if len(errors) > len(listed) else ""
    raise InvalidInput(
        f"{len(errors)} problems in the {what}; nothing was written{more}", errors=listed
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


def _parse_row(
    line: int, header: list[str], cells: list[str]
) -> tuple[DataPointIn | None, list[dict[str, Any]]]:
    if len(cells) != len(header):
        message = f"has {len(cells)} cells; the header has {len(header)}"
        return None, [{"row": line, "field": "row", "message": message}]
    fields: dict[str, Any] = {}
    errors = []
    for name, cell in zip(header, (c.strip() for c in cells), strict=True):
        try:
            fields[name] = _convert(name, cell)
        except ValueError as exc:
            errors.append({"row": line, "field": name, "message": str(exc)})
    if errors:
        return None, errors
    try:
        return DataPointIn.model_validate(fields), []
    except ValidationError as exc:
        return None, [
            {"row": line, "field": ".".join(map(str, e["loc"])), "message": e["msg"]}
            for e in exc.errors()
        ]


def _convert(name: str, cell: str) -> date | float | str | None:
    if name == "period":
        if not ISO_DATE.match(cell):
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
