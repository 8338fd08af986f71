"""Making Data Count's icons as SVG, for dashboards that build their own tables. They show no
one's data, so they need no key (an `<img>` cannot send one) and may be cached for a day."""

from typing import Any

from fastapi import Response

from app.analytics import AssuranceIcon, VariationIcon
from app.api import api_router
from app.etag import fingerprint
from app.pictures import icons

router = api_router("/icons", tag="icons")

SVG = "image/svg+xml"
PICTURED: dict[int | str, dict[str, Any]] = {
    200: {"content": {SVG: {"schema": {"type": "string"}}}, "description": "The icon"}
}


def _svg(body: str) -> Response:
    encoded = body.encode()
    headers = {"Cache-Control": "public, max-age=86400", "ETag": fingerprint(encoded)}
    return Response(encoded, media_type=SVG, headers=headers)


@router.get(
    "/variation/{icon}.svg",
    response_class=Response,
    responses=PICTURED,
    summary="A variation icon (the chart summary's `variation_icon`)",
)
async def variation_icon(icon: VariationIcon) -> Response:
    return _svg(icons.variation_svg(icon))


@router.get(
    "/assurance/{icon}.svg",
    response_class=Response,
    responses=PICTURED,
    summary="An assurance icon (the chart summary's `assurance_icon`)",
)
async def assurance_icon(icon: AssuranceIcon) -> Response:
    return _svg(icons.assurance_svg(icon))
