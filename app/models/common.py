"""Column types and mixins shared by every table."""

import re
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    AllowInfNan,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError
from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from app.problems import RULE_BROKEN

# Named constraints make migrations portable. Every table module imports this one first.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every database (SQLite stores no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # most are: `utcnow`'s (a bulk has thousands)
            return value
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_8601_only(value: object) -> object:
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("must be an ISO 8601 date, YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("must be an ISO 8601 date, YYYY-MM-DD, not a number")
    return value


# Dates are read only in ISO 8601: never as timestamps, never guessed day-first or month-first.
IsoDate = Annotated[date, BeforeValidator(_iso_8601_only)]


ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _iso_8601_date_time_only(value: object) -> object:
    if not (isinstance(value, str) and ISO_DATE_TIME.match(value)):
        raise ValueError(
            "must be an ISO 8601 date and time with its offset, e.g. 2026-03-02T09:00Z"
        )
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is a year before the first
        raise ValueError("is out of range: in UTC it falls outside years 1 to 9999") from None


# Likewise an instant: never a number taken for a Unix time; compared in UTC.
IsoDateTime = Annotated[
    AwareDatetime, BeforeValidator(_iso_8601_date_time_only), AfterValidator(_in_utc)
]


NUL = "\x00"
NO_NUL = "must not contain the NUL character (U+0000): no stored text can hold it"
# What the OpenAPI document says of every text field: no NUL anywhere (an ECMA-262 pattern).
NUL_FREE = "^[^\\x00]*$"


def _without_nul(text: str) -> str:
    if NUL in text:
        raise ValueError(NO_NUL)
    return text


# Text in a query (a filter): held to the same rule as text in a body.
FilterText = Annotated[
    str, AfterValidator(_without_nul), WithJsonSchema({"type": "string", "pattern": NUL_FREE})
]


def integral_float_as_int(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# Numbers as JSON Schema means them (what the OpenAPI document promises): 200.0 is the whole
# number 200, so it is taken as one; strings and booleans are still refused.
# Bounds of an optional one go before the validator, or the document shows them as `ge`/`le`
# (which JSON Schema does not know) rather than `minimum`/`maximum`.
WholeNumber = Annotated[StrictInt, BeforeValidator(integral_float_as_int)]
# A list of ids names each resource once (the schema says so; the services check it).
UNIQUE_ITEMS: dict[str, Any] = {"json_schema_extra": {"uniqueItems": True}}
# An entry of a list of short texts (a project's team, a cycle's questions).
ListedText = Annotated[StrictStr, StringConstraints(min_length=1, max_length=500)]
# NaN and the infinities (JSON's `NaN`, `Infinity`, and `1e999`) have no place in a threshold.
FiniteNumber = Annotated[StrictFloat, AllowInfNan(False)]


def broken_rule(message: str) -> PydanticCustomError:
    """What a validator raises for a rule across fields, which the schema cannot state: the
    problem rendered is then `rule-broken`, not `validation-error` (`app.problems`)."""
    return PydanticCustomError(RULE_BROKEN, message)


def not_before(start_field: str, end: date | None, info: ValidationInfo) -> date | None:
    """For a field validator on an end date: refuse an end before its start, naming the end."""
    start = info.data.get(start_field)
    if start is not None and end is not None and end < start:
        raise broken_rule(f"is before {start_field} ({start})")
    return end


def enum_type(enum: type[StrEnum]) -> Enum:
    """Store an enum by its value in a plain string column: portable, and new values need no DDL."""
    return Enum(
        enum,
        native_enum=False,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def _say_no_nul(schema: dict[str, Any]) -> None:
    """The document says what `InputModel` refuses: no text field holds a NUL."""
    for field in schema.get("properties", {}).values():
        _nul_free(field)


def _nul_free(node: dict[str, Any]) -> None:
    if node.get("type") == "string" and not {"pattern", "format", "enum"} & node.keys():
        node["pattern"] = NUL_FREE
    for branch in node.get("anyOf", []):
        _nul_free(branch)
    if isinstance(node.get("items"), dict):
        _nul_free(node["items"])


class InputModel(SQLModel):
    """Request bodies: unknown fields are refused so a typo never silently drops data."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_say_no_nul)  # type: ignore[assignment]

    @field_validator("*")
    @classmethod
    def _holds_no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and NUL in text for text in texts):
            raise ValueError(NO_NUL)
        return value

    @field_validator("*")
    @classmethod
    def _names_each_once(cls, value: object, info: ValidationInfo) -> object:
        """What `UNIQUE_ITEMS` says in the schema, checked with the rest of the body."""
        extra = cls.model_fields[str(info.field_name)].json_schema_extra
        unique = isinstance(extra, dict) and extra.get("uniqueItems")
        if unique and isinstance(value, list) and len(set(value)) != len(value):
            raise ValueError("names the same resource twice")
        return value


class OrganisationOwned:
    """Marks a table whose rows one organisation owns (by its `organisation_id`): every query
    of it is scoped to the organisation the session acts for (`app.tenancy`)."""


class TenantRow(SQLModel, OrganisationOwned):
    """Identity, ownership and timestamps of every organisation-owned entity."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PublicRow(SQLModel):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime


M = TypeVar("M", bound=SQLModel)


def partial_model(model: type[M], name: str) -> type[M]:
    """The PATCH variant of a create model: every field optional, none newly nullable.

    An omitted field is left alone; an explicit null is only accepted where the create model
    accepts it, so `{"title": null}` is a 422 rather than a database error.
    """
    fields: dict[str, Any] = {
        field_name: (info.annotation, _optional(info))
        for field_name, info in model.model_fields.items()
    }
    return create_model(name, __base__=model, **fields)


def _optional(info: FieldInfo) -> FieldInfo:
    optional = FieldInfo.merge_field_infos(info, default=None)
    optional.default_factory = None
    return optional
