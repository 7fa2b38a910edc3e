"""A worker killed in the middle of a photo analysis loses nothing: Redis redelivers the task
to another worker, and the owner gets exactly one result.

Real parts only: PostgreSQL, Redis streams, two `telemed-pet worker` processes (the first with a
model that hangs, killed with SIGKILL), the Bot API emulator as Telegram.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.composition import BotApp, start_bot_app
from bot.run_modes import BackgroundServer
from core.config import Settings
from core.enums import CheckStatus, Sex, Species, Urgency
from core.interactors.onboarding import ChooseLanguage, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.symptom_check import StoreCheckPhoto, SubmitCheck
from core.ports.repositories import SymptomCheckRepository
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.models import save_wound_model
from tests.support.slow_worker import MARKER

torch = pytest.importorskip("torch", reason="the photo model needs the `ai` extra (torch)")

ROOT = Path(__file__).resolve().parents[2]
IDLE_TIMEOUT_S = 3


class Worker:
    def __init__(self, module: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
        )

    async def wait_for(self, text: str, timeout: float = 90) -> None:
        for _ in range(int(timeout * 10)):
            if text in self.log.read_text():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            await asyncio.sleep(0.1)
        raise AssertionError(f"no {text!r} in the worker log:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._file.close()


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[str, str]]:
    token = make_token()
    server = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    port = await server.start()
    yield token, f"http://127.0.0.1:{port}"
    await server.stop()


@pytest.fixture
def settings_and_env(
    migrated_postgres_url: str, redis_url: str, telegram: tuple[str, str], tmp_path: Path
) -> Iterator[tuple[Settings, dict[str, str]]]:
    token, api = telegram
    stream = f"telemed:test:{uuid.uuid4().hex}"
    model = save_wound_model(tmp_path / "model")
    env = {
        **os.environ,
        "DATABASE_URL": migrated_postgres_url,
        "REDIS_URL": redis_url,
        "STORAGE_URL": f"file://{tmp_path / 'files'}",
        "AI_MODEL_PATH": str(model),
        "BOT_TOKEN": token,
        "BOT__API_BASE_URL": api,
        "QUEUE__IDLE_TIMEOUT_S": str(IDLE_TIMEOUT_S),
        "QUEUE__STREAM": stream,
    }
    settings = make_settings(tmp_path / "unused.db").model_copy(
        update={
            "database_url": migrated_postgres_url,
            "redis_url": redis_url,
            "storage_url": env["STORAGE_URL"],
            "ai_model_path": model,
        }
    )
    settings.queue.idle_timeout_s = IDLE_TIMEOUT_S
    settings.queue.stream = stream
    yield settings, env
    import redis

    redis.Redis.from_url(redis_url).delete(stream)


def _photo() -> bytes:
    # Photo-like: the photo step refuses flat, dark or blurred pictures.
    return realistic_jpeg(640, 480)


async def _submit_check_with_photo(app: BotApp, telegram_id: int) -> int:
    async with app.container() as request:
        register = await request.get(RegisterUser)
        await register(TelegramProfile(telegram_id, "Ann", None, "en"))
    async with app.container() as request:
        # As onboarding does; the worker answers in the user's chosen language.
        await (await request.get(ChooseLanguage))(telegram_id, "en")
    async with app.container() as request:
        pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
    async with app.container() as request:
        stored = await (await request.get(StoreCheckPhoto))(telegram_id, _photo())
    async with app.container() as request:
        submit = await request.get(SubmitCheck)
        outcome = await submit(
            telegram_id=telegram_id,
            pet_id=pet.id,
            signs=["skin_lump"],
            details={},
            photos=[stored],
        )
    assert outcome.result.urgency is Urgency.LOW
    return outcome.check_id


async def _check(app: BotApp, check_id: int) -> Any:
    async with app.container() as request:
        return await (await request.get(SymptomCheckRepository)).get(check_id)


async def test_killed_worker_task_is_redelivered_and_the_owner_gets_one_result(
    settings_and_env: tuple[Settings, dict[str, str]],
    telegram: tuple[str, str],
    tmp_path: Path,
) -> None:
    settings, env = settings_and_env
    token, api = telegram
    async with httpx.AsyncClient(base_url=api, timeout=15) as control:
        owner = (
            await control.post(
                "/sandbox/api/users", json={"first_name": "Ann", "language_code": "en"}
            )
        ).json()["id"]

        doomed = Worker("tests.support.slow_worker", [], env, tmp_path / "worker-1.log")
        survivor: Worker | None = None
        app = await start_bot_app(settings, token, api)
        try:
            await doomed.wait_for("worker started")
            check_id = await _submit_check_with_photo(app, owner)
            await doomed.wait_for(MARKER)
            doomed.kill()

            stranded = await _check(app, check_id)
            assert stranded.status is CheckStatus.ANALYSING
            assert stranded.notified_at is None

            survivor = Worker("bot.cli", ["worker"], env, tmp_path / "worker-2.log")
            for _ in range(600):
                done = await _check(app, check_id)
                if done.notified_at is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(survivor.log.read_text()[-3000:])
            # Long enough for any duplicate delivery to show up.
            await asyncio.sleep(IDLE_TIMEOUT_S * 2)

            messages = (
                await control.get(f"/sandbox/api/chats/{owner}/messages", params={"after": 0})
            ).json()
        finally:
            doomed.stop()
            if survivor is not None:
                survivor.stop()
            await app.close()

    results = [m for m in messages if m["from_bot"] and (m.get("text") or "").startswith("🟡")]
    assert len(results) == 1, [m.get("text") for m in messages]
    assert "refined with the photos" in results[0]["text"]
    assert done.status is CheckStatus.DONE
    assert done.urgency is Urgency.MEDIUM
    assert done.attempts == 2
