from app.api import api_router
from app.auth import Reader
from app.db import SessionDep
from app.models.matrix import Matrix
from app.services.matrix import build_matrix

router = api_router(tag="matrix")


@router.get(
    "/matrix",
    summary="The whole four-column matrix, goal by goal, with its alignment gaps",
)
def read_matrix(principal: Reader, session: SessionDep) -> Matrix:
    return build_matrix(session, principal)
