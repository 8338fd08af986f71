"""Tenancy in one place: every ORM query of a tenant table is scoped by `app.tenancy`.

The rule is enforced for the whole suite: any query of a tenant table in a session that acts for
no organisation raises, so a route or service that forgot its scope fails its own tests.
"""

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func
from sqlmodel import SQLModel, select

from app.models.common import OrganisationOwned
from app.models.goal import Goal
from app.models.links import MeasureGoalLink
from app.models.measure import Measure
from app.principal import Principal
from app.problems import NotFound
from app.tenancy import UnscopedQuery, across_organisations, act_for, get_owned
from tests.api import payloads
from tests.conftest import Tenant, session_on


def principal_of(tenant: Tenant) -> Principal:
    return Principal(uuid.uuid4(), uuid.UUID(tenant.organisation_id), frozenset())


def a_goal(api: TestClient) -> uuid.UUID:
    response = api.post(payloads.GOALS, json=payloads.goal())
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def test_a_query_of_a_tenant_table_acting_for_no_one_is_refused(connection: Connection) -> None:
    with session_on(connection) as session, pytest.raises(UnscopedQuery):
        session.exec(select(Goal)).all()


def test_a_query_of_a_table_no_organisation_owns_needs_no_scope(connection: Connection) -> None:
    from app.models.organisation import Organisation

    with session_on(connection) as session:
        assert session.exec(select(func.count()).select_from(Organisation)).one() >= 0


def test_a_session_acting_for_an_organisation_sees_only_its_rows(
    api: TestClient, other_api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    mine, theirs = a_goal(api), a_goal(other_api)
    with session_on(connection) as session:
        act_for(session, principal_of(tenant))
        assert [goal.id for goal in session.exec(select(Goal))] == [mine]
        assert session.get(Goal, theirs) is None
        with pytest.raises(NotFound):
            get_owned(session, Goal, theirs)


def test_relationship_loads_and_aggregates_are_scoped_too(
    api: TestClient, other_api: TestClient, connection: Connection, tenant: Tenant
) -> None:
    for client in (api, other_api):
        goal_id = a_goal(client)
        created = client.post(payloads.MEASURES, json=payloads.measure(goal_ids=[str(goal_id)]))
        assert created.status_code == 201, created.text
    with session_on(connection) as session:
        act_for(session, principal_of(tenant))
        links = session.exec(select(func.count()).select_from(MeasureGoalLink)).one()
        measures = session.exec(select(Measure)).all()
        assert links == 1
        assert [len(measure.goal_links) for measure in measures] == [1]


def test_work_across_organisations_is_said_so(
    api: TestClient, other_api: TestClient, connection: Connection
) -> None:
    a_goal(api), a_goal(other_api)
    with session_on(connection) as session:
        across_organisations(session)
        assert session.exec(select(func.count()).select_from(Goal)).one() == 2


def test_every_table_with_an_organisation_id_is_marked_as_owned_by_one() -> None:
    owned_tables = {
        mapper.class_.__name__
        for mapper in SQLModel._sa_registry.mappers
        if "organisation_id" in mapper.local_table.columns
    }
    marked = {
        mapper.class_.__name__
        for mapper in SQLModel._sa_registry.mappers
        if issubclass(mapper.class_, OrganisationOwned)
    }
    assert owned_tables == marked
    assert "MeasureGoalLink" in marked  # a link table is scoped like an entity
