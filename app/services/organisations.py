"""Creating an organisation with its first admin key (CLI and first start)."""

from sqlmodel import Session, select

from app.models.organisation import ApiKeyCreate, ApiKeyIssued, Organisation, Scope
from app.services.keys import create_key

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
