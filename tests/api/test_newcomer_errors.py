"""Errors a newcomer met on a first afternoon with the API, each answered so that they can act
on it: where their JSON breaks, how to send a body and a key, what blocks a delete, a
percentage given where a fraction is stored, and what changed under a reused Idempotency-Key."""

import json
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import (
    GOALS,
    MEASURES,
    PROJECTS,
    TARGETS,
    Body,
    create_goal,
    create_measure,
    create_project,
    error_fields,
    goal,
    measure,
    national_target,
)
from tests.charts.support import create_measure as continuous_measure
from tests.charts.support import post_values, read_chart
from tests.charts.support import weeks as chart_weeks
from tests.conftest import Tenant
from tests.cycles.support import cycles_of, new_cycle, new_project
from tests.data.support import data_url, post_csv

VALIDATION_ERROR = "urn:pdsa:problem:validation-error"
RULE_BROKEN = "urn:pdsa:problem:rule-broken"
JSON = {"Content-Type": "application/json"}
SEND_A_KEY = "`Authorization: Bearer <key>` (or `X-API-Key: <key>`)"


def problem(response: httpx2.Response, status: int) -> Body:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: Body = response.json()
    return body


def refused(response: httpx2.Response) -> tuple[str, list[str]]:
    """A 422's type and the fields it names."""
    return problem(response, 422)["type"], error_fields(response)


def messages(response: httpx2.Response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def a_measure(api: TestClient, **changes: Any) -> str:
    return str(create_measure(api, **changes)["id"])


# --- malformed JSON ---------------------------------------------------------------------------


def test_malformed_json_is_placed_by_line_and_column(api: TestClient) -> None:
    response = api.post(GOALS, content=b'{"title": "Care" "status": "active"}', headers=JSON)

    assert problem(response, 422)["type"] == VALIDATION_ERROR
    assert response.json()["errors"] == [
        {
            "field": "body",
            "message": "not valid JSON at line 1, column 18: Expecting ',' delimiter",
            "type": "json_invalid",
        }
    ]


def test_malformed_json_on_a_later_line_names_that_line(api: TestClient) -> None:
    body = b'{\n  "title": "Care",\n  "status": "active",\n}'

    response = api.post(GOALS, content=body, headers=JSON)

    assert messages(response) == [
        "not valid JSON at line 4, column 1: Expecting property name enclosed in double quotes"
    ]


def test_malformed_json_sent_as_data_is_placed_by_line_and_column_too(api: TestClient) -> None:
    url = data_url(a_measure(api))

    response = api.post(url, content=b'[{"period": "2026-03-02"\n "value": 1}]', headers=JSON)

    assert refused(response) == (VALIDATION_ERROR, ["body"])
    assert messages(response)[0].startswith("not valid JSON at line 2, column ")


# --- a body not sent as JSON ------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded"])
def test_json_sent_without_a_json_content_type_is_told_to_say_so(
    api: TestClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}

    response = api.post(
        GOALS, content=httpx2.Request("POST", "/", json=goal()).content, headers=headers
    )

    assert problem(response, 415)["detail"] == (
        "Send the body as JSON with Content-Type: application/json."
    )
    assert error_fields(response) == ["header.content-type"]


def test_a_patch_not_sent_as_json_is_told_the_same(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]

    response = api.patch(f"{GOALS}/{goal_id}", content=b'{"status": "achieved"}')

    assert problem(response, 415)["type"] == "urn:pdsa:problem:unsupported-media-type"


def test_every_operation_with_a_body_documents_the_415(document: Body) -> None:
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation and "415" not in operation["responses"]
    ]

    assert undocumented == []


# --- the API key ------------------------------------------------------------------------------


def test_a_key_sent_without_bearer_is_told_how_to_send_it(app: FastAPI, tenant: Tenant) -> None:
    client = TestClient(app, headers={"Authorization": tenant.read_key})

    response = client.get(GOALS)

    assert problem(response, 401)["detail"] == f"Send the key as {SEND_A_KEY}."


def test_no_key_at_all_is_told_that_one_is_needed_and_how_to_send_it(
    anonymous: TestClient,
) -> None:
    response = anonymous.get(GOALS)

    assert problem(response, 401)["detail"] == (f"An API key is required: send it as {SEND_A_KEY}.")


# --- what blocks a delete ---------------------------------------------------------------------


def test_deleting_a_goal_in_use_names_each_referrer(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = a_measure(api, goal_ids=[goal_id])
    project_id = create_project(api, goal_ids=[goal_id])["id"]

    detail = problem(api.delete(f"{GOALS}/{goal_id}"), 409)["detail"]

    assert f"1 measure ({measure_id}) and 1 project ({project_id})" in detail


def test_deleting_a_goal_in_use_lists_its_referrers_as_data_too(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_id = a_measure(api, goal_ids=[goal_id])

    refusal = problem(api.delete(f"{GOALS}/{goal_id}"), 409)

    assert refusal["referrers"] == [{"resource_type": "measure", "total": 1, "ids": [measure_id]}]


def test_a_long_list_of_referrers_names_ten_and_counts_the_rest(api: TestClient) -> None:
    goal_id = create_goal(api)["id"]
    measure_ids = sorted(a_measure(api, goal_ids=[goal_id]) for _ in range(12))

    refusal = problem(api.delete(f"{GOALS}/{goal_id}"), 409)

    [measures] = refusal["referrers"]
    assert (measures["total"], measures["ids"]) == (12, measure_ids[:10])
    assert f"12 measures ({', '.join(measure_ids[:10])} and 2 more)" in refusal["detail"]


def test_deleting_a_project_with_cycles_says_to_close_it_instead(api: TestClient) -> None:
    project_id = new_project(api)
    cycle_id = new_cycle(api, project_id)["id"]

    detail = problem(api.delete(f"{PROJECTS}/{project_id}"), 409)["detail"]

    assert f"1 PDSA cycle ({cycle_id})" in detail
    assert "set the project's status to closed instead" in detail


def test_the_project_closed_as_told_keeps_its_cycles(api: TestClient) -> None:
    project_id = new_project(api)
    new_cycle(api, project_id)

    closed = api.patch(f"{PROJECTS}/{project_id}", json={"status": "closed"})

    assert closed.status_code == 200, closed.text
    assert api.get(cycles_of(project_id)).json()["total"] == 1


# --- counts in words --------------------------------------------------------------------------


def test_one_bad_data_point_is_one_problem(api: TestClient) -> None:
    url = data_url(a_measure(api))

    response = api.post(url, json=[{"period": "2026-03-03", "numerator": 1, "denominator": 2}])

    assert problem(response, 422)["detail"].startswith("1 problem in the data points")


def test_a_csv_row_of_one_cell_is_one_cell(api: TestClient) -> None:
    url = data_url(a_measure(api))

    response = post_csv(api, url, "period,numerator,denominator\n2026-03-02\n")

    assert messages(response) == ["has 1 cell; the header has 3"]


def test_one_missing_period_is_one_period(api: TestClient) -> None:
    measure_id = continuous_measure(api, frequency="week")["id"]
    periods = chart_weeks(4)
    del periods[1]
    post_values(api, measure_id, periods, [10.0, 12.0, 11.0])

    [gap] = [w for w in read_chart(api, measure_id)["warnings"] if w["code"] == "missing_periods"]

    assert gap["message"].startswith(f"No data for 1 period: {chart_weeks(4)[1].isoformat()}.")


# --- a proportion's target is a fraction ------------------------------------------------------


def test_a_percentage_as_a_proportions_target_is_refused_with_the_fraction_meant(
    api: TestClient,
) -> None:
    response = api.post(MEASURES, json=measure(value_type="proportion", target=90))

    assert refused(response) == (RULE_BROKEN, ["body.target"])
    assert messages(response) == [
        "a proportion's target is a fraction between 0 and 1: did you mean 0.9?"
    ]


def test_a_count_may_have_a_target_of_ninety(api: TestClient) -> None:
    response = api.post(MEASURES, json=measure(value_type="count", target=90))

    assert response.status_code == 201, response.text


def test_a_patch_to_a_percentage_target_is_refused(api: TestClient) -> None:
    measure_id = a_measure(api, value_type="proportion", target=0.9)

    response = api.patch(f"{MEASURES}/{measure_id}", json={"target": 90})

    assert refused(response) == (RULE_BROKEN, ["body.target"])


def test_a_patch_making_a_measure_with_a_target_of_ninety_a_proportion_is_refused(
    api: TestClient,
) -> None:
    measure_id = a_measure(api, value_type="count", target=90)

    response = api.patch(f"{MEASURES}/{measure_id}", json={"value_type": "proportion"})

    assert refused(response) == (RULE_BROKEN, ["body.target"])


def test_a_percentage_as_the_threshold_of_a_target_on_a_proportion_is_refused(
    api: TestClient,
) -> None:
    body = national_target(threshold=78, measure_id=a_measure(api, value_type="proportion"))

    response = api.post(TARGETS, json=body)

    assert refused(response) == (RULE_BROKEN, ["body.threshold"])
    assert messages(response) == [
        "a proportion's threshold is a fraction between 0 and 1: did you mean 0.78?"
    ]


def test_a_target_on_no_measure_may_have_any_threshold(api: TestClient) -> None:
    response = api.post(TARGETS, json=national_target(threshold=78, measure_id=None))

    assert response.status_code == 201, response.text


# --- a reused Idempotency-Key -----------------------------------------------------------------

POINT = {"period": "2026-03-02", "numerator": 41, "denominator": 52}


def keyed(key: str, **headers: str) -> dict[str, str]:
    return {"Idempotency-Key": key, **headers}


def test_a_key_reused_for_another_measure_says_the_path_differed(api: TestClient) -> None:
    api.post(data_url(a_measure(api)), json=POINT, headers=keyed("walkthrough-1"))

    response = api.post(data_url(a_measure(api)), json=POINT, headers=keyed("walkthrough-1"))

    assert refused(response) == (RULE_BROKEN, ["header.idempotency-key"])
    assert messages(response) == ["was first used with a different method or path"]


def test_a_key_reused_with_another_body_says_the_body_differed(api: TestClient) -> None:
    url = data_url(a_measure(api))
    api.post(url, json=POINT, headers=keyed("k-1"))

    response = api.post(url, json={**POINT, "numerator": 42}, headers=keyed("k-1"))

    assert messages(response) == ["was first used with a different body"]


def test_a_key_reused_with_another_content_type_says_so(api: TestClient) -> None:
    url = data_url(a_measure(api))
    content = json.dumps(POINT).encode()
    api.post(url, content=content, headers=keyed("k-1", **JSON))

    charset = {"Content-Type": "application/json; charset=utf-8"}
    response = api.post(url, content=content, headers=keyed("k-1", **charset))

    assert messages(response) == ["was first used with a different Content-Type"]
