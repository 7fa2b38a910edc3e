"""`telemed-pet sandbox` imports only what it serves (issue #14: cold start): the photo model's
stack, S3, HTTP clients, the PDF renderer and the pieces of the other run modes load where they
are used. A fresh interpreter, so that nothing this test session imported hides a regression."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What `telemed-pet sandbox` imports before it serves: the command line, the run modes, and
# what running_sandbox imports on entry.
SANDBOX_ENTRY = ("bot.cli", "bot.run_modes", "sandbox.app", "sandbox.demo", "sandbox.web")
NOT_FOR_THE_SANDBOX = (
    "torch",  # the photo model (ai.photo_model), loaded only with AI_MODEL_PATH
    "transformers",
    "ai.photo_model",
    "boto3",  # S3 storage (db.storage.s3); the sandbox keeps files on disk
    "db.storage.s3",
    # HTTP clients: Daily's video rooms (bot.video.daily), the emulator's webhook delivery
    # and its download of photos sent by URL; the sandbox's bot polls.
    "httpx",
    "bot.video.daily",
    "fpdf",  # the consultation report's PDF, rendered on demand
    "taskiq.api",  # `worker` only
    "webapp.app",  # `webapp` only: the sandbox mounts its own routers
    "webapp.dedup",
)

# Imports the entry, then starts the sandbox as `telemed-pet sandbox` does (SQLite and files
# under a temporary directory, no Redis) and looks again once the bot polls: most of the start
# path (the container's providers, the storage, the emulator) is imported only then.
PROBE = f"""
import asyncio, importlib, json, sys

for name in {SANDBOX_ENTRY!r}:
    importlib.import_module(name)
heavy_after_import = [m for m in {NOT_FOR_THE_SANDBOX!r} if m in sys.modules]

from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import running_sandbox
from core.config import Settings


async def start() -> dict:
    async with running_sandbox(Settings(_env_file=None), port=0) as sandbox:
        heavy = [m for m in {NOT_FOR_THE_SANDBOX!r} if m in sys.modules]
        middleware_core = sandbox.dispatcher["i18n_middleware"].core
        container_core = await sandbox.bot_app.container.get(FluentRuntimeCore)
        return {{
            "heavy_after_start": heavy,
            "locales": sorted(middleware_core.locales),
            "locales_parsed_once": all(
                container_core.locales[locale] is bundle
                for locale, bundle in middleware_core.locales.items()
            ),
        }}


print(json.dumps({{
    "heavy_after_import": heavy_after_import,
    # A module the sandbox does need: proof that the probe sees what was imported.
    "aiogram": "aiogram" in sys.modules,
    **asyncio.run(start()),
}}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("sandbox")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "BOT_TOKEN", "AI_MODEL_PATH", "S3_ENDPOINT_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{data / 'telemed.db'}",
        STORAGE_URL=f"file://{data / 'files'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return found


def test_the_sandbox_entry_point_leaves_the_heavy_modules_unimported(
    probe: dict[str, Any],
) -> None:
    assert probe["heavy_after_import"] == []
    assert probe["aiogram"] is True


def test_a_started_sandbox_has_not_imported_them_either(probe: dict[str, Any]) -> None:
    assert probe["heavy_after_start"] == []


def test_a_started_sandbox_parsed_its_locales_once(probe: dict[str, Any]) -> None:
    # The dispatcher's middleware and the container's core (messages sent outside updates)
    # hold the very same bundles: the .ftl files were parsed once (bot/i18n.py).
    assert probe["locales"] == ["en", "ru"]
    assert probe["locales_parsed_once"] is True
