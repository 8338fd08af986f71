from fastapi import Response

from app.api import api_router
from app.auth import Reader
from app.db import SessionDep
from app.etag import IfNoneMatch
from app.models.matrix import Matrix
from app.rendered import rendered
from app.services.matrix import build_matrix, matrix_version

router = api_router(tag="matrix")


@router.get(
    "/matrix",
    response_model=Matrix,
    responses={304: {"description": "Not modified: the If-None-Match tag is current"}},
    summary="The whole four-column matrix, goal by goal, with its alignment gaps",
)
def read_matrix(
    principal: Reader, session: SessionDep, if_none_match: IfNoneMatch = None
) -> Response:
    return rendered(
        session,
        principal.organisation_id,
        "matrix",
        matrix_version(session, principal),
        if_none_match,
        lambda: build_matrix(session, principal),
    )
