#!/usr/bin/env python3
"""Tasks for a fresh machine that has nothing but Python 3.11+.

    python3 dev.py serve    # install into .venv if needed, migrate, run the API on SQLite
    python3 dev.py test     # install the test tools into .venv if needed, run the whole suite
    python3 dev.py check    # ruff (lint + format) and mypy --strict

No virtualenv needs activating: everything runs from .venv/bin.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_installed() -> None:
    """(Re)install the project and its test tools when pyproject.toml has changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "--editable", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str) -> int:
    return subprocess.call(command, cwd=ROOT)


def main(task: str, *args: str) -> int:
    ensure_installed()
    if task == "serve":
        return run(str(BIN / "pdsa"), "serve", *args)
    if task == "test":
        return run(str(BIN / "pytest"), *args)
    if task == "check":
        return (
            run(str(BIN / "ruff"), "check", ".")
            or run(str(BIN / "ruff"), "format", "--check", ".")
            or run(str(BIN / "mypy"), ".")
        )
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:] or ["help"])))
