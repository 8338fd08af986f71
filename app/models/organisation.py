"""Organisations (the tenants) and the API keys that act for them."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import StrictStr
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.models.common import (
    InputModel,
    PublicRow,
    TenantRow,
    UTCDateTime,
    WholeNumber,
    partial_model,
    utcnow,
)


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


class OrganisationBase(SQLModel):
    name: StrictStr = Field(
        min_length=1, max_length=200, schema_extra={"examples": ["Northshire Hospitals NHS Trust"]}
    )
    cycle_overdue_days: WholeNumber = Field(
        default=14,
        ge=0,
        le=365,
        description="Days after its planned end that an open PDSA cycle is reported overdue.",
    )


class Organisation(OrganisationBase, table=True):
    __tablename__ = "organisation"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Bumped by every write in the organisation but those of measurement data alone (see
    # `app.revisions`): cached reads are versioned by it, so none lists what it depends on.
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class OrganisationSettings(OrganisationBase, InputModel):
    pass


if TYPE_CHECKING:
    OrganisationUpdate = OrganisationSettings
else:
    OrganisationUpdate = partial_model(OrganisationSettings, "OrganisationUpdate")


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


class OrganisationPublic(OrganisationBase):
    id: uuid.UUID
    created_at: datetime
