"""Chart links: minting one is a write, audited (who published which chart, until when), that
changes nothing a cached read shows."""

import uuid

from sqlmodel import Session

from app import embeds
from app.audit import record_change
from app.models.audit import AuditAction
from app.models.embed import ChartLinkCreate, ChartLinkPublic
from app.models.measure import Measure
from app.models.organisation import ApiKey
from app.principal import Principal
from app.revisions import changes_no_cached_read
from app.tenancy import get_owned


def mint_chart_link(
    session: Session, principal: Principal, measure_id: uuid.UUID, link: ChartLinkCreate
) -> ChartLinkPublic:
    measure = get_owned(session, Measure, measure_id)
    key = get_owned(session, ApiKey, principal.key_id)
    minted = embeds.mint(principal, key.secret_hash, measure.id, link)
    record_change(
        session,
        organisation_id=principal.organisation_id,
        principal=principal,
        action=AuditAction.CREATE,
        resource_type="chart_link",
        resource_id=measure.id,
        changes={"link": {"format": link.format, "expires_at": minted.expires_at.isoformat()}},
    )
    changes_no_cached_read(session)
    return minted
