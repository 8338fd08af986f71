"""A small, realistic improvement programme for trying the API (`pdsa demo`)."""

import random
import uuid
from datetime import date, timedelta

from sqlmodel import Session

from app.analytics import Direction
from app.data_io import PointBatch
from app.models.cycle import CycleCreate, CycleStatus, Decision, Prediction, PredictionOutcome
from app.models.data import DataPointIn
from app.models.goal import GoalCreate, GoalStatus, Promise
from app.models.links import MeasureRole
from app.models.measure import Frequency, Measure, MeasureCreate, ValueType
from app.models.organisation import ApiKeyIssued, Organisation
from app.models.project import ProjectCreate, ProjectMeasure, ProjectStatus, Stakeholder
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


def load_demo(session: Session) -> tuple[Organisation, ApiKeyIssued]:
    organisation, admin = create_organisation(session, "Demo: Northshire Hospitals NHS Trust")
    principal = act_for(session, Principal(admin.id, organisation.id, frozenset(admin.scopes)))
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
    _load_weekly_data(session, principal, signed, four_hours, falls_rate)
    care_plan_project = create_project(
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
    falls_project = create_project(
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
    _load_cycles(session, principal, care_plan_project.id, signed, falls_project.id, falls_rate)
    return organisation, admin


FIRST_WEEK = date(2025, 1, 6)  # a Monday: weekly periods start on Mondays
WEEKS = 52


def _load_weekly_data(
    session: Session,
    principal: Principal,
    signed: uuid.UUID,
    four_hours: uuid.UUID,
    falls_rate: uuid.UUID,
) -> None:
    """A year of weekly points; signing improves from week 30, when PDSA 2 was adopted."""
    randomness = random.Random(7)
    weeks = [FIRST_WEEK + timedelta(weeks=w) for w in range(WEEKS)]
    series: dict[uuid.UUID, list[DataPointIn]] = {signed: [], four_hours: [], falls_rate: []}
    for week, period in enumerate(weeks):
        plans = randomness.randint(35, 55)
        rate = 0.55 if week < 30 else 0.82
        series[signed].append(
            DataPointIn(
                period=period,
                numerator=float(sum(randomness.random() < rate for _ in range(plans))),
                denominator=float(plans),
                annotation="Signing at review adopted" if week == 30 else None,
            )
        )
        attendances = randomness.randint(1400, 1700)
        seen = sum(randomness.random() < 0.74 for _ in range(attendances))
        series[four_hours].append(
            DataPointIn(period=period, numerator=float(seen), denominator=float(attendances))
        )
        bed_days = randomness.randint(650, 720)
        falls = sum(randomness.random() < 0.0065 for _ in range(bed_days))
        series[falls_rate].append(
            DataPointIn(period=period, numerator=float(falls), denominator=float(bed_days))
        )
    for measure_id, points in series.items():
        measure = session.get(Measure, measure_id)
        assert measure is not None
        write_points(session, principal, measure, PointBatch.of(points))
        session.commit()


def _load_cycles(
    session: Session,
    principal: Principal,
    care_plans: uuid.UUID,
    signed: uuid.UUID,
    falls: uuid.UUID,
    falls_rate: uuid.UUID,
) -> None:
    """A ramp of three cycles on signed care plans, and an abandoned falls test."""
    first = create_cycle(
        session,
        principal,
        care_plans,
        CycleCreate(
            title="PDSA 1: offer the plan for signature at review",
            change_idea="Offer the care plan for signature at the weekly review",
            objective="Will people sign their plan when it is offered at review?",
            predictions=[
                Prediction(
                    statement="At least 6 of 10 people will sign",
                    outcome=PredictionOutcome.CONFIRMED,
                    note="7 of 10 signed",
                )
            ],
            measure_ids=[signed],
            planned_start=FIRST_WEEK + timedelta(weeks=20),
            planned_end=FIRST_WEEK + timedelta(weeks=21),
            actual_start=FIRST_WEEK + timedelta(weeks=20),
            actual_end=FIRST_WEEK + timedelta(weeks=21),
            results="7 of 10 signed; two wanted a relative present",
            learning="People sign when asked at review, not on the ward round",
            decision=Decision.ADAPT,
            next_step="Invite relatives to the review",
            status=CycleStatus.COMPLETED,
        ),
    )
    second = create_cycle(
        session,
        principal,
        care_plans,
        CycleCreate(
            title="PDSA 2: invite relatives to the review",
            change_idea="Offer the care plan for signature at the weekly review",
            measure_ids=[signed],
            follows_cycle_id=first.id,
            planned_start=FIRST_WEEK + timedelta(weeks=26),
            planned_end=FIRST_WEEK + timedelta(weeks=29),
            actual_start=FIRST_WEEK + timedelta(weeks=26),
            actual_end=FIRST_WEEK + timedelta(weeks=29),
            learning="With relatives invited nearly everyone signs",
            decision=Decision.ADOPT,
            next_step="Spread to all bays",
            status=CycleStatus.COMPLETED,
        ),
    )
    create_cycle(
        session,
        principal,
        care_plans,
        CycleCreate(
            title="PDSA 3: all bays",
            change_idea="Offer the care plan for signature at the weekly review",
            measure_ids=[signed],
            follows_cycle_id=second.id,
            planned_start=FIRST_WEEK + timedelta(weeks=40),
            planned_end=FIRST_WEEK + timedelta(weeks=42),
            actual_start=FIRST_WEEK + timedelta(weeks=40),
            status=CycleStatus.DOING,
        ),
    )
    create_cycle(
        session,
        principal,
        falls,
        CycleCreate(
            title="Falls PDSA 1: bed-rail alarms",
            change_idea="Bed-rail alarms on high-risk patients",
            measure_ids=[falls_rate],
            planned_start=FIRST_WEEK + timedelta(weeks=10),
            planned_end=FIRST_WEEK + timedelta(weeks=12),
            actual_start=FIRST_WEEK + timedelta(weeks=10),
            actual_end=FIRST_WEEK + timedelta(weeks=11),
            learning="Alarms woke other patients and staff silenced them; try intentional rounding",
            decision=Decision.ABANDON,
            status=CycleStatus.COMPLETED,
        ),
    )
