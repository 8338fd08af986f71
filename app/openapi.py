"""The OpenAPI document, with every error described as the problem details it really is.

FastAPI documents validation errors as its own `HTTPValidationError`; this API renders every
error as RFC 9457 problem details, so the document is corrected to say so, and the errors each
operation can answer (401/403 with a key, 404 on a path id, 412 with If-Match, ...) are listed.
"""

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from app.errors import PROBLEM_JSON
from app.services.writes import SHOWN_REFERRERS

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}


class FieldProblem(BaseModel):
    field: str = Field(examples=["body.title"])
    message: str = Field(examples=["String should have at least 1 character"])
    type: str | None = None
    index: int | None = Field(default=None, description="JSON data: the point's position")
    row: int | None = Field(default=None, description="CSV data: the line (header is line 1)")


class Referrers(BaseModel):
    resource_type: str = Field(examples=["measure"])
    total: int = Field(examples=[12])
    ids: list[uuid.UUID] = Field(description=f"The first {SHOWN_REFERRERS} of them")


class ProblemDetails(BaseModel):
    type: str = Field(examples=["urn:pdsa:problem:validation-error"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["The request is not valid: body.title"])
    instance: str | None = Field(default=None, examples=["/api/v1/goals"])
    request_id: str | None = None
    errors: list[FieldProblem] | None = None
    referrers: list[Referrers] | None = Field(
        default=None, description="A DELETE refused (409): what still links to the resource"
    )


def _errors_for(path: str, method: str, operation: dict[str, Any]) -> dict[str, str]:
    """Each problem the operation can answer, with what it means: the shared ones, and every
    4xx or 5xx the route itself declares."""
    declared = operation.get("responses", {})
    errors = {status: "" for status in declared if status[0] in "45"}
    errors |= {"422": "Invalid input"} if "422" in declared else {}
    if "requestBody" in operation:
        errors["400"] = "The body cannot be read: not JSON, or not text in its charset"
        errors["413"] = "The body is larger than the server takes (MAX_BODY_BYTES)"
        errors["415"] = "The body was not sent as JSON (Content-Type: application/json)"
    if operation.get("security"):
        errors |= {"401": "No valid API key", "403": "The key lacks the scope"}
    if operation.get("security") or path == "/readyz":
        errors["503"] = "The database is unavailable or busy: retry after Retry-After seconds"
    if "{" in path:
        errors["404"] = "Not found (or another organisation's)"
    if method in ("patch", "delete") and any(
        p.get("name") == "If-Match" for p in operation.get("parameters", [])
    ):
        errors["412"] = "The resource changed since it was read (If-Match)"
    if method in ("post", "delete", "patch", "put"):
        errors["409"] = "Conflicts with the resource's state"
    return errors


def problem_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        problem = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs"))
        schemas["ProblemDetails"] = problem
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                for status, description in _errors_for(path, method, operation).items():
                    # What the route says of the status (why it answers 409, say) is kept.
                    declared = responses.setdefault(status, {"description": description})
                    declared["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
        app.openapi_schema = schema
        return schema

    return openapi
