"""Making Data Count's colours (as NHS-R's plotthedots draws them)."""

from app.analytics import Variation

COMMON_CAUSE = "#7B7D7D"  # grey
IMPROVEMENT = "#289DE0"  # blue
CONCERN = "#FAB428"  # orange
NEITHER = "#361475"  # purple
LINES = "#231F20"
TARGET = "#DE1B1B"

OF_VARIATION = {
    Variation.COMMON_CAUSE: COMMON_CAUSE,
    Variation.IMPROVEMENT: IMPROVEMENT,
    Variation.CONCERN: CONCERN,
    Variation.NEITHER: NEITHER,
}
