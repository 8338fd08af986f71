"""Two kinds of 422, told apart by their `type`: `validation-error` when a request departs from
the OpenAPI document, `rule-broken` when the document admits it but a rule it states in words
refuses it. The fuzzer (tests/fuzz) holds the document to this; these are its worked cases."""

import uuid
from typing import Any

from fastapi.testclient import TestClient

from tests.api.factories import API, GOALS, MEASURES, PROJECTS
from tests.api.test_errors import fields
from tests.data.support import post_csv

VALIDATION_ERROR = "urn:pdsa:problem:validation-error"
RULE_BROKEN = "urn:pdsa:problem:rule-broken"


def kind(response: Any) -> str:
    assert response.status_code == 422, response.text
    problem_type: str = response.json()["type"]
    return problem_type


def test_a_body_the_document_refuses_is_a_validation_error(api: TestClient) -> None:
    response = api.post(GOALS.collection, json={**GOALS.body(), "title": 7})

    assert kind(response) == VALIDATION_ERROR


def test_a_link_to_a_goal_that_does_not_exist_breaks_a_rule(api: TestClient) -> None:
    response = api.post(
        MEASURES.collection, json={**MEASURES.body(), "goal_ids": [str(uuid.uuid4())]}
    )

    assert kind(response) == RULE_BROKEN
    assert fields(response) == ["body.goal_ids.0"]


def test_an_end_before_its_start_breaks_a_rule(api: TestClient) -> None:
    body = {**PROJECTS.body(), "start_date": "2027-03-01", "end_date": "2027-02-01"}

    response = api.post(PROJECTS.collection, json=body)

    assert kind(response) == RULE_BROKEN
    assert fields(response) == ["body.end_date"]


def test_a_point_off_the_measures_frequency_breaks_a_rule(api: TestClient) -> None:
    measure = MEASURES.create(api, frequency="week")["id"]

    response = api.post(
        f"{API}/measures/{measure}/data",
        json={"period": "2026-03-03", "numerator": 1, "denominator": 2},
    )

    assert kind(response) == RULE_BROKEN


def test_a_csv_with_the_wrong_header_breaks_a_rule(api: TestClient) -> None:
    measure = MEASURES.create(api)["id"]

    response = post_csv(api, f"{API}/measures/{measure}/data", "when,how many\n2026-03-02,4\n")

    assert kind(response) == RULE_BROKEN


def test_an_id_named_twice_is_refused_with_the_body_before_any_precondition(
    api: TestClient,
) -> None:
    goal = GOALS.create(api)["id"]
    measure = MEASURES.create(api)["id"]

    response = api.patch(
        f"{API}/measures/{measure}",
        json={"goal_ids": [goal, goal]},
        headers={"If-Match": '"stale"'},
    )

    assert kind(response) == VALIDATION_ERROR
    assert fields(response) == ["body.goal_ids"]


def test_a_query_parameter_the_operation_does_not_take_is_refused(api: TestClient) -> None:
    response = api.get(GOALS.collection, params={"limt": 10})

    assert kind(response) == VALIDATION_ERROR
    assert fields(response) == ["query.limt"]


def test_a_query_parameter_given_twice_is_refused(api: TestClient) -> None:
    response = api.get(f"{GOALS.collection}?owner=A&owner=B")

    assert kind(response) == VALIDATION_ERROR
    assert fields(response) == ["query.owner"]


def test_an_instant_outside_the_calendar_in_utc_is_refused(api: TestClient) -> None:
    response = api.get(f"{API}/audit", params={"since": "0001-01-01T00:01:00+01:00"})

    assert kind(response) == VALIDATION_ERROR
    assert fields(response) == ["query.since"]


def test_every_text_field_of_a_body_says_it_holds_no_nul(document: dict[str, Any]) -> None:
    title = document["components"]["schemas"]["GoalCreate"]["properties"]["title"]

    assert title["pattern"] == "^[^\\x00]*$"


def test_optional_bounds_are_stated_as_json_schema_knows_them(document: dict[str, Any]) -> None:
    baseline = document["components"]["schemas"]["MeasurePhases"]["properties"]["baseline_points"]

    assert baseline["anyOf"][0] == {"type": "integer", "minimum": 2, "maximum": 10_000}
