"""Statistical process control for quality improvement: run charts, XmR and attribute control
charts, special-cause rules and Making Data Count icons. Pure Python, no web or database code.

The API layer calls `compute_chart` with a `RuleSet` from `preset`; see each module for sources.
"""

from app.analytics.chart import compute_chart
from app.analytics.presets import preset
from app.analytics.types import (
    AssuranceIcon,
    ChartResult,
    ChartType,
    ChartWarning,
    Direction,
    Observation,
    PhaseResult,
    Phases,
    PointResult,
    Rule,
    RuleSet,
    RunAnalysis,
    Summary,
    Variation,
    VariationIcon,
)

__all__ = [
    "AssuranceIcon",
    "ChartResult",
    "ChartType",
    "ChartWarning",
    "Direction",
    "Observation",
    "PhaseResult",
    "Phases",
    "PointResult",
    "Rule",
    "RuleSet",
    "RunAnalysis",
    "Summary",
    "Variation",
    "VariationIcon",
    "compute_chart",
    "preset",
]
