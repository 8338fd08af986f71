"""Per-request identifiers, readable anywhere (logs, problem details, the audit trail)."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()
