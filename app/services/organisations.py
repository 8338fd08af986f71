"""Organisations: created with a first admin key (CLI, first start), and their settings."""

import uuid

from sqlmodel import Session, col, select

from app.audit import record_change
from app.models.audit import AuditAction
from app.models.goal import Goal
from app.models.measure import Measure
from app.models.organisation import (
    ApiKeyCreate,
    ApiKeyIssued,
    Organisation,
    OrganisationPublic,
    OrganisationSettings,
    Scope,
)
from app.principal import Principal
from app.services.keys import create_key
from app.services.writes import merge_patch

ALL_SCOPES = [Scope.READ, Scope.WRITE, Scope.ADMIN]


def create_organisation(
    session: Session, name: str, admin_secret: str | None = None
) -> tuple[Organisation, ApiKeyIssued]:
    organisation = Organisation(name=name)
    session.add(organisation)
    session.flush()
    issued = create_key(
        session, None, organisation.id, ApiKeyCreate(name="admin", scopes=ALL_SCOPES), admin_secret
    )
    return organisation, issued


def has_organisation(session: Session) -> bool:
    return session.exec(select(Organisation.id).limit(1)).first() is not None


# Oldest first: the first is the one made on first start.
_OLDEST_FIRST = select(Organisation).order_by(col(Organisation.created_at), col(Organisation.id))


def all_organisations(session: Session) -> list[Organisation]:
    return list(session.exec(_OLDEST_FIRST).all())


def first_organisation(session: Session) -> Organisation | None:
    return session.exec(_OLDEST_FIRST.limit(1)).first()


def holds_work(session: Session, organisation_id: uuid.UUID) -> bool:
    """Whether the organisation has goals or measures yet (an operator's session: unscoped)."""
    return any(
        session.exec(
            select(model.id).where(model.organisation_id == organisation_id).limit(1)
        ).first()
        is not None
        for model in (Goal, Measure)
    )


def organisation_public(session: Session, principal: Principal) -> OrganisationPublic:
    return OrganisationPublic.model_validate(_own(session, principal))


def update_organisation(
    session: Session, principal: Principal, patch: OrganisationSettings
) -> OrganisationPublic:
    organisation = _own(session, principal, lock=True)
    before = OrganisationPublic.model_validate(organisation)
    organisation.sqlmodel_update(merge_patch(OrganisationSettings, before, patch).model_dump())
    session.add(organisation)
    after = OrganisationPublic.model_validate(organisation)
    record_change(
        session,
        organisation_id=principal.organisation_id,
        principal=principal,
        action=AuditAction.UPDATE,
        resource_type="organisation",
        resource_id=principal.organisation_id,
        before=before,
        after=after,
    )
    return after


def _own(session: Session, principal: Principal, lock: bool = False) -> Organisation:
    # A key's organisation always exists: keys reference it and organisations are never deleted.
    organisation = session.get(Organisation, principal.organisation_id, with_for_update=lock)
    assert organisation is not None
    return organisation
