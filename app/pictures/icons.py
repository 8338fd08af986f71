"""The variation and assurance icons as small SVGs, drawn in the Making Data Count convention:
a ring in the signal's colour around a letter (H or L for which way a special cause went; P,
F or ? for whether the target is reliably met), for dashboards that build their own tables."""

from html import escape

from app.analytics import AssuranceIcon, VariationIcon
from app.pictures import colours

VARIATION: dict[VariationIcon, tuple[str, str, str]] = {  # colour, letter, words
    VariationIcon.COMMON_CAUSE: (colours.COMMON_CAUSE, "", "Common cause variation"),
    VariationIcon.IMPROVEMENT_HIGH: (colours.IMPROVEMENT, "H", "Improvement: higher values"),
    VariationIcon.IMPROVEMENT_LOW: (colours.IMPROVEMENT, "L", "Improvement: lower values"),
    VariationIcon.CONCERN_HIGH: (colours.CONCERN, "H", "Concern: higher values"),
    VariationIcon.CONCERN_LOW: (colours.CONCERN, "L", "Concern: lower values"),
    VariationIcon.NEITHER_HIGH: (colours.NEITHER, "H", "Special cause: higher values"),
    VariationIcon.NEITHER_LOW: (colours.NEITHER, "L", "Special cause: lower values"),
}
ASSURANCE: dict[AssuranceIcon, tuple[str, str, str]] = {
    AssuranceIcon.PASS: (colours.IMPROVEMENT, "P", "The target is consistently met"),
    AssuranceIcon.FAIL: (colours.CONCERN, "F", "The target is consistently missed"),
    AssuranceIcon.HIT_AND_MISS: (colours.COMMON_CAUSE, "?", "The target is hit and missed"),
}


def variation_svg(icon: VariationIcon) -> str:
    return _icon(*VARIATION[icon])


def assurance_svg(icon: AssuranceIcon) -> str:
    return _icon(*ASSURANCE[icon])


def _icon(colour: str, letter: str, words: str) -> str:
    # Common cause shows a flat run of dots instead of a letter.
    mark = (
        f'<text x="50" y="63" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="40" font-weight="bold" fill="{colour}">{escape(letter)}</text>'
        if letter
        else "".join(f'<circle cx="{x}" cy="50" r="6" fill="{colour}"/>' for x in (28, 43, 58, 73))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" '
        f'height="100" role="img" aria-labelledby="t"><title id="t">{escape(words)}</title>'
        f'<circle cx="50" cy="50" r="44" fill="white" stroke="{colour}" stroke-width="8"/>'
        f"{mark}</svg>"
    )
