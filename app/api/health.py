import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.deadline import RETRY_AFTER_SECONDS
from app.problems import ServiceUnavailable

router = APIRouter(tags=["health"])

# What a readiness probe waits for (Kubernetes' default): a frozen database is not ready.
READY_TIMEOUT_SECONDS = 0.8  # and so answered within a second
# Probes have threads of their own, so that they never queue behind requests' work; a probe
# stuck on a frozen database is given up on, and the next one waits no longer than it did.
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")


@router.get("/livez", summary="The process is up")
async def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database answers (within a second)")
async def readyz(request: Request) -> dict[str, str]:
    probe = asyncio.get_running_loop().run_in_executor(
        _probes, _select_one, request.app.state.sessions
    )
    try:
        await asyncio.wait_for(probe, READY_TIMEOUT_SECONDS)
    except (TimeoutError, SQLAlchemyError) as exc:
        raise ServiceUnavailable(
            "The database does not answer", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        ) from exc
    return {"status": "ok"}


def _select_one(sessions: Callable[..., Session]) -> None:
    with sessions() as session:
        session.connection().execute(text("SELECT 1"))
