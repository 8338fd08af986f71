"""The service against a PostgreSQL of its own that is stopped, or frozen, under load: every
error is a 503 problem with Retry-After, none hangs, /readyz says so quickly, the service
recovers without a restart, and no write it acknowledged is missing afterwards."""

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.faults.cluster import Cluster, own_cluster, postgres_bin
from tests.faults.load import (
    ADMIN_KEY,
    REQUEST_TIMEOUT_SECONDS,
    Load,
    running_service,
    wait_until,
)

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL is not installed")

OUTAGE_SECONDS = 3
READY_SECONDS = 1.0  # what /readyz promises
MARGIN_SECONDS = 0.5  # for the scheduling of a loaded machine


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with own_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def service(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("service") / "log"
    with running_service(cluster.url, log) as base_url:
        yield base_url


@pytest.fixture
def load(service: str) -> Load:
    measure = httpx.post(
        f"{service}/api/v1/measures",
        json={
            "name": "Falls per day",
            "value_type": "count",
            "frequency": "day",
            "role": "outcome",
            "direction": "decrease",
        },
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    )
    assert measure.status_code == 201, measure.text
    return Load(service, measure.json()["id"])


def readiness_during(seconds: float, service: str) -> list[tuple[int, float]]:
    """/readyz, asked every tenth of a second: (status, seconds taken) of each answer."""
    answers, ends = [], time.monotonic() + seconds
    while time.monotonic() < ends:
        started = time.monotonic()
        status = httpx.get(f"{service}/readyz", timeout=REQUEST_TIMEOUT_SECONDS * 3).status_code
        answers.append((status, time.monotonic() - started))
        time.sleep(0.1)
    return answers


def points_stored(service: str, measure_id: str) -> set[str]:
    periods: set[str] = set()
    while True:
        response = httpx.get(
            f"{service}/api/v1/measures/{measure_id}/data",
            params={"limit": 200, "offset": len(periods)},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        assert response.status_code == 200, response.text
        page = {point["period"] for point in response.json()["items"]}
        if not page:
            return periods
        periods |= page


def assert_outage_answered_well(
    load: Load, service: str, readiness: list[tuple[int, float]]
) -> None:
    assert {status for status, _ in readiness} == {503}
    assert max(seconds for _, seconds in readiness) < READY_SECONDS
    assert load.answers[-1].status in (200, 201), "no recovery without a restart"
    errors = load.errors()
    assert errors, "the outage was not felt: no request failed"
    assert {a.status for a in errors} == {503}, [a for a in errors if a.status != 503][:5]
    assert all(a.content_type == "application/problem+json" for a in errors)
    assert all(a.retry_after for a in errors), "a 503 without Retry-After"
    slowest = max(a.seconds for a in load.answers)
    assert slowest < REQUEST_TIMEOUT_SECONDS + MARGIN_SECONDS, f"a request took {slowest:.2f} s"
    acknowledged = {p.isoformat() for p in load.acknowledged_periods()}
    assert acknowledged <= points_stored(service, load.measure_id)


def recovered(service: str) -> None:
    wait_until(lambda: httpx.get(f"{service}/readyz").status_code == 200, seconds=15)


def outage(
    load: Load, service: str, begin: Callable[[], None], end: Callable[[], None]
) -> list[tuple[int, float]]:
    """The load runs; the outage begins, /readyz is asked throughout it, the outage ends, the
    service recovers, and the load runs on a second more. The readiness answers."""
    with load.running():
        time.sleep(1)
        begin()
        try:
            readiness = readiness_during(OUTAGE_SECONDS, service)
        finally:
            end()
        recovered(service)
        time.sleep(1)
    return readiness


def test_a_stopped_database_costs_only_retryable_503s_and_no_acknowledged_write(
    cluster: Cluster, service: str, load: Load
) -> None:
    readiness = outage(load, service, cluster.stop, cluster.start)

    assert_outage_answered_well(load, service, readiness)


def test_a_frozen_database_costs_503s_within_the_deadline_never_a_hang(
    cluster: Cluster, service: str, load: Load
) -> None:
    readiness = outage(load, service, cluster.freeze, cluster.thaw)

    assert_outage_answered_well(load, service, readiness)
