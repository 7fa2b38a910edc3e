"""Issue #12's medication walk in the sandbox, over real HTTP: the owner adds a course with a
dose time through the card's form, the clock moves to that time, the dose message arrives in
the owner's and the co-owner's chats with "Given ✓"; the owner presses it → their message shows
it was given, and the co-owner's copy is edited to say by whom."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import AccessLevel, Species
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from core.schedule import to_local
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

DRUG = "Synulox"


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("medication-walk")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=60) as client:
        yield client


async def _shared_dog(sandbox: RunningSandbox, owner_id: int, co_owner_id: int) -> None:
    """Rex, Anna's, shared with Ben as a co-owner (the sharing walk has its own tests)."""
    async with sandbox.bot_app.container() as request:
        pet = await (await request.get(AddPet))(
            owner_id, PetDraft(name="Rex", species=Species.DOG)
        )
    async with sandbox.bot_app.container() as request:
        co_owner = await (await request.get(UserRepository)).get_by_telegram_id(co_owner_id)
        assert co_owner is not None
        await (await request.get(PetAccessRepository)).grant(
            pet_id=pet.id,
            user_id=co_owner.id,
            level=AccessLevel.CO_OWNER,
            granted_at=sandbox.clock.now(),
        )
        await (await request.get(UnitOfWork)).commit()


async def test_a_dose_reminder_given_by_the_owner_shows_on_the_co_owners_copy(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    owner = await SandboxPerson.join(api, "Anna", "en")
    await owner.onboard("English", "Continue", "I agree")
    co_owner = await SandboxPerson.join(api, "Ben", "en")
    await co_owner.onboard("English", "Continue", "I agree")
    await _shared_dog(sandbox, owner.id, co_owner.id)

    # The dose two hours from now, on the hour, in the owner's zone (English: Europe/London).
    now = sandbox.clock.now()
    local = to_local(now, "Europe/London")
    dose_local = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    dose_time = f"{dose_local:%H:%M}"

    await owner.say("/records")
    await owner.press(str(texts.get("btn-record-add", "en")))
    await owner.press(str(texts.get("lbl-record-kind-medication", "en")))
    for typed in (DRUG, "50 mg", "twice a day with food"):
        await owner.say(typed)
    await owner.press(str(texts.get("btn-record-today", "en")))
    await owner.press(str(texts.get("btn-record-skip", "en")))  # an ongoing course
    await owner.wait_for_text(str(texts.get("msg-record-ask-dose-times", "en"))[:20])
    await owner.say("banana")
    await owner.wait_for_text(str(texts.get("err-record-times-unreadable", "en")))
    await owner.say(dose_time)
    await owner.wait_for_text(str(texts.get("msg-record-added", "en")))

    moved = await api.post(
        "/sandbox/api/clock",
        json={"seconds": int((dose_local - local).total_seconds()) + 60},
    )
    assert moved.status_code == 200, moved.text
    given_label = str(texts.get("btn-medication-given", "en"))
    line = f"Rex: {DRUG}, 50 mg — {dose_time} dose"
    for person in (owner, co_owner):
        await person.wait_for(lambda m: line in text_of(m) and given_label in button_texts(m))

    await owner.press(given_label)
    shown = await owner.wait_for_text("✓ Given at")
    assert f"{DRUG}, 50 mg — {dose_time} dose" in text_of(shown)
    assert button_texts(shown) == []
    copy = await co_owner.wait_for_text("✓ Given by Anna at")
    assert f"{DRUG}, 50 mg — {dose_time} dose" in text_of(copy)
    assert button_texts(copy) == []
