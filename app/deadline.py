"""Each request's deadline: a database that stops answering costs a client a 503 with
`Retry-After` once `request_timeout_seconds` have passed, never a hang.

Work in a worker thread cannot be interrupted, so at the deadline the middleware stops waiting
for it and answers 503 itself; the request runs on unseen. So that a 503 never hides a change,
work that had not started by then never starts, and a write still running then rolls back
instead of committing (`check_deadline`, called by readers and the unit of work).
"""

import asyncio
import logging
import math
import time
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import render_problem
from app.problems import ServiceUnavailable

RETRY_AFTER_SECONDS = 1
deadline_var: ContextVar[float] = ContextVar("deadline", default=math.inf)
logger = logging.getLogger("app.deadline")


class DeadlinePassed(ServiceUnavailable):
    def __init__(self) -> None:
        super().__init__(
            "The database did not answer in time; retry the request.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


def check_deadline() -> None:
    """Refuse to start (or to commit) the request's work once its answer has been given up on."""
    if time.monotonic() > deadline_var.get():
        raise DeadlinePassed()


class DeadlineMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._abandoned: set[asyncio.Task[None]] = set()  # held, or they may be collected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answering = True  # until the deadline passes with nothing sent
        started = False

        async def send_while_answering(message: Message) -> None:
            nonlocal started
            if answering:
                started = True
                await send(message)

        token = deadline_var.set(time.monotonic() + self.seconds)
        try:  # the task copies the context, deadline included
            task = asyncio.ensure_future(self.app(scope, receive, send_while_answering))
        finally:
            deadline_var.reset(token)
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if done or started:  # a response under way (streaming) is let finish
            await task
            return
        answering = False
        self._abandon(task)
        await render_problem(DeadlinePassed(), scope["path"])(scope, receive, send)

    def _abandon(self, task: "asyncio.Task[None]") -> None:
        self._abandoned.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: "asyncio.Task[None]") -> None:
        self._abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("a request given up on at its deadline failed afterwards")
