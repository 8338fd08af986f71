"""The service in a process of its own, and a bounded load on it that records every answer."""

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from tests.faults.cluster import free_port

ADMIN_KEY = f"pdsa_{uuid.uuid4().hex}"
REQUEST_TIMEOUT_SECONDS = 2.0  # the service's deadline, configured short for the test
CLIENT_TIMEOUT_SECONDS = REQUEST_TIMEOUT_SECONDS + 3  # past this, a request has hung


@contextmanager
def running_service(database_url: str, log: Path) -> Iterator[str]:
    """`pdsa serve` on `database_url`, logging to `log`; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PDSA_BOOTSTRAP_KEY": ADMIN_KEY,
        "REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT_SECONDS),
        "LOG_LEVEL": "WARNING",
    }
    pdsa = Path(sys.executable).parent / "pdsa"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [str(pdsa), "serve", "--port", str(port)],
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: httpx.get(f"{base_url}/livez").status_code == 200, seconds=30)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"not so within {seconds} s")


@dataclass(frozen=True)
class Answer:
    method: str
    status: int | None  # None: no answer within the client's timeout
    seconds: float
    content_type: str = ""
    retry_after: str | None = None
    period: date | None = None  # of a point written


@dataclass
class Load:
    """Threads that each write one new point after another (each with its Idempotency-Key)
    and read the measure's points back, until stopped."""

    base_url: str
    measure_id: str
    threads: int = 6
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _next_day: Iterator[int] = field(default_factory=lambda: iter(range(10**6)))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def running(self) -> Iterator["Load"]:
        workers = [threading.Thread(target=self._work) for _ in range(self.threads)]
        for worker in workers:
            worker.start()
        try:
            yield self
        finally:
            self._stop.set()
            for worker in workers:
                worker.join()

    def _work(self) -> None:
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        with httpx.Client(
            base_url=self.base_url, headers=headers, timeout=CLIENT_TIMEOUT_SECONDS
        ) as client:
            while not self._stop.is_set():
                with self._lock:
                    period = date(2000, 1, 1) + timedelta(days=next(self._next_day))
                self._record(client, "POST", period)
                self._record(client, "GET", None)

    def _record(self, client: httpx.Client, method: str, period: date | None) -> None:
        url = f"/api/v1/measures/{self.measure_id}/data"
        started = time.monotonic()
        try:
            if period is None:
                response = client.get(url, params={"limit": 1})
            else:
                response = client.post(
                    url,
                    json={"period": period.isoformat(), "value": 1},
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
        except httpx.TimeoutException:
            answer = Answer(method, None, time.monotonic() - started)
        else:
            answer = Answer(
                method,
                response.status_code,
                time.monotonic() - started,
                response.headers.get("content-type", ""),
                response.headers.get("retry-after"),
                period,
            )
        with self._lock:
            self.answers.append(answer)

    def acknowledged_periods(self) -> set[date]:
        return {a.period for a in self.answers if a.period and a.status in (200, 201)}

    def errors(self) -> list[Answer]:
        return [a for a in self.answers if a.status is None or a.status >= 400]
