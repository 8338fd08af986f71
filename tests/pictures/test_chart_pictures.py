"""A chart as a picture: the SVG is parsed and checked mark by mark against the chart's JSON
(one dot per point, coloured by its variation; the limits at their heights; PDSA cycles
marked), and the PNG decodes at the size asked for."""

import re
import struct
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.charts.support import MEASURES, create_measure, ok, post_values, read_chart, weeks

SVG = "{http://www.w3.org/2000/svg}"
COLOURS = {
    "common_cause": "#7b7d7d",
    "improvement": "#289de0",
    "concern": "#fab428",
    "neither": "#361475",
}
Json = dict[str, Any]
# Twenty steady weeks, then eight much higher: a shift the measure wants (improvement).
VALUES = [10.0, 11.0, 9.0, 10.0, 12.0, 10.0, 9.0, 11.0, 10.0, 10.0] * 2 + [16.0] * 8


@pytest.fixture
def measure(api: TestClient) -> Json:
    measure = create_measure(api, frequency="week", target=15.0)
    post_values(api, measure["id"], weeks(len(VALUES)), VALUES)
    project = ok(
        api.post(
            "/api/v1/projects",
            json={
                "title": "Faster triage",
                "measures": [{"measure_id": measure["id"], "role": "outcome"}],
            },
        )
    )
    ok(
        api.post(
            f"/api/v1/projects/{project['id']}/cycles",
            json={
                "title": "PDSA 1: nurse-led triage",
                "change_idea": "A triage nurse at the front door",
                "planned_start": "2026-05-25",
                "planned_end": "2026-06-05",
                "measure_ids": [measure["id"]],
            },
        )
    )
    return measure


def svg_of(api: TestClient, measure: Json) -> ET.Element:
    response = api.get(f"{MEASURES}/{measure['id']}/chart.svg")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    return ET.fromstring(response.content)


def group(svg: ET.Element, gid: str) -> ET.Element:
    found = svg.find(f".//{SVG}g[@id='{gid}']")
    assert found is not None, f"no mark {gid!r}"
    return found


def heights(svg: ET.Element, gid: str) -> list[float]:
    """The y coordinates of a line's path (SVG's y grows downwards)."""
    path = group(svg, gid).find(f".//{SVG}path")
    assert path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
    return numbers[1::2]


def test_there_is_one_dot_per_point_in_the_colour_of_its_variation(
    api: TestClient, measure: Json
) -> None:
    chart = read_chart(api, measure["id"])
    svg = svg_of(api, measure)

    for variation, colour in COLOURS.items():
        expected = sum(p["variation"] == variation for p in chart["points"])
        if not expected:
            continue
        dots = group(svg, f"points-{variation}")
        assert len(dots.findall(f".//{SVG}use")) == expected
        assert colour in ET.tostring(dots).decode().lower()
    assert any(p["variation"] == "improvement" for p in chart["points"])


def test_the_limits_and_target_are_drawn_at_their_heights(api: TestClient, measure: Json) -> None:
    first = read_chart(api, measure["id"])["points"][0]
    svg = svg_of(api, measure)

    centre = heights(svg, "centre-line")[0]
    upper, lower = heights(svg, "upper-limit")[0], heights(svg, "lower-limit")[0]
    target = heights(svg, "target-line")[0]
    pixels_per_unit = (lower - upper) / (first["upper"] - first["lower"])
    assert upper < centre < lower
    assert centre - upper == pytest.approx((first["upper"] - first["centre"]) * pixels_per_unit)
    assert centre - target == pytest.approx((15.0 - first["centre"]) * pixels_per_unit, rel=1e-3)


def test_a_pdsa_cycle_is_marked_where_it_starts_and_ends(api: TestClient, measure: Json) -> None:
    chart = read_chart(api, measure["id"])
    cycle_id = next(a["cycle_id"] for p in chart["points"] for a in p["annotations"])
    svg = svg_of(api, measure)

    group(svg, f"pdsa-{cycle_id}-start")
    group(svg, f"pdsa-{cycle_id}-end")
    assert "PDSA 1: nurse-led triage" in ET.tostring(svg).decode()


def test_the_svg_has_a_title_and_a_description_listing_the_signals(
    api: TestClient, measure: Json
) -> None:
    svg = svg_of(api, measure)

    assert svg.attrib["role"] == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None
    assert title.text == measure["name"]
    assert desc is not None
    assert desc.text is not None
    assert "w/c 13 Jul 2026: 16, improvement (outside_limits, shift)" in desc.text


def test_the_svg_shows_both_icons(api: TestClient, measure: Json) -> None:
    svg = svg_of(api, measure)

    group(svg, "variation-icon")
    group(svg, "assurance-icon")


def test_the_png_decodes_at_the_size_asked_for(api: TestClient, measure: Json) -> None:
    response = api.get(
        f"{MEASURES}/{measure['id']}/chart.png", params={"width": 800, "height": 450}
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", response.content[16:24]) == (800, 450)


def test_a_picture_has_the_charts_version_and_answers_304(api: TestClient, measure: Json) -> None:
    url = f"{MEASURES}/{measure['id']}/chart.svg"
    tag = api.get(url).headers["etag"]

    assert api.get(url, headers={"If-None-Match": tag}).status_code == 304
    post_values(api, measure["id"], weeks(1, first=weeks(len(VALUES) + 1)[-1]), [17.0])
    assert api.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_another_organisations_measure_is_not_found(other_api: TestClient, measure: Json) -> None:
    response = other_api.get(f"{MEASURES}/{measure['id']}/chart.svg")

    assert response.status_code == 404
