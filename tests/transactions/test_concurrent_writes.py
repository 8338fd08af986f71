"""Concurrent writes against a real server on each backend: retries of one request write once
and never stall the server; of writers holding the same ETag, exactly one wins."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx2

from tests.api import payloads
from tests.transactions.live import LiveServer

CLIENTS = 12


def all_at_once(
    server: LiveServer, send: Callable[[httpx2.Client], httpx2.Response]
) -> list[httpx2.Response]:
    start = threading.Barrier(CLIENTS)

    def client_sends() -> httpx2.Response:
        with server.client() as client:
            start.wait()
            return send(client)

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return [
            future.result(timeout=60)
            for future in [pool.submit(client_sends) for _ in range(CLIENTS)]
        ]


def slowest_liveness_probe(server: LiveServer, while_running: threading.Event) -> list[float]:
    seconds = []
    with httpx2.Client(base_url=server.base_url, timeout=10) as client:
        while not while_running.is_set():
            started = time.perf_counter()
            assert client.get("/livez").status_code == 200
            seconds.append(time.perf_counter() - started)
    return seconds


def test_retries_of_one_post_write_once_and_the_server_keeps_answering(server: LiveServer) -> None:
    done = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as probe:
        probes = probe.submit(slowest_liveness_probe, server, done)
        responses = all_at_once(
            server,
            lambda client: client.post(
                payloads.GOALS, json=payloads.goal(), headers={"Idempotency-Key": "retry"}
            ),
        )
        done.set()
        liveness = probes.result(timeout=30)

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert all("retry-after" in r.headers for r in responses if r.status_code == 409)
    with server.client() as client:
        goals = client.get(payloads.GOALS).json()
        replay = client.post(
            payloads.GOALS, json=payloads.goal(), headers={"Idempotency-Key": "retry"}
        )
    assert goals["total"] == 1
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == goals["items"][0]["id"]
    assert max(liveness) < 1.0


def test_of_writers_with_the_same_etag_exactly_one_wins(server: LiveServer) -> None:
    with server.client() as client:
        created = client.post(payloads.GOALS, json=payloads.goal())
    url, etag = f"{payloads.GOALS}/{created.json()['id']}", created.headers["ETag"]

    responses = all_at_once(
        server,
        lambda client: client.patch(
            url, json={"title": f"Title {threading.get_ident()}"}, headers={"If-Match": etag}
        ),
    )

    assert Counter(response.status_code for response in responses) == {200: 1, 412: CLIENTS - 1}
