"""The errors the API answers, as exceptions with an HTTP status: raised anywhere (services
included, which know nothing of HTTP frameworks) and rendered by `app.errors` alone."""

from collections.abc import Sequence
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
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extensions = extensions  # RFC 9457's extension members, beside `errors`


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


class UnsupportedMediaType(Problem):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


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


def not_json(reason: str, line: int | None = None, column: int = 1) -> InvalidInput:
    """A body that is not JSON, placed by line and column (a character's offset means nothing
    to someone looking at the text they sent), with the decoder's reason."""
    place = f" at line {line}, column {column}" if line is not None else ""
    message = f"not valid JSON{place}: {reason}"
    return InvalidInput(
        f"The body is {message}.", errors=[field_error("body", message, "json_invalid")]
    )


def counted(count: int, noun: str) -> str:
    """`1 measure`, `2 measures`: the nouns counted in messages all take a plain `s`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def listed(shown: Sequence[object], total: int) -> str:
    """The items shown, then how many of `total` are not: a message stays short however many."""
    text = ", ".join(map(str, shown))
    hidden = total - len(shown)
    return f"{text} and {hidden:,} more" if hidden else text
