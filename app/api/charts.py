import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response
from pydantic import AfterValidator, Field

from app.analytics import ChartType
from app.api import api_router
from app.api.auth import ApiKeySecret, Reader
from app.api.deps import MeasureDep
from app.api.params import IfNoneMatch
from app.api.polled import NOT_MODIFIED, serve_polled
from app.api.unit_of_work import Writes
from app.models.chart import Chart, MeasurePhases, Scorecard
from app.models.common import IsoDate
from app.pictures.chart import PICTURE_TYPES, Picture, PictureFormat
from app.services import charts

router = api_router(tag="charts")


def _a_run(points: int | None) -> int | None:
    if points == 1:
        raise ValueError("a run of one point is no run: 0 turns the rule off, or 2 to 1,000")
    return points


# A run of this many points signals; 0 turns the rule off.
RunLength = Annotated[
    int | None,
    Query(ge=0, le=1000, description="0 (the rule off), or 2 to 1,000 points"),
    Field(json_schema_extra={"not": {"const": 1}}),
    AfterValidator(_a_run),
]


async def chart_options(
    chart_type: Annotated[
        ChartType | None,
        Query(description="Default by value type: continuous xmr, proportion p, rate u, count c"),
    ] = None,
    rules: Annotated[
        Literal["mdc", "nhsr", "ihi", "anhoj"] | None,
        Query(description="Rule preset: mdc for SPC charts and ihi for run charts by default"),
    ] = None,
    shift_points: RunLength = None,
    trend_points: RunLength = None,
    minimum_points: Annotated[int | None, Query(ge=2, le=1000)] = None,
    screen_moving_ranges: bool | None = None,
    period_from: IsoDate | None = None,
    period_to: IsoDate | None = None,
) -> charts.ChartOptions:
    overrides = {
        name: value
        for name, value in (
            ("shift_points", shift_points),
            ("trend_points", trend_points),
            ("minimum_points", minimum_points),
            ("screen_moving_ranges", screen_moving_ranges),
        )
        if value is not None
    }
    return charts.ChartOptions(chart_type, rules, overrides, period_from, period_to)


@router.get(
    "/measures/{measure_id}/chart",
    response_model=Chart,
    responses=NOT_MODIFIED,
    summary="The measure's run or SPC chart: every dot, its lines and signals, and the icons",
)
async def read_chart(
    request: Request,
    secret: ApiKeySecret,
    measure_id: uuid.UUID,
    options: Annotated[charts.ChartOptions, Depends(chart_options)],
    if_none_match: IfNoneMatch = None,
) -> Response:
    polled = charts.polled_chart(measure_id, options)
    return await serve_polled(request, secret, polled, if_none_match)


async def picture_size(
    width: Annotated[int, Query(ge=320, le=3200, description="Pixels")] = 960,
    height: Annotated[int, Query(ge=200, le=2400, description="Pixels")] = 540,
    two_sigma: Annotated[bool, Query(description="Draw the 2σ lines too")] = False,
) -> tuple[int, int, bool]:
    return width, height, two_sigma


PictureSize = Annotated[tuple[int, int, bool], Depends(picture_size)]


def _pictured(format: PictureFormat, schema: dict[str, str]) -> dict[int | str, dict[str, Any]]:
    content = {PICTURE_TYPES[format]: {"schema": schema}}
    return {200: {"content": content, "description": "The chart drawn"}, **NOT_MODIFIED}


@router.get(
    "/measures/{measure_id}/chart.svg",
    response_class=Response,
    responses=_pictured("svg", {"type": "string"}),
    summary="The chart as SVG: dots coloured by variation, lines, target, phases, PDSA cycles",
)
async def read_chart_svg(
    request: Request,
    secret: ApiKeySecret,
    measure_id: uuid.UUID,
    options: Annotated[charts.ChartOptions, Depends(chart_options)],
    size: PictureSize,
    if_none_match: IfNoneMatch = None,
) -> Response:
    polled = charts.polled_chart_picture(measure_id, options, Picture("svg", *size))
    return await serve_polled(request, secret, polled, if_none_match)


@router.get(
    "/measures/{measure_id}/chart.png",
    response_class=Response,
    responses=_pictured("png", {"type": "string", "format": "binary"}),
    summary="The chart as PNG, at the size asked for",
)
async def read_chart_png(
    request: Request,
    secret: ApiKeySecret,
    measure_id: uuid.UUID,
    options: Annotated[charts.ChartOptions, Depends(chart_options)],
    size: PictureSize,
    if_none_match: IfNoneMatch = None,
) -> Response:
    polled = charts.polled_chart_picture(measure_id, options, Picture("png", *size))
    return await serve_polled(request, secret, polled, if_none_match)


@router.get("/measures/{measure_id}/phases", summary="The measure's baseline and recalculations")
def read_phases(_: Reader, measure: MeasureDep) -> MeasurePhases:
    return charts.measure_phases(measure)


@router.put(
    "/measures/{measure_id}/phases",
    response_model=MeasurePhases,
    summary="Set the measure's baseline and recalculations",
)
async def set_phases(write: Writes, measure_id: uuid.UUID, phases: MeasurePhases) -> Response:
    return await write(charts.set_phases, measure_id, phases)


@router.get(
    "/scorecard",
    response_model=Scorecard,
    responses=NOT_MODIFIED,
    summary="Every measure's latest point, variation and assurance icons",
)
async def read_scorecard(
    request: Request,
    secret: ApiKeySecret,
    goal_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    polled = charts.polled_scorecard(goal_id, project_id)
    return await serve_polled(request, secret, polled, if_none_match)
