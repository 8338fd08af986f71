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
from sqlmodel import Session, select

from app.db import SessionDep
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


def authenticate(
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_api_key_header)],
) -> Principal:
    secret = bearer.credentials if bearer else header_key
    if not secret:
        raise Unauthorized("An API key is required: send `Authorization: Bearer <key>`.")
    key = session.exec(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret))).first()
    if key is None or key.revoked_at is not None:
        raise Unauthorized("The API key is not valid or has been revoked.")
    return Principal(key.id, key.organisation_id, frozenset(Scope(s) for s in key.scopes))


Authenticated = Annotated[Principal, Depends(authenticate)]


def _require(scope: Scope) -> object:
    # async: no I/O here, so FastAPI need not hop to a worker thread to run it.
    async def check(principal: Authenticated) -> Principal:
        if scope not in principal.scopes:
            raise Forbidden(f"This API key lacks the `{scope}` scope.")
        return principal

    return Depends(check)


Reader = Annotated[Principal, _require(Scope.READ)]
Writer = Annotated[Principal, _require(Scope.WRITE)]
Admin = Annotated[Principal, _require(Scope.ADMIN)]
