"""Stored responses of POSTs sent with an Idempotency-Key, so a retry never writes twice."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import OrganisationOwned, UTCDateTime, enum_type, utcnow


class IdempotencyState(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"


class IdempotencyRecord(SQLModel, OrganisationOwned, table=True):
    __tablename__ = "idempotency_record"
    # Scoped to the API key, not just the organisation: another key (with other scopes) must
    # never be handed this key's answer.
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    api_key_id: uuid.UUID = Field(foreign_key="api_key.id")
    key: str = Field(max_length=255)
    fingerprint: str = Field(max_length=64)
    state: IdempotencyState = Field(sa_type=enum_type(IdempotencyState))
    status_code: int | None = None
    media_type: str | None = Field(default=None, max_length=100)
    body: bytes | None = Field(
        default=None,
        sa_type=LargeBinary,
        description="None for answers marked no-store (they hold a secret shown only once).",
    )
    location: str | None = Field(default=None, max_length=500)
    etag: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
