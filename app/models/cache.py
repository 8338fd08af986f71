"""Rendered responses kept in the database, so every server process shares them."""

import uuid
from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from app.models.common import UTCDateTime, utcnow


class RenderedResponse(SQLModel, table=True):
    """The last rendering of a costly read (a chart, a scorecard) and the version it shows."""

    __tablename__ = "rendered_response"

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", primary_key=True)
    cache_key: str = Field(max_length=200, primary_key=True)
    version: str = Field(max_length=40)
    body: bytes = Field(sa_type=LargeBinary)
    rendered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
