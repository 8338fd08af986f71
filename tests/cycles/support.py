"""Bodies, paths and small helpers shared by the PDSA cycle tests.

Each body function returns a fresh dict, so a test may change its copy; keyword arguments
replace (or add) top-level fields.
"""

import uuid
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from tests.api.payloads import API, MEASURES, PROJECTS, Body, create, measure, project

CYCLES = f"{API}/cycles"
LEARNING = f"{API}/learning"
ORGANISATION = f"{API}/organisation"

# The order a cycle's status moves through, one step at a time.
LIFECYCLE = ["planned", "doing", "studying", "acting", "completed"]


def cycles_of(project_id: str) -> str:
    return f"{PROJECTS}/{project_id}/cycles"


def timeline_of(project_id: str) -> str:
    return f"{PROJECTS}/{project_id}/cycles/timeline"


def annotations_of(measure_id: str) -> str:
    return f"{MEASURES}/{measure_id}/annotations"


def cycle_url(cycle_id: str) -> str:
    return f"{CYCLES}/{cycle_id}"


def days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def missing_id() -> str:
    return str(uuid.uuid4())


def plan(**changes: Any) -> Body:
    """The Plan part of the worksheet: a cycle as it is first recorded."""
    return {
        "title": "PDSA 1: signing at review",
        "change_idea": "Offer the care plan for signature at the weekly review",
        "objective": "Find out whether people will sign when asked at review",
        "questions": ["Will people sign when asked?", "How long does asking take?"],
        "predictions": [
            {"statement": "At least 6 of 10 people will sign their plan at review"},
            {"statement": "Asking will take under five minutes"},
        ],
        "who": "Ward 7 sister with two named nurses",
        "what": "Offer each plan for signature at the weekly review",
        "where": "Ward 7, bays A and B",
        "data_collection": "Tally of plans offered and signed",
        "planned_start": "2026-03-02",
        "planned_end": "2026-03-13",
    } | changes


DO = {
    "actual_start": "2026-03-03",
    "actual_end": "2026-03-13",
    "what_happened": "Ten plans offered at two reviews",
    "observations": "People asked to read the plan first",
    "problems": "One review was cancelled for staffing",
    "unexpected_effects": "Families asked for copies",
}
STUDY = {
    "results": "7 of 10 signed; two wanted a family member present",
    "learning": "People sign when asked at review, not on the ward round",
    "predictions": [
        {
            "statement": "At least 6 of 10 people will sign their plan at review",
            "outcome": "confirmed",
            "note": "7 of 10 signed",
        },
        {
            "statement": "Asking will take under five minutes",
            "outcome": "not_confirmed",
            "note": "Most took ten minutes: people read the plan first",
        },
    ],
}
ACT = {"decision": "adapt", "next_step": "Test with all patients in bay C"}


def completed(**changes: Any) -> Body:
    """A whole worksheet, logged after the event as a completed cycle."""
    return plan(**DO) | STUDY | ACT | {"status": "completed"} | changes


def new_measure(client: TestClient, **changes: Any) -> str:
    return str(create(client, MEASURES, measure(**changes))["id"])


def new_project(client: TestClient, measure_ids: list[str] | None = None, **changes: Any) -> str:
    """A project, linked to `measure_ids` (as outcome measures)."""
    measures = [{"measure_id": m, "role": "outcome"} for m in measure_ids or []]
    return str(create(client, PROJECTS, project(measures=measures, **changes))["id"])


def new_cycle(client: TestClient, project_id: str, **changes: Any) -> Body:
    return create(client, cycles_of(project_id), plan(**changes))


def patch(client: TestClient, cycle_id: str, body: Body) -> Body:
    """PATCH a cycle, insisting it succeeds; the cycle after the change."""
    response = client.patch(cycle_url(cycle_id), json=body)
    assert response.status_code == 200, response.text
    changed: Body = response.json()
    return changed


def read(client: TestClient, path: str, **params: str | int) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def listed_ids(client: TestClient, path: str, **params: str | int) -> list[str]:
    """The ids on the first page of a (filtered) collection, in order."""
    return [item["id"] for item in read(client, path, **params)["items"]]


def error_fields(response: Response) -> list[str]:
    """The fields a problem response names as offending."""
    return [error["field"] for error in response.json().get("errors", [])]


def completed_cycle(client: TestClient, project_id: str, **changes: Any) -> Body:
    """A cycle driven over HTTP from planned to completed; the completed cycle."""
    cycle_id = str(new_cycle(client, project_id)["id"])
    patch(client, cycle_id, {"status": "doing"} | DO)
    patch(client, cycle_id, {"status": "studying"})
    patch(client, cycle_id, {"status": "acting"} | STUDY)
    return patch(client, cycle_id, {"status": "completed"} | ACT | changes)
