"""The vet's side of a consultation in the sandbox, over HTTP against the strict emulator: /book
offers the pet's latest symptom check and attaches it; the demo vet's /start sets the vet menu
(read back through the control API); /help differs for the vet; /today carries a web_app
"brief" button to the sandbox's own Mini App and, inside the call window, "Start"; and the
brief the vet reads holds the check the owner attached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import AppointmentStatus, Sex, Species
from core.interactors.consultation_brief import GetConsultationBrief
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import AppointmentRepository, SymptomCheckRepository, UserRepository
from core.ports.uow import UnitOfWork
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
    root = tmp_path_factory.mktemp("vet-chat-sandbox")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


def _web_apps(message: dict[str, Any]) -> dict[str, str]:
    return {
        button["text"]: button["web_app"]["url"]
        for row in keyboard(message)
        for button in row
        if "web_app" in button
    }


async def test_the_vet_reads_the_attached_check_from_today_s_brief_button(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    calls_before = await last_call_id(api)
    owner = await SandboxPerson.join(api, "Owner", "en")
    await owner.onboard("English", "Continue", "I agree")
    await owner.wait_for_text("how can we help")
    async with sandbox.bot_app.container() as request:
        pet = await (await request.get(AddPet))(
            owner.id, PetDraft(name="Murka", species=Species.CAT, sex=Sex.FEMALE)
        )
        user = await (await request.get(UserRepository)).get_by_telegram_id(owner.id)
        assert user is not None
        # A check the owner sent an hour ago, its analysis still under way.
        check = await (await request.get(SymptomCheckRepository)).add(
            pet_id=pet.id,
            user_id=user.id,
            answers={},
            idempotency_key=None,
            submitted_at=datetime.now(UTC) - timedelta(hours=1),
        )
        await (await request.get(UnitOfWork)).commit()

    # /book offers it right after the pet, and attaches it.
    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", "en"))  # asked once
    await owner.press("Murka")
    offer = await owner.wait_for_text("A recent symptom check")
    assert "⏳" in text_of(offer)
    await owner.press(texts.get("btn-booking-attach-recent", "en"))
    await owner.wait_for_text("symptom check is attached")
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
    await owner.wait_for_text("Booked!")

    # The consultation moves to five minutes from now: brief and call windows are open.
    async with sandbox.bot_app.container() as request:
        [appointment] = await (await request.get(AppointmentRepository)).list_for_owner(
            user.id, statuses=[AppointmentStatus.CONFIRMED]
        )
        assert appointment.check_id == check.id
        soon = datetime.now(UTC) + timedelta(minutes=5)
        session = await request.get(AsyncSession)
        await session.execute(
            sa.update(SlotModel)
            .where(SlotModel.id == appointment.slot_id)
            .values(starts_at=soon, ends_at=soon + timedelta(minutes=30))
        )
        await session.commit()

    # The demo vet's /start sets their own menu; the owner's stays everyone's.
    vet_person = SandboxPerson(api, vet.telegram_id)
    started = await vet_person.say("/start")
    # The menu is set before /start answers: its answer says the menu is there.
    await vet_person.wait_for(lambda m: m["message_id"] > started)
    vet_menu = (await api.get(f"/sandbox/api/users/{vet.telegram_id}/menu")).json()
    owner_menu = (await api.get(f"/sandbox/api/users/{owner.id}/menu")).json()
    vet_commands = {command["command"] for command in vet_menu["commands"]}
    owner_commands = {command["command"] for command in owner_menu["commands"]}
    assert {"today", "queue", "schedule", "book", "help"} <= vet_commands
    assert "today" not in owner_commands and "book" in owner_commands

    # /help: the vet's tells about their commands; the owner's does not.
    await vet_person.say("/help")
    vet_help = text_of(await vet_person.wait_for_text("/today"))
    await owner.say("/help")
    owner_help = text_of(await owner.wait_for_text("/paysupport"))
    assert "/queue" in vet_help and "/today" not in owner_help

    # /today: the brief, and Start inside the call window, both web_app buttons.
    await vet_person.say("/today")
    today = await vet_person.wait_for(lambda m: bool(_web_apps(m)))
    links = _web_apps(today)
    brief = f"{sandbox.base_url}/miniapp/?appointment={appointment.id}&screen=brief"
    assert brief in links.values()
    assert links[texts.get("btn-vet-start-call", vet.language)] == (
        f"{sandbox.base_url}/miniapp/?appointment={appointment.id}"
    )
    assert "Murka" in text_of(today)

    # What that brief shows: the check the owner attached.
    async with sandbox.bot_app.container() as request:
        read = await (await request.get(GetConsultationBrief))(vet.telegram_id, appointment.id)
    assert read.check is not None and read.check.check.id == check.id

    assert await refused_calls(api, after=calls_before) == []
