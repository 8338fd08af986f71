"""The PDSA routes and the worksheet's fields, with examples, in the published OpenAPI document."""

import pytest

from tests.api.payloads import API, Body

CYCLES = f"{API}/projects/{{project_id}}/cycles"
CYCLE = f"{API}/cycles/{{cycle_id}}"
TIMELINE = f"{API}/projects/{{project_id}}/cycles/timeline"
LEARNING = f"{API}/learning"
ANNOTATIONS = f"{API}/measures/{{measure_id}}/annotations"

# The worksheet's Plan ("who, what, when, where" included) and Study fields.
PLAN_FIELDS = [
    "title",
    "change_idea",
    "objective",
    "questions",
    "who",
    "what",
    "planned_start",
    "planned_end",
    "where",
    "data_collection",
]
STUDY_FIELDS = ["results", "learning"]


def schema(document: Body, name: str) -> Body:
    found: Body = document["components"]["schemas"][name]
    return found


def ref_name(reference: Body) -> str:
    return str(reference["$ref"]).rsplit("/", 1)[-1]


def response_schema(operation: Body) -> Body:
    found: Body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return found


def query_parameters(operation: Body) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        (CYCLES, {"get", "post"}),
        (CYCLE, {"get", "patch", "delete"}),
        (TIMELINE, {"get"}),
        (LEARNING, {"get"}),
        (ANNOTATIONS, {"get"}),
    ],
)
def test_the_pdsa_routes_are_published(document: Body, path: str, methods: set[str]) -> None:
    assert methods <= document["paths"][path].keys()


@pytest.mark.parametrize("field", PLAN_FIELDS + STUDY_FIELDS)
def test_each_plan_and_study_field_has_an_example(document: Body, field: str) -> None:
    assert schema(document, "CycleCreate")["properties"][field].get("examples")


def test_a_prediction_statement_has_an_example(document: Body) -> None:
    assert schema(document, "Prediction")["properties"]["statement"].get("examples")


def test_predictions_are_marked_confirmed_or_not_confirmed(document: Body) -> None:
    assert schema(document, "PredictionOutcome")["enum"] == ["confirmed", "not_confirmed"]


def test_the_act_decision_is_adopt_adapt_or_abandon(document: Body) -> None:
    assert schema(document, "Decision")["enum"] == ["adopt", "adapt", "abandon"]


def test_the_statuses_are_published_in_lifecycle_order(document: Body) -> None:
    assert schema(document, "CycleStatus")["enum"] == [
        "planned",
        "doing",
        "studying",
        "acting",
        "completed",
    ]


def test_a_cycle_needs_only_its_title_and_change_idea(document: Body) -> None:
    assert sorted(schema(document, "CycleCreate")["required"]) == ["change_idea", "title"]


def test_the_cycle_create_and_patch_bodies_refuse_unknown_fields(document: Body) -> None:
    assert schema(document, "CycleCreate")["additionalProperties"] is False
    assert schema(document, "CycleUpdate")["additionalProperties"] is False


def test_a_cycle_patch_requires_nothing(document: Body) -> None:
    assert schema(document, "CycleUpdate").get("required", []) == []


def test_create_and_patch_take_the_cycle_schemas(document: Body) -> None:
    create = document["paths"][CYCLES]["post"]["requestBody"]["content"]["application/json"]
    patch = document["paths"][CYCLE]["patch"]["requestBody"]["content"]["application/json"]

    assert (ref_name(create["schema"]), ref_name(patch["schema"])) == ("CycleCreate", "CycleUpdate")


def test_an_illegal_transition_is_documented_as_a_409(document: Body) -> None:
    assert "409" in document["paths"][CYCLE]["patch"]["responses"]


def test_a_published_cycle_reports_overdue_and_completion(document: Body) -> None:
    properties = schema(document, "CyclePublic")["properties"]

    assert {"overdue", "completed_at", "measure_ids", "project_id"} <= properties.keys()


def test_the_cycle_list_is_a_page_with_its_filters(document: Body) -> None:
    operation = document["paths"][CYCLES]["get"]
    page = schema(document, ref_name(response_schema(operation)))

    assert {"items", "total", "limit", "offset"} <= page["properties"].keys()
    assert {
        "status",
        "decision",
        "change_idea",
        "date_from",
        "date_to",
        "overdue",
        "measure_id",
        "limit",
        "offset",
    } <= query_parameters(operation)


def test_the_learning_log_is_a_page_filtered_by_project_and_decision(document: Body) -> None:
    operation = document["paths"][LEARNING]["get"]

    assert ref_name(response_schema(operation)) == "Page_LearningEntry_"
    assert {"project_id", "decision", "limit", "offset"} <= query_parameters(operation)


def test_annotations_are_queried_by_period(document: Body) -> None:
    operation = document["paths"][ANNOTATIONS]["get"]

    assert {"period_from", "period_to"} <= query_parameters(operation)


def test_the_timeline_places_each_cycle_in_its_ramp(document: Body) -> None:
    entry = schema(document, "TimelineEntry")["properties"]
    ramp = schema(document, "Ramp")["properties"]

    assert {"cycle", "ramp_id", "ramp_step", "followed_by"} <= entry.keys()
    assert {"ramp_id", "cycle_ids", "latest_decision"} <= ramp.keys()
