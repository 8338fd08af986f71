from fastapi import Response

from app.api import api_router
from app.api.auth import Reader
from app.api.sessions import SessionDep
from app.api.unit_of_work import AdminWrites
from app.models.organisation import OrganisationPublic, OrganisationUpdate
from app.services import organisations

router = api_router(tag="organisation")


@router.get("/organisation", summary="The organisation the API key acts for")
def read_organisation(principal: Reader, session: SessionDep) -> OrganisationPublic:
    return organisations.organisation_public(session, principal)


@router.patch(
    "/organisation",
    response_model=OrganisationPublic,
    summary="Change the organisation's name or settings",
)
async def update_organisation(write: AdminWrites, patch: OrganisationUpdate) -> Response:
    return await write(organisations.update_organisation, patch)
