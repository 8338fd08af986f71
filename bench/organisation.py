"""The realistic organisation, loaded through the service functions with a fixed seed.

Weekly measures of every value type with 52 to 260 points, national targets on them, projects
linking goals and measures, and PDSA cycles in ramps whose starts and ends annotate the charts.
The first measure is the one the chart scenario reads: continuous, with exactly 52 points.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from app.analytics import Direction
from app.data_io import PointBatch
from app.models.cycle import CycleCreate, CycleStatus, Decision
from app.models.data import DataPointIn
from app.models.goal import GoalCreate, GoalStatus, Promise
from app.models.links import MeasureRole
from app.models.measure import Frequency, Measure, MeasureCreate, ValueType
from app.models.project import Project, ProjectCreate, ProjectMeasure, ProjectStatus, Stakeholder
from app.models.target import Comparator, NationalTargetCreate
from app.principal import Principal
from app.services.cycles import create_cycle
from app.services.data import write_points
from app.services.goals import create_goal
from app.services.measures import create_measure
from app.services.organisations import create_organisation
from app.services.projects import create_project
from app.services.targets import create_target
from app.tenancy import act_for

SEED = 20261130
LAST_WEEK = date(2026, 11, 23)  # a Monday: weekly periods start on Mondays
CHART_POINTS = 52
MOST_POINTS = 260
VALUE_TYPES = (ValueType.CONTINUOUS, ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT)
STATUSES = [CycleStatus.COMPLETED] * 6 + [
    CycleStatus.ACTING,
    CycleStatus.STUDYING,
    CycleStatus.DOING,
    CycleStatus.PLANNED,
]


@dataclass(frozen=True)
class Scale:
    goals: int
    measures: int
    targets: int
    projects: int
    cycles: int


REALISTIC = Scale(goals=20, measures=100, targets=40, projects=150, cycles=2000)
SMALL = Scale(goals=2, measures=10, targets=4, projects=15, cycles=200)
# The mixed load's pair: alike but for their size, with fewer cycles than the realistic one so
# that the larger loads in about a minute on two cores.
HUNDRED_MEASURES = Scale(goals=10, measures=100, targets=20, projects=50, cycles=200)
THOUSAND_MEASURES = Scale(goals=100, measures=1000, targets=200, projects=500, cycles=2000)


@dataclass(frozen=True)
class Tenant:
    """An organisation, as its admin key acts for it."""

    principal: Principal
    key: str


@dataclass(frozen=True)
class Organisation:
    tenant: Tenant
    chart_measure_id: uuid.UUID


@dataclass(frozen=True)
class _Measure:
    id: uuid.UUID
    value_type: ValueType
    level: float


def new_tenant(session: Session, name: str) -> Tenant:
    """A new organisation, committed, for which `session` then acts."""
    organisation, issued = create_organisation(session, name)
    session.commit()
    principal = Principal(issued.id, organisation.id, frozenset(issued.scopes))
    return Tenant(act_for(session, principal), issued.key)


def load_organisation(session: Session, name: str, scale: Scale) -> Organisation:
    rng = random.Random(SEED)
    tenant = new_tenant(session, name)
    goals = [_goal(session, tenant.principal, rng, i) for i in range(scale.goals)]
    measures = [_measure(session, tenant.principal, rng, i, goals) for i in range(scale.measures)]
    for i in range(scale.targets):
        _target(session, tenant.principal, rng, i, goals, measures)
    projects = [
        _project(session, tenant.principal, rng, i, goals, measures) for i in range(scale.projects)
    ]
    _cycles(session, tenant.principal, rng, projects, scale.cycles)
    session.commit()
    return Organisation(tenant, measures[0].id)


def new_measure(session: Session, principal: Principal, frequency: Frequency) -> uuid.UUID:
    """An empty continuous measure, for a load that writes data."""
    data = MeasureCreate(
        name="Benchmark writes",
        role=MeasureRole.PROCESS,
        value_type=ValueType.CONTINUOUS,
        direction=Direction.NEITHER,
        frequency=frequency,
    )
    return create_measure(session, principal, data).id


def _goal(session: Session, principal: Principal, rng: random.Random, i: int) -> uuid.UUID:
    promises = [
        Promise(user_need=f"I want need {i}.{p} met", promise=f"We will meet need {i}.{p}")
        for p in range(rng.randint(1, 3))
    ]
    data = GoalCreate(
        title=f"Strategic goal {i}",
        description="A promise to the people we serve. " * rng.randint(1, 5),
        status=GoalStatus.ACTIVE,
        owner=f"Director {i % 7}",
        review_date=LAST_WEEK + timedelta(days=rng.randint(30, 400)),
        promises=promises,
    )
    return create_goal(session, principal, data).id


def _measure(
    session: Session, principal: Principal, rng: random.Random, i: int, goals: list[uuid.UUID]
) -> _Measure:
    value_type = VALUE_TYPES[i % len(VALUE_TYPES)]
    level = {
        ValueType.CONTINUOUS: rng.uniform(20, 200),
        ValueType.PROPORTION: rng.uniform(0.5, 0.9),
        ValueType.RATE: rng.uniform(3, 10),
        ValueType.COUNT: rng.uniform(5, 30),
    }[value_type]
    data = MeasureCreate(
        name=f"Measure {i}",
        operational_definition="How it is counted, week by week. " * rng.randint(1, 4),
        role=rng.choice(list(MeasureRole)),
        value_type=value_type,
        direction=rng.choice([Direction.INCREASE, Direction.DECREASE]),
        frequency=Frequency.WEEK,
        target=level * 1.05 if rng.random() < 0.3 else None,
        rate_multiplier=1000.0 if value_type is ValueType.RATE else 1.0,
        goal_ids=[] if i % 20 == 19 else rng.sample(goals, min(len(goals), rng.randint(1, 2))),
    )
    measure_id = create_measure(session, principal, data).id
    weeks = CHART_POINTS if i == 0 else rng.randint(CHART_POINTS, MOST_POINTS)
    change = rng.randrange(weeks * 2)  # a step change in the level, often beyond the data
    points = [
        _point(rng, value_type, level * (1.1 if week >= change else 1.0), week, weeks)
        for week in range(weeks)
    ]
    measure = session.get(Measure, measure_id)
    assert measure is not None
    write_points(session, principal, measure, PointBatch.of(points))
    session.commit()
    return _Measure(measure_id, value_type, level)


def _point(
    rng: random.Random, value_type: ValueType, level: float, week: int, weeks: int
) -> DataPointIn:
    period = LAST_WEEK - timedelta(weeks=weeks - 1 - week)
    if value_type is ValueType.PROPORTION:
        denominator = rng.randint(30, 200)
        part = min(1.0, max(0.0, rng.gauss(level, 0.05)))
        return DataPointIn(
            period=period,
            numerator=float(round(denominator * part)),
            denominator=float(denominator),
        )
    if value_type is ValueType.RATE:
        bed_days = rng.randint(500, 1000)
        events = max(0, round(rng.gauss(level * bed_days / 1000, 2)))
        return DataPointIn(period=period, numerator=float(events), denominator=float(bed_days))
    if value_type is ValueType.COUNT:
        return DataPointIn(period=period, value=float(max(0, round(rng.gauss(level, level**0.5)))))
    return DataPointIn(period=period, value=rng.gauss(level, level * 0.1))


def _target(
    session: Session,
    principal: Principal,
    rng: random.Random,
    i: int,
    goals: list[uuid.UUID],
    measures: list[_Measure],
) -> None:
    measure = rng.choice(measures) if rng.random() < 0.8 else None
    data = NationalTargetCreate(
        code=f"NT-{i:03}",
        title=f"National target {i}",
        issuing_body=rng.choice(["NHS England", "CQC", "NICE"]),
        comparator=rng.choice(list(Comparator)),
        threshold=measure.level if measure else 0.95,
        due_date=LAST_WEEK + timedelta(days=rng.randint(30, 700)),
        measure_id=measure.id if measure else None,
        goal_ids=[rng.choice(goals)],
    )
    create_target(session, principal, data)


def _project(
    session: Session,
    principal: Principal,
    rng: random.Random,
    i: int,
    goals: list[uuid.UUID],
    measures: list[_Measure],
) -> Project:
    linked = [measures[i % len(measures)]]
    linked += [m for m in rng.sample(measures, rng.randint(0, 2)) if m not in linked]
    stakeholders = [
        Stakeholder(
            name=f"Stakeholder group {s}",
            readiness=rng.randint(0, 10),
            confidence=rng.randint(0, 10),
            importance=rng.randint(0, 10),
            advantages_of_change="Better care for the people we serve",
        )
        for s in range(rng.randint(0, 3))
    ]
    data = ProjectCreate(
        title=f"Improvement project {i}",
        aim=f"Move measure {i % len(measures)} by a fifth within a year",
        lead=f"Lead {i % 30}",
        status=rng.choice(list(ProjectStatus)),
        start_date=LAST_WEEK - timedelta(weeks=rng.randint(10, 150)),
        team=[f"Team member {t}" for t in range(rng.randint(1, 6))],
        stakeholders=stakeholders,
        goal_ids=[] if i % 25 == 24 else [goals[i % len(goals)]],
        measures=[
            ProjectMeasure(measure_id=m.id, role=rng.choice(list(MeasureRole))) for m in linked
        ],
    )
    project = session.get(Project, create_project(session, principal, data).id)
    assert project is not None
    return project


def _cycles(
    session: Session,
    principal: Principal,
    rng: random.Random,
    projects: list[Project],
    count: int,
) -> None:
    """`count` cycles spread over the projects; most follow the project's previous cycle."""
    latest: dict[uuid.UUID, uuid.UUID] = {}
    for i in range(count):
        project = projects[i % len(projects)]
        follows = latest.get(project.id) if rng.random() < 0.6 else None
        data = _cycle(rng, i, [link.measure_id for link in project.measure_links], follows)
        latest[project.id] = create_cycle(session, principal, project.id, data).id


def _cycle(
    rng: random.Random, i: int, measure_ids: list[uuid.UUID], follows: uuid.UUID | None
) -> CycleCreate:
    status = rng.choice(STATUSES)
    start = LAST_WEEK - timedelta(days=rng.randint(7, 360))
    started = status is not CycleStatus.PLANNED
    completed = status is CycleStatus.COMPLETED
    return CycleCreate(
        title=f"PDSA {i}",
        change_idea=f"Change idea {i % 97}",
        objective="Find out whether the change helps",
        planned_start=start,
        planned_end=start + timedelta(days=14),
        actual_start=start if started else None,
        actual_end=start + timedelta(days=rng.randint(7, 21)) if completed else None,
        results="What the data showed" if completed else None,
        learning="What we learnt from the test" if completed else None,
        decision=rng.choice(list(Decision)) if completed else None,
        status=status,
        follows_cycle_id=follows,
        measure_ids=[rng.choice(measure_ids)],
    )
