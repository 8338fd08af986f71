"""The published OpenAPI document: what a client generator and a newcomer reading /docs rely on.

openapi-spec-validator is not a dependency, so these check the structure that matters here.
"""

from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.api.payloads import API, Body

RESOURCES = ["goals", "measures", "national-targets", "projects"]
ITEM_PATHS = {
    "goals": "/goals/{goal_id}",
    "measures": "/measures/{measure_id}",
    "national-targets": "/national-targets/{target_id}",
    "projects": "/projects/{project_id}",
}
SCHEMA_NAMES = {
    "goals": "Goal",
    "measures": "Measure",
    "national-targets": "NationalTarget",
    "projects": "Project",
}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def operations(document: Body) -> list[tuple[str, str, Body]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith(API)
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def schema(document: Body, name: str) -> Body:
    found: Body = document["components"]["schemas"][name]
    return found


def body_schema_ref(operation: Body) -> Any:
    return operation["requestBody"]["content"]["application/json"]["schema"].get("$ref")


def test_the_document_is_openapi_3_with_title_version_and_paths(document: Body) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    assert document["info"]["version"]
    assert document["paths"]


def test_both_ways_of_presenting_an_api_key_are_declared(document: Body) -> None:
    schemes = document["components"]["securitySchemes"].values()

    assert any(s["type"] == "http" and s["scheme"].lower() == "bearer" for s in schemes)
    assert any(s["type"] == "apiKey" and s["in"] == "header" for s in schemes)


def test_every_api_operation_requires_a_declared_security_scheme(document: Body) -> None:
    declared = set(document["components"]["securitySchemes"])

    unsecured = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(document)
        if not operation.get("security")
        or not all(set(requirement) <= declared for requirement in operation["security"])
    ]

    assert unsecured == []


@pytest.mark.parametrize("resource", RESOURCES)
def test_each_resource_has_its_collection_and_item_operations(
    document: Body, resource: str
) -> None:
    collection = document["paths"][f"{API}/{resource}"]
    item = document["paths"][f"{API}{ITEM_PATHS[resource]}"]

    assert {"get", "post"} <= collection.keys()
    assert {"get", "patch", "delete"} <= item.keys()


def test_the_matrix_is_published(document: Body) -> None:
    assert "get" in document["paths"][f"{API}/matrix"]
    assert document["paths"][f"{API}/matrix"]["get"]["responses"]["200"]


@pytest.mark.parametrize(
    ("schema_name", "fields"),
    [
        ("GoalCreate", ["title", "owner", "review_date"]),
        ("MeasureCreate", ["name", "operational_definition", "unit", "target"]),
        ("NationalTargetCreate", ["code", "title", "issuing_body", "comparator", "threshold"]),
        ("ProjectCreate", ["title", "aim"]),
        ("Promise", ["user_need", "promise"]),
        ("Stakeholder", ["name", "readiness", "confidence", "importance"]),
    ],
)
def test_create_schemas_carry_examples_for_their_main_fields(
    document: Body, schema_name: str, fields: list[str]
) -> None:
    properties = schema(document, schema_name)["properties"]

    assert [field for field in fields if not properties[field].get("examples")] == []


@pytest.mark.parametrize("resource", RESOURCES)
def test_create_and_patch_take_their_own_schemas(document: Body, resource: str) -> None:
    name = SCHEMA_NAMES[resource]
    create = document["paths"][f"{API}/{resource}"]["post"]
    patch = document["paths"][f"{API}{ITEM_PATHS[resource]}"]["patch"]

    assert body_schema_ref(create) == f"#/components/schemas/{name}Create"
    assert body_schema_ref(patch) == f"#/components/schemas/{name}Update"


@pytest.mark.parametrize("resource", RESOURCES)
def test_patch_schemas_require_nothing_and_refuse_unknown_fields(
    document: Body, resource: str
) -> None:
    update = schema(document, f"{SCHEMA_NAMES[resource]}Update")

    assert update.get("required", []) == []
    assert update["additionalProperties"] is False


@pytest.mark.parametrize("resource", RESOURCES)
def test_lists_are_documented_as_pages(document: Body, resource: str) -> None:
    response = document["paths"][f"{API}/{resource}"]["get"]["responses"]["200"]
    page_ref = response["content"]["application/json"]["schema"]["$ref"]

    page = document["components"]["schemas"][page_ref.rsplit("/", 1)[-1]]
    assert {"items", "total", "limit", "offset"} <= page["properties"].keys()


def test_validation_errors_are_documented_as_problem_details(document: Body) -> None:
    """The API answers 422 with application/problem+json; the document should say so."""
    undocumented = [
        f"{method.upper()} {path}"
        for path, method, operation in operations(document)
        if "422" in operation["responses"]
        and "application/problem+json" not in operation["responses"]["422"].get("content", {})
    ]

    assert undocumented == []


def test_the_document_is_valid_openapi_3(document: Body) -> None:
    validate(document)


def test_a_routes_own_account_of_an_error_is_kept_beside_the_problem_schema(
    document: Body,
) -> None:
    transition = document["paths"]["/api/v1/cycles/{cycle_id}"]["patch"]["responses"]["409"]
    media = document["paths"]["/api/v1/measures/{measure_id}/data"]["post"]["responses"]["415"]

    assert transition["description"] == "An illegal transition, with the reason"
    assert media["description"] == "Neither JSON nor CSV"
    for response in (transition, media):
        assert response["content"] == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
        }
