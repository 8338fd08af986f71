"""Pure ASGI middleware: request ids, an access log line, and the request-body bound."""

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.context import correlation_id_var, request_id_var
from app.errors import internal_error, render_problem
from app.problems import PayloadTooLarge

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.errors")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


class RequestContextMiddleware:
    """Echo `X-Request-ID` (or mint one) and `X-Correlation-ID`, and log each request once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, b"x-request-id") or str(uuid.uuid4())
        correlation_id = _header(scope, b"x-correlation-id")
        request_token = request_id_var.set(request_id)
        correlation_token = correlation_id_var.set(correlation_id)
        started = time.perf_counter()
        status, status_sent = 500, False

        async def send_with_ids(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                if correlation_id:
                    headers["X-Correlation-ID"] = correlation_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        except Exception:
            # Answered here, not by Starlette's outermost handler, so that even a 500 carries
            # the request id in its body, its header and its log line.
            if status_sent:
                raise
            await _internal_error(scope, receive, send_with_ids)
        finally:
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": scope["query_string"].decode("latin-1"),
                    "client": (scope.get("client") or ("", 0))[0],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(request_token)
            correlation_id_var.reset(correlation_token)


async def _internal_error(scope: Scope, receive: Receive, send: Send) -> None:
    error_log.exception("unhandled error")
    await internal_error(scope["path"])(scope, receive, send)


class BodyLimitMiddleware:
    """Refuse (413) request bodies above a bound, declared or not, before the app reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        messages = await self._buffer(receive)
        if messages is None:
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _buffer(self, receive: Receive) -> list[Message] | None:
        """The body's messages, or None once they pass the bound (chunked uploads)."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None
            if message["type"] != "http.request" or not message.get("more_body"):
                return messages

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = PayloadTooLarge(f"Request bodies are limited to {self.max_bytes} bytes")
        await render_problem(problem, scope["path"])(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = iter(messages)

    async def replayed() -> Message:
        return next(pending, None) or await receive()

    return replayed
