"""CSV in (POST text/csv) and out (GET ?format=csv or Accept: text/csv)."""

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.data.support import (
    CSV,
    PROBLEM_JSON,
    all_points,
    continuous_measure,
    count_measure,
    located,
    periods,
    post_csv,
    problems,
    proportion_measure,
    total,
    weeks,
)

RATIO_CSV = "period,numerator,denominator\n2026-03-02,41,52\n2026-03-09,44,50\n"

# --- accepted -------------------------------------------------------------------------------


def test_a_csv_of_numerators_and_denominators_is_stored(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, RATIO_CSV)

    assert response.status_code == 201, response.text
    assert response.json()["created"] == 2
    assert [(p["period"], p["numerator"], p["denominator"]) for p in all_points(api, url)] == [
        ("2026-03-02", 41, 52),
        ("2026-03-09", 44, 50),
    ]
    assert all_points(api, url)[0]["value"] == pytest.approx(41 / 52)


def test_a_csv_of_values_is_stored(api: TestClient) -> None:
    url = continuous_measure(api)

    response = post_csv(api, url, "period,value\n2026-03-02,37.5\n2026-03-09,-2\n")

    assert response.status_code == 201, response.text
    assert [(p["period"], p["value"]) for p in all_points(api, url)] == [
        ("2026-03-02", 37.5),
        ("2026-03-09", -2),
    ]


def test_csv_header_names_may_be_in_any_case_and_order_with_spaces(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, " Denominator ,PERIOD,Numerator\n52, 2026-03-02 ,41\n")

    assert response.status_code == 201, response.text
    [point] = all_points(api, url)
    assert (point["period"], point["numerator"], point["denominator"]) == ("2026-03-02", 41, 52)


def test_csv_annotation_and_source_columns_are_stored(api: TestClient) -> None:
    url = continuous_measure(api)
    text = 'period,value,annotation,source\n2026-03-02,7,"PDSA 2 started, ward 7",audit-sheet\n'

    response = post_csv(api, url, text)

    assert response.status_code == 201, response.text
    [point] = all_points(api, url)
    assert (point["annotation"], point["source"]) == ("PDSA 2 started, ward 7", "audit-sheet")


def test_an_empty_optional_csv_cell_is_stored_as_no_annotation(api: TestClient) -> None:
    url = continuous_measure(api)

    response = post_csv(api, url, "period,value,annotation\n2026-03-02,7,\n")

    assert response.status_code == 201, response.text
    assert all_points(api, url)[0]["annotation"] is None


def test_a_csv_with_a_byte_order_mark_and_crlf_line_ends_is_accepted(api: TestClient) -> None:
    url = proportion_measure(api)
    text = "\ufeff" + RATIO_CSV.replace("\n", "\r\n")

    response = post_csv(api, url, text.encode("utf-8"))

    assert response.status_code == 201, response.text
    assert periods(api, url) == ["2026-03-02", "2026-03-09"]


def test_a_csv_content_type_with_a_charset_is_accepted(api: TestClient) -> None:
    url = proportion_measure(api)

    response = api.post(
        url, content=RATIO_CSV.encode(), headers={"Content-Type": "text/csv; charset=utf-8"}
    )

    assert response.status_code == 201, response.text


def test_blank_lines_in_a_csv_are_ignored(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, "period,numerator,denominator\n\n2026-03-02,41,52\n\n\n")

    assert response.status_code == 201, response.text
    assert periods(api, url) == ["2026-03-02"]


def test_a_csv_without_a_final_line_end_is_accepted(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, RATIO_CSV.rstrip("\n"))

    assert response.status_code == 201, response.text
    assert total(api, url) == 2


def test_a_csv_period_posted_again_replaces_the_point(api: TestClient) -> None:
    url = proportion_measure(api)
    post_csv(api, url, RATIO_CSV)

    response = post_csv(api, url, "period,numerator,denominator\n2026-03-09,45,50\n")

    assert response.status_code == 200
    assert response.json()["points"] == [{"period": "2026-03-09", "status": "updated"}]
    assert [p["numerator"] for p in all_points(api, url)] == [41, 45]


# --- refused: the header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "period,value",
        "period,numerator",
        "numerator,denominator",
        "period,numerator,denominator,comment",
        "period,numerator,denominator,numerator",
        "date,numerator,denominator",
    ],
    ids=["value-for-a-proportion", "no-denominator", "no-period", "unknown", "twice", "renamed"],
)
def test_a_csv_with_the_wrong_header_is_refused_at_row_1(api: TestClient, header: str) -> None:
    url = proportion_measure(api)
    text = RATIO_CSV.replace("period,numerator,denominator", header)

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert {(error["row"], error["field"]) for error in problems(response)} == {(1, "header")}
    assert total(api, url) == 0


def test_a_wrong_header_names_the_columns_the_measure_takes(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, "period,value\n2026-03-02,0.79\n")

    assert response.status_code == 422
    assert "period,numerator,denominator" in response.json()["detail"]


def test_a_ratio_header_on_a_continuous_measure_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = post_csv(api, url, RATIO_CSV)

    assert response.status_code == 422
    assert {error["row"] for error in problems(response)} == {1}
    assert total(api, url) == 0


def test_an_empty_csv_is_refused(api: TestClient) -> None:
    url = continuous_measure(api)

    response = post_csv(api, url, "")

    assert response.status_code == 422
    assert {error["row"] for error in problems(response)} == {1}


# --- refused: rows, numbered as lines of the file (the header is line 1) -----------------------


@pytest.mark.parametrize(
    "cell",
    ["forty-one", "41%", "4 1", "0x29", ""],
    ids=["words", "percent", "space", "hex", "empty"],
)
def test_a_csv_cell_that_is_not_a_number_is_refused_with_its_row(
    api: TestClient, cell: str
) -> None:
    url = proportion_measure(api)
    text = f"period,numerator,denominator\n2026-03-02,41,52\n2026-03-09,{cell},50\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(3, "numerator")]
    assert total(api, url) == 0


@pytest.mark.parametrize(
    "cell",
    [
        "03/02/2026",
        "02/03/2026",
        "2026/03/02",
        "02-03-2026",
        "2026-3-2",
        "20260302",
        "2 March 2026",
        "2026-03-02T00:00:00",
        "2026-W10-1",
        "46083",
    ],
    ids=[
        "month-first",
        "day-first",
        "slashes",
        "day-first-dashes",
        "unpadded",
        "basic-format",
        "words",
        "datetime",
        "iso-week",
        "spreadsheet-serial",
    ],
)
def test_a_csv_date_that_is_not_yyyy_mm_dd_is_refused_never_guessed(
    api: TestClient, cell: str
) -> None:
    url = proportion_measure(api)
    text = f"period,numerator,denominator\n2026-03-09,44,50\n{cell},41,52\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(3, "period")]
    assert total(api, url) == 0


def test_a_csv_date_that_is_not_in_the_calendar_is_refused(api: TestClient) -> None:
    url = continuous_measure(api, frequency="day")

    response = post_csv(api, url, "period,value\n2026-02-29,7\n")

    assert response.status_code == 422
    assert located(response, "row") == [(2, "period")]


def test_a_csv_row_with_the_wrong_number_of_cells_is_refused(api: TestClient) -> None:
    url = proportion_measure(api)

    response = post_csv(api, url, "period,numerator,denominator\n2026-03-02,41\n")

    assert response.status_code == 422
    assert [error["row"] for error in problems(response)] == [2]
    assert total(api, url) == 0


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e999"])
def test_a_csv_number_that_is_not_finite_is_refused(api: TestClient, cell: str) -> None:
    url = continuous_measure(api)

    response = post_csv(api, url, f"period,value\n2026-03-02,1\n2026-03-09,{cell}\n")

    assert response.status_code == 422
    assert located(response, "row") == [(3, "value")]
    assert total(api, url) == 0


def test_a_csv_numerator_above_its_denominator_is_refused_with_its_row(api: TestClient) -> None:
    url = proportion_measure(api)
    text = "period,numerator,denominator\n2026-03-02,41,52\n2026-03-09,51,50\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(3, "numerator")]
    assert total(api, url) == 0


def test_a_csv_denominator_of_zero_is_refused_with_its_row(api: TestClient) -> None:
    url = proportion_measure(api)
    text = "period,numerator,denominator\n2026-03-02,0,0\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(2, "denominator")]


def test_a_period_repeated_in_one_csv_is_refused_at_its_second_row(api: TestClient) -> None:
    url = proportion_measure(api)
    text = RATIO_CSV + "2026-03-02,40,52\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(4, "period")]
    assert total(api, url) == 0


def test_a_csv_date_inside_a_period_is_refused_with_its_row_and_the_period_start(
    api: TestClient,
) -> None:
    url = proportion_measure(api)
    text = "period,numerator,denominator\n2026-03-02,41,52\n2026-03-15,44,50\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    [error] = problems(response)
    assert (error.get("row"), error["field"]) == (3, "period")
    assert "2026-03-09" in error["message"]
    assert total(api, url) == 0


def test_a_csv_count_that_is_not_whole_is_refused_with_its_row(api: TestClient) -> None:
    url = count_measure(api)

    response = post_csv(api, url, "period,value\n2026-03-02,2\n2026-03-09,2.5\n")

    assert response.status_code == 422
    assert located(response, "row") == [(3, "value")]
    assert total(api, url) == 0


def test_every_bad_csv_row_is_listed_with_its_line_number(api: TestClient) -> None:
    url = proportion_measure(api)
    text = (
        "period,numerator,denominator\n"
        "2026-03-02,4l,52\n"
        "2026-03-09,44,50\n"
        "09/03/2026,44,50\n"
        "2026-03-23,44,fifty\n"
    )

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(2, "numerator"), (4, "period"), (5, "denominator")]
    assert total(api, url) == 0


def test_row_numbers_count_blank_lines_so_they_match_the_file(api: TestClient) -> None:
    url = proportion_measure(api)
    text = "period,numerator,denominator\n2026-03-02,41,52\n\n2026-03-16,x,50\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(4, "numerator")]


def test_unreadable_and_invalid_csv_rows_are_listed_together(api: TestClient) -> None:
    # Row 2 cannot be read (a bad number); row 3 reads but breaks the measure's rules.
    url = proportion_measure(api)
    text = "period,numerator,denominator\n2026-03-02,x,52\n2026-03-09,60,50\n"

    response = post_csv(api, url, text)

    assert response.status_code == 422
    assert located(response, "row") == [(2, "numerator"), (3, "numerator")]


def test_a_refused_csv_leaves_existing_points_unchanged(api: TestClient) -> None:
    url = proportion_measure(api)
    post_csv(api, url, RATIO_CSV)

    response = post_csv(
        api, url, "period,numerator,denominator\n2026-03-02,1,2\n2026-03-09,1,two\n"
    )

    assert response.status_code == 422
    assert [p["numerator"] for p in all_points(api, url)] == [41, 44]


# --- CSV out --------------------------------------------------------------------------------


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_format_csv_returns_the_points_as_csv_in_period_order(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-09", "value": 5, "annotation": "after, change"})
    api.post(url, json={"period": "2026-03-02", "value": 7.5})

    response = api.get(url, params={"format": "csv"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(CSV)
    assert response.text.splitlines()[0] == "period,value,annotation,source"
    assert [
        (row["period"], float(row["value"]), row["annotation"]) for row in rows_of(response.text)
    ] == [("2026-03-02", 7.5, ""), ("2026-03-09", 5.0, "after, change")]


def test_accept_text_csv_returns_csv(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = api.get(url, headers={"Accept": "text/csv"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(CSV)
    assert [row["period"] for row in rows_of(response.text)] == ["2026-03-02"]


def test_format_json_wins_over_accept_text_csv(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.get(url, params={"format": "json"}, headers={"Accept": "text/csv"})

    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_csv_of_a_proportion_has_its_numerators_and_denominators(api: TestClient) -> None:
    url = proportion_measure(api)
    post_csv(api, url, RATIO_CSV)

    response = api.get(url, params={"format": "csv"})

    [first, _] = rows_of(response.text)
    assert first["period"] == "2026-03-02"
    assert (float(first["numerator"]), float(first["denominator"])) == (41, 52)
    assert float(first["value"]) == pytest.approx(41 / 52)


def test_csv_out_honours_the_period_range(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(5)])

    response = api.get(
        url, params={"format": "csv", "period_from": "2026-03-09", "period_to": "2026-03-23"}
    )

    assert [row["period"] for row in rows_of(response.text)] == weeks(5)[1:4]


def test_csv_out_is_every_point_not_one_page(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": 1} for p in weeks(250)])

    response = api.get(url, params={"format": "csv"})

    assert [row["period"] for row in rows_of(response.text)] == weeks(250)


def test_csv_of_a_measure_without_data_is_just_the_header(api: TestClient) -> None:
    url = continuous_measure(api)

    response = api.get(url, params={"format": "csv"})

    assert response.status_code == 200
    assert response.text.splitlines() == ["period,value,annotation,source"]


def test_csv_out_of_values_can_be_posted_back_unchanged(api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json=[{"period": p, "value": n + 0.5} for n, p in enumerate(weeks(3))])
    exported = api.get(url, params={"format": "csv"}).text

    response = post_csv(api, url, exported)

    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 3
    assert api.get(url, params={"format": "csv"}).text == exported


def test_another_organisation_cannot_read_the_csv(api: TestClient, other_api: TestClient) -> None:
    url = continuous_measure(api)
    api.post(url, json={"period": "2026-03-02", "value": 7})

    response = other_api.get(url, params={"format": "csv"})

    assert response.status_code == 404
    assert "2026-03-02" not in response.text
