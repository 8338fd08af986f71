"""The README's walk-through, as a newcomer runs it: on a fresh copy of the repository in a
temporary folder, `python3 dev.py serve` (which installs into a new .venv), then the shell
block of "Using the API" with the key the first start printed, twice over (a second run must
not trip on the first's Idempotency-Keys)."""

import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.cluster import free_port

ROOT = Path(__file__).resolve().parent.parent
FIRST_KEY = re.compile(r"Admin API key \(shown once, keep it safe\): (\S+)")
START_SECONDS = 300  # a first start installs the project into a new .venv


def fresh_copy(folder: Path) -> Path:
    """The repository's files as a clone would hold them once this working tree is committed
    (new files included, ignored ones not)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / name.decode()
        if source.is_file():
            target = folder / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return folder


def walk_through() -> str:
    """The README's first shell block under "Using the API"."""
    readme = (ROOT / "README.md").read_text()
    using = readme.split("## Using the API", 1)[1]
    return using.split("```sh\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A first `python3 dev.py serve` on a fresh copy: (the API's base URL, the key it printed)."""
    if shutil.which("git") is None or shutil.which("curl") is None:
        pytest.skip("the walk-through needs git and curl")
    folder = fresh_copy(tmp_path_factory.mktemp("clone"))
    port = free_port()
    log = folder / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
    with log.open("w") as output:
        server = subprocess.Popen(
            ["python3", "dev.py", "serve"],
            cwd=folder,
            env={**env, "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_ready(base_url, server, log)
            key = FIRST_KEY.search(log.read_text())
            assert key, log.read_text()
            yield base_url, key.group(1)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    ends = time.monotonic() + START_SECONDS
    while time.monotonic() < ends:
        assert server.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"{base_url}/readyz", timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer within {START_SECONDS} s: {log.read_text()}")


def run_walk_through(served: tuple[str, str], folder: Path) -> str:
    """The block run in `folder` (where it writes what it downloads)."""
    base_url, key = served
    script = walk_through()
    script = re.sub(r"^KEY=.*$", f"KEY={key}", script, flags=re.MULTILINE)
    script = re.sub(r"^API=.*$", f"API={base_url}/api/v1", script, flags=re.MULTILINE)
    # Each command must succeed, and so must each call: curl fails on an HTTP error.
    strict = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n'
    done = subprocess.run(
        ["bash", "-c", strict + script], cwd=folder, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_walk_through_runs_as_written_on_a_fresh_clone(
    served: tuple[str, str], tmp_path: Path
) -> None:
    output = run_walk_through(served, tmp_path)

    assert '"chart_type":"p"' in output
    assert "period,value,numerator,denominator" in output
    assert (tmp_path / "chart.svg").read_bytes().startswith(b"<?xml")


def test_the_walk_through_runs_again_without_tripping_on_its_own_keys(
    served: tuple[str, str], tmp_path: Path
) -> None:
    run_walk_through(served, tmp_path)

    run_walk_through(served, tmp_path)
