from fastapi import Request, Response

from app.api import api_router
from app.api.auth import ApiKeySecret
from app.api.params import IfNoneMatch
from app.api.polled import NOT_MODIFIED, serve_polled
from app.models.matrix import Matrix
from app.services.matrix import polled_matrix

router = api_router(tag="matrix")


@router.get(
    "/matrix",
    response_model=Matrix,
    responses=NOT_MODIFIED,
    summary="The whole four-column matrix, goal by goal, with its alignment gaps",
)
async def read_matrix(
    request: Request, secret: ApiKeySecret, if_none_match: IfNoneMatch = None
) -> Response:
    return await serve_polled(request, secret, polled_matrix(), if_none_match)
