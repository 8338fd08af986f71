"""The API key dependencies of read routes: who is calling, and with which scope.

Writes authenticate inside their unit of work instead (`app.api.unit_of_work`), on the
connection and in the transaction that writes.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.api.sessions import SessionDep
from app.models.organisation import Scope
from app.principal import Principal, principal_for, require
from app.problems import Unauthorized
from app.tenancy import act_for

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <api key>`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


HOW_TO_SEND = "`Authorization: Bearer <key>` (or `X-API-Key: <key>`)"


async def api_key_secret(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_api_key_header)],
) -> str:
    """The key the caller sent (no I/O, so FastAPI runs this without a worker thread)."""
    secret = bearer.credentials if bearer else header_key
    if secret:
        return secret
    if "authorization" in request.headers:  # a key without `Bearer `, or another scheme
        raise Unauthorized(f"Send the key as {HOW_TO_SEND}.")
    raise Unauthorized(f"An API key is required: send it as {HOW_TO_SEND}.")


ApiKeySecret = Annotated[str, Depends(api_key_secret)]


def authenticate(session: SessionDep, secret: ApiKeySecret) -> Principal:
    """The caller, for whom the request's session then acts (see `app.tenancy`)."""
    return act_for(session, principal_for(session, secret))


Authenticated = Annotated[Principal, Depends(authenticate)]


def _require(scope: Scope) -> object:
    # async: no I/O here, so FastAPI need not hop to a worker thread to run it.
    async def check(principal: Authenticated) -> Principal:
        return require(principal, scope)

    return Depends(check)


Reader = Annotated[Principal, _require(Scope.READ)]
Admin = Annotated[Principal, _require(Scope.ADMIN)]
