"""The Join message end to end in the sandbox, over HTTP: a new owner books and pays a demo vet,
the confirmation explains the call and the refund rule, the appointment is moved to start in
five minutes, the scheduler's job runs once, and both chats (owner and vet) hold a "Join the
consultation" web_app button to the sandbox's own Mini App, which the strict emulator accepted
(it refuses a web_app URL that is neither https nor the sandbox's own origin)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import httpx
import pytest
import sqlalchemy as sa
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.periodic import consultation_rooms
from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import AppointmentStatus, Sex, Species
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import AppointmentRepository, UserRepository
from db.models import SlotModel
from sandbox.demo import DEMO_VETS
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import last_call_id, refused_calls
from tests.support.consultations import press_first
from tests.support.sandbox_person import SandboxPerson, keyboard, text_of


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("consultation-sandbox")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


def _web_apps(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [button for row in keyboard(message) for button in row if "web_app" in button]


async def test_after_paying_both_chats_get_join_with_a_web_app_button(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    calls_before = await last_call_id(api)
    owner = await SandboxPerson.join(api, "Joiner", "en")
    await owner.onboard("English", "Continue", "I agree")
    await owner.wait_for_text("how can we help")
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(
            owner.id, PetDraft(name="Murka", species=Species.CAT, sex=Sex.FEMALE)
        )

    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", "en"))  # asked once
    await owner.press("Murka")
    await owner.wait_for_text("What is the matter?")
    await owner.say("Limping since the weekend")
    vet_label = await press_first(owner, texts.get("msg-booking-vets", "en"))
    vet = next(demo for demo in DEMO_VETS if demo.display_name in vet_label)
    await press_first(owner, texts.get("msg-booking-day", "en"))
    await press_first(owner, "choose a time")
    await owner.press(texts.get("btn-booking-pay", "en"))
    invoice = await owner.wait_for(lambda m: m.get("invoice") is not None)
    paid = await api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "paid", paid.json()

    confirmation = text_of(await owner.wait_for_text("Booked!"))
    assert "“Join the consultation” button" in confirmation
    assert "refund" in confirmation

    # The booked time moves to five minutes from now: its call window (10 minutes before the
    # start) is open, as it would be on the day.
    async with sandbox.bot_app.container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(owner.id)
        assert user is not None
        [appointment] = await (await request.get(AppointmentRepository)).list_for_owner(
            user.id, statuses=[AppointmentStatus.CONFIRMED]
        )
        soon = datetime.now(UTC) + timedelta(minutes=5)
        session = await request.get(AsyncSession)
        await session.execute(
            sa.update(SlotModel)
            .where(SlotModel.id == appointment.slot_id)
            .values(starts_at=soon, ends_at=soon + timedelta(minutes=30))
        )
        await session.commit()

    # The scheduler's job, once (the sandbox runs it every 30 s as well: either run makes the
    # room and sends Join, and never both).
    await consultation_rooms(sandbox.bot_app.container, sandbox.bot, cast(Any, None))

    expected_url = f"{sandbox.base_url}/miniapp/?appointment={appointment.id}"
    vet_person = SandboxPerson(api, vet.telegram_id)
    for person, locale in ((owner, "en"), (vet_person, vet.language)):
        join = await person.wait_for(lambda m: bool(_web_apps(m)))
        [button] = _web_apps(join)
        assert button["web_app"]["url"] == expected_url
        assert button["text"] == texts.get("btn-consultation-join", locale)
        assert len([m for m in await person.bot_messages() if _web_apps(m)]) == 1
    owner_join = await owner.wait_for(lambda m: bool(_web_apps(m)))
    assert vet.display_name in text_of(owner_join)
    vet_join = await vet_person.wait_for(lambda m: bool(_web_apps(m)))
    assert "Murka" in text_of(vet_join)
    assert "Limping since the weekend" in text_of(vet_join)

    assert await refused_calls(api, after=calls_before) == []
