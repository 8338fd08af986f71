"""Hostile input: every answer is a documented problem naming the field, nothing is stored, and
no body can make the service do unbounded work or answer 500."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.factories import API, GOALS, MEASURES, PROJECTS, TARGETS, Resource
from tests.api.test_errors import fields
from tests.data.support import CSV, continuous_measure, post_csv

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999"]


def post_raw(api: TestClient, url: str, body: str) -> Any:
    return api.post(url, content=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize(
    ("resource", "field"),
    [(MEASURES, "target"), (MEASURES, "rate_multiplier"), (TARGETS, "threshold")],
)
def test_a_number_that_is_not_finite_is_refused(
    api: TestClient, resource: Resource, field: str, number: str
) -> None:
    body = resource.body()
    body[field] = 1.5
    text = json.dumps(body).replace(f'"{field}": 1.5', f'"{field}": {number}')

    response = post_raw(api, resource.collection, text)

    assert response.status_code == 422, response.text
    assert fields(response) == [f"body.{field}"]
    assert api.get(resource.collection).json()["total"] == 0


def test_a_whole_number_written_with_a_point_is_the_whole_number(api: TestClient) -> None:
    response = api.patch(f"{API}/organisation", json={"cycle_overdue_days": 200.0})

    assert response.status_code == 200, response.text
    assert response.json()["cycle_overdue_days"] == 200


def test_a_number_with_a_fraction_is_not_a_whole_number(api: TestClient) -> None:
    response = api.patch(f"{API}/organisation", json={"cycle_overdue_days": 14.5})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.cycle_overdue_days"]


def test_a_nul_character_in_a_text_field_is_refused(api: TestClient) -> None:
    response = api.post(GOALS.collection, json={**GOALS.body(), "title": "Safer\x00wards"})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.title"]
    assert "NUL" in response.json()["errors"][0]["message"]
    assert api.get(GOALS.collection).json()["total"] == 0


def test_a_nul_character_in_a_list_of_texts_is_refused(api: TestClient) -> None:
    response = api.post(PROJECTS.collection, json={**PROJECTS.body(), "team": ["Ann", "B\x00b"]})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.team"]


def test_a_nul_character_in_a_filter_is_refused(api: TestClient) -> None:
    response = api.get(GOALS.collection, params={"owner": "Dr\x00Who"})

    assert response.status_code == 422, response.text
    assert fields(response) == ["query.owner"]


def test_a_team_member_is_at_most_500_characters(api: TestClient) -> None:
    response = api.post(PROJECTS.collection, json={**PROJECTS.body(), "team": ["x" * 501]})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.team.0"]


def test_a_unix_time_is_not_an_audit_bound(api: TestClient) -> None:
    for bound in ("since", "until"):
        response = api.get(f"{API}/audit", params={bound: "1700000000"})

        assert response.status_code == 422, response.text
        assert fields(response) == [f"query.{bound}"]


def test_an_iso_instant_is_an_audit_bound(api: TestClient) -> None:
    response = api.get(f"{API}/audit", params={"since": "2026-03-02T09:00:00Z"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("rule", ["trend_points", "shift_points"])
def test_a_run_of_one_point_is_refused_by_the_schema_and_the_server(
    api: TestClient, document: dict[str, Any], rule: str
) -> None:
    measure = continuous_measure(api).removesuffix("/data")
    [parameter] = [
        p
        for p in document["paths"]["/api/v1/measures/{measure_id}/chart"]["get"]["parameters"]
        if p["name"] == rule
    ]

    response = api.get(f"{measure}/chart", params={rule: 1})

    assert response.status_code == 422, response.text
    assert fields(response) == [f"query.{rule}"]
    assert {"const": 1} in [
        s.get("not") for s in [parameter["schema"], *parameter["schema"].get("anyOf", [])]
    ]


def test_a_method_a_path_does_not_take_lists_every_method_it_does(api: TestClient) -> None:
    response = api.put(GOALS.collection, json={})

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/problem+json"


def test_an_operation_with_a_body_documents_the_400_of_an_unreadable_one(
    api: TestClient, document: dict[str, Any]
) -> None:
    response = api.post(
        GOALS.collection, content=b'{"title": "\xff"}', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "400" in document["paths"]["/api/v1/goals"]["post"]["responses"]


class TestCsv:
    def test_bare_carriage_returns_end_lines(self, api: TestClient) -> None:
        url = continuous_measure(api)

        response = post_csv(api, url, "period,value\r2026-03-02,5\r2026-03-09,7\r")

        assert response.status_code == 201, response.text
        assert response.json()["created"] == 2

    def test_a_cell_beyond_the_csv_bound_is_refused_naming_its_line(self, api: TestClient) -> None:
        url = continuous_measure(api)
        text = f"period,value,annotation\n2026-03-02,5,ok\n2026-03-09,7,{'x' * 131_073}\n"

        response = post_csv(api, url, text)

        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["row"] == 3
        assert api.get(url).json()["total"] == 0

    def test_a_header_of_a_million_columns_costs_one_short_error(self, api: TestClient) -> None:
        url = continuous_measure(api)
        header = "period,value," + ",".join(f"c{n}" for n in range(1_000_000))

        response = post_csv(api, url, header + "\n")

        assert response.status_code == 422, response.text
        assert len(response.content) < 2_000
        assert fields(response) == ["header"]

    def test_problems_listed_are_at_most_a_hundred(self, api: TestClient) -> None:
        url = continuous_measure(api)
        rows = "".join(f"2026-03-{day:02},not a number\n" for day in range(1, 29)) * 10

        response = post_csv(api, url, "period,value\n" + rows)

        assert response.status_code == 422, response.text
        assert len(response.json()["errors"]) == 100
        assert "280 problems" in response.json()["detail"]

    @pytest.mark.parametrize("text", ["=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\tTab"])
    def test_an_annotation_a_spreadsheet_would_run_comes_back_defused(
        self, api: TestClient, text: str
    ) -> None:
        url = continuous_measure(api)
        posted = api.post(url, json={"period": "2026-03-02", "value": -3, "annotation": text})
        assert posted.status_code == 201, posted.text

        exported = api.get(url, headers={"Accept": CSV}).text

        assert exported.splitlines()[1].split(",")[:2] == ["2026-03-02", "-3.0"]
        assert f"'{text}" in exported


def test_every_list_of_ids_in_a_body_says_its_ids_are_unique(document: dict[str, Any]) -> None:
    lists_of_ids = {
        f"{name}.{field}": schema.get("uniqueItems")
        for name, component in document["components"]["schemas"].items()
        if name.endswith(("Create", "Update"))
        for field, schema in component.get("properties", {}).items()
        if schema.get("items", {}).get("format") == "uuid"
    }

    assert lists_of_ids
    assert {field: unique for field, unique in lists_of_ids.items() if not unique} == {}


def test_a_list_naming_a_goal_twice_is_refused(api: TestClient) -> None:
    goal = GOALS.create(api)["id"]

    response = api.post(MEASURES.collection, json={**MEASURES.body(), "goal_ids": [goal, goal]})

    assert response.status_code == 422, response.text
    assert fields(response) == ["body.goal_ids"]
