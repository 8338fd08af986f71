import uuid
from typing import Annotated, Any, Literal, NamedTuple

from fastapi import Depends, Header, Query, Request, Response, status
from sqlalchemy.orm import lazyload
from sqlmodel import Session

from app.api import api_router
from app.api.auth import Reader
from app.api.deps import MeasureDep
from app.api.params import Paging
from app.api.sessions import SessionDep
from app.api.unit_of_work import Posts, Writes
from app.data_io import PointBatch, parse_csv, parse_json, render_csv
from app.models.common import IsoDate
from app.models.data import MAX_POINTS_PER_REQUEST, DataPointIn, DataWriteResult
from app.models.measure import Measure
from app.principal import Principal
from app.problems import InvalidInput, UnsupportedMediaType
from app.services import data
from app.tenancy import get_owned

router = api_router("/measures", tag="measurement data")

CSV = "text/csv"
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


class Upload(NamedTuple):
    body: bytes
    content_type: str


async def _upload(
    request: Request,
    # Described by the request body's media types (OpenAPI ignores a Content-Type parameter).
    content_type: Annotated[str, Header(include_in_schema=False)] = "application/json",
) -> Upload:
    return Upload(await request.body(), content_type)


@router.post(
    "/{measure_id}/data",
    response_model=DataWriteResult,
    summary="Add or replace data points (one, a list, or CSV); all or nothing",
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={
        201: {"model": DataWriteResult, "description": "At least one point was created"},
        415: {"description": "Neither JSON nor CSV"},
    },
)
async def post_data(
    write: Posts, measure_id: uuid.UUID, upload: Annotated[Upload, Depends(_upload)]
) -> Response:
    return await write(_write_upload, measure_id, upload, status_for=_created_or_updated)


def _write_upload(
    session: Session, principal: Principal, measure_id: uuid.UUID, upload: Upload
) -> DataWriteResult:
    # Parsed in the unit of work's thread (a bulk is CPU work), once the key is known good.
    # The measure's goal links play no part in its data: not loaded.
    goal_links = lazyload(Measure.goal_links)  # type: ignore[arg-type]
    measure = get_owned(session, Measure, measure_id, goal_links)
    batch = _points(upload.body, upload.content_type, measure)
    return data.write_points(session, principal, measure, batch)


def _created_or_updated(result: DataWriteResult) -> int:
    return status.HTTP_201_CREATED if result.created else status.HTTP_200_OK


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
    period_from: IsoDate | None = None,
    period_to: IsoDate | None = None,
    format: Annotated[Literal["json", "csv"] | None, Query()] = None,
    accept: Annotated[str, Header(include_in_schema=False)] = "application/json",
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
async def delete_data_point(write: Writes, measure_id: uuid.UUID, period: IsoDate) -> Response:
    return await write(data.delete_point, measure_id, period)


def _points(body: bytes, content_type: str, measure: Measure) -> PointBatch:
    media_type, _, parameters = content_type.partition(";")
    media_type = media_type.strip().lower()
    if media_type == CSV:
        charset = parameters.partition("charset=")[2].strip().strip('"') or "utf-8"
        batch = parse_csv(body, charset, measure.value_type)
    elif media_type in ("application/json", ""):
        batch = parse_json(body)
    else:
        raise UnsupportedMediaType("Send application/json (a point or a list) or text/csv.")
    if len(batch.points) + len(batch.errors) > MAX_POINTS_PER_REQUEST:
        raise InvalidInput(f"At most {MAX_POINTS_PER_REQUEST} points may be sent at once")
    return batch
