#!/usr/bin/env python3
"""The one command: `python3 bench/run.py [--quick] [--backend sqlite|postgresql|both]`.

It installs what it needs first (the project into .venv through dev.py, py-spy into .venv, and
wrk from Debian's packages when run as root), then runs the harness in .venv's Python.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dev  # noqa: E402
from bench.options import parse  # noqa: E402


def ensure_py_spy() -> None:
    if not (dev.BIN / "py-spy").exists():
        pip = [str(dev.BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
        subprocess.run([*pip, "--quiet", "py-spy"], check=True)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is missing: install it (`apt-get install wrk` on Debian) or run as root.")
    apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(command, check=True, env=apt, stdout=sys.stderr)  # stdout: the table


def main() -> None:
    parse(sys.argv[1:])  # refuse bad options before installing anything
    dev.ensure_installed(test_tools=True)
    ensure_py_spy()
    ensure_wrk()
    os.chdir(ROOT)
    python = str(dev.BIN / "python")
    os.execv(python, [python, "-m", "bench.harness", *sys.argv[1:]])


if __name__ == "__main__":
    main()
