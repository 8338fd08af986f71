"""National targets and the goals within which they sit."""

import uuid

from sqlmodel import Session, select

from app.models.links import TargetGoalLink
from app.models.measure import Measure, ValueType, not_a_fraction
from app.models.target import NationalTarget, NationalTargetCreate, NationalTargetPublic
from app.pagination import Page, PageParams, fetch_page
from app.principal import Principal
from app.problems import RULE_BROKEN, Conflict, RuleBroken, field_error
from app.services.goals import link_goals
from app.services.writes import (
    current,
    merge_patch,
    require_owned,
    save_created,
    save_deleted,
    save_updated,
)


def target_public(target: NationalTarget) -> NationalTargetPublic:
    return NationalTargetPublic.model_validate(target)


def list_targets(
    session: Session,
    paging: PageParams,
    *,
    goal_id: uuid.UUID | None = None,
    measure_id: uuid.UUID | None = None,
    issuing_body: str | None = None,
    code: str | None = None,
) -> Page[NationalTargetPublic]:
    query = select(NationalTarget)
    if goal_id is not None:
        query = query.where(
            NationalTarget.id.in_(  # type: ignore[attr-defined]
                select(TargetGoalLink.national_target_id).where(TargetGoalLink.goal_id == goal_id)
            )
        )
    for column, value in (
        (NationalTarget.measure_id, measure_id),
        (NationalTarget.issuing_body, issuing_body),
        (NationalTarget.code, code),
    ):
        if value is not None:
            query = query.where(column == value)
    return fetch_page(
        session, query, paging, target_public, NationalTarget.created_at, NationalTarget.id
    )


def create_target(
    session: Session, principal: Principal, data: NationalTargetCreate
) -> NationalTargetPublic:
    target = NationalTarget(
        organisation_id=principal.organisation_id, **data.model_dump(exclude={"goal_ids"})
    )
    _apply(session, principal, target, data)
    return save_created(session, principal, target, target_public)


def update_target(
    session: Session,
    principal: Principal,
    target_id: uuid.UUID,
    patch: NationalTargetCreate,
    if_match: str | None = None,
) -> NationalTargetPublic:
    target, before = current(session, NationalTarget, target_id, if_match, target_public)
    data = merge_patch(NationalTargetCreate, before, patch)
    target.sqlmodel_update(data.model_dump(exclude={"goal_ids"}))
    _apply(session, principal, target, data)
    return save_updated(session, principal, target, before, target_public)


def delete_target(
    session: Session, principal: Principal, target_id: uuid.UUID, if_match: str | None = None
) -> None:
    """Nothing links to a target; its own goal links go with it."""
    target, before = current(session, NationalTarget, target_id, if_match, target_public)
    save_deleted(session, principal, target, before)


def _apply(
    session: Session, principal: Principal, target: NationalTarget, data: NationalTargetCreate
) -> None:
    clash = session.exec(
        select(NationalTarget.id).where(
            NationalTarget.code == data.code,
            NationalTarget.id != target.id,
        )
    ).first()
    if clash is not None:
        raise Conflict(f"National target code {data.code!r} is already used by {clash}")
    if data.measure_id is not None:
        require_owned(session, Measure, {"measure_id": data.measure_id})
        _refuse_a_proportion_as_a_percentage(session, data)
    target.goal_links = link_goals(
        session, principal, target.goal_links, data.goal_ids, TargetGoalLink
    )


def _refuse_a_proportion_as_a_percentage(session: Session, data: NationalTargetCreate) -> None:
    """A threshold is in the units of the measure it tracks, and a proportion is a fraction."""
    value_type = session.exec(select(Measure.value_type).where(Measure.id == data.measure_id)).one()
    problem = not_a_fraction(data.threshold, "threshold")
    if value_type == ValueType.PROPORTION and problem:
        raise RuleBroken(
            f"The threshold does not fit measure {data.measure_id}: {problem}",
            errors=[field_error("body.threshold", problem, RULE_BROKEN)],
        )
