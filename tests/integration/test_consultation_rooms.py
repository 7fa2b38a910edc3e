"""The consultation's video room through the real container and scheduler job, on PostgreSQL
and SQLite: made once when the call window opens, Join sent to both sides with a web_app
button, provider failures retried and told at the start, joins recorded, closed once with the
call's duration.

Each test gets a database of its own: the scheduler's queries see every appointment, so rows
of other tests must not be there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage
from dishka import AsyncContainer, Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from bot.periodic import consultation_rooms
from bot.video.builtin import BuiltinVideoRooms
from core.clock import Clock
from core.config import Settings
from core.consultation_errors import CallNotOpenError, ConsultationAccessDeniedError
from core.entities import Appointment, ConsultationRoom
from core.enums import AppointmentStatus
from core.interactors.booking import ConfirmPayment, HandleVetNoShow, HoldSlot, ListOpenSlots
from core.interactors.booking_jobs import PublishAllVetSlots
from core.interactors.consultation_lifecycle import (
    GetCallLink,
    JoinConsultation,
    RecordJoin,
    RecordLeave,
)
from core.payments import PaymentGateway, SuccessfulPayment, invoice_payload
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.repositories import AppointmentRepository
from core.ports.video import (
    JoinCredentials,
    ParticipantRole,
    Presence,
    RoomSpec,
    VideoProviderError,
    VideoRoom,
    VideoRooms,
)
from tests.conftest import make_settings
from tests.support.booking import MutableClock, RecordingGateway, World, seed_world
from tests.support.recording_session import RecordingSession

BASE_TELEGRAM_ID = 88_000
STRANGER_TG = 88_900
PUBLIC_URL = "https://pet.example.org"


class FlakyVideo:
    """The builtin provider, failing its next `failures` creates as a hosted one might."""

    def __init__(self) -> None:
        self.inner = BuiltinVideoRooms(
            ("turn:turn.example.org:3478",), turn_secret="north", turn_ttl=timedelta(hours=2)
        )
        self.failures = 0
        self.creates = 0

    @property
    def provider(self) -> str:
        return self.inner.provider

    async def create_room(self, spec: RoomSpec) -> VideoRoom:
        self.creates += 1
        if self.failures > 0:
            self.failures -= 1
            raise VideoProviderError("503 Service Unavailable")
        return await self.inner.create_room(spec)

    async def issue_credentials(self, room: VideoRoom, **kwargs: Any) -> JoinCredentials:
        return await self.inner.issue_credentials(room, **kwargs)

    async def close_room(self, room: VideoRoom) -> None:
        await self.inner.close_room(room)

    async def attendance(self, room: VideoRoom) -> Sequence[Presence] | None:
        return await self.inner.attendance(room)


@dataclass
class Calls:
    container: AsyncContainer
    bot: Bot
    session: RecordingSession
    clock: MutableClock
    video: FlakyVideo
    world: World

    @property
    def owner_tg(self) -> int:
        return self.world.owners[0][0]

    async def run_job(self) -> None:
        # The job takes the dispatcher's translator like every job; this one does not use it.
        await consultation_rooms(self.container, self.bot, cast(Any, None))

    async def room(self, appointment_id: int) -> ConsultationRoom | None:
        async with self.container() as request:
            rooms: ConsultationRoomRepository = await request.get(ConsultationRoomRepository)
            return await rooms.get(appointment_id)

    async def appointment(self, appointment_id: int) -> Appointment:
        async with self.container() as request:
            appointments: AppointmentRepository = await request.get(AppointmentRepository)
            found = await appointments.get(appointment_id)
        assert found is not None
        return found

    def sent(self) -> list[SendMessage]:
        return cast(list[SendMessage], self.session.calls_of(SendMessage))


@pytest.fixture
async def calls(private_db_url: str, tmp_path: Path) -> AsyncIterator[Calls]:
    clock, video = MutableClock(), FlakyVideo()
    overrides = Provider(scope=Scope.APP)
    overrides.provide(lambda: clock, provides=Clock)
    overrides.provide(lambda: RecordingGateway(), provides=PaymentGateway)
    overrides.provide(lambda: video, provides=VideoRooms)
    settings: Settings = make_settings(tmp_path / "unused.db", webapp_url=PUBLIC_URL)
    settings = settings.model_copy(update={"database_url": private_db_url})
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    container = create_container(settings, overrides, bot=bot)
    async with container() as request:
        world = await seed_world(
            await request.get(AsyncSession), base_telegram_id=BASE_TELEGRAM_ID
        )
    try:
        yield Calls(container, bot, session, clock, video, world)
    finally:
        await container.close()


async def _book(calls: Calls) -> Appointment:
    """The owner books and pays the vet's first slot (Monday 09:00 in Moscow)."""
    owner_tg, pet_id = calls.world.owners[0]
    async with calls.container() as request:
        await (await request.get(PublishAllVetSlots))()
    async with calls.container() as request:
        [first, *_] = await (await request.get(ListOpenSlots))(
            owner_tg, calls.world.vet.id, calls.clock.now().date()
        )
    async with calls.container() as request:
        held = await (await request.get(HoldSlot))(owner_tg, pet_id=pet_id, slot_id=first.slot_id)
    async with calls.container() as request:
        await (await request.get(ConfirmPayment))(
            SuccessfulPayment(
                payer_telegram_id=owner_tg,
                invoice_payload=invoice_payload(held.id),
                currency="XTR",
                total_amount=held.price_amount,
                telegram_payment_charge_id=f"charge-{held.id}",
            )
        )
    appointment = await calls.appointment(held.id)
    assert appointment.status is AppointmentStatus.CONFIRMED
    return appointment


def _join_button_url(message: SendMessage) -> str:
    markup = message.reply_markup
    assert markup is not None
    [[button]] = markup.inline_keyboard  # type: ignore[union-attr]
    assert button.text == "📹 Join the consultation"
    assert button.web_app is not None and button.callback_data is None
    return button.web_app.url


async def test_the_room_is_made_once_when_the_window_opens_and_both_get_join(
    calls: Calls,
) -> None:
    appointment = await _book(calls)
    vet_tg = calls.world.vet_telegram_id

    calls.clock.current = appointment.starts_at - timedelta(minutes=10, seconds=1)
    calls.session.reset()
    await calls.run_job()
    assert await calls.room(appointment.id) is None
    assert calls.sent() == []

    calls.clock.current = appointment.starts_at - timedelta(minutes=10)
    await calls.run_job()
    room = await calls.room(appointment.id)
    assert room is not None and room.is_open
    assert room.provider == "builtin"
    assert room.expires_at == appointment.ends_at + timedelta(minutes=15)
    by_chat = {int(message.chat_id): message for message in calls.sent()}
    assert set(by_chat) == {calls.owner_tg, vet_tg}
    expected_url = f"{PUBLIC_URL}/miniapp/?appointment={appointment.id}"
    for message in by_chat.values():
        assert _join_button_url(message) == expected_url
    # Each in their own time zone: the owner in Moscow, the vet's profile zone is Moscow too
    # in this world; the owner's message names the vet, the vet's the owner.
    assert "Dr. 88000" in by_chat[calls.owner_tg].text
    assert "owner: Owner 0" in by_chat[vet_tg].text
    assert "09:00 MSK (UTC+3)" in by_chat[calls.owner_tg].text

    for _ in range(3):
        calls.clock.advance(seconds=30)
        await calls.run_job()
    assert len(calls.sent()) == 2
    assert calls.video.creates == 1
    again = await calls.room(appointment.id)
    assert again is not None and again.provider_room_id == room.provider_room_id


async def test_a_failing_provider_is_retried_and_both_are_told_once_at_the_start(
    calls: Calls,
) -> None:
    appointment = await _book(calls)
    calls.video.failures = 1_000
    calls.clock.current = appointment.starts_at - timedelta(minutes=10)
    calls.session.reset()
    while calls.clock.current < appointment.starts_at:
        await calls.run_job()
        calls.clock.advance(seconds=30)
    assert calls.sent() == []  # before the start nobody is bothered
    room = await calls.room(appointment.id)
    assert room is not None and room.provider_room_id is None
    assert 3 <= room.failures == calls.video.creates < 20  # retried, with backoff
    assert room.last_error == "VideoProviderError: 503 Service Unavailable"

    for _ in range(4):
        await calls.run_job()
        calls.clock.advance(seconds=30)
    told = {int(message.chat_id): message.text for message in calls.sent()}
    assert set(told) == {calls.owner_tg, calls.world.vet_telegram_id}
    assert len(calls.sent()) == 2
    assert all("not ready yet" in text for text in told.values())
    assert all(message.reply_markup is None for message in calls.sent())

    # The provider recovers: the room is made and announced, the apology is not repeated.
    calls.video.failures = 0
    calls.session.reset()
    for _ in range(5):
        await calls.run_job()
        calls.clock.advance(seconds=30)
    assert sorted(int(m.chat_id) for m in calls.sent()) == sorted(
        [calls.owner_tg, calls.world.vet_telegram_id]
    )
    assert all(_join_button_url(m).endswith(f"={appointment.id}") for m in calls.sent())


async def test_joins_are_recorded_and_the_room_closes_once_with_the_duration(
    calls: Calls,
) -> None:
    appointment = await _book(calls)
    vet_tg, owner_tg = calls.world.vet_telegram_id, calls.owner_tg
    start = appointment.starts_at

    async def at(moment: datetime, interactor: type, telegram_id: int) -> Any:
        calls.clock.current = moment
        async with calls.container() as request:
            return await (await request.get(interactor))(appointment.id, telegram_id)

    # Outside the window: told when it opens.
    with pytest.raises(CallNotOpenError) as refused:
        await at(start - timedelta(minutes=30), RecordJoin, owner_tg)
    assert refused.value.opens_at == start - timedelta(minutes=10)

    calls.clock.current = start - timedelta(minutes=10)
    await calls.run_job()
    assert await at(start - timedelta(minutes=2), RecordJoin, owner_tg) is ParticipantRole.OWNER
    assert await at(start + timedelta(minutes=1), RecordJoin, vet_tg) is ParticipantRole.VET
    await at(start + timedelta(minutes=5), RecordLeave, vet_tg)  # a dropped connection...
    await at(start + timedelta(minutes=6), RecordJoin, vet_tg)  # ...and back
    await at(start + timedelta(minutes=29), RecordLeave, vet_tg)
    await at(start + timedelta(minutes=30), RecordLeave, owner_tg)
    with pytest.raises(ConsultationAccessDeniedError):
        await at(start + timedelta(minutes=10), RecordJoin, STRANGER_TG)

    joined = await calls.appointment(appointment.id)
    assert joined.owner_joined_at == start - timedelta(minutes=2)
    assert joined.vet_joined_at == start + timedelta(minutes=1)  # the first join is kept
    assert joined.vet_left_at == start + timedelta(minutes=29)

    # The no-show job reads vet_joined_at: this vet came, so nothing is refunded.
    calls.clock.current = start + timedelta(minutes=20)
    async with calls.container() as request:
        assert await (await request.get(HandleVetNoShow))() == []

    calls.clock.current = appointment.ends_at + timedelta(minutes=15) - timedelta(seconds=1)
    await calls.run_job()
    assert (await calls.appointment(appointment.id)).call_ended_at is None
    closing = appointment.ends_at + timedelta(minutes=15)
    calls.clock.current = closing
    await calls.run_job()
    ended = await calls.appointment(appointment.id)
    assert ended.call_ended_at == closing
    assert ended.duration_seconds == 28 * 60  # both present from +1 to +29 min
    room = await calls.room(appointment.id)
    assert room is not None and room.closed_at == closing

    calls.clock.advance(minutes=5)
    await calls.run_job()
    assert (await calls.appointment(appointment.id)).call_ended_at == closing
    assert (await calls.room(appointment.id)).closed_at == closing  # type: ignore[union-attr]


async def test_the_call_link_and_credentials_exist_only_while_the_room_is_open(
    calls: Calls,
) -> None:
    appointment = await _book(calls)
    owner_tg, vet_tg = calls.owner_tg, calls.world.vet_telegram_id

    async def link(telegram_id: int) -> str | None:
        async with calls.container() as request:
            return await (await request.get(GetCallLink))(telegram_id, appointment.id)

    calls.clock.current = appointment.starts_at - timedelta(minutes=10)
    assert await link(owner_tg) is None  # the window is open, the room not made yet
    await calls.run_job()
    expected = f"{PUBLIC_URL}/miniapp/?appointment={appointment.id}"
    assert await link(owner_tg) == expected
    assert await link(vet_tg) == expected
    assert await link(STRANGER_TG) is None

    async with calls.container() as request:
        ticket = await (await request.get(JoinConsultation))(vet_tg, appointment.id)
    assert ticket.role is ParticipantRole.VET
    [turn] = ticket.credentials.ice_servers
    assert turn.username is not None and turn.username.endswith(
        ":vet-" + str(ticket.access.caller.id)
    )

    calls.clock.current = appointment.ends_at + timedelta(minutes=15)
    await calls.run_job()
    assert await link(owner_tg) is None
