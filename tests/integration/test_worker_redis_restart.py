"""A Redis restart under a running worker loses no check: tasks queued before it (gone with
the restart), one that could not be queued during it, and tasks added while the consumer group
was missing all end with exactly one result in their owner's chat.

Real parts: PostgreSQL, a private redis-server (stopped and started; never the shared one), a
`telemed-pet worker` process (with an instant model), the Bot API emulator as Telegram.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from taskiq.exceptions import SendTaskError

from bot.composition import BotApp, start_bot_app
from bot.run_modes import BackgroundServer
from core.config import Settings
from core.enums import Sex, Species
from core.interactors.check_requeue import RequeueStuckChecks
from core.interactors.onboarding import ChooseLanguage, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.symptom_check import StoreCheckPhoto, SubmitCheck
from core.ports.repositories import SymptomCheckRepository
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings, service_unavailable
from tests.integration.test_worker_redelivery import Worker
from tests.photos import realistic_jpeg
from tests.support.private_redis import PrivateRedis

OWNERS = 5
OUTAGE_S = 2.0
# Retries of a worker whose Redis is gone: quick, so the outage is full of them.
RETRY_ENV = {"QUEUE__RETRY_BASE_S": "0.02", "QUEUE__RETRY_CAP_S": "0.2"}
# The sweeper's wait, short for the test (production: minutes).
REQUEUE_AFTER_S = 1.0


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    if not PrivateRedis.available():
        service_unavailable("redis-server is not installed")
    server = PrivateRedis(tmp_path / "redis")
    await server.start()
    yield server
    server.stop()


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[str, str]]:
    token = make_token()
    server = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    port = await server.start()
    yield token, f"http://127.0.0.1:{port}"
    await server.stop()


@pytest.fixture
def settings_and_env(
    migrated_postgres_url: str,
    redis_server: PrivateRedis,
    telegram: tuple[str, str],
    tmp_path: Path,
) -> Iterator[tuple[Settings, dict[str, str]]]:
    token, api = telegram
    stream = f"telemed:test:{uuid.uuid4().hex}"
    # Never loaded (the worker's model is the instant one); it only makes checks with photos
    # wait for the worker.
    model = tmp_path / "model"
    model.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": migrated_postgres_url,
        "REDIS_URL": redis_server.url,
        "STORAGE_URL": f"file://{tmp_path / 'files'}",
        "AI_MODEL_PATH": str(model),
        "BOT_TOKEN": token,
        "BOT__API_BASE_URL": api,
        "QUEUE__STREAM": stream,
        **RETRY_ENV,
    }
    settings = make_settings(tmp_path / "unused.db").model_copy(
        update={
            "database_url": migrated_postgres_url,
            "redis_url": redis_server.url,
            "storage_url": env["STORAGE_URL"],
            "ai_model_path": model,
        }
    )
    settings.queue.stream = stream
    settings.queue.requeue_after_s = REQUEUE_AFTER_S
    yield settings, env


async def _register_owner(app: BotApp, telegram_id: int) -> int:
    async with app.container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(telegram_id, "Ann", None, "en"))
    async with app.container() as request:
        await (await request.get(ChooseLanguage))(telegram_id, "en")
    async with app.container() as request:
        pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
    return pet.id


async def _submit(app: BotApp, telegram_id: int, pet_id: int) -> int | None:
    """The check's id, or None when it was stored but could not be queued (Redis down)."""
    async with app.container() as request:
        stored = await (await request.get(StoreCheckPhoto))(telegram_id, realistic_jpeg(640, 480))
    async with app.container() as request:
        submit = await request.get(SubmitCheck)
        try:
            outcome = await submit(
                telegram_id=telegram_id,
                pet_id=pet_id,
                signs=["skin_lump"],
                details={},
                photos=[stored],
            )
        except SendTaskError:
            return None
    return outcome.check_id


async def _delivered(app: BotApp, check_ids: list[int]) -> bool:
    async with app.container() as request:
        checks = await request.get(SymptomCheckRepository)
        found = [await checks.get(check_id) for check_id in check_ids]
    return all(check is not None and check.notified_at is not None for check in found)


async def _wait_delivered(app: BotApp, check_ids: list[int], worker: Worker) -> None:
    for _ in range(600):
        if await _delivered(app, check_ids):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(worker.log.read_text()[-3000:])


async def _results_per_owner(control: httpx.AsyncClient, owners: list[int]) -> list[int]:
    """How many bot messages each owner's chat holds, once every chat has one (or 30 s passed)."""
    counts: list[int] = []
    for _ in range(300):
        counts = []
        for owner in owners:
            chat = (
                await control.get(f"/sandbox/api/chats/{owner}/messages", params={"after": 0})
            ).json()
            counts.append(len([m for m in chat if m["from_bot"]]))
        if all(counts):
            break
        await asyncio.sleep(0.1)
    return counts


async def _undelivered_ids(app: BotApp) -> list[int]:
    async with app.container() as request:
        checks = await request.get(SymptomCheckRepository)
        return list(
            await checks.list_undelivered(
                unchanged_since=datetime(2999, 1, 1, tzinfo=UTC),
                submitted_after=datetime(2000, 1, 1, tzinfo=UTC),
                limit=100,
            )
        )


async def _no_blocked_reader(server: PrivateRedis) -> None:
    """Until the paused worker's last XREADGROUP has timed out on the server.

    A read still blocked there would be handed the next entries (into the paused process's
    socket buffer), and the tasks meant to wait in the stream would not.
    """
    client = Redis.from_url(server.url)
    try:
        for _ in range(100):
            clients = await client.client_list()
            if not any("b" in entry["flags"] for entry in clients):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"a reader stays blocked: {clients}")
    finally:
        await client.aclose()


async def test_a_redis_restart_loses_no_check_and_each_owner_gets_one_result(
    settings_and_env: tuple[Settings, dict[str, str]],
    redis_server: PrivateRedis,
    telegram: tuple[str, str],
    tmp_path: Path,
) -> None:
    settings, env = settings_and_env
    token, api = telegram
    async with httpx.AsyncClient(base_url=api, timeout=15) as control:
        owners = [
            (
                await control.post(
                    "/sandbox/api/users", json={"first_name": f"O{i}", "language_code": "en"}
                )
            ).json()["id"]
            for i in range(OWNERS)
        ]
        worker = Worker("tests.support.worker_process", [], env, tmp_path / "worker.log")
        app = await start_bot_app(settings, token, api)
        try:
            pets = [await _register_owner(app, owner) for owner in owners]
            await worker.wait_for("worker started")

            # Two tasks wait in the stream (the worker is paused); the restart loses them.
            worker.process.send_signal(signal.SIGSTOP)
            await _no_blocked_reader(redis_server)
            before = [await _submit(app, owners[i], pets[i]) for i in (0, 1)]
            redis_server.stop()
            worker.process.send_signal(signal.SIGCONT)
            lines_before_outage = len(worker.log.read_text().splitlines())
            # During the outage: stored, but its task could not be queued at all.
            assert await _submit(app, owners[2], pets[2]) is None
            await worker.wait_for("failed, retrying with backoff")
            # The outage itself: its length is the scenario, nothing waits on it.
            await asyncio.sleep(OUTAGE_S)
            # Redis is back, empty. Paused again, the worker cannot recreate the group before
            # the next two tasks are added: they land in a stream with no consumer group.
            worker.process.send_signal(signal.SIGSTOP)
            outage_lines = worker.log.read_text().splitlines()[lines_before_outage:]
            await redis_server.start()
            after = [await _submit(app, owners[i], pets[i]) for i in (3, 4)]
            worker.process.send_signal(signal.SIGCONT)

            assert None not in before and None not in after
            await _wait_delivered(app, [*after], worker)  # type: ignore[list-item]

            # The sweeper (the scheduler's job) queues again what the restart lost.
            stuck = await _undelivered_ids(app)
            # The two lost with the restart and the one never queued (a task handed to the
            # worker before it was paused would have been delivered: then fewer).
            assert 1 <= len(stuck) <= 3, stuck
            await asyncio.sleep(REQUEUE_AFTER_S)  # their wait, which the sweeper honours
            async with app.container() as request:
                requeued = await (await request.get(RequeueStuckChecks))()
            assert sorted(requeued) == sorted(stuck)
            await _wait_delivered(app, stuck, worker)
            # `notified_at` is the delivery's claim, set just before the message is sent: wait
            # for the messages themselves.
            results_per_owner = await _results_per_owner(control, owners)
        finally:
            worker.stop()
            await app.close()

    assert results_per_owner == [1] * OWNERS, results_per_owner
    # Dozens of failed reads in the outage, a few lines in the log, no traceback.
    assert len(outage_lines) <= 10, outage_lines
    assert not any("Traceback" in line for line in outage_lines), outage_lines
