"""Strategic goals, each framed as promises to service users (column 1 of the matrix)."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import StrictStr
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.models.common import InputModel, IsoDate, PublicRow, TenantRow, enum_type, partial_model


class GoalStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ACHIEVED = "achieved"
    RETIRED = "retired"


class Promise(InputModel):
    user_need: StrictStr = Field(
        min_length=1,
        max_length=500,
        schema_extra={"examples": ["I want to be involved in my own care planning"]},
    )
    promise: StrictStr = Field(
        min_length=1,
        max_length=500,
        schema_extra={"examples": ["Your care plan will be signed by you"]},
    )


class GoalBase(SQLModel):
    title: StrictStr = Field(
        min_length=1,
        max_length=200,
        schema_extra={"examples": ["Care planned with people, not for them"]},
    )
    description: StrictStr = Field(default="", max_length=5000)
    status: GoalStatus = Field(default=GoalStatus.DRAFT, sa_type=enum_type(GoalStatus))
    owner: StrictStr | None = Field(
        default=None, max_length=200, schema_extra={"examples": ["Director of Nursing"]}
    )
    review_date: IsoDate | None = Field(default=None, schema_extra={"examples": ["2027-03-31"]})


class Goal(GoalBase, TenantRow, table=True):
    __tablename__ = "goal"

    promises: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)


class GoalCreate(GoalBase, InputModel):
    promises: list[Promise] = Field(default_factory=list, max_length=50)


if TYPE_CHECKING:
    GoalUpdate = GoalCreate
else:
    GoalUpdate = partial_model(GoalCreate, "GoalUpdate")


class GoalPublic(GoalBase, PublicRow):
    promises: list[Promise]
