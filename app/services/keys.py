"""API key management (admin scope): issue, list, revoke."""

import uuid

from sqlmodel import Session, select

from app.audit import record_change
from app.models.audit import AuditAction
from app.models.common import utcnow
from app.models.organisation import ApiKey, ApiKeyCreate, ApiKeyIssued, ApiKeyPublic
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal, issue_key
from app.revisions import changes_no_cached_read
from app.tenancy import get_owned


def key_public(key: ApiKey) -> ApiKeyPublic:
    return ApiKeyPublic.model_validate(key)


def list_keys(session: Session, paging: PageParams, include_revoked: bool) -> Page[ApiKeyPublic]:
    query = select(ApiKey)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))  # type: ignore[union-attr]
    return fetch_page(session, query, paging, key_public, ApiKey.created_at, ApiKey.id)


def create_key(
    session: Session,
    principal: Principal | None,
    organisation_id: uuid.UUID,
    data: ApiKeyCreate,
    secret: str | None = None,
) -> ApiKeyIssued:
    """Issue a key; `secret` lets an automated deployment choose the first admin key."""
    key, secret = issue_key(session, organisation_id, data.name, data.scopes, secret)
    session.flush()
    public = key_public(key)
    record_change(
        session,
        organisation_id=organisation_id,
        principal=principal,
        action=AuditAction.CREATE,
        resource_type="api_key",
        resource_id=key.id,
        after=public,
    )
    changes_no_cached_read(session)  # keys are checked at every read, never cached in one
    return ApiKeyIssued(**public.model_dump(), key=secret)


def revoke_key(session: Session, principal: Principal | None, key_id: uuid.UUID) -> ApiKeyPublic:
    """Revoking is idempotent; the key row stays so the audit trail can still name it."""
    key = get_owned(session, ApiKey, key_id, lock=True)
    if key.revoked_at is None:
        before = key_public(key)
        key.revoked_at = key.updated_at = utcnow()
        session.add(key)
        record_change(
            session,
            organisation_id=key.organisation_id,
            principal=principal,
            action=AuditAction.REVOKE,
            resource_type="api_key",
            resource_id=key.id,
            before=before,
            after=key_public(key),
        )
    changes_no_cached_read(session)
    return key_public(key)
