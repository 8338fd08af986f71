import uuid

from fastapi import Response, status
from sqlmodel import Session

from app.api import api_router
from app.api.auth import Admin
from app.api.deps import ApiKeyDep
from app.api.params import Paging
from app.api.sessions import SessionDep
from app.api.unit_of_work import AdminPosts, AdminWrites
from app.models.organisation import ApiKeyCreate, ApiKeyIssued, ApiKeyPublic
from app.pagination import Page
from app.principal import Principal
from app.services import keys

router = api_router("/keys", tag="API keys")


@router.get("", summary="List the organisation's API keys")
def list_keys(
    _: Admin, session: SessionDep, paging: Paging, include_revoked: bool = False
) -> Page[ApiKeyPublic]:
    return keys.list_keys(session, paging, include_revoked)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyIssued,
    summary="Issue an API key (its secret is shown in this response only)",
)
async def create_key(write: AdminPosts, data: ApiKeyCreate) -> Response:
    # The secret must not be kept anywhere: not in a cache, not with the Idempotency-Key.
    return await write(_issue_key, data, secret=True)


def _issue_key(session: Session, principal: Principal, data: ApiKeyCreate) -> ApiKeyIssued:
    return keys.create_key(session, principal, principal.organisation_id, data)


@router.get("/{key_id}", summary="Read an API key (never its secret)")
def read_key(_: Admin, key: ApiKeyDep) -> ApiKeyPublic:
    return keys.key_public(key)


@router.delete("/{key_id}", response_model=ApiKeyPublic, summary="Revoke an API key")
async def revoke_key(write: AdminWrites, key_id: uuid.UUID) -> Response:
    return await write(keys.revoke_key, key_id)
