"""Filtering a project's cycles by status, decision, change idea, dates and measure.

(The `overdue` filter is specified with the overdue rule, in test_overdue.py.)"""

import pytest
from fastapi.testclient import TestClient

from tests.api.payloads import create
from tests.cycles.support import (
    DO,
    completed,
    cycles_of,
    error_fields,
    listed_ids,
    new_cycle,
    new_measure,
    new_project,
    patch,
    read,
)


def test_cycles_can_be_filtered_by_status(api: TestClient) -> None:
    project_id = new_project(api)
    new_cycle(api, project_id)
    doing = new_cycle(api, project_id, title="PDSA 2")["id"]
    patch(api, doing, {"status": "doing"})

    assert listed_ids(api, cycles_of(project_id), status="doing") == [doing]


def test_cycles_can_be_filtered_by_decision(api: TestClient) -> None:
    project_id = new_project(api)
    create(api, cycles_of(project_id), completed(decision="adopt"))
    abandoned = create(api, cycles_of(project_id), completed(decision="abandon"))["id"]
    new_cycle(api, project_id)

    assert listed_ids(api, cycles_of(project_id), decision="abandon") == [abandoned]


@pytest.mark.parametrize("query", ["SIGNATURE", "signature at the weekly", "Offer the care"])
def test_the_change_idea_filter_finds_ideas_containing_the_text_in_any_case(
    api: TestClient, query: str
) -> None:
    project_id = new_project(api)
    offered = new_cycle(
        api, project_id, change_idea="Offer the care plan for signature at the weekly review"
    )["id"]
    new_cycle(api, project_id, change_idea="Huddle before the ward round")

    assert listed_ids(api, cycles_of(project_id), change_idea=query) == [offered]


def test_a_percent_sign_in_the_change_idea_filter_is_matched_literally(api: TestClient) -> None:
    project_id = new_project(api)
    percent = new_cycle(api, project_id, change_idea="Raise signing to 90% of plans")["id"]
    new_cycle(api, project_id, change_idea="Review signing after 90 days")

    assert listed_ids(api, cycles_of(project_id), change_idea="90%") == [percent]


def test_an_underscore_in_the_change_idea_filter_is_matched_literally(api: TestClient) -> None:
    project_id = new_project(api)
    underscored = new_cycle(api, project_id, change_idea="Use the care_plan_v2 template")["id"]
    new_cycle(api, project_id, change_idea="Use the care plan template")

    assert listed_ids(api, cycles_of(project_id), change_idea="care_plan") == [underscored]


def test_an_unknown_status_filter_is_refused(api: TestClient) -> None:
    response = api.get(cycles_of(new_project(api)), params={"status": "finished"})

    assert response.status_code == 422
    assert error_fields(response) == ["query.status"]


def test_an_unknown_decision_filter_is_refused(api: TestClient) -> None:
    response = api.get(cycles_of(new_project(api)), params={"decision": "continue"})

    assert response.status_code == 422
    assert error_fields(response) == ["query.decision"]


class TestDateRange:
    """`date_from`/`date_to` select the cycles whose span (actual, else planned dates)
    overlaps the range."""

    @pytest.fixture
    def march(self, api: TestClient) -> tuple[str, dict[str, str]]:
        """A project with cycles planned for early, mid and late March 2026."""
        project_id = new_project(api)
        spans = {
            "early": ("2026-03-02", "2026-03-08"),
            "mid": ("2026-03-09", "2026-03-15"),
            "late": ("2026-03-23", "2026-03-29"),
        }
        ids = {
            name: new_cycle(api, project_id, title=name, planned_start=s, planned_end=e)["id"]
            for name, (s, e) in spans.items()
        }
        return project_id, ids

    def test_a_range_selects_the_cycles_running_within_it(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, ids = march

        listed = listed_ids(
            api, cycles_of(project_id), date_from="2026-03-10", date_to="2026-03-14"
        )

        assert listed == [ids["mid"]]

    def test_a_cycle_overlapping_either_edge_of_the_range_is_selected(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, ids = march

        listed = listed_ids(
            api, cycles_of(project_id), date_from="2026-03-08", date_to="2026-03-23"
        )

        assert listed == [ids["early"], ids["mid"], ids["late"]]

    def test_the_range_edges_are_inclusive(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, ids = march

        assert listed_ids(api, cycles_of(project_id), date_from="2026-03-29") == [ids["late"]]
        assert listed_ids(api, cycles_of(project_id), date_to="2026-03-02") == [ids["early"]]

    def test_date_from_alone_selects_cycles_still_running_on_or_after_it(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, ids = march

        listed = listed_ids(api, cycles_of(project_id), date_from="2026-03-16")

        assert listed == [ids["late"]]

    def test_date_to_alone_selects_cycles_started_on_or_before_it(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, ids = march

        listed = listed_ids(api, cycles_of(project_id), date_to="2026-03-09")

        assert listed == [ids["early"], ids["mid"]]

    def test_a_range_between_cycles_selects_none(
        self, api: TestClient, march: tuple[str, dict[str, str]]
    ) -> None:
        project_id, _ = march

        listed = listed_ids(
            api, cycles_of(project_id), date_from="2026-03-16", date_to="2026-03-22"
        )

        assert listed == []

    def test_actual_dates_take_the_place_of_planned_ones(self, api: TestClient) -> None:
        project_id = new_project(api)
        # Planned for March, but actually run in May.
        cycle_id = new_cycle(
            api,
            project_id,
            planned_start="2026-03-02",
            planned_end="2026-03-13",
            actual_start="2026-05-04",
            actual_end="2026-05-15",
        )["id"]

        in_march = listed_ids(
            api, cycles_of(project_id), date_from="2026-03-01", date_to="2026-03-31"
        )
        in_may = listed_ids(
            api, cycles_of(project_id), date_from="2026-05-01", date_to="2026-05-31"
        )

        assert (in_march, in_may) == ([], [cycle_id])

    def test_a_cycle_with_no_end_runs_on_indefinitely(self, api: TestClient) -> None:
        project_id = new_project(api)
        open_ended = new_cycle(api, project_id, planned_start="2026-03-02", planned_end=None)["id"]

        assert listed_ids(api, cycles_of(project_id), date_from="2027-01-01") == [open_ended]

    def test_a_cycle_with_no_dates_is_in_no_range(self, api: TestClient) -> None:
        project_id = new_project(api)
        new_cycle(api, project_id, planned_start=None, planned_end=None)

        assert listed_ids(api, cycles_of(project_id), date_to="2030-01-01") == []

    def test_a_date_that_is_not_a_date_is_refused(self, api: TestClient) -> None:
        response = api.get(cycles_of(new_project(api)), params={"date_from": "March"})

        assert response.status_code == 422
        assert error_fields(response) == ["query.date_from"]


def test_cycles_can_be_filtered_by_the_measure_they_link(api: TestClient) -> None:
    signed, time_to_sign = new_measure(api), new_measure(api, name="Time to sign")
    project_id = new_project(api, [signed, time_to_sign])
    linked = new_cycle(api, project_id, measure_ids=[signed, time_to_sign])["id"]
    new_cycle(api, project_id, measure_ids=[time_to_sign])
    new_cycle(api, project_id)

    assert listed_ids(api, cycles_of(project_id), measure_id=signed) == [linked]


def test_filters_combine(api: TestClient) -> None:
    measure_id = new_measure(api)
    project_id = new_project(api, [measure_id])
    wanted = new_cycle(api, project_id, measure_ids=[measure_id])["id"]
    patch(api, wanted, {"status": "doing"} | DO)
    new_cycle(api, project_id, measure_ids=[measure_id])  # planned, not doing
    other = new_cycle(api, project_id, change_idea="Huddle before the ward round")["id"]
    patch(api, other, {"status": "doing"})

    listed = listed_ids(
        api, cycles_of(project_id), status="doing", measure_id=measure_id, change_idea="review"
    )

    assert listed == [wanted]


def test_the_total_counts_the_filtered_cycles(api: TestClient) -> None:
    project_id = new_project(api)
    for n in range(3):
        create(api, cycles_of(project_id), completed(title=f"PDSA {n}", decision="adopt"))
    new_cycle(api, project_id)

    listed = read(api, cycles_of(project_id), decision="adopt", limit=2)

    assert (len(listed["items"]), listed["total"]) == (2, 3)
