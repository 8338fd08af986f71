"""/docs and /redoc work on a network without the public CDNs (an NHS intranet): every script
and style they load is served by the service itself."""

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_loads_nothing_from_another_host(anonymous: TestClient, page: str) -> None:
    html = anonymous.get(page).text

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == []


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_every_script_a_docs_page_loads_is_served(anonymous: TestClient, page: str) -> None:
    html = anonymous.get(page).text

    for script in re.findall(r'<script src="([^"]+)"', html):
        response = anonymous.get(script)
        assert response.status_code == 200, script
        assert len(response.content) > 10_000, script
