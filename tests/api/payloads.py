"""Realistic request bodies for the four columns of the matrix, and small helpers to use them.

Each body function returns a fresh dict, so a test may change its copy freely; keyword
arguments replace (or add) top-level fields.
"""

import uuid
from typing import Any

import httpx2
from fastapi.testclient import TestClient

Body = dict[str, Any]

API = "/api/v1"
GOALS = f"{API}/goals"
MEASURES = f"{API}/measures"
TARGETS = f"{API}/national-targets"
PROJECTS = f"{API}/projects"
MATRIX = f"{API}/matrix"


def goal(**changes: Any) -> Body:
    """A strategic goal framed as a promise to the people it serves."""
    return {
        "title": "Care planned with people, not for them",
        "description": "Everyone with a long-term condition shapes and signs their own care plan.",
        "status": "active",
        "owner": "Director of Nursing",
        "review_date": "2027-03-31",
        "promises": [
            {
                "user_need": "I want to be involved in my own care planning",
                "promise": "Your care plan will be signed by you",
            }
        ],
    } | changes


def safety_goal(**changes: Any) -> Body:
    return (
        goal(
            title="No avoidable harm on our wards",
            status="draft",
            owner="Medical Director",
            review_date="2027-09-30",
            promises=[
                {
                    "user_need": "I want to feel safe when I am in hospital",
                    "promise": "We will help you stay on your feet while you are with us",
                }
            ],
        )
        | changes
    )


def measure(**changes: Any) -> Body:
    """A weekly proportion measure that should go up."""
    return {
        "name": "Care plans signed by the person",
        "operational_definition": (
            "Care plans reviewed in the week that carry the person's signature, divided by"
            " all care plans reviewed that week."
        ),
        "unit": "%",
        "role": "outcome",
        "value_type": "proportion",
        "direction": "increase",
        "frequency": "week",
        "target": 0.9,
        "rate_multiplier": 1.0,
        "goal_ids": [],
    } | changes


def falls_measure(**changes: Any) -> Body:
    """A monthly rate measure that should go down: differs from `measure` in every enum."""
    return (
        measure(
            name="Inpatient falls per 1000 occupied bed days",
            operational_definition="Falls recorded on Datix, per 1000 occupied bed days, by month.",
            unit="falls per 1000 bed days",
            role="balancing",
            value_type="rate",
            direction="decrease",
            frequency="month",
            target=None,
            rate_multiplier=1000.0,
        )
        | changes
    )


def national_target(**changes: Any) -> Body:
    """The four-hour emergency care standard."""
    return {
        "code": "ECB-4HR",
        "title": "Patients admitted, transferred or discharged within 4 hours",
        "issuing_body": "NHS England",
        "comparator": ">=",
        "threshold": 0.78,
        "due_date": "2027-03-31",
        "measure_id": None,
        "goal_ids": [],
    } | changes


def icb_target(**changes: Any) -> Body:
    return (
        national_target(
            code="ICB-FALLS-1",
            title="Inpatient falls with harm fewer than 0.2 per 1000 bed days",
            issuing_body="Northshire Integrated Care Board",
            comparator="<",
            threshold=0.2,
            due_date="2027-12-31",
        )
        | changes
    )


def stakeholder(**changes: Any) -> Body:
    """One row of a stakeholder analysis."""
    return {
        "name": "Ward sisters",
        "readiness": 6,
        "confidence": 4,
        "importance": 8,
        "advantages_of_change": "Fewer complaints about not being listened to",
        "disadvantages_of_change": "Time to sit with each person",
        "advantages_of_no_change": "No new paperwork",
        "disadvantages_of_no_change": "Plans nobody follows",
    } | changes


def project(**changes: Any) -> Body:
    """An improvement project with its team and stakeholder analysis."""
    return {
        "title": "Signed care plans on Ward 7",
        "aim": "90% of care plans on Ward 7 signed by the person by March 2027",
        "lead": "Ward 7 Sister",
        "status": "active",
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "team": ["Ward 7 Sister", "Patient partner", "QI coach"],
        "stakeholders": [
            stakeholder(),
            stakeholder(
                name="Consultant geriatricians",
                readiness=3,
                confidence=7,
                importance=9,
                advantages_of_change="Clearer goals of care",
                disadvantages_of_change="",
                advantages_of_no_change="",
                disadvantages_of_no_change="",
            ),
        ],
        "goal_ids": [],
        "measures": [],
    } | changes


def falls_project(**changes: Any) -> Body:
    return (
        project(
            title="Falls prevention huddles on Ward 3",
            aim="Halve inpatient falls on Ward 3 within a year",
            lead="Falls lead nurse",
            status="proposed",
            start_date="2026-09-01",
            end_date=None,
            team=["Falls lead nurse"],
            stakeholders=[],
        )
        | changes
    )


def create(api: TestClient, path: str, body: Body) -> Body:
    """POST `body` to a collection, insisting it is created; the created resource."""
    response = api.post(path, json=body)
    assert response.status_code == 201, response.text
    created: Body = response.json()
    return created


def create_goal(api: TestClient, **changes: Any) -> Body:
    return create(api, GOALS, goal(**changes))


def create_measure(api: TestClient, **changes: Any) -> Body:
    return create(api, MEASURES, measure(**changes))


def create_target(api: TestClient, **changes: Any) -> Body:
    return create(api, TARGETS, national_target(**changes))


def create_project(api: TestClient, **changes: Any) -> Body:
    return create(api, PROJECTS, project(**changes))


def read(api: TestClient, path: str) -> Body:
    response = api.get(path)
    assert response.status_code == 200, response.text
    body: Body = response.json()
    return body


def page(api: TestClient, path: str, **params: str | int) -> Body:
    """A page of a collection: `{items, total, limit, offset}`."""
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    body: Body = response.json()
    return body


def listed_ids(api: TestClient, path: str, **params: str | int) -> list[str]:
    """The ids on the first page of a (filtered) collection, in order."""
    return [item["id"] for item in page(api, path, **params)["items"]]


def error_fields(response: httpx2.Response) -> list[str]:
    """The fields a problem response names as offending."""
    return [error["field"] for error in response.json().get("errors", [])]


def missing_id() -> str:
    return str(uuid.uuid4())
