"""Idempotency-Key on POST: the same key and body replay the stored answer.

The key is claimed (a pending record) in the transaction of the change it guards, and the
answer is stored against the claim in that same transaction (`app.api.unit_of_work`), so
the claim, the change and the answer commit together or not at all: a retry either replays
the answer or runs afresh, and never meets a claim left pending by a request that failed. A
concurrent duplicate meets the uncommitted claim and gets a retryable 409 rather than writing
twice. An answer holding a secret shown once (a new API key) is not kept. Records live in the
database, so they hold across server processes; they lapse after 24 hours (housekeeping
deletes them) and are scoped to the API key that sent them.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NoReturn

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from app.db import insert_ignoring_conflicts
from app.models.common import utcnow
from app.models.idempotency import IdempotencyRecord, IdempotencyState
from app.principal import Principal
from app.problems import Conflict, RuleBroken, field_error

LIFETIME = timedelta(hours=24)
_KEY = ("api_key_id", "key")
_ID = (col(IdempotencyRecord.id),)


@dataclass(frozen=True)
class Answer:
    """A response as it is stored and replayed."""

    status_code: int
    body: bytes
    media_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    secret: bool = False  # shown once: never stored


class Replay(Exception):
    """The request was answered before: send `answer` again, changing nothing."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer


# The parts of a request its fingerprint digests one by one, as a refusal names them.
FINGERPRINTED = ("method or path", "Content-Type", "body")
# Each part's digest is cut to 20 hex digits (80 bits: no two requests a client sends under
# one key will share one by chance), so three and their separators fit the 64-character column.
_DIGITS = 20


def fingerprint(method: str, path: str, content_type: str, body: bytes) -> str:
    """The request's parts, each digested on its own, so that a key reused for another request
    can be told which part differed."""
    parts = (f"{method} {path}".encode(), content_type.encode(), body)
    return ":".join(hashlib.sha256(part).hexdigest()[:_DIGITS] for part in parts)


def claim(
    session: Session, principal: Principal, idempotency_key: str, fingerprint: str
) -> uuid.UUID:
    """Claim the key for this request (a pending record that commits with the change), or
    refuse: replay the stored answer (`Replay`), or 409 while the first request runs.

    One statement when the key is new. A concurrent first request's claim, uncommitted, makes
    PostgreSQL wait for it to end (then the answer it stored is replayed); SQLite's writers take
    turns, so the first has always ended."""
    now = utcnow()
    claimed: uuid.UUID | None = session.execute(
        insert_ignoring_conflicts(session, IdempotencyRecord, _KEY, _ID),
        {
            "id": uuid.uuid4(),
            "organisation_id": principal.organisation_id,
            "api_key_id": principal.key_id,
            "key": idempotency_key,
            "fingerprint": fingerprint,
            "state": IdempotencyState.PENDING,
            "created_at": now,
            "expires_at": now + LIFETIME,
        },
    ).scalar()
    if claimed is not None:
        return claimed
    record = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == principal.key_id,
            IdempotencyRecord.key == idempotency_key,
        )
    ).one()
    if record.expires_at <= now:  # lapsed, not yet swept: the key is free again
        session.delete(record)
        session.flush()
        return claim(session, principal, idempotency_key, fingerprint)
    return _answer_existing(record, fingerprint)


# Built once: building the statement costs more than running it.
_COMPLETE = (
    update(IdempotencyRecord)
    .where(col(IdempotencyRecord.id) == bindparam("claimed"))
    .values(
        state=IdempotencyState.COMPLETED,
        status_code=bindparam("status_code"),
        media_type=bindparam("media_type"),
        body=bindparam("body"),
        location=bindparam("location"),
        etag=bindparam("etag"),
    )
    .execution_options(synchronize_session=False)  # the record is not loaded
)


def complete(session: Session, claimed: uuid.UUID, answer: Answer) -> None:
    """Store the answer to replay against the claim (its body only if it holds no secret)."""
    session.execute(
        _COMPLETE,
        {
            "claimed": claimed,
            "status_code": answer.status_code,
            "media_type": answer.media_type,
            "body": None if answer.secret else answer.body,
            "location": answer.headers.get("Location"),
            "etag": answer.headers.get("ETag"),
        },
    )


def _answer_existing(record: IdempotencyRecord, fingerprint: str) -> NoReturn:
    if record.fingerprint != fingerprint:
        raise _reused(_differences(record.fingerprint, fingerprint))
    if record.state is IdempotencyState.PENDING:
        raise _in_progress()
    if record.body is None:
        raise Conflict(
            "The request with this Idempotency-Key succeeded, but its answer held a secret that "
            "is shown only once and was not kept."
        )
    headers = {
        name: value
        for name, value in (("Location", record.location), ("ETag", record.etag))
        if value
    }
    raise Replay(Answer(record.status_code or 200, record.body, record.media_type, headers))


def _differences(stored: str, sent: str) -> list[str]:
    """The parts in which two requests differ; none named for a fingerprint stored before
    fingerprints had parts (one digest of the whole)."""
    was, now = stored.split(":"), sent.split(":")
    if len(was) != len(now):
        return []
    return [part for part, old, new in zip(FINGERPRINTED, was, now, strict=True) if old != new]


def _reused(differences: list[str]) -> RuleBroken:
    what = " and ".join(f"a different {part}" for part in differences) or "a different request"
    return RuleBroken(
        f"This Idempotency-Key was first used with {what}: a key stands for one request, so "
        "send this one with a new key.",
        errors=[field_error("header.idempotency-key", f"was first used with {what}")],
    )


def _in_progress() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is in progress; retry shortly.",
        headers={"Retry-After": "1"},
    )
