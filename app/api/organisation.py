from app.api import api_router
from app.auth import Reader
from app.db import SessionDep
from app.models.organisation import Organisation, OrganisationPublic

router = api_router(tag="organisation")


@router.get("/organisation", summary="The organisation the API key acts for")
def read_organisation(principal: Reader, session: SessionDep) -> OrganisationPublic:
    return OrganisationPublic.model_validate(session.get(Organisation, principal.organisation_id))
