"""Loader for NHS England's Making Data Count XmR test pack, kept in ``tests/fixtures`` (public
test data, copied from the team's ``shared/reference``), so a fresh clone tests against it. A
missing pack raises, so the tests that use it fail rather than skip.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "mdc-xmr-test-pack"

# One CSV row of "Summary icons - variation - High is good 2" (14/01/2023, value 32) is labelled
# "...High is good2". scenarios.json lists no such scenario, and without that row "High is good 2"
# has 17 of its 18 points with 14/01/2023 missing, so the label is a typo in the data.
METRIC_TYPOS = {
    "Summary icons - variation - High is good2": "Summary icons - variation - High is good 2",
}

COLOURS = {"grey": "common_cause", "blue": "improvement", "orange": "concern", "purple": "neither"}


@dataclass(frozen=True)
class Row:
    day: date
    value: float
    colour: str


@dataclass(frozen=True)
class Scenario:
    name: str
    settings: dict[str, Any]
    rows: tuple[Row, ...]


def load_scenarios() -> list[Scenario]:
    """Every scenario of scenarios.json with its CSV rows in date order."""
    if not PACK.is_dir():
        raise FileNotFoundError(f"MDC XmR test pack not found at {PACK}")
    rows = read_rows()
    settings = json.loads((PACK / "scenarios.json").read_text(encoding="utf-8"))
    return [
        Scenario(s["scenario"], s, tuple(sorted(rows[s["scenario"]], key=lambda r: r.day)))
        for s in settings
    ]


def read_rows() -> dict[str, list[Row]]:
    """CSV rows by (typo-corrected) metric. The file starts with a UTF-8 BOM; dates are d/m/y."""
    rows: dict[str, list[Row]] = {}
    with (PACK / "test-data.csv").open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            metric = METRIC_TYPOS.get(record["Metric"], record["Metric"])
            day = datetime.strptime(record["Date"], "%d/%m/%Y").date()
            rows.setdefault(metric, []).append(Row(day, float(record["Value"]), record["Colour"]))
    return rows
