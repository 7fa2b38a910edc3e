#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only Python: `python3 dev.py sandbox | test | lint | lock`.

Creates `.venv` on first use and installs exactly what the lock files say (hash-checked), then
runs the command inside the venv. The photo-model stack (torch, transformers) is installed only
for the commands that use it: `test`, `lint`, and `sandbox` when `AI_MODEL_PATH` is set.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TELEMED_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
REQUIREMENTS = ROOT / "requirements"
BASE_LOCK = REQUIREMENTS / "lock.txt"
AI_LOCK = REQUIREMENTS / "lock-ai.txt"
AI_INPUT = REQUIREMENTS / "ai.in"
# torch is the one package outside the hash-checked locks: its CPU and CUDA builds share a
# version but not a file. 2.13.0 is the CPU wheel the build machines carry; elsewhere pip takes
# the same version from the index (TELEMED_TORCH picks another build, e.g. a CUDA one).
TORCH = os.environ.get("TELEMED_TORCH", "torch==2.13.0")
# The `gpu` extra (JPEG decoding on CUDA, ai/device_decode.py), built per CUDA release like torch:
# installed only when named, e.g. TELEMED_GPU_DECODER=torchcodec==0.17.0 beside a CUDA torch.
GPU_DECODER = os.environ.get("TELEMED_GPU_DECODER", "")
# The resolver that writes the locks; pinned so that a refresh is reproducible too.
UV = "uv==0.13.9"
# The Mini App's browser libraries come from npm (package-lock.json), never from a CDN, and are
# served from static/vendor/ (gitignored): file in node_modules -> its name there.
FRONTEND = ROOT / "webapp" / "miniapp" / "frontend"
VENDOR = ROOT / "webapp" / "miniapp" / "static" / "vendor"
VENDORED = {"@daily-co/daily-js/dist/daily-esm.js": "daily-esm.js"}


def _stamp(with_ai: bool) -> Path:
    return VENV / (".telemed-installed-ai" if with_ai else ".telemed-installed")


def _digest(with_ai: bool) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(BASE_LOCK.read_bytes())
    if with_ai:
        digest.update(AI_LOCK.read_bytes())
        digest.update(TORCH.encode())
        digest.update(GPU_DECODER.encode())
    return digest.hexdigest()


def _pip(*args: str) -> None:
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, *args], check=True)


def ensure_environment(with_ai: bool) -> None:
    if not PYTHON.exists():
        print(f"creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = _stamp(with_ai)
    digest = _digest(with_ai)
    if stamp.exists() and stamp.read_text() == digest:
        return
    what = "the photo-model stack (torch, ~1.8 GB) and " if with_ai else ""
    print(f"installing telemed-pet, {what}the dev tools from the lock files ...", flush=True)
    _pip("--upgrade", "pip")
    _pip("--require-hashes", "--no-deps", "-r", str(BASE_LOCK))
    if with_ai:
        _pip("--require-hashes", "--no-deps", "-r", str(AI_LOCK))
        # Its dependencies came from the lock above (ai.in lists them).
        _pip("--no-deps", TORCH)
        if GPU_DECODER:
            _pip("--no-deps", GPU_DECODER)
    # The project itself, editable; everything it needs is already installed from the locks.
    _pip("--no-deps", "--no-build-isolation", "-e", str(ROOT))
    for old in (_stamp(True), _stamp(False)):
        old.unlink(missing_ok=True)
    stamp.write_text(digest)
    if with_ai:
        # The AI environment is a superset of the base one.
        _stamp(False).write_text(_digest(False))


def ensure_frontend() -> None:
    """npm ci + copy into static/vendor/, when package-lock.json changed (a stamp, as the
    venv's). Only VIDEO__PROVIDER=daily needs it, so a machine without npm gets a warning."""
    lock = FRONTEND / "package-lock.json"
    stamp = VENDOR / ".telemed-installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    present = all((VENDOR / name).exists() for name in VENDORED.values())
    if present and stamp.exists() and stamp.read_text() == digest:
        return
    npm = shutil.which("npm")
    if npm is None:
        print(
            "warning: npm not found: daily-js is not bundled into the Mini App, so calls with "
            "VIDEO__PROVIDER=daily cannot start (the builtin provider needs none of it)",
            file=sys.stderr,
        )
        return
    print("installing the Mini App's browser libraries (npm ci) ...", flush=True)
    ci = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    if subprocess.run(ci, cwd=FRONTEND, check=False).returncode != 0:
        print("warning: npm ci failed: daily-js is not bundled (see above)", file=sys.stderr)
        return
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in VENDORED.items():
        shutil.copyfile(FRONTEND / "node_modules" / source, VENDOR / name)
    stamp.write_text(digest)


def refresh_locks() -> int:
    """Re-resolve every dependency to the newest release the ranges in pyproject.toml allow."""
    ensure_environment(with_ai=False)
    _pip(UV)
    uv = [str(BIN / "uv"), "pip", "compile", "--universal", "--python-version", "3.11"]
    uv += ["--generate-hashes", "--upgrade", "--quiet"]
    env = {**os.environ, "UV_CUSTOM_COMPILE_COMMAND": "python3 dev.py lock"}
    for command in (
        [*uv, "pyproject.toml", "--extra", "dev", "-o", str(BASE_LOCK)],
        # The AI lock is a superset whose shared packages agree with the base lock.
        [
            *uv,
            "pyproject.toml",
            str(AI_INPUT),
            "--extra",
            "dev",
            "-c",
            str(BASE_LOCK),
            "-o",
            str(AI_LOCK),
        ],
    ):
        code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        if code != 0:
            return code
    print("locks refreshed: run `python3 dev.py lint` and `python3 dev.py test`, then commit")
    return 0


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def run(*command: str) -> int:
    return subprocess.run(command, cwd=ROOT, env=_env(), check=False).returncode


def become(*command: str) -> int:
    """Replace this process with `command` (the last step of `sandbox` and `test`).

    A `kill -TERM` or Ctrl+C then reaches the program itself, not a launcher that would leave
    it running on its port. Windows has no exec that keeps the console: a child there.
    """
    if os.name == "nt":
        return run(*command)
    os.chdir(ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], list(command), _env())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"sandbox", "test", "lint", "lock"}:
        print(__doc__.strip().splitlines()[0])
        print("  sandbox [--port N]   the bot, a Telegram emulator and a web chat in one process")
        print("  test [PYTEST ARGS]   the whole test suite")
        print("  lint                 ruff and mypy, as CI runs them")
        print("  lock                 refresh requirements/lock*.txt from pyproject.toml")
        return 2
    command, rest = argv[0], argv[1:]
    if command == "lock":
        return refresh_locks()
    ensure_environment(with_ai=command != "sandbox" or bool(os.environ.get("AI_MODEL_PATH")))
    if command in {"sandbox", "test"}:
        ensure_frontend()
    if command == "sandbox":
        return become(str(BIN / "telemed-pet"), "sandbox", *rest)
    if command == "test":
        return become(str(PYTHON), "-m", "pytest", *rest)
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
