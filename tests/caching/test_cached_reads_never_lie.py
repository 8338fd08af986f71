"""Cached reads never lie: whatever an organisation writes, in whatever order, every polled read
(a chart, the scorecard, the matrix) answers exactly what rendering it afresh would answer, and
an ETag it answered before a change never earns a 304 after that change.

A hypothesis state machine drives random sequences of writes through the public HTTP API (goals,
measures of several value types and their goal links, national targets, projects and their
measures, data points, phases, PDSA cycles and their lifecycle, organisation settings), and after
every step compares each cached read with the same read rendered by the service functions
directly, with no cache at all.

*Without the cache* means: in a session on the test's own connection, acting for the same key,
every stored rendering of the organisation (`rendered_response`: whole bodies and the per-measure
`status:<id>` rows a scorecard or matrix reuses) is deleted, the read is rendered with a fresh
`Renderings`, and the session is rolled back, so the stored renderings are back as they were for
the next poll. That renders with the application's own code paths, unchanged; only the cache is
missing from under them.

Each example starts from a new, empty organisation (the test's transaction is rolled back only
after the whole test): tenancy keeps the earlier examples' rows out of its reads.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from pydantic import BaseModel
from sqlalchemy import Connection, delete
from sqlmodel import Session, col

from app.analytics import ChartType
from app.models.cache import RenderedResponse
from app.models.measure import Measure
from app.models.organisation import Organisation
from app.polled import Renderings, as_json
from app.principal import Principal, principal_for
from app.problems import Problem
from app.services.charts import ChartOptions, build_chart, polled_scorecard
from app.services.matrix import polled_matrix
from app.tenancy import act_for, get_owned
from tests.api import payloads
from tests.conftest import client_for, make_tenant, session_on
from tests.cycles.support import ACT, STUDY, plan

Json = dict[str, Any]
Render = Callable[[Session, Principal], BaseModel | bytes]

API = "/api/v1"
SETTINGS = settings(
    max_examples=10,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Each frequency's first periods (named by their first day: README "Periods").
SLOTS = 24
PERIODS = {
    "week": [date(2026, 1, 5) + timedelta(weeks=i) for i in range(SLOTS)],  # Mondays
    "month": [date(2026 + i // 12, i % 12 + 1, 1) for i in range(SLOTS)],
}
CYCLE_DAYS_FROM = date(2026, 1, 1)
Query = tuple[tuple[str, str], ...]
# Every measure's chart is read by default and with one of these options (the query string,
# and the same options as the service takes them), alternating from measure to measure.
DEFAULT_CHART: tuple[Query, ChartOptions] = ((), ChartOptions())
OTHER_CHARTS: tuple[tuple[Query, ChartOptions], ...] = (
    (
        (("chart_type", "run"), ("period_from", "2026-03-01")),
        ChartOptions(chart_type=ChartType.RUN, period_from=date(2026, 3, 1)),
    ),
    (
        (("rules", "nhsr"), ("shift_points", "7")),
        ChartOptions(rules="nhsr", overrides={"shift_points": 7}),
    ),
)
_organisations = count(1)

which = st.integers(min_value=0, max_value=7)  # an index into the live resources of a kind
some = st.lists(which, max_size=3)  # indexes of a subset of them
goal_statuses = st.sampled_from(["draft", "active", "achieved", "retired"])
directions = st.sampled_from(["increase", "decrease"])
roles = st.sampled_from(["outcome", "process", "balancing"])
frequencies = st.sampled_from(["week", "month"])
values = st.integers(0, 60)  # a count, a value (a quarter of it) or a numerator


@dataclass(frozen=True)
class Answer:
    """What a read answers: its status, and its JSON (a problem's title only)."""

    status: int
    body: Any


@dataclass(frozen=True)
class Read:
    """A polled read: where it is polled, and how the service renders it."""

    label: str
    path: str
    params: Query
    render: Render = field(compare=False, hash=False, repr=False)

    def get(self, api: TestClient, etag: str | None = None) -> Response:
        headers = {"If-None-Match": etag} if etag is not None else {}
        return api.get(self.path, params=dict(self.params), headers=headers)


@dataclass(frozen=True)
class Seen:
    etag: str
    answer: Answer


@dataclass
class MeasureState:
    label: str
    value_type: str
    frequency: str
    charts: tuple[tuple[Query, ChartOptions], ...]
    periods: set[date] = field(default_factory=set)


@dataclass
class CycleState:
    project_id: str
    status: int  # index into LIFECYCLE
    planned_start: date


LIFECYCLE = ["planned", "doing", "studying", "acting", "completed"]


def answer_of(response: Response) -> Answer:
    if response.status_code == 200:
        return Answer(200, response.json())
    return Answer(response.status_code, {"title": response.json().get("title")})


def uncached_answers(connection: Connection, secret: str, reads: list[Read]) -> dict[Read, Answer]:
    """Each read rendered by the service with no stored rendering to reuse (see the module's
    docstring); nothing of this session is kept."""
    with session_on(connection) as session:
        try:
            principal = act_for(session, principal_for(session, secret))
            session.execute(
                delete(RenderedResponse).where(
                    col(RenderedResponse.organisation_id) == principal.organisation_id
                )
            )
            return {read: _rendered(read, session, principal) for read in reads}
        finally:
            session.rollback()


def _rendered(read: Read, session: Session, principal: Principal) -> Answer:
    try:
        rendering = read.render(session, principal)
    except Problem as problem:
        return Answer(problem.status, {"title": problem.title})
    return Answer(200, json.loads(as_json(rendering)))


def _fresh_renderings(session: Session, principal: Principal) -> Renderings:
    organisation = session.get(Organisation, principal.organisation_id)
    assert organisation is not None
    return Renderings(organisation.revision)


def chart_render(measure_id: str, options: ChartOptions) -> Render:
    def render(session: Session, _: Principal) -> BaseModel:
        return build_chart(session, get_owned(session, Measure, uuid.UUID(measure_id)), options)

    return render


def scorecard_render(goal_id: str | None, project_id: str | None) -> Render:
    polled = polled_scorecard(
        uuid.UUID(goal_id) if goal_id else None, uuid.UUID(project_id) if project_id else None
    )

    def render(session: Session, principal: Principal) -> BaseModel | bytes:
        return polled.render(session, principal, _fresh_renderings(session, principal))

    return render


def matrix_render(session: Session, principal: Principal) -> BaseModel | bytes:
    return polled_matrix().render(session, principal, _fresh_renderings(session, principal))


def pick(items: list[str], index: int) -> str:
    return items[index % len(items)]


def subset(items: list[str], indexes: list[int]) -> list[str]:
    chosen = {pick(items, i) for i in indexes} if items else set()
    return [item for item in items if item in chosen]


class CachedReads(RuleBasedStateMachine):
    """One organisation's writes, each followed by a check of every polled read."""

    def __init__(self, app: FastAPI, connection: Connection) -> None:
        super().__init__()
        tenant = make_tenant(connection, f"Caching Trust {next(_organisations)}")
        self.api = client_for(app, tenant.admin_key)
        self.secret = tenant.admin_key
        self.connection = connection
        self.goals: list[str] = []
        self.goals_ever: list[str] = []  # scorecards by a deleted goal are still reads
        self.measures: dict[str, MeasureState] = {}
        self.gone: dict[str, MeasureState] = {}  # deleted by the last step: their charts 404
        self.targets: list[str] = []
        self.projects: dict[str, list[str]] = {}  # id: its measures
        self.projects_ever: list[str] = []
        self.cycles: dict[str, CycleState] = {}
        self.seen: dict[Read, Seen] = {}  # each read's last ETag and answer
        self.refused = False  # the last write was refused (409/422): it must change nothing
        self.last_step = "start"
        self.codes = count(1)
        self.measure_numbers = count(1)

    # -- writing ------------------------------------------------------------------------------

    def write(
        self,
        method: str,
        path: str,
        body: Json | list[Json] | None = None,
        refusals: frozenset[int] = frozenset(),
    ) -> Json | None:
        """Send a write; its JSON answer, or None when refused with one of `refusals`."""
        response = self.api.request(method, path, json=body)
        self.last_step = f"{method} {path} {json.dumps(body)[:300] if body else ''}"
        if response.status_code in refusals:
            self.refused = True
            return None
        assert response.status_code in {200, 201, 204}, (
            f"{self.last_step} answered {response.status_code}: {response.text}"
        )
        self.refused = False
        answered: Json = response.json() if response.content else {}
        return answered

    def goal_ids(self, indexes: list[int]) -> list[str]:
        return subset(self.goals, indexes)

    # -- a programme to start from -----------------------------------------------------------

    @initialize(
        kinds=st.permutations(["continuous", "proportion", "count"]),
        frequencies=st.lists(frequencies, min_size=3, max_size=3),
        series=st.lists(st.lists(values, max_size=16), min_size=3, max_size=3),
        in_project=some,
    )
    def start_a_programme(
        self,
        kinds: list[str],
        frequencies: list[str],
        series: list[list[int]],
        in_project: list[int],
    ) -> None:
        """A goal; a measure of each value type aligned to it, each with a series of points; a
        project with some of the measures (so that cycles can be run from the first step)."""
        self.create_goal("active")
        for kind, frequency, points in zip(kinds, frequencies, series, strict=True):
            measure_id = self.new_measure(kind, frequency, "increase", None, self.goals[:1])
            self.post(measure_id, points)
        self.create_project(goals=[0], measures=in_project or [0], role="outcome")

    # -- goals --------------------------------------------------------------------------------

    @precondition(lambda self: len(self.goals_ever) < 3)
    @rule(status=goal_statuses)
    def create_goal(self, status: str) -> None:
        title = f"Goal {len(self.goals_ever) + 1}"
        created = self.write("POST", payloads.GOALS, payloads.goal(title=title, status=status))
        assert created is not None
        self.goals.append(created["id"])
        self.goals_ever.append(created["id"])

    @precondition(lambda self: self.goals)
    @rule(goal=which, status=goal_statuses, title=st.sampled_from(["Safer care", "Kinder care"]))
    def update_goal(self, goal: int, status: str, title: str) -> None:
        self.write(
            "PATCH",
            f"{payloads.GOALS}/{pick(self.goals, goal)}",
            {"status": status, "title": title},
        )

    @precondition(lambda self: self.goals)
    @rule(goal=which)
    def delete_goal(self, goal: int) -> None:
        goal_id = pick(self.goals, goal)
        if (
            self.write("DELETE", f"{payloads.GOALS}/{goal_id}", refusals=frozenset({409}))
            is not None
        ):
            self.goals.remove(goal_id)

    # -- measures -----------------------------------------------------------------------------

    @precondition(lambda self: len(self.measures) < 4)
    @rule(
        value_type=st.sampled_from(["continuous", "proportion", "count"]),
        frequency=st.sampled_from(["week", "month"]),
        direction=directions,
        own_target=st.none() | st.sampled_from([0.5, 0.8, 0.35, 0.95]),  # fit any value type
        goals=some,
    )
    def create_measure(
        self,
        value_type: str,
        frequency: str,
        direction: str,
        own_target: float | None,
        goals: list[int],
    ) -> None:
        self.new_measure(value_type, frequency, direction, own_target, self.goal_ids(goals))

    def new_measure(
        self,
        value_type: str,
        frequency: str,
        direction: str,
        own_target: float | None,
        goal_ids: list[str],
    ) -> str:
        number = next(self.measure_numbers)
        label = f"measure {number} ({value_type}, {frequency})"
        body = payloads.measure(
            name=label,
            value_type=value_type,
            frequency=frequency,
            direction=direction,
            target=own_target,
            goal_ids=goal_ids,
        )
        created = self.write("POST", payloads.MEASURES, body)
        assert created is not None
        charts = (DEFAULT_CHART, OTHER_CHARTS[number % len(OTHER_CHARTS)])
        self.measures[created["id"]] = MeasureState(label, value_type, frequency, charts)
        return str(created["id"])

    @precondition(lambda self: self.measures)
    @rule(
        measure=which,
        change=st.sampled_from(
            [
                {"name": "Renamed measure"},
                {"unit": "per cent"},
                {"direction": "decrease"},
                {"direction": "increase"},
                {"target": 0.7},
                {"target": 0.25},
                {"target": None},
            ]
        ),
    )
    def update_measure(self, measure: int, change: Json) -> None:
        self.write("PATCH", f"{payloads.MEASURES}/{pick(list(self.measures), measure)}", change)

    @precondition(lambda self: self.measures)
    @rule(measure=which, goals=some)
    def link_measure_to_goals(self, measure: int, goals: list[int]) -> None:
        measure_id = pick(list(self.measures), measure)
        self.write("PATCH", f"{payloads.MEASURES}/{measure_id}", {"goal_ids": self.goal_ids(goals)})

    @precondition(lambda self: self.measures)
    @rule(measure=which)
    def delete_measure(self, measure: int) -> None:
        measure_id = pick(list(self.measures), measure)
        path = f"{payloads.MEASURES}/{measure_id}"
        if self.write("DELETE", path, refusals=frozenset({409})) is not None:
            self.gone[measure_id] = self.measures.pop(measure_id)

    # -- national targets ---------------------------------------------------------------------

    @precondition(lambda self: len(self.targets) < 3)
    @rule(
        measure=st.none() | which,
        threshold=st.sampled_from([0.6, 0.9, 0.3, 0.75]),  # fit a proportion too
        comparator=st.sampled_from([">=", "<"]),
        due=st.none() | st.sampled_from(["2027-03-31", "2026-12-31"]),
        goals=some,
    )
    def create_target(
        self,
        measure: int | None,
        threshold: float,
        comparator: str,
        due: str | None,
        goals: list[int],
    ) -> None:
        measure_id = (
            pick(list(self.measures), measure) if measure is not None and self.measures else None
        )
        body = payloads.national_target(
            code=f"NT-{next(self.codes)}",
            threshold=threshold,
            comparator=comparator,
            due_date=due,
            measure_id=measure_id,
            goal_ids=self.goal_ids(goals),
        )
        created = self.write("POST", payloads.TARGETS, body)
        assert created is not None
        self.targets.append(created["id"])

    @precondition(lambda self: self.targets)
    @rule(
        national=which,
        threshold=st.sampled_from([0.5, 0.95, 0.1]),
        due=st.none() | st.sampled_from(["2026-06-30", "2028-01-31"]),
        measure=st.none() | which,
    )
    def update_target(
        self, national: int, threshold: float, due: str | None, measure: int | None
    ) -> None:
        change: Json = {"threshold": threshold, "due_date": due}
        if measure is not None and self.measures:
            change["measure_id"] = pick(list(self.measures), measure)
        self.write("PATCH", f"{payloads.TARGETS}/{pick(self.targets, national)}", change)

    @precondition(lambda self: self.targets)
    @rule(national=which)
    def delete_target(self, national: int) -> None:
        target_id = pick(self.targets, national)
        self.write("DELETE", f"{payloads.TARGETS}/{target_id}")
        self.targets.remove(target_id)

    # -- projects -----------------------------------------------------------------------------

    def project_measures(self, indexes: list[int], role: str) -> list[Json]:
        return [{"measure_id": m, "role": role} for m in subset(list(self.measures), indexes)]

    @precondition(lambda self: len(self.projects_ever) < 3)
    @rule(goals=some, measures=some, role=roles)
    def create_project(self, goals: list[int], measures: list[int], role: str) -> None:
        body = payloads.project(
            title=f"Project {len(self.projects_ever) + 1}",
            goal_ids=self.goal_ids(goals),
            measures=self.project_measures(measures, role),
        )
        created = self.write("POST", payloads.PROJECTS, body)
        assert created is not None
        self.projects[created["id"]] = [m["measure_id"] for m in created["measures"]]
        self.projects_ever.append(created["id"])

    @precondition(lambda self: self.projects)
    @rule(project=which, status=st.sampled_from(["active", "sustaining", "closed"]), goals=some)
    def update_project(self, project: int, status: str, goals: list[int]) -> None:
        change = {
            "status": status,
            "title": f"Project ({status})",
            "goal_ids": self.goal_ids(goals),
        }
        self.write("PATCH", f"{payloads.PROJECTS}/{pick(list(self.projects), project)}", change)

    @precondition(lambda self: self.projects)
    @rule(project=which, measures=some, role=roles)
    def swap_project_measures(self, project: int, measures: list[int], role: str) -> None:
        """Refused (409) while a cycle of the project links a measure it would drop."""
        project_id = pick(list(self.projects), project)
        change = {"measures": self.project_measures(measures, role)}
        changed = self.write("PATCH", f"{payloads.PROJECTS}/{project_id}", change, frozenset({409}))
        if changed is not None:
            self.projects[project_id] = [m["measure_id"] for m in changed["measures"]]

    @precondition(lambda self: self.projects)
    @rule(project=which)
    def delete_project(self, project: int) -> None:
        """Refused (409) while the project has cycles."""
        project_id = pick(list(self.projects), project)
        path = f"{payloads.PROJECTS}/{project_id}"
        if self.write("DELETE", path, refusals=frozenset({409})) is not None:
            del self.projects[project_id]

    # -- data ---------------------------------------------------------------------------------

    @precondition(lambda self: self.measures)
    @rule(
        measure=which,
        first=st.integers(0, SLOTS - 1),
        stride=st.sampled_from([1, 2]),
        series=st.lists(values, min_size=1, max_size=8),
        noted=st.booleans(),
    )
    def post_points(
        self, measure: int, first: int, stride: int, series: list[int], noted: bool
    ) -> None:
        """One point (a JSON object) or a few (a list), on aligned periods, maybe with gaps;
        a period posted again replaces its point."""
        self.post(pick(list(self.measures), measure), series, first, stride, noted)

    def post(
        self,
        measure_id: str,
        series: list[int],
        first: int = 0,
        stride: int = 1,
        noted: bool = False,
    ) -> None:
        state = self.measures[measure_id]
        periods = PERIODS[state.frequency][first::stride][: len(series)]
        points = []
        for i, (period, value) in enumerate(zip(periods, series, strict=False)):
            point: Json = {"period": period.isoformat()}
            if state.value_type == "proportion":
                denominator = 40 + value * 7 % 21
                point |= {
                    "numerator": float(min(value, denominator)),
                    "denominator": float(denominator),
                }
            elif state.value_type == "count":
                point["value"] = float(value)
            else:
                point["value"] = value / 4
            if noted and i == 0:
                point["annotation"] = "Huddle started"
            points.append(point)
        if not points:
            return
        body = points if len(points) > 1 else points[0]
        self.write("POST", f"{payloads.MEASURES}/{measure_id}/data", body)
        state.periods.update(periods)

    @precondition(lambda self: self.measures)
    @rule(measure=which, slot=st.integers(0, SLOTS - 1))
    def post_point_on_a_misaligned_period(self, measure: int, slot: int) -> None:
        """Refused (422): a date that does not start its period."""
        measure_id = pick(list(self.measures), measure)
        state = self.measures[measure_id]
        period = PERIODS[state.frequency][slot] + timedelta(days=1)
        point: Json = {"period": period.isoformat()}
        point |= (
            {"numerator": 1.0, "denominator": 2.0}
            if state.value_type == "proportion"
            else {"value": 1.0}
        )
        answer = self.write(
            "POST", f"{payloads.MEASURES}/{measure_id}/data", point, frozenset({422})
        )
        assert answer is None, f"a point on {period} was accepted"

    @precondition(lambda self: any(m.periods for m in self.measures.values()))
    @rule(measure=which, point=which)
    def delete_point(self, measure: int, point: int) -> None:
        measure_id = pick([m for m, s in self.measures.items() if s.periods], measure)
        state = self.measures[measure_id]
        period = sorted(state.periods)[point % len(state.periods)]
        self.write("DELETE", f"{payloads.MEASURES}/{measure_id}/data/{period.isoformat()}")
        state.periods.remove(period)

    @precondition(lambda self: self.measures)
    @rule(
        measure=which,
        kind=st.sampled_from(
            ["baseline_points", "baseline_until", "recalculation", "none", "misaligned"]
        ),
        slot=st.integers(0, SLOTS - 1),
    )
    def put_phases(self, measure: int, kind: str, slot: int) -> None:
        measure_id = pick(list(self.measures), measure)
        period = PERIODS[self.measures[measure_id].frequency][slot]
        choices: dict[str, Json] = {
            "baseline_points": {"baseline_points": 2 + slot % 12},
            "baseline_until": {"baseline_until": period.isoformat()},
            "recalculation": {
                "recalculations": [{"period": period.isoformat(), "reason": "Adopted"}]
            },
            "none": {},
            "misaligned": {"baseline_until": (period + timedelta(days=1)).isoformat()},
        }
        phases = choices[kind]
        refusals = frozenset({422}) if kind == "misaligned" else frozenset()
        answer = self.write("PUT", f"{payloads.MEASURES}/{measure_id}/phases", phases, refusals)
        assert kind != "misaligned" or answer is None, "phases on a misaligned period were accepted"

    # -- PDSA cycles --------------------------------------------------------------------------

    @precondition(lambda self: any(self.projects.values()) and len(self.cycles) < 4)
    @rule(project=which, measures=some, start=st.integers(0, 180), days=st.integers(0, 30))
    def create_cycle(self, project: int, measures: list[int], start: int, days: int) -> None:
        project_id = pick([p for p, ms in self.projects.items() if ms], project)
        linked = subset(self.projects[project_id], measures) or self.projects[project_id][:1]
        begins = CYCLE_DAYS_FROM + timedelta(days=start)
        body = plan(
            title=f"PDSA {len(self.cycles) + 1}",
            measure_ids=linked,
            planned_start=begins.isoformat(),
            planned_end=(begins + timedelta(days=days)).isoformat(),
        )
        created = self.write("POST", f"{payloads.PROJECTS}/{project_id}/cycles", body)
        assert created is not None
        self.cycles[created["id"]] = CycleState(project_id, 0, begins)

    @precondition(lambda self: self.cycles)
    @rule(cycle=which)
    def advance_cycle(self, cycle: int) -> None:
        """One step on, with what that step needs; a completed cycle refuses (409)."""
        cycle_id = pick(list(self.cycles), cycle)
        state = self.cycles[cycle_id]
        if state.status == len(LIFECYCLE) - 1:
            change: Json = {"status": "planned"}
        else:
            change = {"status": LIFECYCLE[state.status + 1]}
            needs: dict[str, Json] = {
                "doing": {
                    "actual_start": (state.planned_start + timedelta(days=2)).isoformat(),
                    "actual_end": (state.planned_start + timedelta(days=20)).isoformat(),
                    "what_happened": "Ten plans offered",
                },
                "acting": STUDY,
                "completed": ACT,
            }
            change |= needs.get(change["status"], {})
        if self.write("PATCH", f"{API}/cycles/{cycle_id}", change, frozenset({409})) is not None:
            state.status += 1

    @precondition(lambda self: self.cycles)
    @rule(cycle=which)
    def jump_a_cycle_to_studying(self, cycle: int) -> None:
        """Refused (409) unless the cycle is doing: statuses move one step at a time."""
        cycle_id = pick(list(self.cycles), cycle)
        state = self.cycles[cycle_id]
        path = f"{API}/cycles/{cycle_id}"
        refusals = frozenset({409})
        if self.write("PATCH", path, {"status": "studying"}, refusals) is not None:
            assert state.status in (1, 2), "a cycle skipped a step of its lifecycle"
            state.status = 2

    @precondition(lambda self: self.cycles)
    @rule(cycle=which, actual=st.booleans(), start=st.integers(0, 180), days=st.integers(0, 30))
    def redate_cycle(self, cycle: int, actual: bool, start: int, days: int) -> None:
        cycle_id = pick(list(self.cycles), cycle)
        begins = CYCLE_DAYS_FROM + timedelta(days=start)
        kind = "actual" if actual else "planned"
        change = {
            f"{kind}_start": begins.isoformat(),
            f"{kind}_end": (begins + timedelta(days=days)).isoformat(),
        }
        self.write("PATCH", f"{API}/cycles/{cycle_id}", change)
        if not actual:
            self.cycles[cycle_id].planned_start = begins

    @precondition(lambda self: self.cycles)
    @rule(cycle=which)
    def delete_cycle(self, cycle: int) -> None:
        cycle_id = pick(list(self.cycles), cycle)
        self.write("DELETE", f"{API}/cycles/{cycle_id}")
        del self.cycles[cycle_id]

    # -- the organisation ---------------------------------------------------------------------

    @precondition(lambda self: self.cycles)  # the setting says when cycles are overdue
    @rule(days=st.integers(0, 60))
    def change_overdue_days(self, days: int) -> None:
        self.write("PATCH", f"{API}/organisation", {"cycle_overdue_days": days})

    # -- the invariant ------------------------------------------------------------------------

    def reads(self) -> list[Read]:
        """Every polled read of the organisation: each measure's charts (and, just after a
        measure is deleted, its charts' 404s), the scorecard whole, by every goal and by every
        project ever made, and the matrix."""
        found = [
            Read(
                f"chart of {label}{'?' + '&'.join('='.join(p) for p in params) if params else ''}",
                f"{payloads.MEASURES}/{measure_id}/chart",
                params,
                chart_render(measure_id, options),
            )
            for measure_id, label, charts in [
                *((m, s.label, s.charts) for m, s in self.measures.items()),
                *((m, f"deleted {s.label}", s.charts) for m, s in self.gone.items()),
            ]
            for params, options in charts
        ]
        scorecard = f"{API}/scorecard"
        found.append(Read("scorecard", scorecard, (), scorecard_render(None, None)))
        for n, goal_id in enumerate(self.goals_ever, 1):
            found.append(
                Read(
                    f"scorecard of goal {n}",
                    scorecard,
                    (("goal_id", goal_id),),
                    scorecard_render(goal_id, None),
                )
            )
        for n, project_id in enumerate(self.projects_ever, 1):
            found.append(
                Read(
                    f"scorecard of project {n}",
                    scorecard,
                    (("project_id", project_id),),
                    scorecard_render(None, project_id),
                )
            )
        found.append(Read("matrix", payloads.MATRIX, (), matrix_render))
        return found

    @invariant()
    def cached_reads_tell_the_truth(self) -> None:
        """After every step, each polled read answers what the service renders afresh:

        - polled with the ETag it last answered, a read that changed since answers anew (never
          a 304), and one that did not change answers 304, then its stored rendering;
        - a new ETag gets a 304 at once;
        - a refused write leaves every read, and its ETag, as it was."""
        reads = self.reads()
        truth = uncached_answers(self.connection, self.secret, reads)
        after = f"after {self.last_step}"
        for read in reads:
            expected, seen = truth[read], self.seen.get(read)
            if seen is None:
                response = read.get(self.api)
            else:
                if self.refused:
                    assert expected == seen.answer, f"{read.label}: a refused write changed it"
                response = read.get(self.api, seen.etag)
                if response.status_code == 304:
                    assert expected == seen.answer, (
                        f"{read.label} changed but its old ETag {seen.etag} still got a 304"
                        f" ({after})"
                    )
                    assert response.headers["ETag"] == seen.etag
                    response = read.get(self.api)  # its stored rendering, now
                    assert response.headers["ETag"] == seen.etag
                elif self.refused and response.status_code == 200:
                    raise AssertionError(f"{read.label}: a refused write changed its ETag")
            assert answer_of(response) == expected, f"{read.label}: stale answer ({after})"
            if response.status_code != 200:
                self.seen.pop(read, None)
                continue
            etag = response.headers["ETag"]
            if seen is None or etag != seen.etag:
                current = read.get(self.api, etag)
                assert current.status_code == 304, (
                    f"{read.label}: its current ETag got {current.status_code}"
                )
                assert current.headers["ETag"] == etag
            self.seen[read] = Seen(etag, expected)
        self.gone.clear()


def test_cached_reads_never_lie(app: FastAPI, connection: Connection) -> None:
    """Random sequences of writes never leave a chart, scorecard or matrix poll showing (or
    confirming with a 304) anything but what rendering it afresh shows."""

    class OneOrganisationPerExample(CachedReads):
        def __init__(self) -> None:
            super().__init__(app, connection)

    run_state_machine_as_test(OneOrganisationPerExample, settings=SETTINGS)
