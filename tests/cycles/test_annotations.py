"""Each cycle's start and end (actual, else planned) become annotations on the charts of the
measures it links to, in date order, queryable by period."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.payloads import create
from tests.conftest import Tenant, client_for
from tests.cycles.support import (
    annotations_of,
    completed,
    cycle_url,
    cycles_of,
    error_fields,
    missing_id,
    new_cycle,
    new_measure,
    new_project,
    read,
)


def events(client: TestClient, measure_id: str, **params: str) -> list[tuple[str, str, str]]:
    """(date, event, cycle id) of each annotation, in the order given."""
    return [
        (a["date"], a["event"], a["cycle_id"])
        for a in read(client, annotations_of(measure_id), **params)
    ]


def linked(api: TestClient, **changes: Any) -> tuple[str, str]:
    """A measure, its project, and nothing else: (measure id, project id)."""
    measure_id = new_measure(api)
    return measure_id, new_project(api, [measure_id], **changes)


def test_a_linked_cycle_marks_its_planned_start_and_end(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-02",
        planned_end="2026-03-13",
    )

    annotations = read(api, annotations_of(measure_id))

    assert annotations == [
        {
            "cycle_id": cycle["id"],
            "title": cycle["title"],
            "event": "start",
            "date": "2026-03-02",
            "decision": None,
        },
        {
            "cycle_id": cycle["id"],
            "title": cycle["title"],
            "event": "end",
            "date": "2026-03-13",
            "decision": None,
        },
    ]


def test_actual_dates_replace_the_planned_ones(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-02",
        planned_end="2026-03-13",
        actual_start="2026-03-04",
        actual_end="2026-03-18",
    )["id"]

    assert events(api, measure_id) == [
        ("2026-03-04", "start", cycle_id),
        ("2026-03-18", "end", cycle_id),
    ]


def test_a_cycle_under_way_ends_on_its_planned_end(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-02",
        planned_end="2026-03-13",
        actual_start="2026-03-04",
    )["id"]

    assert events(api, measure_id) == [
        ("2026-03-04", "start", cycle_id),
        ("2026-03-13", "end", cycle_id),
    ]


def test_an_undated_cycle_marks_nothing(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    new_cycle(api, project_id, measure_ids=[measure_id], planned_start=None, planned_end=None)

    assert read(api, annotations_of(measure_id)) == []


def test_a_cycle_with_only_a_start_marks_only_its_start(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(
        api, project_id, measure_ids=[measure_id], planned_start="2026-03-02", planned_end=None
    )["id"]

    assert events(api, measure_id) == [("2026-03-02", "start", cycle_id)]


def test_annotations_from_several_cycles_are_in_date_order(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    second = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-09",
        planned_end="2026-03-20",
    )["id"]
    first = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-02",
        planned_end="2026-03-13",
    )["id"]

    assert events(api, measure_id) == [
        ("2026-03-02", "start", first),
        ("2026-03-09", "start", second),
        ("2026-03-13", "end", first),
        ("2026-03-20", "end", second),
    ]


def test_a_one_day_cycle_starts_before_it_ends(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(
        api,
        project_id,
        measure_ids=[measure_id],
        planned_start="2026-03-02",
        planned_end="2026-03-02",
    )["id"]

    assert events(api, measure_id) == [
        ("2026-03-02", "start", cycle_id),
        ("2026-03-02", "end", cycle_id),
    ]


def test_only_cycles_linked_to_the_measure_are_annotated(api: TestClient) -> None:
    signed, time_to_sign = new_measure(api), new_measure(api, name="Time to sign")
    project_id = new_project(api, [signed, time_to_sign])
    mine = new_cycle(api, project_id, measure_ids=[signed])["id"]
    new_cycle(api, project_id, measure_ids=[time_to_sign])
    new_cycle(api, project_id)

    assert {cycle_id for _, _, cycle_id in events(api, signed)} == {mine}


def test_cycles_of_every_project_tracking_the_measure_are_annotated(api: TestClient) -> None:
    measure_id = new_measure(api)
    ward_7, ward_3 = new_project(api, [measure_id]), new_project(api, [measure_id], title="Ward 3")
    first = new_cycle(api, ward_7, measure_ids=[measure_id], planned_start="2026-03-02")["id"]
    second = new_cycle(api, ward_3, measure_ids=[measure_id], planned_start="2026-03-03")["id"]

    starts = [cycle_id for _, event, cycle_id in events(api, measure_id) if event == "start"]

    assert starts == [first, second]


def test_an_annotation_carries_the_cycles_decision(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    create(api, cycles_of(project_id), completed(measure_ids=[measure_id], decision="abandon"))

    annotations = read(api, annotations_of(measure_id))

    assert [a["decision"] for a in annotations] == ["abandon", "abandon"]


class TestPeriod:
    @pytest.fixture
    def measure_id(self, api: TestClient) -> str:
        """A measure with one cycle linked, running from 2 to 13 March 2026."""
        measure_id, project_id = linked(api)
        new_cycle(
            api,
            project_id,
            measure_ids=[measure_id],
            planned_start="2026-03-02",
            planned_end="2026-03-13",
        )
        return measure_id

    def test_period_from_leaves_out_earlier_events(self, api: TestClient, measure_id: str) -> None:
        dates = [d for d, _, _ in events(api, measure_id, period_from="2026-03-03")]

        assert dates == ["2026-03-13"]

    def test_period_to_leaves_out_later_events(self, api: TestClient, measure_id: str) -> None:
        dates = [d for d, _, _ in events(api, measure_id, period_to="2026-03-12")]

        assert dates == ["2026-03-02"]

    def test_the_period_includes_its_first_and_last_days(
        self, api: TestClient, measure_id: str
    ) -> None:
        dates = [
            d
            for d, _, _ in events(api, measure_id, period_from="2026-03-02", period_to="2026-03-13")
        ]

        assert dates == ["2026-03-02", "2026-03-13"]

    def test_a_period_between_the_events_holds_none(self, api: TestClient, measure_id: str) -> None:
        assert events(api, measure_id, period_from="2026-03-03", period_to="2026-03-12") == []

    def test_a_period_that_is_not_a_date_is_refused(self, api: TestClient, measure_id: str) -> None:
        response = api.get(annotations_of(measure_id), params={"period_from": "2026-13-01"})

        assert response.status_code == 422
        assert error_fields(response) == ["query.period_from"]


def test_a_read_key_can_read_annotations(api: TestClient, app: FastAPI, tenant: Tenant) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(api, project_id, measure_ids=[measure_id])["id"]

    reader = client_for(app, tenant.read_key)

    assert {cycle_id for _, _, cycle_id in events(reader, measure_id)} == {cycle_id}


def test_another_organisations_measure_annotations_answer_404(
    api: TestClient, other_api: TestClient
) -> None:
    measure_id, project_id = linked(other_api)
    new_cycle(other_api, project_id, measure_ids=[measure_id])

    assert api.get(annotations_of(measure_id)).status_code == 404


def test_the_annotations_of_a_measure_that_does_not_exist_answer_404(api: TestClient) -> None:
    assert api.get(annotations_of(missing_id())).status_code == 404


def test_a_cycle_no_longer_linked_leaves_the_chart(api: TestClient) -> None:
    measure_id, project_id = linked(api)
    cycle_id = new_cycle(api, project_id, measure_ids=[measure_id])["id"]

    response = api.patch(cycle_url(cycle_id), json={"measure_ids": []})

    assert response.status_code == 200
    assert read(api, annotations_of(measure_id)) == []
