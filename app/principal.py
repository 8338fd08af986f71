"""Who is calling: API keys (random secrets shown once, stored as SHA-256 hashes, scoped and
revocable) and the principal a key acts as.

A key is 32 random bytes, so a fast hash is enough: there is nothing to brute-force that a
slow hash would protect.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.db import AnyRow
from app.models.organisation import ApiKey, Scope
from app.problems import Forbidden, Unauthorized

KEY_PREFIX = "pdsa_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key and the one organisation it acts for."""

    key_id: uuid.UUID
    organisation_id: uuid.UUID
    scopes: frozenset[Scope]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def issue_key(
    session: Session,
    organisation_id: uuid.UUID,
    name: str,
    scopes: list[Scope],
    secret: str | None = None,
) -> tuple[ApiKey, str]:
    """Add a key to the session and return it with its secret (which is never stored)."""
    secret = secret or new_secret()
    key = ApiKey(
        organisation_id=organisation_id,
        name=name,
        scopes=sorted(set(scopes)),
        prefix=secret[: len(KEY_PREFIX) + 6],
        secret_hash=hash_secret(secret),
    )
    session.add(key)
    return key, secret


KEY_COLUMNS = (
    col(ApiKey.id),
    col(ApiKey.organisation_id),
    col(ApiKey.scopes),
    col(ApiKey.revoked_at),
)
_KEY_BY_HASH = select(*KEY_COLUMNS).where(col(ApiKey.secret_hash) == bindparam("secret_hash"))


def principal_for(session: Session, secret: str) -> Principal:
    # Core, not the ORM: every request makes this query, a plain row is all it needs, and it is
    # the query that finds out which organisation the session acts for.
    statement, parameters = _KEY_BY_HASH, {"secret_hash": hash_secret(secret)}
    return principal_from(session.connection().execute(statement, parameters).first())


def principal_from(key: AnyRow | None) -> Principal:
    """The caller, from a row holding the `KEY_COLUMNS` of their key (None: no such key)."""
    if key is None or key.revoked_at is not None:
        raise Unauthorized("The API key is not valid or has been revoked.")
    return Principal(key.id, key.organisation_id, frozenset(Scope(s) for s in key.scopes))


def require(principal: Principal, scope: Scope) -> Principal:
    if scope not in principal.scopes:
        raise Forbidden(f"This API key lacks the `{scope}` scope.")
    return principal
