"""One unit of work per write request, owned here and nowhere else.

Every POST, PUT, PATCH and DELETE runs in one worker thread and one transaction: authenticate
the key, claim the Idempotency-Key, run the service (which never commits), store the answer
against the claim, bump the versions the change invalidates (`app.revisions`), commit, and only
then respond. Services record their audit rows in the same transaction. A failure anywhere
rolls all of it back, the claim included, so a retry runs afresh or replays; it never meets a
stale claim. Nothing here blocks the event loop: the event loop only parses the request.
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeAlias

from fastapi import Depends, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlmodel import Session

from app.api.auth import ApiKeySecret
from app.deadline import check_deadline
from app.etag import etag_for
from app.idempotency import Answer, Replay, claim, complete, fingerprint
from app.models.organisation import Scope
from app.principal import principal_for, require
from app.revisions import bump_revisions
from app.tenancy import act_for

Change: TypeAlias = Callable[..., BaseModel | None]  # (session, principal, *args)
StatusFor: TypeAlias = Callable[[Any], int]

IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=255,
        description="Retry-safe POST: the same key and body replay the first response "
        "(for 24 hours) instead of writing again.",
    ),
]


class UnitOfWork:
    """A write request, parsed on the event loop, whose change runs with `await unit(...)`."""

    def __init__(
        self,
        request: Request,
        secret: str,
        scope: Scope,
        idempotency: tuple[str, str] | None,
    ) -> None:
        self._sessions: Callable[..., Session] = request.app.state.sessions
        route = request.scope.get("route")
        self._status_code: int = getattr(route, "status_code", None) or 200
        self._secret = secret
        self._scope = scope
        self._idempotency = idempotency  # (key, fingerprint of the request)

    async def __call__(
        self,
        change: Change,
        *args: Any,
        status_for: StatusFor | None = None,
        secret: bool = False,
    ) -> Response:
        """Run `change(session, principal, *args)` as the request's one transaction.

        The answer is the route's status (or `status_for(result)`) with the result as JSON and
        its ETag, or 204 when the change returns nothing; `secret` answers are never stored.
        """
        answer = await run_in_threadpool(self._run, change, args, status_for, secret)
        return to_response(answer)

    def _run(
        self,
        change: Change,
        args: tuple[Any, ...],
        status_for: StatusFor | None,
        secret: bool,
    ) -> Answer:
        check_deadline()
        with self._sessions(write=True) as session:
            principal = act_for(session, require(principal_for(session, self._secret), self._scope))
            claimed = claim(session, principal, *self._idempotency) if self._idempotency else None
            result = change(session, principal, *args)
            answer = self._answer(result, status_for, secret)
            if claimed is not None:
                complete(session, claimed, answer)
            bump_revisions(session, principal)
            check_deadline()  # given up on: roll back rather than write unseen
            session.commit()
        return answer

    def _answer(
        self, result: BaseModel | None, status_for: StatusFor | None, secret: bool
    ) -> Answer:
        if result is None:
            return Answer(204, b"", media_type=None)
        status_code = status_for(result) if status_for else self._status_code
        headers = {"Cache-Control": "no-store"} if secret else {"ETag": etag_for(result)}
        body = result.model_dump_json().encode()
        return Answer(status_code, body, headers=headers, secret=secret)


def to_response(answer: Answer) -> Response:
    return Response(
        answer.body,
        status_code=answer.status_code,
        media_type=answer.media_type,
        headers=answer.headers,
    )


async def render_replay(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, Replay)
    response = to_response(exc.answer)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _unit_of_work(scope: Scope) -> Callable[..., Any]:
    async def parse(request: Request, secret: ApiKeySecret) -> UnitOfWork:
        return UnitOfWork(request, secret, scope, None)

    return parse


def _retry_safe_unit_of_work(scope: Scope) -> Callable[..., Any]:
    async def parse(
        request: Request, secret: ApiKeySecret, idempotency_key: IdempotencyKey = None
    ) -> UnitOfWork:
        if idempotency_key is None:
            return UnitOfWork(request, secret, scope, None)
        content_type = request.headers.get("content-type", "")
        body = await request.body()
        request_print = fingerprint(request.method, request.url.path, content_type, body)
        return UnitOfWork(request, secret, scope, (idempotency_key, request_print))

    return parse


# PATCH, PUT and DELETE are idempotent by nature; a POST is made so by its Idempotency-Key.
Writes = Annotated[UnitOfWork, Depends(_unit_of_work(Scope.WRITE))]
AdminWrites = Annotated[UnitOfWork, Depends(_unit_of_work(Scope.ADMIN))]
Posts = Annotated[UnitOfWork, Depends(_retry_safe_unit_of_work(Scope.WRITE))]
AdminPosts = Annotated[UnitOfWork, Depends(_retry_safe_unit_of_work(Scope.ADMIN))]
