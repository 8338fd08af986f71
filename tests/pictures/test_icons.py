"""The Making Data Count icons as SVG: one for every icon a chart summary can name, each a
picture with words for screen readers, in the colour of its signal, with no key needed."""

import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from app.analytics import AssuranceIcon, VariationIcon

SVG = "{http://www.w3.org/2000/svg}"
BLUE, ORANGE, GREY, PURPLE = "#289DE0", "#FAB428", "#7B7D7D", "#361475"


@pytest.mark.parametrize(
    ("icon", "colour", "letter"),
    [
        ("common_cause", GREY, None),
        ("improvement_high", BLUE, "H"),
        ("improvement_low", BLUE, "L"),
        ("concern_high", ORANGE, "H"),
        ("concern_low", ORANGE, "L"),
        ("neither_high", PURPLE, "H"),
        ("neither_low", PURPLE, "L"),
    ],
)
def test_a_variation_icon_is_a_ring_of_its_colour_around_its_letter(
    anonymous: TestClient, icon: str, colour: str, letter: str | None
) -> None:
    response = anonymous.get(f"/icons/variation/{icon}.svg")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)
    assert svg.find(f"{SVG}circle").attrib["stroke"] == colour  # type: ignore[union-attr]
    text = svg.find(f"{SVG}text")
    assert (text.text if text is not None else None) == letter


@pytest.mark.parametrize(
    ("icon", "colour", "letter"),
    [("pass", BLUE, "P"), ("fail", ORANGE, "F"), ("hit_and_miss", GREY, "?")],
)
def test_an_assurance_icon_is_a_ring_of_its_colour_around_its_letter(
    anonymous: TestClient, icon: str, colour: str, letter: str
) -> None:
    svg = ET.fromstring(anonymous.get(f"/icons/assurance/{icon}.svg").content)

    assert svg.find(f"{SVG}circle").attrib["stroke"] == colour  # type: ignore[union-attr]
    assert svg.find(f"{SVG}text").text == letter  # type: ignore[union-attr]


def test_every_icon_a_chart_can_name_has_a_picture_with_words(anonymous: TestClient) -> None:
    paths = [f"variation/{i.value}" for i in VariationIcon]
    paths += [f"assurance/{i.value}" for i in AssuranceIcon]

    for path in paths:
        svg = ET.fromstring(anonymous.get(f"/icons/{path}.svg").content)
        title = svg.find(f"{SVG}title")
        assert svg.attrib["role"] == "img"
        assert title is not None
        assert title.text


def test_an_icon_that_does_not_exist_is_refused(anonymous: TestClient) -> None:
    assert anonymous.get("/icons/variation/sideways.svg").status_code == 422
