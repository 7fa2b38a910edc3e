"""Steps of a consultation in the sandbox, over HTTP: book and pay a demo vet, bring the
appointment into its call window, sign in to the Mini App as a chat user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.run_modes import RunningSandbox
from core.entities import Appointment
from core.enums import AppointmentStatus
from core.ports.repositories import AppointmentRepository, UserRepository
from db.models import SlotModel
from sandbox.demo import DEMO_VETS, DemoVet
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of


async def press_first(person: SandboxPerson, window_text: str) -> str:
    """Press the first button of the newest message that says `window_text`."""
    window = await person.wait_for(lambda m: window_text in text_of(m) and bool(button_texts(m)))
    label = button_texts(window)[0]
    response = await person.api.post(
        f"/sandbox/api/users/{person.id}/callbacks",
        json={"message_id": window["message_id"], "button_text": label},
    )
    response.raise_for_status()
    return label


@dataclass(frozen=True)
class Booked:
    vet: DemoVet
    appointment: Appointment


async def book_and_pay(
    sandbox: RunningSandbox,
    owner: SandboxPerson,
    texts: FluentRuntimeCore,
    *,
    pet: str,
    reason: str,
) -> Booked:
    """`/book` → the pet → the reason → the first vet, day and time → pay; the confirmed
    appointment. The owner speaks English and has the pet already."""
    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", "en"))  # asked once
    await owner.press(pet)
    await owner.wait_for_text("What is the matter?")
    await owner.say(reason)
    vet_label = await press_first(owner, texts.get("msg-booking-vets", "en"))
    vet = next(demo for demo in DEMO_VETS if demo.display_name in vet_label)
    await press_first(owner, texts.get("msg-booking-day", "en"))
    await press_first(owner, "choose a time")
    await owner.press(texts.get("btn-booking-pay", "en"))
    invoice = await owner.wait_for(lambda m: m.get("invoice") is not None)
    paid = await owner.api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "paid", paid.json()
    await owner.wait_for_text("Booked!")
    async with sandbox.bot_app.container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(owner.id)
        assert user is not None
        [appointment] = await (await request.get(AppointmentRepository)).list_for_owner(
            user.id, statuses=[AppointmentStatus.CONFIRMED]
        )
    return Booked(vet, appointment)


async def move_slot(
    sandbox: RunningSandbox, appointment: Appointment, starts_at: datetime
) -> None:
    """The booked time, moved (the test cannot wait for the real day)."""
    async with sandbox.bot_app.container() as request:
        session = await request.get(AsyncSession)
        await session.execute(
            sa.update(SlotModel)
            .where(SlotModel.id == appointment.slot_id)
            .values(
                starts_at=starts_at,
                ends_at=starts_at + (appointment.ends_at - appointment.starts_at),
            )
        )
        await session.commit()


def starting_in(minutes: float) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def miniapp_client(api: httpx.AsyncClient, telegram_id: int) -> httpx.AsyncClient:
    """A client of the sandbox's Mini App API signed in as this chat user (the initData the
    sandbox's web chat hands its Mini App frame)."""
    init_data = (await api.get(f"/sandbox/api/users/{telegram_id}/webapp_init_data")).json()
    session = await api.post("/miniapp/api/session", json={"init_data": init_data["init_data"]})
    assert session.status_code == 200, session.text
    return httpx.AsyncClient(
        base_url=str(api.base_url),
        timeout=30,
        headers={"Authorization": f"Bearer {session.json()['token']}"},
    )
