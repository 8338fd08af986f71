"""GET /measures/{id}/data (period order, range, pages) and DELETE …/data/{period}."""

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlmodel import col

from app.models.data import DataPoint
from tests.conftest import Tenant, client_for
from tests.data.support import (
    PROBLEM_JSON,
    all_points,
    audit_entries,
    continuous_measure,
    periods,
    proportion_measure,
    total,
    weeks,
)


def test_points_are_listed_in_period_order_whatever_order_they_were_posted(
    api: TestClient,
) -> None:
    url = continuous_measure(api)
    for period in ("2026-03-16", "2026-03-02", "2026-03-23", "2026-03-09"):
        api.post(url, json={"period": period, "value": 1})

    assert periods(api, url) == weeks(4)


def test_a_listed_point_has_its_period_value_and_fields(api: TestClient) -> None:
    url = proportion_measure(api)
    api.post(
        url,
        json={
            "period": "2026-03-02",
            "numerator": 41,
            "denominator": 50,
            "annotation": "PDSA 1",
            "source": "audit",
        },
    )

    [point] = all_points(api, url)

    assert point == {
        "period": "2026-03-02",
        "value": 0.82,
        "numerator": 41,
        "denominator": 50,
        "annotation": "PDSA 1",
        "source": "audit",
    }


def test_a_measure_without_data_lists_an_empty_page(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.get(url)

    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_period_from_and_period_to_are_inclusive(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(6)])

    listed = periods(api, url, period_from="2026-03-09", period_to="2026-03-30")

    assert listed == ["2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]


def test_period_from_alone_lists_from_that_period_on(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(4)])

    assert periods(api, url, period_from="2026-03-12") == ["2026-03-16", "2026-03-23"]


def test_period_to_alone_lists_up_to_that_period(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(4)])

    assert periods(api, url, period_to="2026-03-09") == ["2026-03-02", "2026-03-09"]


def test_the_period_range_filters_the_total(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(6)])

    response = api.get(url, params={"period_from": "2026-03-09", "period_to": "2026-03-16"})

    assert response.json()["total"] == 2


def test_an_invalid_period_filter_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.get(url, params={"period_from": "09/03/2026"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)


def test_an_unknown_format_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.get(url, params={"format": "xlsx"})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)


def test_limit_and_offset_select_one_page_of_points_in_period_order(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in reversed(weeks(7))])

    response = api.get(url, params={"limit": 3, "offset": 2})

    body = response.json()
    assert [p["period"] for p in body["items"]] == weeks(7)[2:5]
    assert (body["total"], body["limit"], body["offset"]) == (7, 3, 2)


def test_pages_of_points_cover_every_point_once(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(11)])

    seen = [
        point["period"]
        for offset in range(0, 11, 4)
        for point in api.get(url, params={"limit": 4, "offset": offset}).json()["items"]
    ]

    assert seen == weeks(11)


def test_points_of_one_measure_are_not_listed_under_another(api: TestClient) -> None:
    first = continuous_measure(api)
    second = continuous_measure(api, name="Minutes to triage")
    api.post(first, json={"period": "2026-03-02", "value": 1})

    assert total(api, second) == 0


def test_another_organisation_cannot_read_the_data(api: TestClient, other_api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = other_api.get(url)

    assert response.status_code == 404
    assert "2026-03-02" not in response.text


def test_a_read_only_key_can_read_the_data(api: TestClient, tenant: Tenant) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})
    reader = client_for(api.app, tenant.read_key)  # type: ignore[arg-type]

    assert periods(reader, url) == ["2026-03-02"]


# --- DELETE -----------------------------------------------------------------------------------


def test_a_deleted_point_is_gone_and_the_others_remain(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(3)])

    response = api.delete(f"{url}/2026-03-09")

    assert response.status_code == 204
    assert periods(api, url) == ["2026-03-02", "2026-03-16"]


def test_deleting_a_period_without_a_point_is_404(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 1})

    response = api.delete(f"{url}/2026-03-09")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert total(api, url) == 1


def test_deleting_a_point_twice_is_404_the_second_time(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 1})
    assert api.delete(f"{url}/2026-03-02").status_code == 204

    assert api.delete(f"{url}/2026-03-02").status_code == 404


def test_a_deleted_period_can_be_posted_again_as_created(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 1})
    api.delete(f"{url}/2026-03-02")

    response = api.post(url, json={"period": "2026-03-02", "value": 2})

    assert response.status_code == 201
    assert response.json()["points"] == [{"period": "2026-03-02", "status": "created"}]


def test_deleting_with_a_period_that_is_not_a_date_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.delete(f"{url}/last-week")

    assert response.status_code == 422


def test_another_organisation_cannot_delete_a_point(api: TestClient, other_api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 1})

    response = other_api.delete(f"{url}/2026-03-02")

    assert response.status_code == 404
    assert total(api, url) == 1


def test_a_read_only_key_cannot_delete_a_point(api: TestClient, tenant: Tenant) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 1})
    reader = client_for(api.app, tenant.read_key)  # type: ignore[arg-type]

    response = reader.delete(f"{url}/2026-03-02")

    assert response.status_code == 403
    assert total(api, url) == 1


def test_a_deletion_is_audited_with_the_point_it_removed(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    api.delete(f"{url}/2026-03-02")

    latest = audit_entries(api)[0]
    assert (latest["action"], latest["resource_id"]) == ("delete", url.split("/")[-2])
    assert latest["changes"]["point"]["before"]["period"] == "2026-03-02"
    assert latest["changes"]["point"]["before"]["value"] == 7


def test_deleting_the_measure_deletes_its_data(api: TestClient, connection: Connection) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 7} for p in weeks(3)])
    measure_id = uuid.UUID(url.split("/")[-2])

    assert api.delete(url.removesuffix("/data")).status_code == 204

    assert api.get(url).status_code == 404
    remaining = select(func.count()).where(col(DataPoint.measure_id) == measure_id)
    assert connection.execute(remaining).scalar_one() == 0
