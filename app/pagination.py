"""Offset pagination in a stable order (its query parameters: `app.api.params`)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

MAX_PAGE_SIZE = 200
# Deeper pages cost a scan of every row skipped; past this, filter (since, status) instead.
MAX_OFFSET = 1_000_000

T = TypeVar("T")
R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def fetch_page(
    session: Session,
    statement: SelectOfScalar[R],
    paging: PageParams,
    to_public: Callable[[R], T],
    *order_by: Any,
) -> Page[T]:
    """One page of `statement` in the given order, with how many rows match in all."""
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(*order_by).limit(paging.limit).offset(paging.offset))
    return Page(
        items=[to_public(row) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
