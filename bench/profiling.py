"""Where a server spends its time under a load: py-spy samples it while wrk drives it."""

import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import wrk
from bench.servers import BIN, Server

PROJECT_FRAME = "(app/"  # py-spy names a frame `function (path/relative/to/sys.path.py)`
IDLE = (  # stacks of threads waiting for work, which py-spy here reports as busy
    "Queue.get (queue.py);Condition.wait (threading.py)",  # an idle threadpool worker
    "EpollSelector.select (selectors.py)",  # the event loop, idle
)
TOP = 12


@dataclass(frozen=True)
class Hotspots:
    samples: int
    own: list[tuple[str, float]]  # functions (with their callers) by the share of samples
    # spent in them alone
    project: list[tuple[str, float]]  # the service's functions, callees included

    def markdown(self) -> str:
        return "\n".join(
            [
                f"{self.samples} samples of busy threads (at 100 Hz).",
                "",
                "| own time | function ← its caller |",
                "| ---: | --- |",
                *(f"| {share:.1%} | `{name}` |" for name, share in self.own),
                "",
                "| with callees | function of the service |",
                "| ---: | --- |",
                *(f"| {share:.1%} | `{name}` |" for name, share in self.project),
            ]
        )


def profile(server: Server, load: wrk.Load, seconds: int, stacks: Path) -> Hotspots:
    """Sample `server` with py-spy while `load` runs; the raw stacks are kept in `stacks`."""
    command = [
        str(BIN / "py-spy"),
        "record",
        "--pid",
        str(server.pid),
        "--duration",
        str(seconds),
        "--rate",
        "100",
        "--nolineno",
        "--format",
        "raw",
        "--output",
        str(stacks),
    ]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as spy:
        wrk.run(server, load, seconds)
        if spy.wait(timeout=seconds + 30):
            raise RuntimeError(f"py-spy failed on {server.name} (is ptrace allowed?)")
    return hotspots(stacks)


def hotspots(stacks: Path) -> Hotspots:
    """The top functions of py-spy's collapsed stacks (`frame;frame;… count` per line)."""
    own: Counter[str] = Counter()
    within: Counter[str] = Counter()
    for line in stacks.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        if stack.endswith(IDLE):
            continue
        frames = stack.split(";")
        own[" ← ".join(reversed(frames[-2:]))] += int(count)
        within.update(dict.fromkeys({f for f in frames if PROJECT_FRAME in f}, int(count)))
    samples = sum(own.values())
    return Hotspots(
        samples,
        [(name, n / samples) for name, n in own.most_common(TOP)],
        [(name, n / samples) for name, n in within.most_common(TOP)],
    )
