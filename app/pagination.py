"""Offset pagination in a stable order, with documented bounds."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

MAX_PAGE_SIZE = 200

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


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Paging = Annotated[PageParams, Depends(page_params)]


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
