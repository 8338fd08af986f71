"""Entity tags for optimistic concurrency: a strong tag over the public representation."""

import hashlib
from typing import Annotated, TypeVar

from fastapi import Header, Response
from pydantic import BaseModel

from app.errors import PreconditionFailed

P = TypeVar("P", bound=BaseModel)

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Refuse the change (412) unless the resource still has this ETag.",
    ),
]


IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="Answer 304 with no body if the representation still has this ETag.",
    ),
]


def etag_for(public: BaseModel) -> str:
    return _tag(public.model_dump_json().encode())


def fingerprint(*parts: object) -> str:
    """A strong tag over a version vector (its parts' reprs), for representations too costly
    to build just to compare."""
    return _tag(repr(parts).encode())


def _tag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison, as If-None-Match requires."""
    if if_none_match is None:
        return False
    offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in offered or etag in offered


def check_if_match(if_match: str | None, current: BaseModel) -> None:
    if if_match is None or if_match.strip() == "*":
        return
    # Weak tags never match under the strong comparison that RFC 9110 requires for If-Match.
    offered = {tag.strip() for tag in if_match.split(",")}
    if etag_for(current) not in offered:
        raise PreconditionFailed(
            "The resource has changed since it was read; fetch it again and retry."
        )


def with_etag(response: Response, public: P) -> P:
    response.headers["ETag"] = etag_for(public)
    return public
