"""HTTP routers, a module per domain. Handlers parse, call a service function, return; every
write's service runs in the request's unit of work (`unit_of_work`)."""

from fastapi import APIRouter


def api_router(prefix: str = "", *, tag: str) -> APIRouter:
    return APIRouter(prefix=prefix, tags=[tag])
