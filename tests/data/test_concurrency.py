"""Several clients at once against a real, committed database (not the rolled-back fixture).

PostgreSQL is where concurrent writers really interleave: overlapping bulks for one measure must
end with exactly one row per period, and every failure a client sees must be a clean, retryable
one. Two applications on one database stand in for two server processes.
"""

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import col

from app import migrate
from app.config import Settings
from app.db import make_engine, new_session
from app.main import create_app
from app.models.data import DataPoint
from app.services.organisations import create_organisation
from tests.api import payloads
from tests.data.support import MONDAY, PROBLEM_JSON, audit_entries, data_url
from tests.databases import postgres_url, scratch_database

CLIENTS = 6
POINTS_PER_CLIENT = 300
OFFSET_BETWEEN_CLIENTS = 50  # weeks: each client's bulk overlaps the next one's in 250 periods
MAX_ATTEMPTS = 400
PAUSE_BEFORE_RETRY = 0.05  # seconds; shorter than Retry-After, to keep the suite quick
RETRYABLE = (409, 503)
REPLAYED = "Idempotent-Replayed"

needs_postgres = pytest.mark.skipif(
    postgres_url() is None,
    reason="no PostgreSQL to test concurrency on: set TEST_POSTGRES_URL (CI does)",
)


@dataclass
class Server:
    """A migrated scratch database with one organisation; `start` is a new 'server process'."""

    url: str
    engine: Engine
    key: str
    engines: list[Engine] = field(default_factory=list)

    def start(self) -> FastAPI:
        """A new application with its own engine and connection pool."""
        engine = make_engine(self.url)
        self.engines.append(engine)
        return create_app(Settings(database_url=self.url), engine)

    def client(self, app: FastAPI) -> TestClient:
        return TestClient(
            app, headers={"Authorization": f"Bearer {self.key}"}, raise_server_exceptions=False
        )


@contextmanager
def committed_database(backend: str, folder: Path) -> Iterator[Engine]:
    """A migrated scratch database whose commits are real (shared by a module's tests)."""
    with scratch_database(backend, folder) as engine:
        migrate.upgrade(engine)
        yield engine


def running_server(engine: Engine) -> Iterator[Server]:
    """A new organisation of its own on `engine`, so tests sharing a database stay apart."""
    with new_session(engine) as session:
        _, admin = create_organisation(session, f"Trust {uuid.uuid4().hex[:8]}")
        session.commit()
    server = Server(engine.url.render_as_string(hide_password=False), engine, admin.key)
    try:
        yield server
    finally:
        for started in server.engines:
            started.dispose()


@pytest.fixture(scope="module")
def postgres_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if postgres_url() is None:
        pytest.skip("no PostgreSQL to test concurrency on: set TEST_POSTGRES_URL (CI does)")
    with committed_database("postgresql", tmp_path_factory.mktemp("pg")) as engine:
        yield engine


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with committed_database("sqlite", tmp_path_factory.mktemp("sqlite")) as engine:
        yield engine


@pytest.fixture(scope="module")
def database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with committed_database(backend, tmp_path_factory.mktemp(backend)) as engine:
        yield engine


@pytest.fixture
def postgres(postgres_database: Engine) -> Iterator[Server]:
    yield from running_server(postgres_database)


@pytest.fixture
def sqlite_server(sqlite_database: Engine) -> Iterator[Server]:
    yield from running_server(sqlite_database)


@pytest.fixture
def server(database: Engine) -> Iterator[Server]:
    """An organisation on a committed scratch database, on each backend."""
    yield from running_server(database)


def new_measure(client: TestClient) -> str:
    body = payloads.measure(
        name="Minutes from arrival to first assessment",
        value_type="continuous",
        direction="decrease",
        target=None,
    )
    return data_url(payloads.create(client, payloads.MEASURES, body)["id"])


def bulk_for(client_number: int) -> list[dict[str, Any]]:
    """Client n's points: 300 weeks from week 50·n, each valued n (so the winner is visible)."""
    first = MONDAY + timedelta(weeks=OFFSET_BETWEEN_CLIENTS * client_number)
    return [
        {"period": (first + timedelta(weeks=week)).isoformat(), "value": float(client_number)}
        for week in range(POINTS_PER_CLIENT)
    ]


@dataclass
class Outcome:
    """Every response one client received, the retryable ones first and its final answer last."""

    responses: list[httpx2.Response]

    @property
    def final(self) -> httpx2.Response:
        return self.responses[-1]


def is_clean_retryable(response: httpx2.Response) -> bool:
    return (
        response.status_code in RETRYABLE
        and response.headers.get("content-type", "").startswith(PROBLEM_JSON)
        and "retry-after" in response.headers
    )


def post_until_answered(
    client: TestClient, url: str, body: Any, headers: dict[str, str], start: threading.Barrier
) -> Outcome:
    """Post at the barrier; retry clean retryable refusals after a short pause; stop at the
    first answer that is anything else."""
    start.wait()
    responses = []
    for _ in range(MAX_ATTEMPTS):
        response = client.post(url, json=body, headers=headers)
        responses.append(response)
        if not is_clean_retryable(response):
            break
        time.sleep(PAUSE_BEFORE_RETRY)
    return Outcome(responses)


def post_at_once(
    server: Server, url: str, bodies: list[Any], headers: dict[str, str] | None = None
) -> list[Outcome]:
    """Each body posted by its own client, all released together."""
    app = server.start()
    start = threading.Barrier(len(bodies))
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        futures = [
            pool.submit(post_until_answered, server.client(app), url, body, headers or {}, start)
            for body in bodies
        ]
        return [future.result(timeout=120) for future in futures]


def rows_per_period(engine: Engine, url: str) -> dict[str, int]:
    measure_id = uuid.UUID(url.split("/")[-2])
    query = (
        select(col(DataPoint.period), func.count())
        .where(col(DataPoint.measure_id) == measure_id)
        .group_by(col(DataPoint.period))
    )
    with engine.connect() as connection:
        return {period.isoformat(): count for period, count in connection.execute(query)}


def summary(outcomes: list[Outcome]) -> list[list[tuple[int, str]]]:
    """Each client's statuses with the start of each body, for assertion messages."""
    return [[(r.status_code, r.text[:200]) for r in o.responses] for o in outcomes]


# --- overlapping bulks ------------------------------------------------------------------------


@needs_postgres
def test_concurrent_overlapping_bulks_see_only_success_or_clean_retryable_errors(
    postgres: Server,
) -> None:
    url = new_measure(postgres.client(postgres.start()))

    outcomes = post_at_once(postgres, url, [bulk_for(n) for n in range(CLIENTS)])

    every = [response for outcome in outcomes for response in outcome.responses]
    assert all(r.status_code in (200, 201) or is_clean_retryable(r) for r in every), summary(
        outcomes
    )
    assert all(o.final.status_code in (200, 201) for o in outcomes), summary(outcomes)


@needs_postgres
def test_concurrent_overlapping_bulks_leave_exactly_one_row_per_period(postgres: Server) -> None:
    url = new_measure(postgres.client(postgres.start()))
    bulks = [bulk_for(n) for n in range(CLIENTS)]

    outcomes = post_at_once(postgres, url, bulks)

    assert all(o.final.status_code in (200, 201) for o in outcomes), summary(outcomes)
    union = {point["period"] for bulk in bulks for point in bulk}
    counts = rows_per_period(postgres.engine, url)
    assert set(counts) == union
    assert set(counts.values()) == {1}
    assert (
        sum(counts.values())
        == len(union)
        == (CLIENTS - 1) * OFFSET_BETWEEN_CLIENTS + POINTS_PER_CLIENT
    )


@needs_postgres
def test_after_concurrent_bulks_each_period_holds_a_value_one_client_sent_for_it(
    postgres: Server,
) -> None:
    client = postgres.client(postgres.start())
    url = new_measure(client)
    bulks = [bulk_for(n) for n in range(CLIENTS)]

    post_at_once(postgres, url, bulks)

    sent: dict[str, set[float]] = {}
    for bulk in bulks:
        for point in bulk:
            sent.setdefault(point["period"], set()).add(point["value"])
    stored = [
        point
        for offset in range(0, len(sent), 200)
        for point in client.get(url, params={"limit": 200, "offset": offset}).json()["items"]
    ]
    assert len(stored) == len(sent)
    assert all(point["value"] in sent[point["period"]] for point in stored)


@needs_postgres
def test_concurrent_bulks_report_each_period_created_exactly_once(postgres: Server) -> None:
    # "created" vs "updated" must be true of the database, not of a snapshot read before
    # another client's insert committed.
    url = new_measure(postgres.client(postgres.start()))
    bulks = [bulk_for(n) for n in range(CLIENTS)]

    outcomes = post_at_once(postgres, url, bulks)

    created = [
        point["period"]
        for outcome in outcomes
        if outcome.final.status_code in (200, 201)
        for point in outcome.final.json()["points"]
        if point["status"] == "created"
    ]
    assert sorted(created) == sorted({p["period"] for bulk in bulks for p in bulk})


def test_concurrent_overlapping_bulks_on_sqlite_end_with_one_row_per_period(
    sqlite_server: Server,
) -> None:
    # SQLite has one writer at a time: the others must be told to retry (503), not fail.
    url = new_measure(sqlite_server.client(sqlite_server.start()))
    bulks = [bulk_for(n) for n in range(CLIENTS)]

    outcomes = post_at_once(sqlite_server, url, bulks)

    assert all(o.final.status_code in (200, 201) for o in outcomes), summary(outcomes)
    counts = rows_per_period(sqlite_server.engine, url)
    assert set(counts) == {point["period"] for bulk in bulks for point in bulk}
    assert set(counts.values()) == {1}


# --- one idempotency key, many clients ----------------------------------------------------------


@needs_postgres
def test_one_idempotency_key_posted_by_several_clients_at_once_writes_once(
    postgres: Server,
) -> None:
    client = postgres.client(postgres.start())
    url = new_measure(client)
    bulk = bulk_for(0)

    outcomes = post_at_once(postgres, url, [bulk] * CLIENTS, {"Idempotency-Key": "import-1"})

    every = [response for outcome in outcomes for response in outcome.responses]
    assert all(r.status_code == 201 or is_clean_retryable(r) for r in every), summary(outcomes)
    assert len(audit_entries(client)) == 1
    assert set(rows_per_period(postgres.engine, url).values()) == {1}


@needs_postgres
def test_one_idempotency_key_posted_at_once_is_answered_once_and_replayed_to_the_rest(
    postgres: Server,
) -> None:
    url = new_measure(postgres.client(postgres.start()))

    outcomes = post_at_once(postgres, url, [bulk_for(0)] * CLIENTS, {"Idempotency-Key": "import-1"})

    finals = [outcome.final for outcome in outcomes]
    assert all(r.status_code == 201 for r in finals), summary(outcomes)
    assert sum(REPLAYED not in r.headers for r in finals) == 1
    assert len({r.content for r in finals}) == 1


# --- two server processes on one database -----------------------------------------------------


def test_a_key_used_on_one_server_is_replayed_by_another(server: Server) -> None:
    first, second = server.client(server.start()), server.client(server.start())
    url = new_measure(first)
    body = bulk_for(0)[:10]
    original = first.post(url, json=body, headers={"Idempotency-Key": "import-1"})

    replayed = second.post(url, json=body, headers={"Idempotency-Key": "import-1"})

    assert original.status_code == 201
    assert (replayed.status_code, replayed.content) == (201, original.content)
    assert replayed.headers[REPLAYED] == "true"
    assert len(audit_entries(second)) == 1


def test_a_key_used_on_one_server_is_refused_with_another_body_by_another(
    server: Server,
) -> None:
    first, second = server.client(server.start()), server.client(server.start())
    url = new_measure(first)
    first.post(url, json=bulk_for(0)[:10], headers={"Idempotency-Key": "import-1"})

    response = second.post(url, json=bulk_for(1)[:10], headers={"Idempotency-Key": "import-1"})

    assert response.status_code == 422
    assert len(audit_entries(second)) == 1


def test_a_goal_created_on_one_server_is_replayed_not_recreated_by_another(
    server: Server,
) -> None:
    first, second = server.client(server.start()), server.client(server.start())
    created = first.post(payloads.GOALS, json=payloads.goal(), headers={"Idempotency-Key": "g"})

    replayed = second.post(payloads.GOALS, json=payloads.goal(), headers={"Idempotency-Key": "g"})

    assert replayed.json()["id"] == created.json()["id"]
    assert payloads.page(second, payloads.GOALS)["total"] == 1


# --- polls, read as in production (the lifespan's engines, on real commits) ---------------------


def test_a_poll_shows_data_written_through_another_server_at_once(server: Server) -> None:
    with server.client(server.start()) as writer, server.client(server.start()) as poller:
        url = new_measure(writer)
        writer.post(url, json=bulk_for(0)[:20]).raise_for_status()
        chart_url = url.removesuffix("/data") + "/chart"
        before = poller.get(chart_url)

        writer.post(url, json=bulk_for(0)[20:21]).raise_for_status()
        after = poller.get(chart_url)

    assert (before.status_code, after.status_code) == (200, 200)
    assert (len(before.json()["points"]), len(after.json()["points"])) == (20, 21)
    assert before.headers["ETag"] != after.headers["ETag"]


def test_a_poll_refuses_a_key_revoked_through_another_server_at_once(server: Server) -> None:
    with server.client(server.start()) as admin, server.client(server.start()) as poller:
        created = payloads.create(admin, "/api/v1/keys", {"name": "wall", "scopes": ["read"]})
        reader = {"Authorization": f"Bearer {created['key']}"}
        allowed = poller.get("/api/v1/scorecard", headers=reader)

        admin.delete(f"/api/v1/keys/{created['id']}").raise_for_status()
        refused = poller.get("/api/v1/scorecard", headers=reader)

    assert (allowed.status_code, refused.status_code) == (200, 401)
