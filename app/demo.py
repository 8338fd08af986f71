"""A small, realistic improvement programme for trying the API (`pdsa demo`)."""

from datetime import date

from sqlmodel import Session

from app.analytics import Direction
from app.auth import Principal
from app.models.goal import GoalCreate, GoalStatus, Promise
from app.models.links import MeasureRole
from app.models.measure import Frequency, MeasureCreate, ValueType
from app.models.organisation import ApiKeyIssued, Organisation
from app.models.project import ProjectCreate, ProjectMeasure, ProjectStatus, Stakeholder
from app.models.target import Comparator, NationalTargetCreate
from app.services.goals import create_goal
from app.services.measures import create_measure
from app.services.organisations import create_organisation
from app.services.projects import create_project
from app.services.targets import create_target


def load_demo(session: Session) -> tuple[Organisation, ApiKeyIssued]:
    organisation, admin = create_organisation(session, "Demo: Northshire Hospitals NHS Trust")
    principal = Principal(admin.id, organisation.id, frozenset(admin.scopes))
    care_plans, flow, falls = (
        create_goal(session, principal, goal).id
        for goal in (
            GoalCreate(
                title="Care planned with people, not for them",
                status=GoalStatus.ACTIVE,
                owner="Director of Nursing",
                review_date=date(2027, 3, 31),
                promises=[
                    Promise(
                        user_need="I want to be involved in my own care planning",
                        promise="Your care plan will be signed by you",
                    )
                ],
            ),
            GoalCreate(
                title="No one waits longer than they must in our emergency department",
                status=GoalStatus.ACTIVE,
                owner="Chief Operating Officer",
                promises=[
                    Promise(
                        user_need="I want to know I will be seen quickly",
                        promise="You will be admitted, transferred or discharged within 4 hours",
                    )
                ],
            ),
            GoalCreate(
                title="Safe care on every ward",
                status=GoalStatus.ACTIVE,
                owner="Medical Director",
                promises=[
                    Promise(
                        user_need="I want to stay safe while I am in hospital",
                        promise="We will do everything we can to stop you falling",
                    )
                ],
            ),
        )
    )
    signed, four_hours, falls_rate = (
        create_measure(session, principal, measure).id
        for measure in (
            MeasureCreate(
                name="Care plans signed by the person",
                operational_definition="Care plans reviewed in the week carrying the person's"
                " signature, over all care plans reviewed that week.",
                unit="%",
                role=MeasureRole.OUTCOME,
                value_type=ValueType.PROPORTION,
                direction=Direction.INCREASE,
                frequency=Frequency.WEEK,
                target=0.9,
                goal_ids=[care_plans],
            ),
            MeasureCreate(
                name="ED attendances seen within 4 hours",
                unit="%",
                role=MeasureRole.OUTCOME,
                value_type=ValueType.PROPORTION,
                direction=Direction.INCREASE,
                frequency=Frequency.WEEK,
                goal_ids=[flow],
            ),
            MeasureCreate(
                name="Inpatient falls per 1,000 bed days",
                unit="falls per 1,000 bed days",
                role=MeasureRole.OUTCOME,
                value_type=ValueType.RATE,
                direction=Direction.DECREASE,
                frequency=Frequency.WEEK,
                rate_multiplier=1000.0,
                goal_ids=[falls],
            ),
        )
    )
    create_target(
        session,
        principal,
        NationalTargetCreate(
            code="ECB-4HR",
            title="Patients admitted, transferred or discharged within 4 hours of arrival",
            issuing_body="NHS England",
            comparator=Comparator.AT_LEAST,
            threshold=0.78,
            due_date=date(2027, 3, 31),
            measure_id=four_hours,
            goal_ids=[flow],
        ),
    )
    create_project(
        session,
        principal,
        ProjectCreate(
            title="Signed care plans on Ward 7",
            aim="90% of care plans on Ward 7 signed by the person by March 2027",
            lead="Ward 7 sister",
            status=ProjectStatus.ACTIVE,
            start_date=date(2026, 1, 5),
            team=["Ward 7 sister", "Patient partner", "QI coach"],
            goal_ids=[care_plans],
            measures=[ProjectMeasure(measure_id=signed, role=MeasureRole.OUTCOME)],
            stakeholders=[
                Stakeholder(
                    name="Ward nurses",
                    readiness=6,
                    confidence=4,
                    importance=8,
                    advantages_of_change="People feel heard; fewer complaints",
                    disadvantages_of_change="Time at the bedside to go through the plan",
                    disadvantages_of_no_change="Plans people do not recognise as theirs",
                )
            ],
        ),
    )
    create_project(
        session,
        principal,
        ProjectCreate(
            title="Falls prevention bundle on care of the elderly wards",
            aim="Halve inpatient falls on wards 3 and 4 within a year",
            lead="Falls lead nurse",
            status=ProjectStatus.ACTIVE,
            start_date=date(2026, 2, 2),
            goal_ids=[falls],
            measures=[ProjectMeasure(measure_id=falls_rate, role=MeasureRole.OUTCOME)],
        ),
    )
    return organisation, admin
