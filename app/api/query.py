"""Query strings held to what the OpenAPI document says, as bodies are: a name the operation
does not take (a typo such as `?limt=10`) or a name given twice is refused with a 422 that names
it, rather than silently ignored or silently resolved to its last value."""

from collections import Counter
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts

from app.problems import InvalidInput, field_error


async def strict_query(request: Request) -> None:
    """A coroutine: a plain function would wait for a worker thread, which /readyz must not."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.url.query:
        return
    path = _full_paths(request.app)[id(route)]  # an included route knows only its own part
    takes, repeatable = _query_names(request.app, path, request.method.lower())
    counts = Counter(name for name, _ in request.query_params.multi_items())
    errors = [
        field_error(f"query.{name}", "is not a parameter of this operation")
        for name in counts
        if name not in takes
    ] + [
        field_error(f"query.{name}", f"is given {count} times; give it once")
        for name, count in counts.items()
        if count > 1 and name in takes and name not in repeatable
    ]
    if errors:
        raise InvalidInput("The query string does not fit the operation", errors=errors)


@cache
def _full_paths(app: FastAPI) -> dict[int, str]:
    """Each route's whole path, by the route's identity (routes are not hashable)."""
    return {
        id(context.original_route): context.path
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and context.path is not None
    }


@cache
def _query_names(app: FastAPI, path: str, method: str) -> tuple[frozenset[str], frozenset[str]]:
    """The query parameters the operation's document lists, and those of them that are lists."""
    parameters = app.openapi()["paths"][path][method].get("parameters", [])
    query = [p for p in parameters if p["in"] == "query"]
    lists = [p["name"] for p in query if _is_array(p["schema"])]
    return frozenset(p["name"] for p in query), frozenset(lists)


def _is_array(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(_is_array(s) for s in schema.get("anyOf", []))
