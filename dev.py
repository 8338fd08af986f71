#!/usr/bin/env python3
"""Tasks for a fresh machine that has nothing but Python 3.11+.

    python3 dev.py serve [--demo]   # install into .venv if needed, migrate, run the API on SQLite
    python3 dev.py pdsa ARGS...     # the `pdsa` command (orgs, create-key, demo, ...)
    python3 dev.py demo             # `pdsa demo`: the demo programme in the first organisation
    python3 dev.py test             # install the test tools into .venv if needed, run the suite
    python3 dev.py check            # ruff (lint + format) and mypy --strict

No virtualenv needs activating: everything runs from .venv/bin.
"""

import hashlib
import os
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_installed(test_tools: bool) -> None:
    """(Re)install the project, and its test tools if wanted, when pyproject.toml has changed.
    The stamp records what was installed: serving never waits for the test tools."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    installed = STAMP.read_text().split() if STAMP.exists() else []
    if installed[:1] == [digest] and (not test_tools or "test" in installed):
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--editable", f"{ROOT}[test]" if test_tools else str(ROOT)], check=True)
    STAMP.write_text(f"{digest} test" if test_tools else digest)


def run(*command: str) -> int:
    return subprocess.call(command, cwd=ROOT)


# Each task: the commands it runs in turn, stopping at the first that fails.
TASKS: dict[str, Callable[[tuple[str, ...]], list[list[str]]]] = {
    "serve": lambda args: [[str(BIN / "pdsa"), "serve", *args]],
    "pdsa": lambda args: [[str(BIN / "pdsa"), *args]],
    "demo": lambda args: [[str(BIN / "pdsa"), "demo", *args]],
    "test": lambda args: [[str(BIN / "pytest"), *args]],
    "check": lambda _: [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "ruff"), "format", "--check", "."],
        [str(BIN / "mypy"), "."],
    ],
}


def main(task: str, *args: str) -> int:
    if task not in TASKS:
        print(__doc__)
        return 2
    ensure_installed(test_tools=task in ("test", "check"))
    for command in TASKS[task](args):
        if failed := run(*command):
            return failed
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["help"])))
