"""RFC 9457 problem details: every error the API returns is rendered here, and only here."""

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.context import current_request_id

PROBLEM_JSON = "application/problem+json"
# PostgreSQL: serialization failure, deadlock, lock not available.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
logger = logging.getLogger("app.errors")


class Problem(Exception):
    """An error with an HTTP status; raise a subclass and the handler renders it."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal server error"
    slug: ClassVar[str] = "internal-error"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class Unauthorized(Problem):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(Problem):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(Problem):
    status, title, slug = 404, "Not found", "not-found"

    def __init__(self, resource: str, resource_id: object) -> None:
        super().__init__(f"{resource} {resource_id} does not exist")


class Conflict(Problem):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(Problem):
    status, title, slug = 412, "Precondition failed", "precondition-failed"


class PayloadTooLarge(Problem):
    status, title, slug = 413, "Payload too large", "payload-too-large"


class ServiceUnavailable(Problem):
    status, title, slug = 503, "Service unavailable", "unavailable"


class InvalidInput(Problem):
    """A well-formed request whose content is wrong; `errors` names each offending field."""

    status, title, slug = 422, "Invalid input", "validation-error"


def field_error(field: str, message: str, error_type: str = "value_error") -> dict[str, Any]:
    return {"field": field, "message": message, "type": error_type}


def problem_response(
    status: int,
    title: str,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
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
        body["errors"] = errors
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def _render_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(
        exc.status,
        exc.title,
        exc.slug,
        exc.detail,
        instance=request.url.path,
        errors=exc.errors,
        headers=exc.headers,
    )


def _render_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        field_error(".".join(str(part) for part in error["loc"]), error["msg"], error["type"])
        for error in exc.errors()
    ]
    fields = ", ".join(error["field"] for error in errors)
    return problem_response(
        422,
        InvalidInput.title,
        InvalidInput.slug,
        f"The request is not valid: {fields}",
        instance=request.url.path,
        errors=errors,
    )


def _render_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = "not-found" if exc.status_code == 404 else "http-error"
    return problem_response(
        exc.status_code,
        str(exc.detail) if exc.status_code != 404 else "Not found",
        slug,
        str(exc.detail),
        instance=request.url.path,
        headers=dict(exc.headers) if exc.headers else None,
    )


def _render_database(request: Request, exc: Exception) -> JSONResponse:
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
    return _render_problem(request, problem)


def _is_retryable(exc: DBAPIError) -> bool:
    return exc.connection_invalidated or _is_contention(exc)


def _is_contention(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
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
    app.add_exception_handler(Problem, _render_problem)
    app.add_exception_handler(RequestValidationError, _render_validation)
    app.add_exception_handler(StarletteHTTPException, _render_http)
    app.add_exception_handler(DBAPIError, _render_database)
    app.add_exception_handler(PoolTimeout, _render_database)
