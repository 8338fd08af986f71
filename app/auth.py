"""API keys: random secrets shown once, stored as SHA-256 hashes, scoped and revocable.

A key is 32 random bytes, so a fast hash is enough: there is nothing to brute-force that a
slow hash would protect.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.db import AnyRow, SessionDep
from app.errors import Forbidden, Unauthorized
from app.models.organisation import ApiKey, Scope

KEY_PREFIX = "pdsa_"

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <api key>`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


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


async def api_key_secret(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_api_key_header)],
) -> str:
    """The key the caller sent (no I/O, so FastAPI runs this without a worker thread)."""
    secret = bearer.credentials if bearer else header_key
    if not secret:
        raise Unauthorized("An API key is required: send `Authorization: Bearer <key>`.")
    return secret


ApiKeySecret = Annotated[str, Depends(api_key_secret)]

KEY_COLUMNS = (
    col(ApiKey.id),
    col(ApiKey.organisation_id),
    col(ApiKey.scopes),
    col(ApiKey.revoked_at),
)
_KEY_BY_HASH = select(*KEY_COLUMNS).where(col(ApiKey.secret_hash) == bindparam("secret_hash"))


def principal_for(session: Session, secret: str) -> Principal:
    # Core, not the ORM: every request makes this query, and a plain row is all it needs.
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


def authenticate(session: SessionDep, secret: ApiKeySecret) -> Principal:
    return principal_for(session, secret)


Authenticated = Annotated[Principal, Depends(authenticate)]


def _require(scope: Scope) -> object:
    # async: no I/O here, so FastAPI need not hop to a worker thread to run it.
    async def check(principal: Authenticated) -> Principal:
        return require(principal, scope)

    return Depends(check)


Reader = Annotated[Principal, _require(Scope.READ)]
Writer = Annotated[Principal, _require(Scope.WRITE)]
Admin = Annotated[Principal, _require(Scope.ADMIN)]
