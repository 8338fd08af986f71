import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal, NamedTuple

from fastapi import Depends, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from app.api import api_router
from app.api.deps import MeasureDep
from app.auth import ApiKeySecret, Reader, Writer, principal_for, require
from app.data_io import PointBatch, parse_csv, parse_json, render_csv
from app.db import SessionDep
from app.errors import InvalidInput, Problem
from app.idempotency import IdempotencyKey, claim, claims_its_own_key, complete, request_fingerprint
from app.models.common import IsoDate
from app.models.data import MAX_POINTS_PER_REQUEST, DataPointIn, DataWriteResult
from app.models.measure import Measure
from app.models.organisation import Scope
from app.pagination import Paging
from app.services import data
from app.services.writes import get_owned

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


class UnsupportedMediaType(Problem):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]


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
@claims_its_own_key
async def post_data(
    request: Request,
    secret: ApiKeySecret,
    measure_id: uuid.UUID,
    body: RawBody,
    content_type: Annotated[str, Header()] = "application/json",
    idempotency_key: IdempotencyKey = None,
) -> Response:
    # Integrations push data in bursts: the whole write runs in one worker thread and one
    # transaction (the key's claim and its stored answer included), which on SQLite holds the
    # write lock only while this request works, never across hops between threads.
    upload = Upload(measure_id, body, content_type)
    claim_key = (idempotency_key, await request_fingerprint(request)) if idempotency_key else None
    sessions = request.app.state.sessions
    return await run_in_threadpool(_post_data, sessions, secret, upload, claim_key)


class Upload(NamedTuple):
    measure_id: uuid.UUID
    body: bytes
    content_type: str


def _post_data(
    sessions: Callable[..., Session],
    secret: str,
    upload: Upload,
    claim_key: tuple[str, str] | None,
) -> Response:
    with sessions(write=True) as session:
        principal = require(principal_for(session, secret), Scope.WRITE)
        claimed = claim(session, principal, *claim_key) if claim_key else None
        measure = get_owned(session, Measure, upload.measure_id, principal)
        batch = _points(upload.body, upload.content_type, measure)
        result = data.write_points(session, principal, measure, batch)
        response = Response(
            result.model_dump_json(),
            status_code=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
            media_type="application/json",
        )
        if claimed is not None:
            complete(session, claimed, response)
        session.commit()
    return response


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
    principal: Writer, session: SessionDep, measure: MeasureDep, period: IsoDate
) -> None:
    data.delete_point(session, principal, measure, period)


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
