"""Idempotency-Key on POST: the same key and body replay the stored response.

The key is claimed (a pending row) in the request's own session, so the claim commits in the
same transaction as the change it guards: if the change rolls back, so does the claim. Once
the handler has answered 2xx, the response is stored against the claim, unless it is marked
`Cache-Control: no-store` (a newly issued API key is: its secret is never kept). A concurrent
duplicate finds the claim and gets a retryable 409 rather than writing twice. Records live in
the database, so they hold across server processes, and lapse after 24 hours. Keys are scoped
to the API key that sent them.
"""

import hashlib
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from app.auth import Authenticated, Principal
from app.db import SessionDep
from app.errors import Conflict, InvalidInput, field_error
from app.models.common import utcnow
from app.models.idempotency import IdempotencyRecord, IdempotencyState

LIFETIME = timedelta(hours=24)
REPLAYED_HEADER = "Idempotent-Replayed"
E = TypeVar("E", bound=Callable[..., Any])


class Replay(Exception):
    def __init__(self, record: IdempotencyRecord) -> None:
        self.record = record


def replay_response(record: IdempotencyRecord) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(
        record.body,
        status_code=record.status_code or 200,
        media_type=record.media_type,
        headers=headers,
    )


async def render_replay(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Replay)
    return replay_response(exc.record)


IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=255,
        description="Retry-safe POST: the same key and body replay the first response "
        "(for 24 hours) instead of writing again.",
    ),
]


async def claim_idempotency_key(
    request: Request,
    principal: Authenticated,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> None:
    if idempotency_key is None or request.method != "POST":
        return
    claimed = claim(session, principal, idempotency_key, await request_fingerprint(request))
    request.state.idempotency_claim = (session, claimed)


def claim(
    session: Session, principal: Principal, idempotency_key: str, fingerprint: str
) -> IdempotencyRecord:
    """Claim the key for this request in `session` (a pending record that commits with the
    change), or refuse: replay the stored answer, or 409 while the first request runs."""
    record = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == principal.key_id,
            IdempotencyRecord.key == idempotency_key,
        )
    ).first()
    if record is not None and record.expires_at <= utcnow():
        session.delete(record)
        session.flush()
        record = None
    if record is not None:
        _answer_existing(record, fingerprint)
    claimed = IdempotencyRecord(
        organisation_id=principal.organisation_id,
        api_key_id=principal.key_id,
        key=idempotency_key,
        fingerprint=fingerprint,
        state=IdempotencyState.PENDING,
        expires_at=utcnow() + LIFETIME,
    )
    try:
        with session.begin_nested():
            session.add(claimed)
    except IntegrityError:
        raise _in_progress() from None
    return claimed


IdempotencyClaim = Depends(claim_idempotency_key)


def claims_its_own_key(endpoint: E) -> E:
    """Mark a POST endpoint that claims its Idempotency-Key itself (with `claim`, and stores
    the answer with `complete` in the change's own transaction), in one worker thread."""
    setattr(endpoint, _CLAIMS_ITS_OWN_KEY, True)
    return endpoint


_CLAIMS_ITS_OWN_KEY = "claims_its_own_idempotency_key"


class IdempotentRoute(APIRoute):
    """Every POST claims its Idempotency-Key first and stores its successful answer last."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        generic = not getattr(endpoint, _CLAIMS_ITS_OWN_KEY, False)
        if generic and "POST" in (kwargs.get("methods") or ()):
            kwargs["dependencies"] = [*(kwargs.get("dependencies") or ()), IdempotencyClaim]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if "POST" not in (self.methods or ()):
            return handler

        async def store_answer(request: Request) -> Response:
            response = await handler(request)
            claimed = getattr(request.state, "idempotency_claim", None)
            if claimed is not None and 200 <= response.status_code < 300:
                # The request's own session (still open): a second connection per request
                # could exhaust the pool with every request waiting for one.
                session, record = claimed
                await run_in_threadpool(_complete_and_commit, session, record, response)
            return response

        return store_answer


def _answer_existing(record: IdempotencyRecord, fingerprint: str) -> None:
    if record.fingerprint != fingerprint:
        raise InvalidInput(
            "This Idempotency-Key was used with a different request; use a new key.",
            errors=[field_error("header.idempotency-key", "reused with a different body")],
        )
    if record.state is IdempotencyState.PENDING:
        raise _in_progress()
    if record.body is None:
        raise Conflict(
            "The request with this Idempotency-Key succeeded, but its answer held a secret that "
            "is shown only once and was not kept."
        )
    raise Replay(record)


def _in_progress() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is in progress, or succeeded without its answer "
        "being stored; retry shortly, or read the resource to see its state.",
        headers={"Retry-After": "1"},
    )


def _complete_and_commit(session: Session, record: IdempotencyRecord, response: Response) -> None:
    complete(session, record, response)
    session.commit()


def complete(session: Session, record: IdempotencyRecord, response: Response) -> None:
    """Store the answer to replay against the claim (unless it is marked no-store)."""
    record.state = IdempotencyState.COMPLETED
    record.status_code = response.status_code
    record.media_type = response.media_type
    secret = "no-store" in response.headers.get("cache-control", "")
    record.body = None if secret else bytes(response.body)
    record.location = response.headers.get("location")
    session.add(record)


async def request_fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.headers.get("content-type", "")):
        digest.update(part.encode() + b"\0")
    digest.update(await request.body())
    return digest.hexdigest()
