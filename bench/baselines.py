"""The baselines the service is measured against, each served by uvicorn with one worker.

The first two read the responses fetched from the service out of the folder named by
`BENCH_RESPONSES`: `routes.json` maps each path to its file and content type.

- `raw_app`, the limit: a bare ASGI callable (no framework) answering each path with the
  very bytes the service answered.
- `framework_app`, the framework ceiling: FastAPI endpoints returning the same response models,
  parsed once from those bytes and kept in memory; and a POST taking the same body as the
  service's data endpoint, answering a fixed 201 result.
- `insert_app`: that POST inserting the point's row into the database of `DATABASE_URL`, for
  the organisation of `BENCH_ORGANISATION_ID`, in a transaction of its own.
"""

import json
import os
import uuid
from datetime import date
from pathlib import Path
from typing import TypeVar

from fastapi import FastAPI, Response, status
from pydantic import BaseModel
from sqlalchemy import insert
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db import make_engine, session_factory
from app.models.chart import Chart, Scorecard
from app.models.common import utcnow
from app.models.data import DataPointIn, DataWriteResult, PointWritten, WriteStatus
from app.models.matrix import Matrix
from bench.rawinsert import TABLE

RESPONSES = "BENCH_RESPONSES"
ORGANISATION = "BENCH_ORGANISATION_ID"
ROUTES = "routes.json"
CHART, SCORECARD, MATRIX = "chart", "scorecard", "matrix"
CHART_SVG = "chart.svg"
NOT_FOUND = (404, [(b"content-type", b"text/plain")], b"not found")

M = TypeVar("M", bound=BaseModel)


def raw_app() -> ASGIApp:
    folder = Path(os.environ[RESPONSES])
    answers = {
        path: (
            200,
            [(b"content-type", route["content_type"].encode())],
            (folder / route["file"]).read_bytes(),
        )
        for path, route in json.loads((folder / ROUTES).read_text()).items()
    }

    async def app(scope: Scope, _receive: Receive, send: Send) -> None:
        code, headers, body = answers.get(scope["path"], NOT_FOUND)
        await send({"type": "http.response.start", "status": code, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def framework_app() -> FastAPI:
    folder = Path(os.environ[RESPONSES])
    chart = _model(folder, CHART, Chart)
    chart_svg = (folder / f"{CHART_SVG}.response").read_bytes()
    scorecard = _model(folder, SCORECARD, Scorecard)
    matrix = _model(folder, MATRIX, Matrix)
    written = _written()
    app = FastAPI()
    # The endpoints parse what the service's parse (path ids, the body), then ignore it.

    @app.get("/api/v1/measures/{measure_id}/chart")
    async def read_chart(measure_id: uuid.UUID) -> Chart:  # noqa: ARG001
        return chart

    # A stored picture, as the service serves a warm one: the bytes, with their media type.
    @app.get("/api/v1/measures/{measure_id}/chart.svg")
    async def read_chart_svg(measure_id: uuid.UUID) -> Response:  # noqa: ARG001
        return Response(chart_svg, media_type="image/svg+xml")

    @app.get("/api/v1/scorecard")
    async def read_scorecard() -> Scorecard:
        return scorecard

    @app.get("/api/v1/matrix")
    async def read_matrix() -> Matrix:
        return matrix

    @app.post("/api/v1/measures/{measure_id}/data", status_code=status.HTTP_201_CREATED)
    async def post_data(measure_id: uuid.UUID, point: DataPointIn) -> DataWriteResult:  # noqa: ARG001
        return written

    return app


def insert_app() -> FastAPI:
    """The least a POST of one point must do: parse it, and insert its row in a transaction of
    its own, with the service's driver, engine and writers' sessions (on a SQLite file: one
    connection, BEGIN IMMEDIATE), but no key, no Idempotency-Key, no checks and no audit.
    The organisation is given, not looked up."""
    sessions = session_factory(make_engine(os.environ["DATABASE_URL"]))
    organisation_id = uuid.UUID(os.environ[ORGANISATION])
    written = _written()
    app = FastAPI()

    # A sync endpoint, as the service's unit of work runs in a worker thread.
    @app.post("/api/v1/measures/{measure_id}/data", status_code=status.HTTP_201_CREATED)
    def post_data(measure_id: uuid.UUID, point: DataPointIn) -> DataWriteResult:
        now = utcnow()
        row = {
            "id": uuid.uuid4(),
            "organisation_id": organisation_id,
            "measure_id": measure_id,
            "period": point.period,
            "value": point.value,
            "numerator": point.numerator,
            "denominator": point.denominator,
            "annotation": point.annotation,
            "source": point.source,
            "created_at": now,
            "updated_at": now,
        }
        with sessions(write=True) as session:
            session.execute(insert(TABLE).values(row))
            session.commit()
        return written

    return app


def _written() -> DataWriteResult:
    """The fixed answer of the baselines' POSTs."""
    return DataWriteResult(
        created=1,
        updated=0,
        points=[PointWritten(period=date(2026, 3, 2), status=WriteStatus.CREATED)],
    )


def _model(folder: Path, name: str, model: type[M]) -> M:
    return model.model_validate_json((folder / f"{name}.response").read_bytes())
