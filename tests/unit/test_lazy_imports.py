"""`telemed-pet sandbox` imports only what it serves (issue #14: cold start): the photo model's
stack, S3, the PDF renderer and the pieces of the other run modes load where they are used.
A fresh interpreter, so that nothing this test session imported hides a regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What `telemed-pet sandbox` imports before it serves: the command line, the run modes, and
# what running_sandbox imports on entry.
SANDBOX_ENTRY = ("bot.cli", "bot.run_modes", "sandbox.app", "sandbox.demo", "sandbox.web")
NOT_FOR_THE_SANDBOX = (
    "torch",  # the photo model (ai.photo_model), loaded only with AI_MODEL_PATH
    "transformers",
    "ai.photo_model",
    "boto3",  # S3 storage; the sandbox keeps files on disk
    "fpdf",  # the consultation report's PDF, rendered on demand
    "taskiq.api",  # `worker` only
    "webapp.app",  # `webapp` only: the sandbox mounts its own routers
    "webapp.dedup",
)


def test_the_sandbox_entry_point_leaves_the_heavy_modules_unimported() -> None:
    probe = (
        "import importlib, json, sys\n"
        f"for name in {SANDBOX_ENTRY!r}:\n"
        "    importlib.import_module(name)\n"
        f"heavy = [m for m in {NOT_FOR_THE_SANDBOX!r} if m in sys.modules]\n"
        # A module the sandbox does need: proof that the probe sees what was imported.
        "print(json.dumps({'heavy': heavy, 'aiogram': 'aiogram' in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"heavy": [], "aiogram": True}
