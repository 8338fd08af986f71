"""RFC 9457 problem details: every error the API returns is rendered here, and only here."""

import logging
from collections.abc import Sequence
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.context import current_request_id
from app.problems import (
    MAX_ERRORS,
    RULE_BROKEN,
    Conflict,
    InvalidInput,
    Problem,
    RuleBroken,
    ServiceUnavailable,
    UnsupportedMediaType,
    field_error,
    not_json,
)

PROBLEM_JSON = "application/problem+json"
# PostgreSQL: serialization failure, deadlock, lock not available.
# SQLSTATEs worth a retry: contention (serialization failure, deadlock, lock not available), a
# statement cut off by its timeout, and a server unreachable (08), starting or stopping (57P0x)
# or out of resources (53).
RETRYABLE_SQLSTATES = ("40001", "40P01", "55P03", "57014", "57P0", "08", "53")
logger = logging.getLogger("app.errors")


def problem_response(
    status: int,
    title: str,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:pdsa:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": current_request_id(),
    }
    if errors is not None:
        body["errors"] = errors[:MAX_ERRORS]
    for name, value in (extensions or {}).items():
        body.setdefault(name, value)  # never in place of a member the RFC defines
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def render_problem(problem: Problem, instance: str | None) -> JSONResponse:
    return problem_response(
        problem.status,
        problem.title,
        problem.slug,
        problem.detail,
        instance=instance,
        errors=problem.errors,
        headers=problem.headers,
        extensions=problem.extensions,
    )


async def _render_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return render_problem(exc, request.url.path)


async def _render_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = exc.errors()
    unreadable = _unreadable_body(found, exc.body)
    if unreadable is not None:
        return render_problem(unreadable, request.url.path)
    errors = [
        field_error(".".join(str(part) for part in error["loc"]), error["msg"], error["type"])
        for error in found[:MAX_ERRORS]
    ]
    fields = ", ".join(error["field"] for error in errors)
    more = f" and {len(found) - MAX_ERRORS:,} more" if len(found) > MAX_ERRORS else ""
    kind = RuleBroken if all(error["type"] == RULE_BROKEN for error in found) else InvalidInput
    return problem_response(
        422,
        kind.title,
        kind.slug,
        f"The request is not valid: {fields}{more}",
        instance=request.url.path,
        errors=errors,
    )


def _unreadable_body(found: Sequence[Any], body: Any) -> Problem | None:
    """The body as a whole could not be read as JSON: what to fix, rather than FastAPI's
    account (a character offset, or the raw bytes found where an object was wanted)."""
    for error in found:
        if error["type"] == "json_invalid":
            return _not_json(body, error["loc"][-1], error["ctx"]["error"])
        if error["loc"] == ("body",) and isinstance(error["input"], bytes):
            # Without a JSON Content-Type FastAPI leaves the body as bytes, unread.
            return UnsupportedMediaType(
                "Send the body as JSON with Content-Type: application/json.",
                errors=[field_error("header.content-type", "must be application/json")],
            )
    return None


def _not_json(document: str, position: int, reason: str) -> Problem:
    """Placed as Python's `json` places it: lines from 1, columns from 1."""
    line = document.count("\n", 0, position) + 1
    column = position - document.rfind("\n", 0, position)
    return not_json(reason, line, column)


async def _render_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = "not-found" if exc.status_code == 404 else "http-error"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(
        exc.status_code,
        str(exc.detail) if exc.status_code != 404 else "Not found",
        slug,
        str(exc.detail),
        instance=request.url.path,
        headers=headers or None,
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path. Starlette's 405 names only the first route
    that matched the path, and a path here is served by a route per method."""
    path = request.url.path
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.path and compile_path(route.path)[0].match(path):
            methods |= route.methods
    return sorted(methods)


async def _render_database(request: Request, exc: Exception) -> JSONResponse:
    """Contention, a lost connection (which the pool then replaces) and a wait for a pooled
    connection that ran out are retryable (503); a constraint race is a conflict (409); the rest
    is ours."""
    if isinstance(exc, IntegrityError):
        problem: Problem = Conflict("The change conflicts with data written at the same time.")
    elif isinstance(exc, PoolTimeout) or (isinstance(exc, DBAPIError) and _is_retryable(exc)):
        problem = ServiceUnavailable(
            "The database is busy or its connection was lost; retry the request.",
            headers={"Retry-After": "1"},
        )
    else:
        return _render_unexpected(request, exc)
    return render_problem(problem, request.url.path)


def _is_retryable(exc: DBAPIError) -> bool:
    return exc.connection_invalidated or _is_contention(exc)


def _is_contention(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate).startswith(RETRYABLE_SQLSTATES)
    if isinstance(exc.orig, psycopg.OperationalError):
        return True  # no SQLSTATE: the server could not be reached at all
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


def internal_error(instance: str | None) -> JSONResponse:
    """The 500 answer: it says nothing of the failure (the log does)."""
    return problem_response(
        500,
        Problem.title,
        Problem.slug,
        "The server failed to handle this request; it has been logged.",
        instance=instance,
    )


def _render_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unexpected database error", exc_info=exc)
    return internal_error(request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    """Handlers are coroutines: Starlette runs plain functions in a worker thread, and when every
    worker waits on a database that stopped answering, so would every error."""
    app.add_exception_handler(Problem, _render_problem)
    app.add_exception_handler(RequestValidationError, _render_validation)
    app.add_exception_handler(StarletteHTTPException, _render_http)
    app.add_exception_handler(DBAPIError, _render_database)
    app.add_exception_handler(PoolTimeout, _render_database)
