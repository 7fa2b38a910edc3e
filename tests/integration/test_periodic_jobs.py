"""The clock-driven jobs through the real container: slots published ahead, holds expired,
a vet no-show refunded with an apology in the owner's chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiogram_i18n import I18nContext
from dishka import AsyncContainer, Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.factory import create_dispatcher
from bot.ioc import create_container
from bot.periodic import expire_holds, publish_slots, translator, vet_no_shows
from core.clock import Clock
from core.config import Settings
from core.enums import AppointmentStatus
from core.interactors.booking import ConfirmPayment, HoldSlot, ListOpenSlots
from core.payments import PaymentGateway, SuccessfulPayment, invoice_payload
from core.ports.repositories import AppointmentRepository, SlotRepository
from tests.support.booking import MutableClock, RecordingGateway, World, seed_world
from tests.support.recording_session import RecordingSession

BASE_TELEGRAM_ID = 77_000


@dataclass
class Jobs:
    container: AsyncContainer
    bot: Bot
    session: RecordingSession
    i18n: I18nContext
    clock: MutableClock
    gateway: RecordingGateway
    world: World


@pytest.fixture
async def jobs(settings: Settings) -> AsyncIterator[Jobs]:
    clock, gateway = MutableClock(), RecordingGateway()
    overrides = Provider(scope=Scope.APP)
    overrides.provide(lambda: clock, provides=Clock)
    overrides.provide(lambda: gateway, provides=PaymentGateway)
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    container = create_container(settings, overrides, bot=bot)
    dp: Dispatcher = create_dispatcher(settings, container)
    await dp.emit_startup(bot=bot, dispatcher=dp)
    async with container() as request:
        world = await seed_world(
            await request.get(AsyncSession), base_telegram_id=BASE_TELEGRAM_ID
        )
    try:
        yield Jobs(container, bot, session, translator(dp), clock, gateway, world)
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await container.close()


async def _open_slots(jobs: Jobs) -> list[int]:
    owner_tg, _ = jobs.world.owners[0]
    async with jobs.container() as request:
        listed = await (await request.get(ListOpenSlots))(
            owner_tg, jobs.world.vet.id, jobs.clock.now().date()
        )
    return [slot.slot_id for slot in listed]


async def _run(job, jobs: Jobs) -> None:  # type: ignore[no-untyped-def]
    await job(jobs.container, jobs.bot, jobs.i18n)


async def test_publishing_keeps_slots_ahead_and_expiry_frees_a_held_slot(jobs: Jobs) -> None:
    assert await _open_slots(jobs) == []
    await _run(publish_slots, jobs)
    slots = await _open_slots(jobs)
    assert slots

    owner_tg, pet_id = jobs.world.owners[0]
    async with jobs.container() as request:
        held = await (await request.get(HoldSlot))(owner_tg, pet_id=pet_id, slot_id=slots[0])
    assert slots[0] not in await _open_slots(jobs)

    jobs.clock.advance(minutes=30)
    await _run(expire_holds, jobs)
    async with jobs.container() as request:
        appointment = await (await request.get(AppointmentRepository)).get(held.id)
    assert appointment is not None and appointment.status is AppointmentStatus.EXPIRED


async def test_a_vet_who_never_joins_is_a_no_show_refunded_with_an_apology(jobs: Jobs) -> None:
    await _run(publish_slots, jobs)
    owner_tg, pet_id = jobs.world.owners[0]
    slot_id = (await _open_slots(jobs))[0]
    async with jobs.container() as request:
        held = await (await request.get(HoldSlot))(owner_tg, pet_id=pet_id, slot_id=slot_id)
    async with jobs.container() as request:
        outcome = await (await request.get(ConfirmPayment))(
            SuccessfulPayment(
                payer_telegram_id=owner_tg,
                invoice_payload=invoice_payload(held.id),
                currency="XTR",
                total_amount=held.price_amount,
                telegram_payment_charge_id="charge-no-show",
                provider_payment_charge_id=None,
            )
        )
    assert outcome.appointment_id == held.id
    async with jobs.container() as request:
        slot = await (await request.get(SlotRepository)).get(slot_id)
    assert slot is not None

    jobs.clock.current = slot.starts_at + timedelta(minutes=15)
    jobs.session.reset()
    await _run(vet_no_shows, jobs)

    async with jobs.container() as request:
        appointment = await (await request.get(AppointmentRepository)).get(held.id)
    assert appointment is not None and appointment.status is AppointmentStatus.NO_SHOW_VET
    assert jobs.gateway.refunded_charges == ["charge-no-show"]
    [apology] = [call for call in jobs.session.calls_of(SendMessage) if call.chat_id == owner_tg]
    assert "did not join" in apology.text
    # Run again: nothing more is refunded or said.
    jobs.session.reset()
    await _run(vet_no_shows, jobs)
    assert jobs.session.calls_of(SendMessage) == []
    assert jobs.gateway.refunded_charges == ["charge-no-show"]
