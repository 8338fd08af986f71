"""Organisations (the tenants) and the API keys that act for them."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import StrictStr
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.models.common import InputModel, PublicRow, TenantRow, UTCDateTime, utcnow


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=200)
    cycle_overdue_days: int = Field(default=14)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKeyBase(SQLModel):
    name: StrictStr = Field(min_length=1, max_length=100, schema_extra={"examples": ["dashboard"]})
    scopes: list[Scope] = Field(
        min_length=1, sa_type=JSON, schema_extra={"examples": [["read", "write"]]}
    )


class ApiKey(ApiKeyBase, TenantRow, table=True):
    __tablename__ = "api_key"

    prefix: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64, unique=True)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiKeyCreate(ApiKeyBase, InputModel):
    pass


class ApiKeyPublic(ApiKeyBase, PublicRow):
    organisation_id: uuid.UUID
    prefix: str = Field(description="The first characters of the key, to recognise it by")
    revoked_at: datetime | None


class ApiKeyIssued(ApiKeyPublic):
    """Returned once, at creation: the only time the secret is ever shown."""

    key: str


class OrganisationPublic(SQLModel):
    id: uuid.UUID
    name: str
    cycle_overdue_days: int
    created_at: datetime
