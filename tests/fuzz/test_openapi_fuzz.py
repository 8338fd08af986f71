"""The whole OpenAPI document, fuzzed: every operation, on each backend, with all of
schemathesis's checks. Each operation gets real resources of its own organisation in its path,
so that generated bodies reach the service rather than stopping at a 404.

One check is sharpened: a request the document admits may still be refused, but only as a
failed precondition (412, an If-Match naming another version) or as `rule-broken` (422, a rule
the document states in words: links to resources that exist, periods of the measure's
frequency), never as a `validation-error`, which would mean the document promises too much.

CI runs a fixed number of examples, derandomised. A longer, randomised run:

    FUZZ_EXAMPLES=500 FUZZ_RANDOM=1 .venv/bin/pytest tests/fuzz
"""

import os
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import APIOperation
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from tests.api.factories import API, Endpoint, make_path
from tests.conftest import Tenant

Case = schemathesis.Case[APIOperation[Any, Any, Any, Any]]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"

# The document needs no database, so it is read once, from an application on none.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(database_url="sqlite://"), make_engine("sqlite://"))
)


CALLER_KEY: ContextVar[str] = ContextVar("CALLER_KEY")


@schema.auth.auth(refresh_interval=None)
class CallerKey:
    """The tenant's real key, as schemathesis's own auth: its checks for ignored auth then
    know what to take away."""

    def get(self, case: Case, ctx: schemathesis.AuthContext) -> str | None:
        return CALLER_KEY.get(None)  # None while examples are collected, before any tenant

    def set(self, case: Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@pytest.fixture(autouse=True)
def caller_key(tenant: Tenant) -> Iterator[None]:
    token = CALLER_KEY.set(tenant.admin_key)
    yield
    CALLER_KEY.reset(token)


@pytest.fixture
def path() -> dict[str, str]:
    """The operation's path parameters, made once for all of its examples."""
    return {}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_answer_is_documented_and_every_valid_request_accepted(
    case: Case, app: FastAPI, api: TestClient, path: dict[str, str]
) -> None:
    if not path and case.operation.path.startswith(API):  # the tenant API's resources
        path.update(make_path(api, Endpoint(case.method.upper(), case.operation.path)))
    case.path_parameters = {**(case.path_parameters or {}), **path}
    fresh_idempotency_key(case)
    case.call_and_validate(
        app=without_lifespan(app),
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_requests_are_refused_only_for_state_or_rules],
    )


@cache
def without_lifespan(app: FastAPI) -> ASGIApp:
    """The application as the rest of the suite runs it: without its lifespan, whose
    housekeeping and poll engine would use the database outside the test's transaction, or
    share its one connection from another thread. (schemathesis starts an application's
    lifespan once, and keeps it running.)"""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while (await receive())["type"] != "lifespan.shutdown":  # startup: answered at once
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    return serve


STATE_STATUSES = {401, 403, 404, 409, 412, 429}  # what is stored, not what was sent


def valid_requests_are_refused_only_for_state_or_rules(
    ctx: CheckContext,  # noqa: ARG001 (the signature of a check)
    response: schemathesis.Response,
    case: Case,
) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code < 400 or response.status_code in STATE_STATUSES:
        return
    problem = response.json() if response.status_code == 422 else {}
    assert problem.get("type") == "urn:pdsa:problem:rule-broken", (
        f"a request the document admits was refused with {response.status_code}: "
        f"{response.text[:2000]}"
    )


def fresh_idempotency_key(case: Case) -> None:
    """One key names one request: the same key with another body is refused, which a schema
    cannot say, so each generated request gets a key of its own."""
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = str(uuid.uuid4())
