"""A PostgreSQL cluster of the test's own (initdb into a temporary folder, on a port of its
own), which a test may stop, start, freeze and thaw. Never the machine's shared server."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from glob import glob
from pathlib import Path

# PostgreSQL refuses to run as root: as root, the cluster runs as this user.
CLUSTER_USER = "postgres"


def postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("start", "-w", "-l", str(self.folder / "log"), "-o", options)

    def stop(self) -> None:
        self._pg_ctl("stop", "-w", "-m", "fast")

    def freeze(self) -> None:
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, sent: signal.Signals) -> None:
        """The postmaster and every backend: the whole server stops answering, while the
        kernel still accepts its connections."""
        postmaster = int((self.folder / "data" / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
        ).stdout.split()
        for pid in [postmaster, *map(int, children)]:
            with suppress(ProcessLookupError):  # a backend that has just exited
                os.kill(pid, sent)

    def _pg_ctl(self, *args: str) -> None:
        as_user(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args)


def as_user(*command: str) -> None:
    prefix = ["runuser", "-u", CLUSTER_USER, "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True)


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A new cluster, started; stopped and deleted afterwards."""
    bin_folder = postgres_bin()
    assert bin_folder is not None, "PostgreSQL's initdb is not installed"
    folder = Path(tempfile.mkdtemp(prefix="pdsa-faults-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(CLUSTER_USER)
        os.chown(folder, user.pw_uid, user.pw_gid)
    cluster = Cluster(bin_folder, folder, free_port())
    as_user(str(bin_folder / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres")
    cluster.start()
    try:
        yield cluster
    finally:
        with suppress(FileNotFoundError, subprocess.CalledProcessError):  # already stopped
            cluster.thaw()
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
