from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Query, Request, Response, status
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from app.api import api_router
from app.api.deps import MeasureDep
from app.auth import Reader, Writer
from app.data_csv import parse_csv, raise_if_any, render_csv
from app.db import SessionDep
from app.errors import InvalidInput, Problem
from app.models.data import MAX_POINTS_PER_REQUEST, DataPointIn, DataWriteResult
from app.models.measure import Measure
from app.pagination import Paging
from app.services import data

router = api_router("/measures", tag="measurement data")

CSV = "text/csv"
_ONE = TypeAdapter(DataPointIn)
_MANY = TypeAdapter(list[DataPointIn])
_POINT_SCHEMA = DataPointIn.model_json_schema()
_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"oneOf": [_POINT_SCHEMA, {"type": "array", "items": _POINT_SCHEMA}]},
            "examples": {
                "one proportion point": {
                    "value": {"period": "2026-03-02", "numerator": 41, "denominator": 52}
                },
                "a bulk of values": {
                    "value": [
                        {"period": "2026-03-02", "value": 7},
                        {"period": "2026-03-09", "value": 5},
                    ]
                },
            },
        },
        CSV: {
            "schema": {"type": "string"},
            "example": "period,numerator,denominator,annotation\n"
            "2026-03-02,41,52,\n2026-03-09,44,50,PDSA 2 started\n",
        },
    },
}


class UnsupportedMediaType(Problem):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


@router.post(
    "/{measure_id}/data",
    summary="Add or replace data points (one, a list, or CSV); all or nothing",
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={415: {"description": "Neither JSON nor CSV"}},
)
def post_data(
    principal: Writer,
    session: SessionDep,
    measure: MeasureDep,
    body: RawBody,
    response: Response,
    content_type: Annotated[str, Header()] = "application/json",
) -> DataWriteResult:
    result = data.write_points(session, principal, measure, _points(body, content_type, measure))
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    return result


@router.get(
    "/{measure_id}/data",
    summary="The measure's data in period order (JSON pages, or all of it as CSV)",
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
def read_data(
    _: Reader,
    session: SessionDep,
    measure: MeasureDep,
    paging: Paging,
    period_from: date | None = None,
    period_to: date | None = None,
    format: Annotated[Literal["json", "csv"] | None, Query()] = None,
    accept: Annotated[str, Header()] = "application/json",
) -> Any:
    if format == "csv" or (format is None and CSV in accept):
        points = data.list_points(session, measure, period_from, period_to)
        return Response(render_csv(points, measure.value_type), media_type=CSV)
    return data.page_points(session, measure, paging, period_from, period_to)


@router.delete(
    "/{measure_id}/data/{period}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete one data point",
)
def delete_data_point(
    principal: Writer, session: SessionDep, measure: MeasureDep, period: date
) -> None:
    data.delete_point(session, principal, measure, period)


def _points(body: bytes, content_type: str, measure: Measure) -> list[DataPointIn]:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == CSV:
        points = parse_csv(body.decode("utf-8", errors="replace"), measure.value_type)
    elif media_type in ("application/json", ""):
        points = _parse_json(body)
    else:
        raise UnsupportedMediaType("Send application/json (a point or a list) or text/csv.")
    if len(points) > MAX_POINTS_PER_REQUEST:
        raise InvalidInput(f"At most {MAX_POINTS_PER_REQUEST} points may be sent at once")
    return points


def _parse_json(body: bytes) -> list[DataPointIn]:
    many = body.lstrip().startswith(b"[")
    try:
        return _MANY.validate_json(body) if many else [_ONE.validate_json(body)]
    except ValidationError as exc:
        raise_if_any([_row_error(e, many) for e in exc.errors()], "data points")
        raise


def _row_error(error: ErrorDetails, many: bool) -> dict[str, Any]:
    location = list(error["loc"])
    index = location.pop(0) if many and location else (0 if location else None)
    return {
        "index": index,
        "field": ".".join(map(str, location)) or "body",
        "message": error["msg"],
    }
