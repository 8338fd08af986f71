"""Concurrent polls of a rendering that is not yet drawn share one rendering (in a process)."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.api import polled
from app.polled import render_and_store
from tests.api import payloads
from tests.transactions.live import LiveServer

VIEWERS = 8


def test_viewers_polling_a_new_version_at_once_share_one_rendering(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with server.client() as client:
        assert client.post(payloads.GOALS, json=payloads.goal()).status_code == 201
    renders = []

    def slow_render(*args: Any) -> bytes:
        renders.append(args)
        time.sleep(0.3)  # long enough for every viewer to arrive while it runs
        return render_and_store(*args)

    monkeypatch.setattr(polled, "render_and_store", slow_render)

    answers = all_at_once(server, lambda client: client.get(payloads.MATRIX).content)

    assert len(renders) == 1
    assert len(set(answers)) == 1


def all_at_once(server: LiveServer, read: Callable[[Any], bytes]) -> list[bytes]:
    start = threading.Barrier(VIEWERS)

    def view() -> bytes:
        with server.client() as client:
            start.wait()
            return read(client)

    with ThreadPoolExecutor(max_workers=VIEWERS) as pool:
        return [f.result(timeout=60) for f in [pool.submit(view) for _ in range(VIEWERS)]]
