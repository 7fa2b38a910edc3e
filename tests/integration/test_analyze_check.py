"""The worker's task on a real database: refine, fail soft, and deliver exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import pytest
from dishka import AsyncContainer, Provider, Scope

from bot.ioc import create_container
from core.checks import PhotoAnalysis, result_from_json
from core.config import Settings
from core.enums import CheckStatus, Sex, Species, Urgency
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.reachability import MarkBotBlocked
from core.interactors.symptom_check import (
    AnalyzeCheck,
    PhotoAnalysisSetting,
    StoreCheckPhoto,
    SubmitCheck,
)
from core.ports.notifier import Notifier, RecipientUnreachableError
from core.ports.photo_model import PhotoModel
from core.ports.queue import AnalysisQueue
from core.ports.repositories import SymptomCheckRepository
from core.triage import ImageFinding
from tests.photos import realistic_jpeg

OWNER = 5150


@dataclass
class Recorder:
    queued: list[int] = field(default_factory=list)
    notified: list[int] = field(default_factory=list)
    notify_delay_s: float = 0.0

    async def enqueue_check_analysis(self, check_id: int) -> None:
        self.queued.append(check_id)

    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        await asyncio.sleep(self.notify_delay_s)
        self.notified.append(check_id)


class WoundModel:
    """Sees an open wound in every photo. (Stored photos are re-encoded, so a fake keyed on the
    uploaded bytes would not recognise them.)"""

    name = "wound-model"

    def __init__(self) -> None:
        self.calls: list[int] = []

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        self.calls.append(len(images))
        return [[ImageFinding("wound_open", 0.91)] for _ in images]


class BrokenModel:
    name = "broken"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        raise RuntimeError("CUDA out of memory")


def _overrides(recorder: Recorder, model: PhotoModel) -> Provider:
    provider = Provider(scope=Scope.APP)
    provider.provide(lambda: recorder, provides=AnalysisQueue)
    provider.provide(lambda: recorder, provides=Notifier)
    provider.provide(lambda: model, provides=PhotoModel)
    provider.provide(lambda: PhotoAnalysisSetting(enabled=True), provides=PhotoAnalysisSetting)
    return provider


def _jpeg() -> bytes:
    # Photo-like: the photo step refuses flat, dark or blurred pictures.
    return realistic_jpeg(320, 240)


async def _queued_check(container: AsyncContainer) -> int:
    async with container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(OWNER, "Ann", None, "en"))
    async with container() as request:
        pet = await (await request.get(AddPet))(
            OWNER, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
    async with container() as request:
        photo = await (await request.get(StoreCheckPhoto))(OWNER, _jpeg())
    async with container() as request:
        outcome = await (await request.get(SubmitCheck))(
            telegram_id=OWNER, pet_id=pet.id, signs=["skin_lump"], details={}, photos=[photo]
        )
    assert outcome.analysis is PhotoAnalysis.PENDING
    assert outcome.result.urgency is Urgency.LOW
    return outcome.check_id


async def _analyze(container: AsyncContainer, check_id: int) -> None:
    async with container() as request:
        await (await request.get(AnalyzeCheck))(check_id)


async def _load(container: AsyncContainer, check_id: int):  # type: ignore[no-untyped-def]
    async with container() as request:
        return await (await request.get(SymptomCheckRepository)).get(check_id)


@pytest.fixture
async def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def wound_container(settings: Settings, recorder: Recorder) -> AsyncIterator[AsyncContainer]:
    model = WoundModel()
    container = create_container(settings, _overrides(recorder, model))
    yield container
    await container.close()


async def test_photo_findings_raise_the_level_and_the_owner_is_told_once(
    wound_container: AsyncContainer, recorder: Recorder
) -> None:
    check_id = await _queued_check(wound_container)
    assert recorder.queued == [check_id]

    await _analyze(wound_container, check_id)
    await _analyze(wound_container, check_id)  # a redelivery

    check = await _load(wound_container, check_id)
    assert check.status is CheckStatus.DONE
    assert check.urgency is Urgency.MEDIUM
    assert check.model_used and check.model_version == "wound-model"
    result, analysis = result_from_json(check.result)
    assert analysis is PhotoAnalysis.DONE
    assert "wound_open" in result.reasons
    assert recorder.notified == [check_id]


async def test_concurrent_deliveries_of_one_task_notify_once(
    wound_container: AsyncContainer, recorder: Recorder
) -> None:
    check_id = await _queued_check(wound_container)
    recorder.notify_delay_s = 0.2  # both runs reach the delivery while the first still sends
    await asyncio.gather(_analyze(wound_container, check_id), _analyze(wound_container, check_id))
    assert recorder.notified == [check_id]


async def test_a_failing_model_still_gives_the_answer_based_result_with_a_note(
    settings: Settings, recorder: Recorder
) -> None:
    container = create_container(settings, _overrides(recorder, BrokenModel()))
    try:
        check_id = await _queued_check(container)
        await _analyze(container, check_id)
        check = await _load(container, check_id)
    finally:
        await container.close()
    assert check.status is CheckStatus.DONE
    assert check.urgency is Urgency.LOW
    assert check.model_used is False
    assert "CUDA out of memory" in (check.error or "")
    _, analysis = result_from_json(check.result)
    assert analysis is PhotoAnalysis.FAILED
    assert recorder.notified == [check_id]


async def test_a_failed_delivery_is_released_for_the_next_attempt(
    wound_container: AsyncContainer, recorder: Recorder
) -> None:
    check_id = await _queued_check(wound_container)

    async def telegram_down(*, telegram_id: int, check_id: int) -> None:
        raise ConnectionError("Telegram is unreachable")

    recorder.check_result_ready = telegram_down  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await _analyze(wound_container, check_id)
    assert (await _load(wound_container, check_id)).notified_at is None

    del recorder.check_result_ready  # back to the recording method
    await _analyze(wound_container, check_id)
    assert recorder.notified == [check_id]


async def test_an_owner_who_blocked_the_bot_is_not_sent_the_result(
    wound_container: AsyncContainer, recorder: Recorder
) -> None:
    check_id = await _queued_check(wound_container)
    async with wound_container() as request:
        assert await (await request.get(MarkBotBlocked))(OWNER)

    await _analyze(wound_container, check_id)

    check = await _load(wound_container, check_id)
    assert check.status is CheckStatus.DONE  # the result is in the pet's checks
    assert recorder.notified == []
    assert check.notified_at is not None  # a redelivery does not try again


async def test_an_owner_found_to_have_blocked_the_bot_ends_the_delivery_quietly(
    wound_container: AsyncContainer, recorder: Recorder
) -> None:
    check_id = await _queued_check(wound_container)

    async def blocked(*, telegram_id: int, check_id: int) -> None:
        raise RecipientUnreachableError(telegram_id)

    recorder.check_result_ready = blocked  # type: ignore[method-assign]
    await _analyze(wound_container, check_id)  # no error for the queue to redeliver

    assert (await _load(wound_container, check_id)).notified_at is not None
