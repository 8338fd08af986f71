"""Reading the audit trail."""

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from app.models.audit import AuditAction, AuditEntry, AuditEntryPublic
from app.pagination import Page, PageParams, fetch_page


def list_audit(
    session: Session,
    paging: PageParams,
    *,
    resource_type: str | None = None,
    resource_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
    api_key_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditEntryPublic]:
    query = select(AuditEntry)
    for column, value in (
        (AuditEntry.resource_type, resource_type),
        (AuditEntry.resource_id, resource_id),
        (AuditEntry.action, action),
        (AuditEntry.api_key_id, api_key_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEntry.occurred_at < until)
    return fetch_page(
        session,
        query,
        paging,
        AuditEntryPublic.model_validate,
        col(AuditEntry.occurred_at).desc(),
        col(AuditEntry.id).desc(),
    )
