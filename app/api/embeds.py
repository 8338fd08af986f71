"""Signed links to chart pictures (`app.embeds`): minted with a key, opened without one."""

import uuid

from fastapi import APIRouter, Request, Response, status

from app import embeds
from app.api import api_router
from app.api.params import IfNoneMatch
from app.api.polled import serve_polled_for
from app.api.sessions import poll
from app.api.unit_of_work import Posts
from app.models.embed import ChartLinkCreate, ChartLinkPublic
from app.services import chart_links
from app.services.charts import ChartOptions, polled_chart_picture

router = api_router(tag="charts")
PICTURES = {
    "image/svg+xml": {"schema": {"type": "string"}},
    "image/png": {"schema": {"type": "string", "format": "binary"}},
}
opened = APIRouter(tags=["charts"])  # no key: the link is the credential


@router.post(
    "/measures/{measure_id}/chart-links",
    status_code=status.HTTP_201_CREATED,
    response_model=ChartLinkPublic,
    summary="A signed link to the chart's picture, for an <img>: it expires within 30 days, "
    "and with the key that minted it",
)
async def mint_chart_link(write: Posts, measure_id: uuid.UUID, link: ChartLinkCreate) -> Response:
    return await write(chart_links.mint_chart_link, measure_id, link)


@opened.get(
    "/embed/charts/{token}",
    response_class=Response,
    responses={
        200: {"content": PICTURES, "description": "The chart drawn"},
        304: {"description": "Not modified: the If-None-Match tag is current"},
        401: {"description": "The key that minted the link has been revoked"},
        403: {"description": "Not a valid link, or expired"},
        404: {"description": "The measure no longer exists"},
    },
    summary="The chart picture a signed link stands for (no key)",
)
async def open_chart_link(
    request: Request, token: str, if_none_match: IfNoneMatch = None
) -> Response:
    claims = embeds.read(token)
    row = await poll(request.app, embeds.SIGNING_KEY, {"key_id": claims.key_id})
    key_hash = embeds.verify(token, claims, None if row is None else str(row.secret_hash))
    polled = polled_chart_picture(claims.measure_id, ChartOptions(), claims.picture)
    return await serve_polled_for(request, key_hash, polled, if_none_match)
