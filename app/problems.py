"""The errors the API answers, as exceptions with an HTTP status: raised anywhere (services
included, which know nothing of HTTP frameworks) and rendered by `app.errors` alone."""

from typing import Any, ClassVar


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


MAX_ERRORS = 100  # a problem lists at most this many errors: a bad body never costs more


class InvalidInput(Problem):
    """A well-formed request whose content is wrong; `errors` names each offending field."""

    status, title, slug = 422, "Invalid input", "validation-error"


class RuleBroken(InvalidInput):
    """A request the OpenAPI document admits that breaks a rule it can only state in words: a
    link to something that does not exist, a period that does not start one of the measure's
    periods, a value of the wrong kind for the measure, an end before its start, one period
    twice in a bulk, a change that would leave the resource inconsistent. Its own `type` tells
    a client that the request is well formed and what it says does not hold."""

    title, slug = "Breaks a rule", "rule-broken"


RULE_BROKEN = "rule_broken"  # the pydantic error type of a validator's rule (`broken_rule`)


def field_error(field: str, message: str, error_type: str = "value_error") -> dict[str, Any]:
    return {"field": field, "message": message, "type": error_type}
