"""Tenancy in one place: every ORM query of an organisation's rows is scoped here.

A session acts for one principal (`act_for`), and every SELECT, UPDATE and DELETE the ORM runs
in it (relationship loads included) is restricted to that principal's organisation by
SQLAlchemy's `with_loader_criteria`, its documented recipe for multi-tenancy. A query of a
tenant table in a session that acts for nobody is refused, unless the session was opened for
work across organisations (`across_organisations`: the CLI, housekeeping), so a forgotten
scope fails loudly instead of leaking. Services therefore never filter by organisation.
"""

import uuid
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import column, event, orm
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlalchemy.orm.interfaces import ORMOption
from sqlmodel import Session, SQLModel

from app.models.common import OrganisationOwned
from app.principal import Principal
from app.problems import NotFound

_PRINCIPAL = "principal"
_ACROSS_ORGANISATIONS = "across_organisations"
Row = TypeVar("Row", bound=SQLModel)


class UnscopedQuery(RuntimeError):
    """A tenant table was queried in a session acting for no organisation."""


def act_for(session: Session, principal: Principal) -> Principal:
    """From now on, every query in `session` sees only the principal's organisation."""
    session.info[_PRINCIPAL] = principal
    return principal


def acting_principal(session: orm.Session) -> Principal | None:
    principal: Principal | None = session.info.get(_PRINCIPAL)
    return principal


def across_organisations(session: Session) -> Session:
    """Mark `session` as working for no one organisation (operators' commands, housekeeping)."""
    session.info[_ACROSS_ORGANISATIONS] = True
    return session


def get_owned(
    session: Session,
    model: type[Row],
    row_id: uuid.UUID,
    *options: ORMOption,
    lock: bool = False,
) -> Row:
    """The row of the acting organisation, or a 404 alike for missing and foreign rows.

    `lock` holds the row until the transaction ends (PostgreSQL's FOR UPDATE; SQLite's writers
    already hold the whole database), so a precondition checked on it still holds at commit.
    """
    row = session.get(model, row_id, options=options, with_for_update=lock or None)
    if row is None:
        raise NotFound(str(model.__tablename__).replace("_", " "), row_id)
    return row


def _is_tenant_query(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, OrganisationOwned) for mapper in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_organisation(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    principal = acting_principal(state.session)
    if principal is None:
        if state.session.info.get(_ACROSS_ORGANISATIONS) or not _is_tenant_query(state):
            return
        raise UnscopedQuery(f"a tenant table was queried outside any organisation: {state}")
    state.statement = state.statement.options(_scoped_to(principal.organisation_id))


@lru_cache(maxsize=1024)
def _scoped_to(organisation_id: uuid.UUID) -> ORMOption:
    """One criterion for every class of `OrganisationOwned` rows, built once per organisation:
    building it costs more than most of the statements it scopes."""
    return with_loader_criteria(
        OrganisationOwned,
        lambda owned: _organisation_column(owned) == organisation_id,
        include_aliases=True,
    )


def _organisation_column(owned: Any) -> Any:
    """The `organisation_id` of a mapped class (or alias); for the unmapped marker itself, which
    SQLAlchemy's lambda analysis calls the criterion with, a stand-in column."""
    mapped = getattr(owned, "organisation_id", None)
    return column("organisation_id") if mapped is None else mapped
