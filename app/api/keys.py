from fastapi import Response, status

from app.api import api_router
from app.api.deps import ApiKeyDep
from app.auth import Admin
from app.db import SessionDep
from app.models.organisation import ApiKeyCreate, ApiKeyIssued, ApiKeyPublic
from app.pagination import Page, Paging
from app.services import keys

router = api_router("/keys", tag="API keys")


@router.get("", summary="List the organisation's API keys")
def list_keys(
    principal: Admin, session: SessionDep, paging: Paging, include_revoked: bool = False
) -> Page[ApiKeyPublic]:
    return keys.list_keys(session, principal, paging, include_revoked)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API key (its secret is shown in this response only)",
)
def create_key(
    principal: Admin, session: SessionDep, data: ApiKeyCreate, response: Response
) -> ApiKeyIssued:
    response.headers["Cache-Control"] = "no-store"  # the secret must not be kept anywhere
    return keys.create_key(session, principal, principal.organisation_id, data)


@router.get("/{key_id}", summary="Read an API key (never its secret)")
def read_key(_: Admin, key: ApiKeyDep) -> ApiKeyPublic:
    return keys.key_public(key)


@router.delete("/{key_id}", summary="Revoke an API key")
def revoke_key(principal: Admin, session: SessionDep, key: ApiKeyDep) -> ApiKeyPublic:
    return keys.revoke_key(session, principal, key)
