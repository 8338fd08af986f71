"""Rendered responses kept in the database, so every server process shares them."""

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, Uuid
from sqlmodel import Field, SQLModel

from app.models.common import OrganisationOwned, UTCDateTime, utcnow


class RenderedResponse(SQLModel, OrganisationOwned, table=True):
    """The last rendering of a costly read (a chart, a scorecard, one measure's status) and the
    version it shows. A rendering made at an older organisation revision, or of an older series
    of its measure, can never be served again: housekeeping deletes it."""

    __tablename__ = "rendered_response"

    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", primary_key=True)
    cache_key: str = Field(max_length=200, primary_key=True)
    version: str = Field(max_length=40)
    body: bytes = Field(sa_type=LargeBinary)
    rendered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revision: int = Field(description="The organisation's revision it was rendered at")
    # Set on renderings of one measure (charts, statuses), which go with the measure.
    measure_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(Uuid, ForeignKey("measure.id", ondelete="CASCADE"), index=True),
    )
    data_revision: int | None = Field(default=None, description="The measure's, if of one")
