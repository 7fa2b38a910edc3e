#!/usr/bin/env python3
"""Bootstrap for a fresh machine that has only Python: `python3 dev.py sandbox | test | lint`.

Creates `.venv` on first use, installs the project (editable, with the dev extra) whenever
pyproject.toml changed since the last install, then runs the command inside the venv.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TELEMED_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".telemed-installed"


def _pyproject_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if not PYTHON.exists():
        print(f"creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    digest = _pyproject_digest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    print("installing telemed-pet, the photo model's torch and the dev tools ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    # torch first, pinned: left to the resolver, the `ai` extra's range would pull the newest
    # (multi-GB CUDA) build; 2.13.0 is the CPU wheel the build machines carry.
    subprocess.run([*pip, os.environ.get("TELEMED_TORCH", "torch==2.13.0")], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev,ai]"], check=True)
    STAMP.write_text(digest)


def run(*command: str) -> int:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"sandbox", "test", "lint"}:
        print(__doc__.strip().splitlines()[0])
        print("  sandbox [--port N]   the bot, a Telegram emulator and a web chat in one process")
        print("  test [PYTEST ARGS]   the whole test suite")
        print("  lint                 ruff and mypy, as CI runs them")
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "sandbox":
        return run(str(BIN / "telemed-pet"), "sandbox", *rest)
    if command == "test":
        return run(str(PYTHON), "-m", "pytest", *rest)
    for step in (
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("mypy", "."),
    ):
        code = run(str(BIN / step[0]), *step[1:])
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
