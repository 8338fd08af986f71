"""The steps every change shares: load what it changes, validate links, merge a patch, audit.

The request's unit of work commits (`app.api.unit_of_work`); nothing here does."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import record_change
from app.etag import require_current
from app.models.audit import AuditAction
from app.models.common import TenantRow, utcnow
from app.principal import Principal
from app.problems import Conflict, RuleBroken, counted, field_error, listed
from app.tenancy import get_owned

Row = TypeVar("Row", bound=TenantRow)
Public = TypeVar("Public", bound=BaseModel)
Create = TypeVar("Create", bound=BaseModel)


def current(
    session: Session,
    model: type[Row],
    row_id: uuid.UUID,
    if_match: str | None,
    to_public: Callable[[Row], Public],
) -> tuple[Row, Public]:
    """The row to change, held until commit, and its representation, which must still be the
    one the client read (`If-Match`): checked on the held row, so exactly one of concurrent
    writers with the same tag wins."""
    row = get_owned(session, model, row_id, lock=True)
    public = to_public(row)
    require_current(if_match, public)
    return row, public


def require_owned(session: Session, model: type[TenantRow], links: dict[str, uuid.UUID]) -> None:
    """Refuse (422) links, keyed by their field, to rows missing or of another organisation."""
    if not links:
        return
    found = set(
        session.exec(
            select(model.id).where(model.id.in_(links.values()))  # type: ignore[attr-defined]
        ).all()
    )
    errors = [
        field_error(f"body.{field}", f"{_label(model)} {link_id} does not exist")
        for field, link_id in links.items()
        if link_id not in found
    ]
    if errors:
        raise RuleBroken(f"Links to {_label(model)}s that do not exist", errors=errors)


def each(field: str, ids: Sequence[uuid.UUID], suffix: str = "") -> dict[str, uuid.UUID]:
    """A list field's ids keyed by their position, for `require_owned`; duplicates refused."""
    if len(set(ids)) != len(ids):
        raise RuleBroken(
            f"{field} names the same resource twice",
            errors=[field_error(f"body.{field}", "duplicate ids")],
        )
    return {f"{field}.{index}{suffix}": link_id for index, link_id in enumerate(ids)}


SHOWN_REFERRERS = 10  # ids named for each kind of referrer; the rest are counted


@dataclass(frozen=True)
class Referrers:
    """The resources of one kind that link to a row: how many, and the first few ids."""

    model: type[TenantRow]
    total: int
    ids: list[uuid.UUID]

    def __str__(self) -> str:
        return f"{counted(self.total, _label(self.model))} ({listed(self.ids, self.total)})"

    def public(self) -> dict[str, Any]:
        return {"resource_type": self.model.__tablename__, "total": self.total, "ids": self.ids}


def refuse_if_referenced(
    session: Session,
    row: TenantRow,
    referrers: dict[type[TenantRow], SelectOfScalar[Any]],
    *,
    remedy: str,
) -> None:
    """409 naming what still links to `row` (for each kind of referrer, a query of their ids),
    in the detail and as `referrers`; `remedy` tells the caller what to do instead."""
    found = [
        kind
        for model, query in referrers.items()
        if (kind := _referrers(session, model, query)).total
    ]
    if found:
        raise Conflict(
            f"{_capitalised(_label(type(row)))} {row.id} is still linked from "
            f"{_and([str(kind) for kind in found])}; {remedy}.",
            extensions={"referrers": [kind.public() for kind in found]},
        )


def _referrers(session: Session, model: type[TenantRow], query: SelectOfScalar[Any]) -> Referrers:
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    shown = query.order_by(*query.selected_columns).limit(SHOWN_REFERRERS)
    return Referrers(model, total, list(session.exec(shown).all()) if total else [])


def _and(parts: list[str]) -> str:
    return f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]


def merge_patch(create_model: type[Create], current: BaseModel, patch: BaseModel) -> Create:
    """The full, validated state after a PATCH: cross-field rules see the merged result."""
    state = current.model_dump(include=set(create_model.model_fields))
    state.update(patch.model_dump(exclude_unset=True))
    try:
        return create_model.model_validate(state)
    except ValidationError as exc:
        errors = [
            field_error(".".join(["body", *map(str, e["loc"])]), e["msg"], e["type"])
            for e in exc.errors()
        ]
        raise RuleBroken("The change would leave the resource invalid", errors=errors) from exc


def save_created(
    session: Session, principal: Principal, row: Row, to_public: Callable[[Row], Public]
) -> Public:
    session.add(row)
    session.flush()
    public = to_public(row)
    _audit(session, principal, AuditAction.CREATE, row, None, public)
    return public


def save_updated(
    session: Session,
    principal: Principal,
    row: Row,
    before: Public,
    to_public: Callable[[Row], Public],
) -> Public:
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    after = to_public(row)
    _audit(session, principal, AuditAction.UPDATE, row, before, after)
    return after


def save_deleted(session: Session, principal: Principal, row: TenantRow, before: BaseModel) -> None:
    _audit(session, principal, AuditAction.DELETE, row, before, None)
    session.delete(row)
    session.flush()


def _audit(
    session: Session,
    principal: Principal,
    action: AuditAction,
    row: TenantRow,
    before: BaseModel | None,
    after: BaseModel | None,
) -> None:
    record_change(
        session,
        organisation_id=row.organisation_id,
        principal=principal,
        action=action,
        resource_type=str(row.__tablename__),
        resource_id=row.id,
        before=before,
        after=after,
    )


def _label(model: type[Any]) -> str:
    return str(model.__tablename__).replace("_", " ").replace("pdsa", "PDSA")


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]  # not str.capitalize, which lowers "PDSA"


Link = TypeVar("Link")
Key = TypeVar("Key")


def relink(
    current: Sequence[Link],
    wanted: Sequence[Key],
    key: Callable[[Link], Key],
    make: Callable[[Key], Link],
) -> list[Link]:
    """The wanted links, reusing the rows that already exist (so none is deleted and re-added)."""
    existing = {key(link): link for link in current}
    return [existing.get(wanted_key) or make(wanted_key) for wanted_key in wanted]
