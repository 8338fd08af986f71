"""Log lines an operator reads: JSON, one access line per request with what was asked and by
whom, and uvicorn's own lines without terminal colours or a misleading `error` label."""

import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.logs import configure_logging
from tests.api.factories import GOALS


def formatted(record: logging.LogRecord) -> dict[str, object]:
    configure_logging("INFO")
    handler = logging.getLogger().handlers[0]
    assert all(f.filter(record) for f in handler.filters if isinstance(f, logging.Filter))
    line: dict[str, object] = json.loads(handler.format(record))
    return line


def test_uvicorn_start_up_lines_are_labelled_uvicorn_without_colour_codes() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, "", 0, "Started", None, None)
    record.color_message = "\x1b[32mStarted\x1b[0m"

    line = formatted(record)

    assert line["logger"] == "uvicorn"
    assert "color_message" not in line


def test_an_access_line_carries_the_query_string_and_the_client(
    api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        api.get(GOALS.collection, params={"limit": 5})

    (access,) = [r for r in caplog.records if r.name == "app.access"]
    assert access.query == "limit=5"  # type: ignore[attr-defined]
    assert access.client == "testclient"  # type: ignore[attr-defined]
