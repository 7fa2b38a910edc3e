"""Issue #12's Done-when walk in the sandbox, over real HTTP: a vaccination due tomorrow, the
clock moved on, the reminder in the chat with its buttons, "Done ✓" → the form of the next dose
opens with the vaccine offered → confirmed in a few taps and saved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import RecordKind, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, ListRecords, LocalToday, VaccinationDraft
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

DAY_S = 24 * 3600
# Not the example the question gives for dogs: the offered name must come from the entry.
VACCINE = "Eurican DHPPi2-L"


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("reminder-walk")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=60) as client:
        yield client


async def _dog_with_a_vaccination_due_tomorrow(sandbox: RunningSandbox, owner_id: int) -> int:
    async with sandbox.bot_app.container() as request:
        pet = await (await request.get(AddPet))(
            owner_id, PetDraft(name="Rex", species=Species.DOG)
        )
        today = await (await request.get(LocalToday))(owner_id)
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddRecord))(
            owner_id,
            pet.id,
            VaccinationDraft(VACCINE, today - timedelta(days=365), today + timedelta(days=1)),
        )
    return pet.id


async def test_done_under_a_reminder_opens_the_next_dose_prefilled(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    owner = await SandboxPerson.join(api, "Reminded owner", "en")
    await owner.onboard("English", "Continue", "I agree")
    pet_id = await _dog_with_a_vaccination_due_tomorrow(sandbox, owner.id)

    # Two days on: past the on-the-day step; the jobs ran before the answer.
    moved = await api.post("/sandbox/api/clock", json={"seconds": 2 * DAY_S})
    assert moved.status_code == 200, moved.text
    done = str(texts.get("btn-reminder-done", "en"))
    reminder = await owner.wait_for(lambda m: VACCINE in text_of(m) and done in button_texts(m))
    assert "Rex" in text_of(reminder)
    assert {
        str(texts.get("btn-reminder-snooze", "en")),
        str(texts.get("btn-reminder-stop", "en")),
    } <= set(button_texts(reminder))

    await owner.press(done)
    await owner.wait_for_text(str(texts.get("msg-reminder-done-form", "en")))
    same = str(texts.get("btn-record-same-title", "en"))
    form = await owner.wait_for(lambda m: same in button_texts(m))
    assert f"Last time: {VACCINE}." in text_of(form)
    assert "step 1 of 4" in text_of(form)

    await owner.press(same)
    await owner.wait_for_text("step 2 of 4")
    await owner.press(str(texts.get("btn-record-today", "en")))
    await owner.wait_for_text("step 3 of 4")
    await owner.press(str(texts.get("btn-record-due-year", "en")))
    await owner.wait_for_text("step 4 of 4")
    await owner.press(str(texts.get("btn-record-skip", "en")))
    await owner.wait_for_text(str(texts.get("msg-record-added", "en")))

    async with sandbox.bot_app.container() as request:
        today = await (await request.get(LocalToday))(owner.id)
        page = await (await request.get(ListRecords))(owner.id, pet_id)
    vaccinations = [e for e in page.entries if e.record.kind is RecordKind.VACCINATION]
    assert [entry.record.title for entry in vaccinations] == [VACCINE, VACCINE]
    # The new dose: given today in the owner's zone, its next due a year on.
    newest = max(vaccinations, key=lambda entry: entry.record.id)
    assert newest.day == today
    assert newest.record.next_due_at is not None
    assert newest.record.next_due_at.year == today.year + 1
