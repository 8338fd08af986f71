"""A realistic improvement programme for trying the API (`pdsa demo`), dated relative to today.

Northshire Hospitals' three strategic goals, framed as promises to the people it serves; six
measures with a year of weekly data (two years of a monthly board measure) ending with the last
complete period before `today`; NHS England's A&E four-hour standard and a national falls
benchmark; and three projects whose PDSA ramps hold successes, instructive failures, a test
under way and one planned.

Where a change was adopted the process shifts, and the measure's phases recalculate from that
period (Making Data Count), so the charts show the signals a board would discuss and not dozens
of false ones:

- signed care plans stepped up when relatives were invited to reviews (a new phase), fell far
  below the limits in a norovirus week (the one astronomical point, annotated), and have shifted
  up again since the spread to all bays: too recently to recalculate (limits need 13 points),
  and still short of the 90% aim;
- reviews take longer since relatives were invited (the balancing measure's new phase);
- ED four-hour performance is stable against its frozen baseline at about 74%, so it will not
  meet the 78% standard without a change to the system (assurance: fail), although streaming,
  once adopted, brought initial assessment down (a new phase): the waits are for ward beds;
- falls fell by a third once bay tagging was adopted (a new phase), after bed-rail alarms failed.

Every series is drawn from a seeded `random.Random` per measure, so the demo is the same for any
`today` but for its dates.
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import assert_never

from sqlmodel import Session

from app.analytics import Direction
from app.data_io import PointBatch
from app.models.chart import MeasurePhases, Recalculation
from app.models.cycle import CycleCreate, CycleStatus, Decision, Prediction, PredictionOutcome
from app.models.data import DataPointIn
from app.models.goal import GoalCreate, GoalStatus, Promise
from app.models.links import MeasureRole
from app.models.measure import Frequency, Measure, MeasureCreate, ValueType
from app.models.organisation import ApiKeyCreate, ApiKeyIssued, Organisation, Scope
from app.models.project import ProjectCreate, ProjectMeasure, ProjectStatus, Stakeholder
from app.models.target import Comparator, NationalTargetCreate
from app.periods import period_start
from app.principal import Principal
from app.problems import NotFound
from app.revisions import bump_revisions
from app.services.charts import set_phases
from app.services.cycles import create_cycle
from app.services.data import write_points
from app.services.goals import create_goal
from app.services.keys import create_key, revoke_key
from app.services.measures import create_measure
from app.services.organisations import create_organisation
from app.services.projects import create_project
from app.services.targets import create_target
from app.tenancy import act_for, get_owned

DEMO_ORGANISATION = "Demo: Northshire Hospitals NHS Trust"
LOADER_KEY = ApiKeyCreate(name="demo loader", scopes=[Scope.READ, Scope.WRITE])
WEEKS = 52
FRIDAY = 4


@dataclass(frozen=True)
class DemoLoaded:
    """What `load_demo` made: the organisation, its new admin key (None when the demo went into
    an organisation that already existed), and how much of each thing."""

    organisation: Organisation
    admin_key: ApiKeyIssued | None = field(repr=False)  # a secret: never in a log line
    goals: int
    measures: int
    points: int
    targets: int
    projects: int
    cycles: int


def load_demo(
    session: Session, today: date, organisation_id: uuid.UUID | None = None
) -> DemoLoaded:
    """Load the demo into the organisation `organisation_id`, or else into a new organisation
    with its own admin key. The caller commits; the session then acts for the organisation."""
    organisation, admin_key = _organisation(session, organisation_id)
    # An existing organisation's changes are recorded under a key of the demo's own, revoked
    # once it is loaded: the audit trail names it, and no one is left holding it.
    author = admin_key or create_key(session, None, organisation.id, LOADER_KEY)
    principal = act_for(session, Principal(author.id, organisation.id, frozenset(author.scopes)))
    calendar = Calendar(today)
    goals = _create_goals(session, principal, calendar)
    measures = _create_measures(session, principal, goals)
    points = _write_histories(session, principal, calendar, measures)
    targets = _create_targets(session, principal, calendar, goals, measures)
    projects = _create_projects(session, principal, calendar, goals, measures)
    cycles = _create_cycles(session, principal, calendar, projects, measures)
    if author is not admin_key:
        revoke_key(session, None, author.id)
    # No request's unit of work ran, so bump what it would have: the data revisions of the
    # series written, then (none being marked any more) the organisation's revision, so that
    # an existing organisation's cached charts, scorecards and matrix are drawn again.
    bump_revisions(session, principal)
    bump_revisions(session, principal)
    return DemoLoaded(
        organisation=organisation,
        admin_key=admin_key,
        goals=len(goals),
        measures=len(measures),
        points=points,
        targets=targets,
        projects=len(projects),
        cycles=cycles,
    )


def _organisation(
    session: Session, organisation_id: uuid.UUID | None
) -> tuple[Organisation, ApiKeyIssued | None]:
    if organisation_id is None:
        return create_organisation(session, DEMO_ORGANISATION)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation", organisation_id)
    return organisation, None


@dataclass(frozen=True)
class Calendar:
    """The demo's dates. Weeks are counted from the first week of data (week 0); week 52 is the
    week of `today`, still in progress, so the weekly data ends with week 51."""

    today: date

    def week(self, index: int, weekday: int = 0) -> date:
        this_week = period_start(self.today, Frequency.WEEK)
        return this_week + timedelta(weeks=index - WEEKS, days=weekday)

    def periods(self, frequency: Frequency, count: int) -> list[date]:
        """The `count` complete periods before the one `today` is in, oldest first."""
        periods = [period_start(self.today, frequency)]
        while len(periods) <= count:
            periods.insert(0, period_start(periods[0] - timedelta(days=1), frequency))
        return periods[:-1]

    @property
    def year_end(self) -> date:
        """The end of the NHS financial year still to come, which targets and aims look to."""
        return date(self.today.year + (self.today >= date(self.today.year, 3, 31)), 3, 31)


# Goals ---------------------------------------------------------------------------------------


def _create_goals(
    session: Session, principal: Principal, calendar: Calendar
) -> dict[str, uuid.UUID]:
    goals = {
        "care": GoalCreate(
            title="Care planned with people, not for them",
            description="People on our wards shape their own care plan, with the people who"
            " matter to them.",
            status=GoalStatus.ACTIVE,
            owner="Director of Nursing",
            review_date=calendar.year_end,
            promises=[
                Promise(
                    user_need="I want to be involved in my own care planning",
                    promise="Your care plan will be agreed with you and signed by you",
                ),
                Promise(
                    user_need="I want the people who matter to me to be part of my care",
                    promise="We will invite someone you choose to your care plan review",
                ),
            ],
        ),
        "flow": GoalCreate(
            title="No one waits longer than they must in our emergency department",
            status=GoalStatus.ACTIVE,
            owner="Chief Operating Officer",
            review_date=calendar.year_end,
            promises=[
                Promise(
                    user_need="I want to know someone has seen how unwell I am",
                    promise="A clinician will assess you within 15 minutes of arriving",
                ),
                Promise(
                    user_need="I do not want to spend hours in the emergency department",
                    promise="You will be admitted, transferred or discharged within 4 hours",
                ),
            ],
        ),
        "safety": GoalCreate(
            title="Safe care on every ward",
            status=GoalStatus.ACTIVE,
            owner="Chief Nurse",
            review_date=calendar.year_end,
            promises=[
                Promise(
                    user_need="I want to stay safe while I am in hospital",
                    promise="We will do everything we can to stop you falling",
                ),
                Promise(
                    user_need="If I fall, I want my family to know",
                    promise="If you fall, we will check you for injury and tell your family"
                    " the same day",
                ),
            ],
        ),
    }
    return {key: create_goal(session, principal, goal).id for key, goal in goals.items()}


# Measures and their data ---------------------------------------------------------------------


@dataclass(frozen=True)
class Disruption:
    """A period the process did not produce: its level that period, and what happened."""

    level: float
    annotation: str


@dataclass(frozen=True)
class Process:
    """How a measure's numbers arise: drawn at random from `seed`, around its level from each
    period in which a change took hold, with each period's sample size (proportions and rates: a
    range) or spread (continuous), but for the periods in which something else happened.

    A year of a stable process shows a false trend or shift often enough to distract from the
    story, so each seed is one that draws the story's signals and no others."""

    seed: int
    levels: dict[int, float]
    sample: tuple[int, int] = (0, 0)
    spread: float = 0.0
    disruptions: dict[int, Disruption] = field(default_factory=dict)

    def level(self, index: int) -> float:
        return self.levels[max(start for start in self.levels if start <= index)]


@dataclass(frozen=True)
class DemoMeasure:
    """A measure with its goals (by key), its history and its phases, in period indices."""

    key: str
    goals: tuple[str, ...]
    measure: MeasureCreate
    periods: int
    process: Process
    baseline_until: int | None = None
    recalculations: dict[int, str] = field(default_factory=dict)


MEASURES = (
    DemoMeasure(
        key="signed",
        goals=("care",),
        measure=MeasureCreate(
            name="Care plans signed by the person",
            operational_definition="Ward 7: care plans reviewed in the week (Monday to Sunday)"
            " that carry the signature of the person or of someone they chose, as a fraction"
            " (0 to 1) of all care plans reviewed that week. From the ward's weekly audit of"
            " the electronic record.",
            unit="proportion of care plans",
            role=MeasureRole.OUTCOME,
            value_type=ValueType.PROPORTION,
            direction=Direction.INCREASE,
            frequency=Frequency.WEEK,
            target=0.9,
        ),
        periods=WEEKS,
        process=Process(
            seed=12,
            levels={0: 0.55, 14: 0.76, 45: 0.88},
            sample=(30, 44),
            disruptions={
                26: Disruption(
                    0.3, "Norovirus: Ward 7 closed to visitors, reviews held without relatives"
                )
            },
        ),
        recalculations={14: "Relatives invited to care plan reviews (PDSA 2 adopted)"},
    ),
    DemoMeasure(
        key="review_minutes",
        goals=("care",),
        measure=MeasureCreate(
            name="Minutes per care plan review",
            operational_definition="Ward 7: the mean length of the week's care plan reviews,"
            " from the start and end times on the review sheet. Watched in case involving"
            " people and their families takes more nursing time than the ward can give.",
            unit="minutes",
            role=MeasureRole.BALANCING,
            value_type=ValueType.CONTINUOUS,
            direction=Direction.DECREASE,
            frequency=Frequency.WEEK,
        ),
        periods=WEEKS,
        process=Process(seed=6, levels={0: 18.0, 14: 24.0}, spread=2.0),
        recalculations={14: "Relatives invited to care plan reviews (PDSA 2 adopted)"},
    ),
    DemoMeasure(
        key="four_hours",
        goals=("flow",),
        measure=MeasureCreate(
            name="Emergency department attendances within 4 hours",
            operational_definition="Attendances at the emergency department in the week that"
            " ended in admission, transfer or discharge within 4 hours of arrival, as a"
            " fraction (0 to 1) of all attendances that week. From the ED information system.",
            unit="proportion of attendances",
            role=MeasureRole.OUTCOME,
            value_type=ValueType.PROPORTION,
            direction=Direction.INCREASE,
            frequency=Frequency.WEEK,
        ),
        periods=WEEKS,
        process=Process(seed=1, levels={0: 0.735}, sample=(1450, 1650)),
        baseline_until=15,
    ),
    DemoMeasure(
        key="assessment_minutes",
        goals=("flow",),
        measure=MeasureCreate(
            name="Median minutes from arrival to initial assessment",
            operational_definition="The median, over the week's attendances at the emergency"
            " department, of the minutes from booking-in to the first assessment by a"
            " clinician. From the ED information system.",
            unit="minutes",
            role=MeasureRole.PROCESS,
            value_type=ValueType.CONTINUOUS,
            direction=Direction.DECREASE,
            frequency=Frequency.WEEK,
            target=15.0,
        ),
        periods=WEEKS,
        process=Process(seed=5, levels={0: 24.0, 28: 16.5}, spread=1.8),
        recalculations={28: "Streaming with SDEC criteria adopted, 08:00 to 22:00 (PDSA 2)"},
    ),
    DemoMeasure(
        key="falls_rate",
        goals=("safety",),
        measure=MeasureCreate(
            name="Inpatient falls per 1,000 occupied bed days",
            operational_definition="Care of older people wards 3 to 6: falls reported in the"
            " week, per 1,000 occupied bed days (midnight census) that week. From the incident"
            " reporting system and the bed state.",
            unit="falls per 1,000 occupied bed days",
            role=MeasureRole.OUTCOME,
            value_type=ValueType.RATE,
            direction=Direction.DECREASE,
            frequency=Frequency.WEEK,
            rate_multiplier=1000.0,
        ),
        periods=WEEKS,
        process=Process(seed=8, levels={0: 7.0, 20: 4.6}, sample=(700, 780)),
        recalculations={20: "Bay tagging day and night adopted on wards 3 to 6 (PDSA 2)"},
    ),
    DemoMeasure(
        key="harmful_falls",
        goals=("safety",),
        measure=MeasureCreate(
            name="Falls with moderate or severe harm",
            operational_definition="Inpatient falls in the month, across the trust, whose harm"
            " was graded moderate, severe or death after review. Reported to the board monthly.",
            unit="falls",
            role=MeasureRole.OUTCOME,
            value_type=ValueType.COUNT,
            direction=Direction.DECREASE,
            frequency=Frequency.MONTH,
        ),
        periods=24,
        process=Process(seed=1, levels={0: 3.2}),
    ),
)


def _create_measures(
    session: Session, principal: Principal, goals: dict[str, uuid.UUID]
) -> dict[str, Measure]:
    created = {}
    for spec in MEASURES:
        linked = spec.measure.model_copy(update={"goal_ids": [goals[g] for g in spec.goals]})
        measure_id = create_measure(session, principal, linked).id
        created[spec.key] = get_owned(session, Measure, measure_id)
    return created


def _write_histories(
    session: Session, principal: Principal, calendar: Calendar, measures: dict[str, Measure]
) -> int:
    """Each measure's history and, where changes were adopted, its phases; the points written."""
    written = 0
    for spec in MEASURES:
        measure = measures[spec.key]
        periods = calendar.periods(measure.frequency, spec.periods)
        rng = random.Random(spec.process.seed)
        points = [_point(spec, index, period, rng) for index, period in enumerate(periods)]
        written += write_points(session, principal, measure, PointBatch.of(points)).created
        if spec.baseline_until is not None or spec.recalculations:
            set_phases(session, principal, measure.id, _phases(spec, periods))
    return written


def _point(spec: DemoMeasure, index: int, period: date, rng: random.Random) -> DataPointIn:
    process, value_type = spec.process, spec.measure.value_type
    disruption = process.disruptions.get(index)
    level = disruption.level if disruption else process.level(index)
    annotation = disruption.annotation if disruption else None
    match value_type:
        case ValueType.PROPORTION:
            numerator, denominator = _sample(rng, process.sample, level)
        case ValueType.RATE:
            numerator, denominator = _sample(
                rng, process.sample, level / spec.measure.rate_multiplier
            )
        case ValueType.CONTINUOUS:
            value = round(rng.gauss(level, process.spread), 1)
            return DataPointIn(period=period, value=value, annotation=annotation)
        case ValueType.COUNT:
            value = float(_poisson(rng, level))
            return DataPointIn(period=period, value=value, annotation=annotation)
        case _:
            assert_never(value_type)
    return DataPointIn(
        period=period, numerator=numerator, denominator=denominator, annotation=annotation
    )


def _sample(rng: random.Random, sizes: tuple[int, int], chance: float) -> tuple[float, float]:
    """Events among a sample of a size in `sizes`, each with the same `chance`."""
    size = rng.randint(*sizes)
    return float(sum(rng.random() < chance for _ in range(size))), float(size)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: count uniform draws until their product falls below e^-mean."""
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count, product = count + 1, product * rng.random()
    return count


def _phases(spec: DemoMeasure, periods: list[date]) -> MeasurePhases:
    return MeasurePhases(
        baseline_until=None if spec.baseline_until is None else periods[spec.baseline_until],
        recalculations=[
            Recalculation(period=periods[index], reason=reason)
            for index, reason in spec.recalculations.items()
        ],
    )


# National targets ----------------------------------------------------------------------------


def _create_targets(
    session: Session,
    principal: Principal,
    calendar: Calendar,
    goals: dict[str, uuid.UUID],
    measures: dict[str, Measure],
) -> int:
    targets = [
        NationalTargetCreate(
            code="ECB-4HR",
            title="Patients admitted, transferred or discharged within 4 hours of arrival at"
            " an emergency department",
            issuing_body="NHS England",
            comparator=Comparator.AT_LEAST,
            threshold=0.78,
            due_date=calendar.year_end,
            measure_id=measures["four_hours"].id,
            goal_ids=[goals["flow"]],
        ),
        NationalTargetCreate(
            code="NAIF-FALLS-RATE",
            title="Inpatient falls per 1,000 occupied bed days no higher than the national"
            " average reported by the National Audit of Inpatient Falls",
            issuing_body="Royal College of Physicians",
            comparator=Comparator.AT_MOST,
            threshold=6.6,
            due_date=calendar.year_end,
            measure_id=measures["falls_rate"].id,
            goal_ids=[goals["safety"]],
        ),
    ]
    for target in targets:
        create_target(session, principal, target)
    return len(targets)


# Projects ------------------------------------------------------------------------------------


def _create_projects(
    session: Session,
    principal: Principal,
    calendar: Calendar,
    goals: dict[str, uuid.UUID],
    measures: dict[str, Measure],
) -> dict[str, uuid.UUID]:
    """Each project began a few weeks before its first week of data: the team formed and agreed
    its measures' definitions, then collected a baseline before testing any change."""
    aim_date = f"{calendar.year_end:%B %Y}"

    def measure(key: str, role: MeasureRole) -> ProjectMeasure:
        return ProjectMeasure(measure_id=measures[key].id, role=role)

    projects = {
        "care": ProjectCreate(
            title="Signed care plans on Ward 7",
            aim=f"By {aim_date}, 90% of care plans on Ward 7 signed by the person (55% at the"
            " start), without reviews taking more than 30 minutes",
            lead="Ward 7 sister",
            status=ProjectStatus.ACTIVE,
            start_date=calendar.week(-2),
            team=["Ward 7 sister", "Two Ward 7 staff nurses", "Patient partner", "QI coach"],
            goal_ids=[goals["care"]],
            measures=[
                measure("signed", MeasureRole.OUTCOME),
                measure("review_minutes", MeasureRole.BALANCING),
            ],
            stakeholders=[
                Stakeholder(
                    name="Ward 7 nurses",
                    readiness=6,
                    confidence=4,
                    importance=8,
                    advantages_of_change="People feel heard; fewer complaints about plans",
                    disadvantages_of_change="Time at the bedside to go through the plan",
                    disadvantages_of_no_change="Plans people do not recognise as theirs",
                ),
                Stakeholder(
                    name="Patients and families",
                    readiness=9,
                    confidence=7,
                    importance=9,
                    advantages_of_change="A say in their own care, with family alongside",
                    disadvantages_of_no_change="Care decided without them",
                ),
                Stakeholder(
                    name="Ward consultants",
                    readiness=5,
                    confidence=6,
                    importance=5,
                    disadvantages_of_change="Plans may change after the ward round",
                ),
            ],
        ),
        "flow": ProjectCreate(
            title="Streaming at the front door",
            aim=f"By {aim_date}, everyone arriving at the emergency department assessed within"
            " 15 minutes, and 78% admitted, transferred or discharged within 4 hours",
            lead="Emergency medicine consultant, clinical lead for flow",
            status=ProjectStatus.ACTIVE,
            start_date=calendar.week(-1),
            team=[
                "Emergency medicine consultant",
                "ED nurse in charge",
                "SDEC lead nurse",
                "Acute medicine consultant",
                "Operational manager",
                "Patient partner",
            ],
            goal_ids=[goals["flow"]],
            measures=[
                measure("four_hours", MeasureRole.OUTCOME),
                measure("assessment_minutes", MeasureRole.PROCESS),
            ],
            stakeholders=[
                Stakeholder(
                    name="ED nurses",
                    readiness=7,
                    confidence=5,
                    importance=9,
                    advantages_of_change="A calmer waiting room; the sickest seen first",
                    disadvantages_of_change="A senior clinician taken off the shop floor",
                ),
                Stakeholder(
                    name="Same day emergency care (SDEC) team",
                    readiness=4,
                    confidence=5,
                    importance=8,
                    disadvantages_of_change="Referrals that do not fit SDEC",
                    advantages_of_no_change="SDEC keeps control of its own intake",
                ),
            ],
        ),
        "falls": ProjectCreate(
            title="Fewer falls on the care of older people wards",
            aim=f"By {aim_date}, inpatient falls on wards 3 to 6 down by a third (from 7 per"
            " 1,000 occupied bed days) and below the national average",
            lead="Falls prevention lead nurse",
            status=ProjectStatus.ACTIVE,
            start_date=calendar.week(-4),
            team=[
                "Falls prevention lead nurse",
                "Ward 3 and 4 sisters",
                "Healthcare assistant",
                "Physiotherapist",
                "Consultant geriatrician",
            ],
            goal_ids=[goals["safety"]],
            measures=[measure("falls_rate", MeasureRole.OUTCOME)],
            stakeholders=[
                Stakeholder(
                    name="Healthcare assistants",
                    readiness=8,
                    confidence=6,
                    importance=9,
                    advantages_of_change="Fewer people hurt on their shift",
                    disadvantages_of_change="Staying in a bay means fewer hands elsewhere",
                ),
                Stakeholder(
                    name="Ward sisters",
                    readiness=7,
                    confidence=5,
                    importance=8,
                    disadvantages_of_no_change="Falls reviews and harm to families' trust",
                ),
            ],
        ),
    }
    return {
        key: create_project(session, principal, project).id for key, project in projects.items()
    }


# PDSA cycles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCycle:
    """A cycle of a project (by key), following another (by key) to form a ramp, planned for
    weeks `first` to `last` (Monday to Friday). Completed cycles ran as planned; a cycle under
    way started on time."""

    key: str
    project: str
    follows: str | None
    first: int
    last: int
    measures: tuple[str, ...]
    plan: CycleCreate


SIGNING = (
    "Go through the care plan with the person, and someone who matters to them, at the weekly"
    " review, and offer it for signature"
)
STREAMING = (
    "A senior clinician streams people at the front door, sending those who fit same day"
    " emergency care (SDEC) straight there"
)
BAY_TAGGING = (
    "Bay tagging: a bay where people at high risk of falling sleep is never left without a"
    " member of staff"
)


def _predicted(
    statement: str, outcome: PredictionOutcome | None = None, note: str | None = None
) -> Prediction:
    return Prediction(statement=statement, outcome=outcome, note=note)


CONFIRMED, NOT_CONFIRMED = PredictionOutcome.CONFIRMED, PredictionOutcome.NOT_CONFIRMED

CYCLES = (
    DemoCycle(
        key="signing_1",
        project="care",
        follows=None,
        first=5,
        last=6,
        measures=("signed", "review_minutes"),
        plan=CycleCreate(
            title="Signing PDSA 1: offer the plan for signature at the weekly review",
            change_idea=SIGNING,
            objective="Will people sign a plan they have been through at their review?",
            who="Ward 7 sister with two named nurses",
            where="Ward 7, bay A",
            data_collection="Tally of plans offered and signed; review start and end times",
            questions=["Will people sign when asked at review?", "How long does a review take?"],
            predictions=[
                _predicted("At least 6 of 10 people will sign", CONFIRMED, "7 of 10 signed"),
                _predicted(
                    "A review will take no more than 20 minutes",
                    NOT_CONFIRMED,
                    "Median 26 minutes: people had questions about their plan",
                ),
            ],
            results="7 of 10 signed. Two would not sign without a relative there; one was too"
            " unwell that day.",
            learning="People sign a plan they have been through at review, not one handed over"
            " on the ward round. Wanting a relative present was the commonest reason not to.",
            decision=Decision.ADAPT,
            next_step="Invite a relative or carer to the review",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="signing_2",
        project="care",
        follows="signing_1",
        first=8,
        last=12,
        measures=("signed", "review_minutes"),
        plan=CycleCreate(
            title="Signing PDSA 2: invite a relative or carer to the review",
            change_idea=SIGNING,
            objective="Will more people sign when someone who matters to them is there?",
            where="Ward 7, bays A and B",
            predictions=[
                _predicted("At least 8 of 10 people will sign", CONFIRMED, "31 of 38 signed (82%)"),
                _predicted(
                    "Reviews will take no longer",
                    NOT_CONFIRMED,
                    "About 6 minutes longer: families have questions too",
                ),
            ],
            results="31 of 38 plans signed across the five weeks; reviews took 24 minutes on"
            " average.",
            learning="Inviting a relative works. Reviews take longer, but the nurses judge the"
            " time well spent. The invitation has to go out two days before, at visiting time.",
            decision=Decision.ADOPT,
            next_step="Make it the standard in bays A and B; plan the spread to bays C and D",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="tablet",
        project="care",
        follows=None,
        first=18,
        last=19,
        measures=("signed",),
        plan=CycleCreate(
            title="Tablet PDSA 1: sign the plan on a tablet at the bedside",
            change_idea="Let people sign their care plan on a tablet at the bedside",
            where="Ward 7, bay C",
            predictions=[
                _predicted(
                    "More people will sign when they can do it at the bedside",
                    NOT_CONFIRMED,
                    "9 of 17 signed, fewer than in bays A and B",
                ),
                _predicted("Signing will take under 2 minutes", CONFIRMED),
            ],
            results="9 of 17 signed on the tablet; three signatures never reached the record"
            " because the tablet lost the ward's wifi.",
            learning="A signature is not the aim: people want to go through their plan with"
            " someone. Signing a screen felt like a consent form, and the devices failed on the"
            " ward's wifi.",
            decision=Decision.ABANDON,
            next_step="Back to reviews in person; raise the ward's wifi with digital services",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="signing_3",
        project="care",
        follows="signing_2",
        first=38,
        last=43,
        measures=("signed", "review_minutes"),
        plan=CycleCreate(
            title="Signing PDSA 3: a named nurse reviews each plan, in all four bays",
            change_idea=SIGNING,
            objective="Can every bay sign plans as bays A and B do?",
            where="Ward 7, all four bays",
            predictions=[
                _predicted(
                    "Bays C and D will reach 80% within four weeks",
                    CONFIRMED,
                    "85% in the fourth week",
                ),
                _predicted(
                    "No review will be missed when the named nurse is away",
                    NOT_CONFIRMED,
                    "Four reviews missed in the second week: each nurse needs a named deputy",
                ),
            ],
            results="The ward's signed plans rose to between 80% and 90% once every bay had a"
            " named nurse and a deputy.",
            learning="A named nurse, with a named deputy, lets every bay do it. Rosters must"
            " keep one of the two on shift on review days.",
            decision=Decision.ADOPT,
            next_step="The standard on Ward 7; offer the approach to Ward 8",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="streaming_1",
        project="flow",
        follows=None,
        first=16,
        last=19,
        measures=("assessment_minutes", "four_hours"),
        plan=CycleCreate(
            title="Streaming PDSA 1: a senior clinician at the front door, weekday daytime",
            change_idea=STREAMING,
            who="Emergency medicine consultants and senior ED nurses, 10:00 to 18:00",
            where="Emergency department front door",
            data_collection="Arrival and assessment times; where each person was streamed",
            predictions=[
                _predicted(
                    "The median wait for initial assessment will be under 15 minutes while a"
                    " streamer is on",
                    CONFIRMED,
                    "12 minutes on streamed shifts",
                ),
                _predicted(
                    "A fifth of arrivals will go straight to SDEC",
                    NOT_CONFIRMED,
                    "9%: SDEC turned referrals down when the criteria were unclear",
                ),
            ],
            results="Initial assessment was quicker on streamed shifts; queues built after"
            " 18:00, once the streamer left.",
            learning="Streaming speeds up assessment, but SDEC needs criteria agreed with acute"
            " medicine, and the evening peak needs a streamer too.",
            decision=Decision.ADAPT,
            next_step="Agree SDEC criteria with acute medicine; stream until 22:00",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="streaming_2",
        project="flow",
        follows="streaming_1",
        first=22,
        last=26,
        measures=("assessment_minutes", "four_hours"),
        plan=CycleCreate(
            title="Streaming PDSA 2: SDEC criteria card, 08:00 to 22:00",
            change_idea=STREAMING,
            where="Emergency department front door",
            predictions=[
                _predicted(
                    "The median wait for initial assessment will be under 15 minutes,"
                    " 08:00 to 22:00",
                    CONFIRMED,
                    "14 minutes",
                ),
                _predicted(
                    "Four-hour performance will rise above 78%",
                    NOT_CONFIRMED,
                    "No change: people waiting for a ward bed still breach",
                ),
            ],
            results="SDEC took 18% of arrivals; assessment was quicker all day. The four-hour"
            " measure did not move.",
            learning="Streaming with a criteria card works and is adopted. The four-hour"
            " standard is held back by waits for ward beds (exit block), which streaming"
            " cannot fix: a matter for the trust's bed flow programme.",
            decision=Decision.ADOPT,
            next_step="Adopt 08:00 to 22:00; test streaming until midnight; take exit block to"
            " the board",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="streaming_3",
        project="flow",
        follows="streaming_2",
        first=50,
        last=53,
        measures=("assessment_minutes", "four_hours"),
        plan=CycleCreate(
            title="Streaming PDSA 3: stream until midnight",
            change_idea=STREAMING,
            objective="Does the late evening need a streamer as much as the day does?",
            who="Emergency medicine registrars, 22:00 to 00:00",
            where="Emergency department front door",
            questions=["How many people arrive after 22:00 who fit SDEC?"],
            predictions=[
                _predicted("The median wait for assessment after 22:00 will be under 15 minutes"),
                _predicted("SDEC's evening team can take the referrals without a queue"),
            ],
            status=CycleStatus.DOING,
        ),
    ),
    DemoCycle(
        key="alarms",
        project="falls",
        follows=None,
        first=4,
        last=7,
        measures=("falls_rate",),
        plan=CycleCreate(
            title="Alarms PDSA 1: bed-rail alarms for people at high risk",
            change_idea="Alarms that sound when a person at high risk of falling gets out of bed",
            where="Ward 3",
            predictions=[
                _predicted(
                    "Falls from bed on ward 3 will halve",
                    NOT_CONFIRMED,
                    "Three falls from bed in four weeks, as before",
                ),
            ],
            results="Alarms sounded up to 40 times a night; staff silenced them because they"
            " woke other patients.",
            learning="An alarm tells staff a fall is coming when no one is near enough to stop"
            " it: the problem is unobserved bays. Broken sleep is itself a falls risk.",
            decision=Decision.ABANDON,
            next_step="Test keeping a member of staff in the bays of people at high risk",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="tagging_1",
        project="falls",
        follows=None,
        first=10,
        last=12,
        measures=("falls_rate",),
        plan=CycleCreate(
            title="Bay tagging PDSA 1: ward 3, day shifts",
            change_idea=BAY_TAGGING,
            where="Ward 3",
            predictions=[
                _predicted("No unwitnessed falls in tagged bays on day shifts", CONFIRMED, "None"),
                _predicted(
                    "Staff will keep a bay tagged through handover",
                    NOT_CONFIRMED,
                    "Bays were left untagged at 7 of 15 handovers",
                ),
            ],
            results="No unwitnessed falls in tagged bays by day, but bays were left alone at"
            " handover.",
            learning="Tagging prevents unwitnessed falls, but the tag must be handed over in"
            " the bay, like a baton, or handovers leave bays empty.",
            decision=Decision.ADAPT,
            next_step="Hand the tag over in the bay; test day and night on wards 3 and 4",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="tagging_2",
        project="falls",
        follows="tagging_1",
        first=14,
        last=18,
        measures=("falls_rate",),
        plan=CycleCreate(
            title="Bay tagging PDSA 2: day and night, handed over in the bay, wards 3 and 4",
            change_idea=BAY_TAGGING,
            where="Wards 3 and 4",
            predictions=[
                _predicted(
                    "Falls on wards 3 and 4 will fall by a third",
                    CONFIRMED,
                    "About 4.5 per 1,000 occupied bed days over the five weeks",
                ),
                _predicted(
                    "Night staff can keep bays tagged with current staffing",
                    CONFIRMED,
                    "Yes, with a healthcare assistant holding the tag at night",
                ),
            ],
            results="Falls fell by about a third on both wards, day and night.",
            learning="Tagging works day and night when the tag is handed over in the bay and a"
            " healthcare assistant holds it at night.",
            decision=Decision.ADOPT,
            next_step="Adopt on wards 3 to 6; test it on the stroke unit",
            status=CycleStatus.COMPLETED,
        ),
    ),
    DemoCycle(
        key="tagging_3",
        project="falls",
        follows="tagging_2",
        first=54,
        last=58,
        measures=(),
        plan=CycleCreate(
            title="Bay tagging PDSA 3: the stroke unit",
            change_idea=BAY_TAGGING,
            objective="Does bay tagging work where most people at risk need two staff to move?",
            where="Stroke unit",
            predictions=[_predicted("Unwitnessed falls on the stroke unit will halve")],
            status=CycleStatus.PLANNED,
        ),
    ),
)


def _create_cycles(
    session: Session,
    principal: Principal,
    calendar: Calendar,
    projects: dict[str, uuid.UUID],
    measures: dict[str, Measure],
) -> int:
    created: dict[str, uuid.UUID] = {}
    for spec in CYCLES:
        cycle = spec.plan.model_copy(
            update={
                **_dates(spec, calendar),
                "follows_cycle_id": created[spec.follows] if spec.follows else None,
                "measure_ids": [measures[key].id for key in spec.measures],
            }
        )
        created[spec.key] = create_cycle(session, principal, projects[spec.project], cycle).id
    return len(created)


def _dates(spec: DemoCycle, calendar: Calendar) -> dict[str, date]:
    start, end = calendar.week(spec.first), calendar.week(spec.last, FRIDAY)
    dates = {"planned_start": start, "planned_end": end}
    if spec.plan.status is not CycleStatus.PLANNED:
        dates["actual_start"] = start
    if spec.plan.status is CycleStatus.COMPLETED:
        dates["actual_end"] = end
    return dates
