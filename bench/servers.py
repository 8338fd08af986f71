"""Servers under test: started as subprocesses on free ports, waited for, stopped."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
START_SECONDS = 60.0
POLL_SECONDS = 0.1
SETTLE_SECONDS = 30.0


class AccessLog:
    """The service's log, read as it grows: one `app.access` line per request answered."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines = 0

    def answered(self) -> int:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            complete = log.read().rpartition(b"\n")[0]  # whole lines only
        if complete:
            self.offset += len(complete) + 1
            self.lines += complete.count(b'"logger": "app.access"')
        return self.lines


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    pid: int  # uvicorn with one worker serves in the process it was started as
    access_log: AccessLog | None  # the service's; the baselines keep none

    def answered(self) -> int:
        return self.access_log.answered() if self.access_log else 0

    def wait_until_answered(self, count: int) -> int:
        """Wait (up to SETTLE_SECONDS) until `count` requests have been answered in all, and
        return how many are still unanswered. Requests that a load sent but gave up on (timed
        out, or in flight at its end) still run, and would slow the next load down. The
        baselines answer at once, and are not waited for."""
        if self.access_log is None:
            return 0
        deadline = time.monotonic() + SETTLE_SECONDS
        while (answered := self.access_log.answered()) < count and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        return max(0, count - answered)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for process {self.pid}")


def production_command(port: int) -> list[str]:
    """The service exactly as production starts it (one uvicorn worker)."""
    return [str(BIN / "pdsa"), "serve", "--port", str(port)]


def baseline_command(factory: str, port: int) -> list[str]:
    """A baseline app of bench/baselines.py under the same uvicorn, one worker."""
    return [
        str(BIN / "uvicorn"),
        f"bench.baselines:{factory}",
        "--factory",
        "--app-dir",
        str(ROOT),
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def free_ports(count: int) -> list[int]:
    """Ports free on the loopback interface now, all different."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@contextmanager
def serving(
    name: str,
    command: Sequence[str],
    port: int,
    env: Mapping[str, str],
    logs: Path,
    ready_path: str = "/",
    access_logged: bool = False,
) -> Iterator[Server]:
    """Run `command` (listening on `port`) until the block ends; its output goes to `logs`."""
    path = logs / f"{name}.log"
    with path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=logs, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            access_log = AccessLog(path) if access_logged else None
            server = Server(name, f"http://127.0.0.1:{port}", process.pid, access_log)
            _wait_until_ready(server, process, ready_path)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_until_ready(server: Server, process: subprocess.Popen[bytes], path: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {process.returncode}: see its log")
        try:
            with urllib.request.urlopen(server.url + path, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers: a refusal is an answer
        except OSError:
            time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{server.name} did not answer within {START_SECONDS:.0f} s")
