import uuid
from typing import Annotated

from fastapi import Query

from app.api import api_router
from app.api.auth import Admin
from app.api.params import Paging
from app.api.sessions import SessionDep
from app.models.audit import AuditAction, AuditEntryPublic
from app.models.common import FilterText, IsoDateTime
from app.pagination import Page
from app.services.audit_log import list_audit

router = api_router("/audit", tag="audit")


@router.get("", summary="The audit trail, newest first")
def read_audit(
    _: Admin,
    session: SessionDep,
    paging: Paging,
    resource_type: Annotated[FilterText | None, Query(max_length=50, examples=["goal"])] = None,
    resource_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
    api_key_id: uuid.UUID | None = None,
    since: Annotated[IsoDateTime | None, Query(description="Inclusive, ISO 8601")] = None,
    until: Annotated[IsoDateTime | None, Query(description="Exclusive, ISO 8601")] = None,
) -> Page[AuditEntryPublic]:
    return list_audit(
        session,
        paging,
        resource_type=resource_type,
        resource_id=resource_id,
        action=action,
        api_key_id=api_key_id,
        since=since,
        until=until,
    )
