"""HTTP routers, a module per domain. Handlers parse, call a service function, return."""

from fastapi import APIRouter

from app.idempotency import IdempotentRoute


def api_router(prefix: str = "", *, tag: str) -> APIRouter:
    """A router whose POSTs honour Idempotency-Key."""
    return APIRouter(prefix=prefix, tags=[tag], route_class=IdempotentRoute)
