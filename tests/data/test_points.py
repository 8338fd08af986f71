"""POST /measures/{id}/data with JSON: one point or a list, validated as a whole, upserted."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Tenant, client_for
from tests.data.support import (
    PROBLEM_JSON,
    all_points,
    audit_entries,
    continuous_measure,
    count_measure,
    days,
    located,
    periods,
    problems,
    proportion_measure,
    rate_measure,
    total,
    weeks,
)

# --- values by measure type ---------------------------------------------------------------


def test_a_proportion_point_stores_its_value_as_numerator_over_denominator(
    api: TestClient,
) -> None:
    url = proportion_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "numerator": 41, "denominator": 52})

    assert response.status_code == 201, response.text
    [point] = all_points(api, url)
    assert point["value"] == pytest.approx(41 / 52)
    assert (point["numerator"], point["denominator"]) == (41, 52)


def test_a_rate_point_stores_numerator_over_denominator_times_the_multiplier(
    api: TestClient,
) -> None:
    url = rate_measure(api, rate_multiplier=1000.0)

    response = api.post(url, json={"period": "2026-03-01", "numerator": 3, "denominator": 2400})

    assert response.status_code == 201, response.text
    [point] = all_points(api, url)
    assert point["value"] == pytest.approx(1.25)


def test_a_rate_may_have_more_events_than_units_of_exposure(api: TestClient) -> None:
    url = rate_measure(api, rate_multiplier=1.0)

    response = api.post(url, json={"period": "2026-03-01", "numerator": 15, "denominator": 10})

    assert response.status_code == 201, response.text
    assert all_points(api, url)[0]["value"] == pytest.approx(1.5)


def test_a_continuous_point_stores_its_value_as_given(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": -12.75})

    assert response.status_code == 201, response.text
    [point] = all_points(api, url)
    assert point["value"] == -12.75
    assert (point["numerator"], point["denominator"]) == (None, None)


def test_a_count_point_takes_a_whole_number(api: TestClient) -> None:
    url = count_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": 4})

    assert response.status_code == 201, response.text
    assert all_points(api, url)[0]["value"] == 4


def test_annotation_and_source_are_stored_with_the_point(api: TestClient) -> None:
    url = continuous_measure(api)
    point = {"period": "2026-03-02", "value": 7, "annotation": "PDSA 2", "source": "audit-sheet"}

    assert api.post(url, json=point).status_code == 201

    [stored] = all_points(api, url)
    assert (stored["annotation"], stored["source"]) == ("PDSA 2", "audit-sheet")


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(0, 52), (52, 52)],
    ids=["none-of-them", "all-of-them"],
)
def test_a_proportion_numerator_may_be_zero_or_equal_to_the_denominator(
    api: TestClient, numerator: int, denominator: int
) -> None:
    url = proportion_measure(api)

    point = {"period": "2026-03-02", "numerator": numerator, "denominator": denominator}
    response = api.post(url, json=point)

    assert response.status_code == 201, response.text
    assert all_points(api, url)[0]["value"] == numerator / denominator


# --- refused points -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"numerator": 53, "denominator": 52}, "numerator"),
        ({"numerator": -1, "denominator": 52}, "numerator"),
        ({"numerator": 0, "denominator": 0}, "denominator"),
        ({"numerator": 1, "denominator": -4}, "denominator"),
        ({"numerator": 41}, "denominator"),
        ({"denominator": 52}, "numerator"),
        ({"numerator": 41, "denominator": 52, "value": 0.79}, "value"),
        ({"value": 0.79}, "numerator"),
    ],
    ids=[
        "numerator-above-denominator",
        "negative-numerator",
        "zero-denominator",
        "negative-denominator",
        "no-denominator",
        "no-numerator",
        "value-as-well",
        "value-instead",
    ],
)
def test_an_invalid_proportion_point_is_refused_naming_the_field(
    api: TestClient, point: dict[str, Any], field: str
) -> None:
    url = proportion_measure(api)

    response = api.post(url, json={"period": "2026-03-02", **point})

    assert response.status_code == 422
    assert (0, field) in located(response, "index")
    assert total(api, url) == 0


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"numerator": 3, "denominator": 0}, "denominator"),
        ({"numerator": 3}, "denominator"),
        ({"value": 1.25}, "numerator"),
    ],
    ids=["zero-exposure", "no-denominator", "value-instead"],
)
def test_an_invalid_rate_point_is_refused_naming_the_field(
    api: TestClient, point: dict[str, Any], field: str
) -> None:
    url = rate_measure(api)

    response = api.post(url, json={"period": "2026-03-01", **point})

    assert response.status_code == 422
    assert (0, field) in located(response, "index")
    assert total(api, url) == 0


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({}, "value"),
        ({"value": 7, "numerator": 7}, "numerator"),
        ({"numerator": 7, "denominator": 10}, "value"),
        ({"value": "7"}, "value"),
        ({"value": True}, "value"),
    ],
    ids=["no-value", "numerator-as-well", "ratio-instead", "string", "boolean"],
)
def test_an_invalid_continuous_point_is_refused_naming_the_field(
    api: TestClient, point: dict[str, Any], field: str
) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": "2026-03-02", **point})

    assert response.status_code == 422
    assert (0, field) in located(response, "index")
    assert total(api, url) == 0


@pytest.mark.parametrize("value", [2.5, -1], ids=["fraction", "negative"])
def test_a_count_must_be_a_whole_number_of_zero_or_more(api: TestClient, value: float) -> None:
    url = count_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": value})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "value")]
    assert total(api, url) == 0


@pytest.mark.parametrize(
    "number", ["NaN", "Infinity", "-Infinity", "1e999"], ids=["nan", "inf", "-inf", "overflow"]
)
def test_a_non_finite_value_is_refused(api: TestClient, number: str) -> None:
    url = continuous_measure(api)
    body = f'{{"period": "2026-03-02", "value": {number}}}'

    response = api.post(url, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "value")]
    assert total(api, url) == 0


@pytest.mark.parametrize("field", ["numerator", "denominator"])
def test_a_non_finite_numerator_or_denominator_is_refused(api: TestClient, field: str) -> None:
    url = rate_measure(api)
    point = {"period": "2026-03-01", "numerator": 3, "denominator": 2400} | {field: "Infinity"}
    body = json.dumps(point).replace('"Infinity"', "Infinity")

    response = api.post(url, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert (0, field) in located(response, "index")
    assert total(api, url) == 0


def test_an_unknown_field_is_refused_rather_than_dropped(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": 7, "anotation": "typo"})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "anotation")]
    assert total(api, url) == 0


def test_a_point_without_a_period_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"value": 7})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "period")]


@pytest.mark.parametrize(
    "period",
    ["03/02/2026", "2026-3-2", "2 March 2026", "2026-02-30"],
    ids=["day-first", "unpadded", "words", "not-in-calendar"],
)
def test_a_period_that_is_not_an_iso_date_is_refused(api: TestClient, period: str) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": period, "value": 7})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "period")]
    assert total(api, url) == 0


@pytest.mark.parametrize(
    "period",
    [1772409600, "1772409600"],
    ids=["number", "digits"],
)
def test_a_period_given_as_a_timestamp_is_refused_rather_than_read_as_a_date(
    api: TestClient, period: int | str
) -> None:
    # 1772409600 seconds after 1970 is 2026-03-02: not ISO 8601, so it must not be guessed.
    url = continuous_measure(api)

    response = api.post(url, json={"period": period, "value": 7})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "period")]
    assert total(api, url) == 0


# --- periods are the first day of the period ----------------------------------------------

ALIGNMENT = [
    ("day", "2026-03-04", None),
    ("week", "2026-03-02", None),
    ("week", "2026-03-08", "2026-03-02"),
    ("week", "2026-03-04", "2026-03-02"),
    ("month", "2026-03-01", None),
    ("month", "2026-03-31", "2026-03-01"),
    ("quarter", "2026-04-01", None),
    ("quarter", "2026-03-01", "2026-01-01"),
    ("quarter", "2026-06-30", "2026-04-01"),
    ("year", "2026-01-01", None),
    ("year", "2026-07-01", "2026-01-01"),
]


@pytest.mark.parametrize(
    ("frequency", "period"),
    [(frequency, period) for frequency, period, start in ALIGNMENT if start is None],
)
def test_the_first_day_of_a_period_is_accepted(
    api: TestClient, frequency: str, period: str
) -> None:
    url = continuous_measure(api, frequency=frequency)

    response = api.post(url, json={"period": period, "value": 7})

    assert response.status_code == 201, response.text
    assert periods(api, url) == [period]


@pytest.mark.parametrize(
    ("frequency", "period", "start"),
    [(frequency, period, start) for frequency, period, start in ALIGNMENT if start is not None],
)
def test_a_date_inside_a_period_is_refused_suggesting_the_period_start(
    api: TestClient, frequency: str, period: str, start: str
) -> None:
    url = continuous_measure(api, frequency=frequency)

    response = api.post(url, json={"period": period, "value": 7})

    assert response.status_code == 422
    [error] = problems(response)
    assert (error["index"], error["field"]) == (0, "period")
    assert start in error["message"]
    assert total(api, url) == 0


# --- one point per period: replace, and say so ---------------------------------------------


def test_a_new_point_is_reported_created_with_status_201(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": 7})

    assert response.status_code == 201
    assert response.json() == {
        "created": 1,
        "updated": 0,
        "points": [{"period": "2026-03-02", "status": "created"}],
    }


def test_posting_a_period_again_replaces_its_point(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = api.post(url, json={"period": "2026-03-02", "value": 9})

    assert response.status_code == 200
    assert [(p["period"], p["value"]) for p in all_points(api, url)] == [("2026-03-02", 9)]


def test_a_replaced_point_is_reported_updated_with_status_200(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = api.post(url, json={"period": "2026-03-02", "value": 9})

    assert response.status_code == 200
    assert response.json() == {
        "created": 0,
        "updated": 1,
        "points": [{"period": "2026-03-02", "status": "updated"}],
    }


def test_a_replacement_takes_every_field_from_the_new_point(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7, "annotation": "old", "source": "s"})

    api.post(url, json={"period": "2026-03-02", "value": 9})

    [point] = all_points(api, url)
    assert (point["value"], point["annotation"], point["source"]) == (9, None, None)


def test_a_bulk_of_new_and_existing_periods_reports_each_in_period_order(
    api: TestClient,
) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-09", "value": 1})
    bulk = [{"period": period, "value": 2} for period in ("2026-03-16", "2026-03-02", "2026-03-09")]

    response = api.post(url, json=bulk)

    assert response.status_code == 201
    assert response.json() == {
        "created": 2,
        "updated": 1,
        "points": [
            {"period": "2026-03-02", "status": "created"},
            {"period": "2026-03-09", "status": "updated"},
            {"period": "2026-03-16", "status": "created"},
        ],
    }


def test_a_list_of_points_stores_every_point(api: TestClient) -> None:
    url = proportion_measure(api)
    bulk = [
        {"period": period, "numerator": n, "denominator": 50}
        for n, period in enumerate(weeks(5), start=40)
    ]

    response = api.post(url, json=bulk)

    assert response.status_code == 201, response.text
    assert response.json()["created"] == 5
    assert [(p["period"], p["numerator"]) for p in all_points(api, url)] == [
        (p["period"], p["numerator"]) for p in bulk
    ]


def test_the_same_period_twice_in_one_request_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)
    bulk = [
        {"period": "2026-03-02", "value": 1},
        {"period": "2026-03-09", "value": 2},
        {"period": "2026-03-02", "value": 3},
    ]

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert located(response, "index") == [(2, "period")]
    assert total(api, url) == 0


def test_the_same_period_in_two_spellings_in_one_request_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)
    bulk = [
        {"period": "2026-03-02", "value": 1},
        {"period": "2026-03-02T00:00:00", "value": 3},
    ]

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert total(api, url) == 0


# --- all or nothing -----------------------------------------------------------------------


def test_one_bad_point_in_a_list_writes_nothing(api: TestClient) -> None:
    url = proportion_measure(api)
    bulk = [{"period": p, "numerator": 40, "denominator": 50} for p in weeks(4)]
    bulk[2]["numerator"] = 51

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert total(api, url) == 0


def test_a_refused_list_leaves_existing_points_unchanged(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = api.post(
        url,
        json=[{"period": "2026-03-02", "value": 100}, {"period": "2026-03-10", "value": 1}],
    )

    assert response.status_code == 422
    assert [(p["period"], p["value"]) for p in all_points(api, url)] == [("2026-03-02", 7)]


def test_a_refusal_is_problem_json_listing_index_field_and_message(api: TestClient) -> None:
    url = proportion_measure(api)
    bulk = [
        {"period": "2026-03-02", "numerator": 40, "denominator": 50},
        {"period": "2026-03-09", "numerator": 60, "denominator": 50},
    ]

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert response.json()["status"] == 422
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, "numerator")
    assert "denominator" in error["message"]


def test_every_bad_point_of_a_list_is_listed(api: TestClient) -> None:
    url = proportion_measure(api)
    bulk: list[dict[str, Any]] = [
        {"period": p, "numerator": 40, "denominator": 50} for p in weeks(6)
    ]
    bulk[1]["numerator"] = 51
    bulk[3]["period"] = "2026-03-17"  # a Tuesday
    bulk[5]["value"] = 0.8

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert sorted(located(response, "index")) == [(1, "numerator"), (3, "period"), (5, "value")]


def test_malformed_and_invalid_points_are_listed_together(api: TestClient) -> None:
    # One point the JSON schema refuses (a string value), one only the measure's rules refuse
    # (a misaligned period): both must be reported at once, not one per attempt.
    url = continuous_measure(api)
    bulk = [
        {"period": "2026-03-02", "value": "seven"},
        {"period": "2026-03-10", "value": 7},
    ]

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert sorted(located(response, "index")) == [(0, "value"), (1, "period")]


@pytest.mark.parametrize(
    "body",
    [b"[7, 8]", b'["2026-03-02"]', b"null", b'"2026-03-02,7"'],
    ids=["list-of-numbers", "list-of-strings", "null", "string"],
)
def test_a_json_body_that_is_not_points_is_refused(api: TestClient, body: bytes) -> None:
    url = continuous_measure(api)

    response = api.post(url, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert problems(response)
    assert total(api, url) == 0


def test_an_annotation_longer_than_280_characters_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(url, json={"period": "2026-03-02", "value": 7, "annotation": "x" * 281})

    assert response.status_code == 422
    assert located(response, "index") == [(0, "annotation")]


def test_the_bad_points_of_a_large_bulk_are_counted_and_the_first_hundred_listed(
    api: TestClient,
) -> None:
    url = continuous_measure(api, frequency="week")
    bulk = [{"period": day, "value": 1} for day in days(1_000)]  # 6 in 7 are not Mondays

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert "857 problems" in response.json()["detail"]
    listed = located(response, "index")
    assert len(listed) == 100
    assert listed[0] == (1, "period")
    assert total(api, url) == 0


def test_a_body_that_is_not_json_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(
        url, content=b"{period: 2026-03-02", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert total(api, url) == 0


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded"],
)
def test_a_body_that_is_neither_json_nor_csv_is_unsupported(
    api: TestClient, content_type: str
) -> None:
    url = continuous_measure(api)

    response = api.post(
        url, content=b"period,value\n2026-03-02,7\n", headers={"Content-Type": content_type}
    )

    assert response.status_code == 415
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert total(api, url) == 0


def test_json_with_a_charset_parameter_is_accepted(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.post(
        url,
        content=b'{"period": "2026-03-02", "value": 7}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 201, response.text


# --- a large bulk -------------------------------------------------------------------------


def test_a_bulk_of_ten_thousand_points_is_stored_in_one_request(api: TestClient) -> None:
    url = continuous_measure(api, frequency="day")
    bulk = [{"period": period, "value": n % 97} for n, period in enumerate(days(10_000))]

    response = api.post(url, json=bulk)

    assert response.status_code == 201, response.text[:500]
    assert (response.json()["created"], response.json()["updated"]) == (10_000, 0)
    assert total(api, url) == 10_000
    last = api.get(url, params={"limit": 1, "offset": 9_999}).json()["items"]
    assert [(p["period"], p["value"]) for p in last] == [(bulk[-1]["period"], 9_999 % 97)]


def test_one_bad_point_in_ten_thousand_writes_nothing(api: TestClient) -> None:
    url = continuous_measure(api, frequency="day")
    bulk: list[dict[str, Any]] = [{"period": p, "value": 1} for p in days(10_000)]
    bulk[9_998]["value"] = None

    response = api.post(url, json=bulk)

    assert response.status_code == 422
    assert located(response, "index") == [(9_998, "value")]
    assert total(api, url) == 0


def test_a_bulk_of_ten_thousand_replacements_is_reported_updated(api: TestClient) -> None:
    url = continuous_measure(api, frequency="day")
    first = [{"period": p, "value": 1} for p in days(10_000)]
    assert api.post(url, json=first).status_code == 201

    response = api.post(url, json=[point | {"value": 2} for point in first])

    assert response.status_code == 200, response.text[:500]
    assert (response.json()["created"], response.json()["updated"]) == (0, 10_000)
    assert total(api, url) == 10_000


# --- who may write, and the audit trail ---------------------------------------------------


def test_another_organisation_cannot_post_to_a_measure(
    api: TestClient, other_api: TestClient
) -> None:
    url = continuous_measure(api)

    response = other_api.post(url, json={"period": "2026-03-02", "value": 7})

    assert response.status_code == 404
    assert total(api, url) == 0


def test_a_read_only_key_cannot_post_data(api: TestClient, tenant: Tenant) -> None:
    url = continuous_measure(api)
    reader = client_for(api.app, tenant.read_key)  # type: ignore[arg-type]

    response = reader.post(url, json={"period": "2026-03-02", "value": 7})

    assert response.status_code == 403
    assert total(api, url) == 0


def test_posting_to_a_measure_that_does_not_exist_is_404(api: TestClient) -> None:
    response = api.post(
        "/api/v1/measures/6f1c1c39-8d0e-4a53-9a39-2b1bb2d0e3c1/data",
        json={"period": "2026-03-02", "value": 7},
    )

    assert response.status_code == 404


def test_a_data_write_is_audited_against_its_measure(api: TestClient) -> None:
    url = continuous_measure(api)

    api.post(url, json=[{"period": p, "value": 7} for p in weeks(3)])

    [entry] = audit_entries(api)
    assert entry["resource_id"] == url.split("/")[-2]
    assert entry["resource_type"] == "measure_data"


def test_each_data_write_is_audited_once(api: TestClient) -> None:
    url = continuous_measure(api)

    api.post(url, json={"period": "2026-03-02", "value": 7})
    api.post(url, json={"period": "2026-03-02", "value": 8})

    assert len(audit_entries(api)) == 2


def test_a_refused_data_write_is_not_audited(api: TestClient) -> None:
    url = continuous_measure(api)

    api.post(url, json=[{"period": "2026-03-02", "value": 7}, {"period": "2026-03-03", "value": 7}])

    assert audit_entries(api) == []
