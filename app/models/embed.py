"""Embeddable links to a chart picture: an `<img>` cannot send an API key, so a key mints a
signed, expiring URL that stands for it (`app.embeds`)."""

from datetime import datetime
from typing import Literal

from sqlmodel import Field, SQLModel

from app.models.common import InputModel, WholeNumber

MAX_DAYS = 30


class ChartLinkCreate(InputModel):
    format: Literal["svg", "png"] = "svg"
    expires_in_days: WholeNumber = Field(default=7, ge=1, le=MAX_DAYS)
    width: WholeNumber = Field(default=960, ge=320, le=3200)
    height: WholeNumber = Field(default=540, ge=200, le=2400)
    two_sigma: bool = False


class ChartLinkPublic(SQLModel):
    url: str = Field(description="Needs no key: put it in an `<img src>`.")
    expires_at: datetime
