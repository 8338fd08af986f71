"""Parameters many routes share: paging, and the entity-tag headers."""

from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query, Response
from pydantic import BaseModel

from app.etag import etag_for
from app.pagination import MAX_OFFSET, MAX_PAGE_SIZE, PageParams

P = TypeVar("P", bound=BaseModel)

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="Refuse the change (412) unless the resource still has this ETag.",
    ),
]

IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="Answer 304 with no body if the representation still has this ETag.",
    ),
]


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Paging = Annotated[PageParams, Depends(page_params)]


def with_etag(response: Response, public: P) -> P:
    response.headers["ETag"] = etag_for(public)
    return public
