"""The append-only audit trail: who changed what, when, and from what to what."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.models.common import OrganisationOwned, UTCDateTime, enum_type, utcnow


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    REVOKE = "revoke"


class AuditEntryBase(SQLModel):
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    api_key_id: uuid.UUID | None = Field(default=None, index=True)
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    resource_type: str = Field(max_length=50)
    resource_id: uuid.UUID = Field(index=True)
    changes: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSON,
        description='Changed fields, each as {"before": ..., "after": ...}.',
    )
    request_id: str | None = Field(default=None, max_length=200)


class AuditEntry(AuditEntryBase, OrganisationOwned, table=True):
    __tablename__ = "audit_entry"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)


class AuditEntryPublic(AuditEntryBase):
    id: uuid.UUID
