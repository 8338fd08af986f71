from app.api import api_router
from app.auth import Admin, Reader
from app.db import SessionDep
from app.models.organisation import OrganisationPublic, OrganisationUpdate
from app.services import organisations

router = api_router(tag="organisation")


@router.get("/organisation", summary="The organisation the API key acts for")
def read_organisation(principal: Reader, session: SessionDep) -> OrganisationPublic:
    return organisations.organisation_public(session, principal)


@router.patch("/organisation", summary="Change the organisation's name or settings")
def update_organisation(
    principal: Admin, session: SessionDep, patch: OrganisationUpdate
) -> OrganisationPublic:
    return organisations.update_organisation(session, principal, patch)
