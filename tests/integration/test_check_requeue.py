"""`requeue-stuck-checks`: a check whose task was lost (Redis restarted, or down at submit time)
is queued again, once per wait, and its owner still gets exactly one result."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from dishka import AsyncContainer, Provider, Scope
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.ioc import create_container
from bot.periodic import DEFAULT_JOBS
from core.clock import Clock
from core.config import Settings
from core.enums import CheckStatus, Sex, Species
from core.interactors.check_requeue import RequeueStuckChecks
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.symptom_check import (
    AnalyzeCheck,
    PhotoAnalysisSetting,
    StoreCheckPhoto,
    SubmitCheck,
)
from core.ports.notifier import Notifier
from core.ports.photo_model import PhotoModel
from core.ports.queue import AnalysisQueue
from core.ports.repositories import SymptomCheckRepository
from core.triage import ImageFinding
from tests.photos import realistic_jpeg
from tests.support.booking import MutableClock

OWNER = 6160


@dataclass
class Recorder:
    queued: list[int] = field(default_factory=list)
    notified: list[int] = field(default_factory=list)
    # The next this-many enqueues fail as with Redis down.
    failing: int = 0

    async def enqueue_check_analysis(self, check_id: int) -> None:
        if self.failing:
            self.failing -= 1
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        self.queued.append(check_id)

    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        self.notified.append(check_id)


class QuietModel:
    name = "quiet-model"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        return [[] for _ in images]


@dataclass
class World:
    container: AsyncContainer
    recorder: Recorder
    clock: MutableClock
    wait_s: float


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    recorder = Recorder()
    # updated_at is written by the database layer's own clock: start from the real now.
    clock = MutableClock(datetime.now(UTC))
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: recorder, provides=AnalysisQueue)
    provider.provide(lambda: recorder, provides=Notifier)
    provider.provide(lambda: QuietModel(), provides=PhotoModel)
    provider.provide(lambda: PhotoAnalysisSetting(enabled=True), provides=PhotoAnalysisSetting)
    provider.provide(lambda: clock, provides=Clock)
    container = create_container(settings, provider)
    yield World(container, recorder, clock, settings.queue.requeue_after_s)
    await container.close()


async def _submit(world: World) -> int:
    async with world.container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(OWNER, "Ann", None, "en"))
    async with world.container() as request:
        pet = await (await request.get(AddPet))(
            OWNER, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
    async with world.container() as request:
        photo = await (await request.get(StoreCheckPhoto))(OWNER, realistic_jpeg(320, 240))
    async with world.container() as request:
        outcome = await (await request.get(SubmitCheck))(
            telegram_id=OWNER, pet_id=pet.id, signs=["skin_lump"], details={}, photos=[photo]
        )
    return outcome.check_id


async def _requeue(world: World) -> list[int]:
    async with world.container() as request:
        return await (await request.get(RequeueStuckChecks))()


async def _analyze(world: World, check_id: int) -> None:
    async with world.container() as request:
        await (await request.get(AnalyzeCheck))(check_id)


async def test_a_check_whose_task_was_lost_is_queued_again_and_delivered_once(
    world: World,
) -> None:
    check_id = await _submit(world)
    assert world.recorder.queued == [check_id]
    # Its task is now lost (Redis restarted); nothing happens before the wait is over.
    assert await _requeue(world) == []

    world.clock.advance(seconds=world.wait_s + 1)
    assert await _requeue(world) == [check_id]
    # Queued again once per wait, not once per round.
    assert await _requeue(world) == []
    assert world.recorder.queued == [check_id, check_id]

    # Both deliveries run (the original one was not lost after all): one result.
    await _analyze(world, check_id)
    await _analyze(world, check_id)
    assert world.recorder.notified == [check_id]

    world.clock.advance(seconds=world.wait_s + 1)
    assert await _requeue(world) == []
    async with world.container() as request:
        check = await (await request.get(SymptomCheckRepository)).get(check_id)
    assert check is not None and check.status is CheckStatus.DONE


async def test_a_check_that_could_not_be_queued_again_stays_due(world: World) -> None:
    check_id = await _submit(world)
    world.clock.advance(seconds=world.wait_s + 1)

    world.recorder.failing = 1
    with pytest.raises(RedisConnectionError):
        await _requeue(world)
    # Redis is back: the very next round queues it (the failed one did not count).
    assert await _requeue(world) == [check_id]


async def test_a_check_older_than_the_limit_is_given_up(world: World, settings: Settings) -> None:
    await _submit(world)
    world.clock.advance(seconds=settings.queue.requeue_max_age_s + 1)
    assert await _requeue(world) == []


def test_the_scheduler_runs_the_sweeper() -> None:
    assert "requeue-stuck-checks" in {job.name for job in DEFAULT_JOBS}
