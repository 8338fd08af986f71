"""Entity tags: a strong tag over a public representation, and the preconditions on them."""

import hashlib

from pydantic import BaseModel

from app.problems import PreconditionFailed


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


def require_current(if_match: str | None, current: BaseModel) -> None:
    """Refuse (412) a change made from a representation other than the current one."""
    if if_match is None or if_match.strip() == "*":
        return
    # Weak tags never match under the strong comparison that RFC 9110 requires for If-Match.
    offered = {tag.strip() for tag in if_match.split(",")}
    if etag_for(current) not in offered:
        raise PreconditionFailed(
            "The resource has changed since it was read; fetch it again and retry."
        )
