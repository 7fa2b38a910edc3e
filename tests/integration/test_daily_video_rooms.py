"""The Daily adapter (bot/video/daily.py) against the local fake of Daily's REST API
(tests/support/fake_daily.py) over real HTTP: rooms, a retried create, tokens, the close,
attendance, and every failure turned into VideoProviderError. Also the scheduler with the
adapter: a room Daily fails to make is retried until Daily recovers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from aiogram import Bot
from aiogram.methods import SendMessage
from dishka import AsyncContainer, Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from bot.periodic import consultation_rooms
from bot.video.daily import DailyVideoRooms
from core.clock import Clock
from core.config import Settings
from core.entities import Appointment
from core.enums import AppointmentStatus
from core.interactors.booking import ConfirmPayment, HoldSlot, ListOpenSlots
from core.interactors.booking_jobs import PublishAllVetSlots
from core.interactors.consultation_lifecycle import room_name
from core.payments import PaymentGateway, SuccessfulPayment, invoice_payload
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.repositories import AppointmentRepository
from core.ports.video import ParticipantRole, RoomSpec, VideoProviderError, VideoRoom, VideoRooms
from tests.conftest import make_settings
from tests.support.booking import MutableClock, RecordingGateway, World, seed_world
from tests.support.fake_daily import FakeDaily, running_fake_daily
from tests.support.recording_session import RecordingSession

EXPIRES = datetime(2031, 3, 3, 10, 15, tzinfo=UTC)
SPEC = RoomSpec(name="telemed-pet-41", appointment_id=41, expires_at=EXPIRES)
NOW = datetime(2031, 3, 3, 8, 50, tzinfo=UTC)
FAST = httpx.Timeout(2.0, connect=2.0)


async def book_first_slot(
    container: AsyncContainer, clock: MutableClock, world: World
) -> Appointment:
    """The first owner books and pays the vet's first slot (as test_consultation_rooms does)."""
    owner_tg, pet_id = world.owners[0]
    async with container() as request:
        await (await request.get(PublishAllVetSlots))()
    async with container() as request:
        [first, *_] = await (await request.get(ListOpenSlots))(
            owner_tg, world.vet.id, clock.now().date()
        )
    async with container() as request:
        held = await (await request.get(HoldSlot))(owner_tg, pet_id=pet_id, slot_id=first.slot_id)
    async with container() as request:
        await (await request.get(ConfirmPayment))(
            SuccessfulPayment(
                payer_telegram_id=owner_tg,
                invoice_payload=invoice_payload(held.id),
                currency="XTR",
                total_amount=held.price_amount,
                telegram_payment_charge_id=f"charge-{held.id}",
            )
        )
    async with container() as request:
        appointments: AppointmentRepository = await request.get(AppointmentRepository)
        appointment = await appointments.get(held.id)
    assert appointment is not None and appointment.status is AppointmentStatus.CONFIRMED
    return appointment


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDaily]:
    with running_fake_daily() as server:
        yield server


@pytest.fixture
def daily(fake: FakeDaily) -> Iterator[FakeDaily]:
    # One server for the module (a thread each is slow to start); clean state for each test.
    fake.rooms.clear()
    fake.tokens.clear()
    fake.meetings.clear()
    fake.pending_events.clear()
    fake.calls.clear()
    fake.delay_s = 0.0
    yield fake
    fake.delay_s = 0.0


@pytest.fixture
async def rooms(daily: FakeDaily) -> AsyncIterator[DailyVideoRooms]:
    adapter = DailyVideoRooms(daily.api_url, daily.api_key, timeout=FAST)
    yield adapter
    await adapter.aclose()


async def test_a_room_is_private_expires_with_the_window_and_ejects_at_expiry(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    room = await rooms.create_room(SPEC)
    assert room == VideoRoom(
        provider="daily",
        room_id="telemed-pet-41",
        expires_at=EXPIRES,
        url=f"{daily.domain_url}/telemed-pet-41",
    )
    stored = daily.rooms["telemed-pet-41"]
    assert stored["privacy"] == "private"
    assert stored["config"]["exp"] == int(EXPIRES.timestamp())
    assert stored["config"]["eject_at_room_exp"] is True
    assert stored["config"]["max_participants"] == 2
    assert stored["config"]["enable_prejoin_ui"] is False


async def test_a_retried_create_answers_with_the_room_made_the_first_time(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    first = await rooms.create_room(SPEC)
    again = await rooms.create_room(SPEC)
    assert again == first
    assert list(daily.rooms) == ["telemed-pet-41"]
    assert daily.calls_to("GET", "/v1/rooms/telemed-pet-41") == 1


async def test_the_vet_owns_the_room_and_each_token_names_room_user_and_expiry(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    room = await rooms.create_room(SPEC)
    vet = await rooms.issue_credentials(
        room, participant_id="vet-7", role=ParticipantRole.VET, display_name="Dr. Who", now=NOW
    )
    owner = await rooms.issue_credentials(
        room, participant_id="owner-12", role=ParticipantRole.OWNER, display_name="Ann", now=NOW
    )
    assert vet.provider == owner.provider == "daily"
    assert vet.url == owner.url == room.url
    assert vet.token is not None and owner.token is not None and vet.token != owner.token
    assert vet.ice_servers == () and vet.expires_at == EXPIRES
    assert daily.tokens[vet.token] == {
        "room_name": "telemed-pet-41",
        "is_owner": True,
        "user_name": "Dr. Who",
        "user_id": "vet-7",
        "exp": int(EXPIRES.timestamp()),
        "eject_at_token_exp": True,
    }
    assert daily.tokens[owner.token]["is_owner"] is False
    assert daily.tokens[owner.token]["user_id"] == "owner-12"


async def test_closing_deletes_the_room_and_a_room_already_gone_is_fine(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    room = await rooms.create_room(SPEC)
    await rooms.close_room(room)
    assert "telemed-pet-41" not in daily.rooms
    await rooms.close_room(room)  # 404 from Daily: nothing to do


async def test_attendance_is_every_stretch_of_our_participants_by_their_ids(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    room = await rooms.create_room(SPEC)
    start = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    daily.join(room.room_id, "owner-12", start)
    daily.join(room.room_id, "vet-7", start + timedelta(minutes=1))
    daily.leave(room.room_id, "vet-7", start + timedelta(minutes=5))
    daily.leave(room.room_id, "owner-12", start + timedelta(minutes=6))  # meeting 1 ends
    daily.join(room.room_id, "vet-7", start + timedelta(minutes=7))
    daily.join(room.room_id, None, start + timedelta(minutes=8))  # no token of ours
    daily.leave(room.room_id, None, start + timedelta(minutes=9))
    daily.leave(room.room_id, "vet-7", start + timedelta(minutes=20))
    await rooms.close_room(room)

    presences = await rooms.attendance(room)

    assert presences is not None
    stretches = sorted(
        (p.participant_id, p.joined_at - start, p.left_at - start)  # type: ignore[operator]
        for p in presences
    )
    assert stretches == [
        ("owner-12", timedelta(0), timedelta(minutes=6)),
        ("vet-7", timedelta(minutes=1), timedelta(minutes=5)),
        ("vet-7", timedelta(minutes=7), timedelta(minutes=20)),
    ]


async def test_attendance_pages_through_many_meetings(
    rooms: DailyVideoRooms, daily: FakeDaily
) -> None:
    room = await rooms.create_room(SPEC)
    start = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    for minute in range(105):  # more than one page of 100
        daily.join(room.room_id, "owner-12", start + timedelta(minutes=minute))
        daily.leave(room.room_id, "owner-12", start + timedelta(minutes=minute, seconds=30))
    presences = await rooms.attendance(room)
    assert presences is not None and len(presences) == 105
    assert daily.calls_to("GET", "/v1/meetings") == 2


@pytest.mark.parametrize("status", [500, 502, 503, 429])
async def test_daily_failing_is_a_provider_error_for_every_call(
    rooms: DailyVideoRooms, daily: FakeDaily, status: int
) -> None:
    room = VideoRoom("daily", "telemed-pet-41", EXPIRES, f"{daily.domain_url}/telemed-pet-41")
    calls: list[Any] = [
        lambda: rooms.create_room(SPEC),
        lambda: rooms.issue_credentials(
            room, participant_id="vet-7", role=ParticipantRole.VET, display_name="V", now=NOW
        ),
        lambda: rooms.close_room(room),
        lambda: rooms.attendance(room),
    ]
    for call in calls:
        daily.fail_next(status)
        with pytest.raises(VideoProviderError, match=str(status)):
            await call()


async def test_a_wrong_api_key_is_a_provider_error_that_does_not_show_the_key(
    daily: FakeDaily,
) -> None:
    adapter = DailyVideoRooms(daily.api_url, "not-the-key", timeout=FAST)
    try:
        with pytest.raises(VideoProviderError, match="401") as refused:
            await adapter.create_room(SPEC)
        assert "not-the-key" not in str(refused.value)
    finally:
        await adapter.aclose()
    assert daily.rooms == {}


async def test_an_answer_not_shaped_as_documented_is_a_provider_error(daily: FakeDaily) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/meetings"):
            return httpx.Response(200, json={"data": [{"id": "m", "participants": "?"}]})
        return httpx.Response(200, text="<html>maintenance</html>")

    adapter = DailyVideoRooms(
        "https://api.daily.invalid/v1",
        "k",
        timeout=FAST,
        transport=httpx.MockTransport(handler),
    )
    room = VideoRoom("daily", "r", EXPIRES, "https://x.daily.co/r")
    try:
        with pytest.raises(VideoProviderError, match="not an object"):
            await adapter.create_room(SPEC)
        with pytest.raises(VideoProviderError, match="participant list"):
            await adapter.attendance(room)
    finally:
        await adapter.aclose()


async def test_a_slow_daily_times_out_as_a_provider_error(daily: FakeDaily) -> None:
    adapter = DailyVideoRooms(
        daily.api_url, daily.api_key, timeout=httpx.Timeout(0.3, connect=0.3)
    )
    daily.delay_s = 1.5
    try:
        with pytest.raises(VideoProviderError, match="Timeout"):
            await adapter.create_room(SPEC)
    finally:
        await adapter.aclose()


async def test_an_unreachable_daily_is_a_provider_error() -> None:
    # A port nothing listens on: bound, then closed.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    adapter = DailyVideoRooms(f"http://127.0.0.1:{port}/v1", "k", timeout=FAST)
    try:
        with pytest.raises(VideoProviderError, match="ConnectError"):
            await adapter.create_room(SPEC)
    finally:
        await adapter.aclose()


# --- the scheduler with the Daily adapter ---------------------------------------------------


async def test_the_scheduler_retries_a_room_daily_failed_to_make_until_it_recovers(
    daily: FakeDaily, migrated_sqlite_template: Path, tmp_path: Path
) -> None:
    import shutil

    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    settings: Settings = make_settings(
        database,
        webapp_url="https://pet.example.org",
        video={"provider": "daily"},
        daily={"api_key": daily.api_key, "api_url": daily.api_url},
    )
    clock = MutableClock()
    overrides = Provider(scope=Scope.APP)
    overrides.provide(lambda: clock, provides=Clock)
    overrides.provide(lambda: RecordingGateway(), provides=PaymentGateway)
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    container = create_container(settings, overrides, bot=bot)
    try:
        async with container() as request:
            assert isinstance(await request.get(VideoRooms), DailyVideoRooms)
            world = await seed_world(await request.get(AsyncSession), base_telegram_id=91_000)
        appointment = await book_first_slot(container, clock, world)

        async def run_job() -> None:
            await consultation_rooms(container, bot, cast(Any, None))

        async def stored() -> Any:
            async with container() as request:
                repo: ConsultationRoomRepository = await request.get(ConsultationRoomRepository)
                return await repo.get(appointment.id)

        clock.current = appointment.starts_at - timedelta(minutes=10)
        daily.fail_next(500, count=2)
        await run_job()
        failed = await stored()
        assert failed is not None and failed.provider_room_id is None and failed.failures == 1
        assert "500" in (failed.last_error or "")
        assert session.calls_of(SendMessage) == []

        clock.advance(seconds=30)
        await run_job()  # the second failure
        assert (await stored()).failures == 2
        clock.advance(seconds=30)
        await run_job()  # not due yet: the wait doubled to 60 s
        assert (await stored()).provider_room_id is None
        clock.advance(seconds=30)
        await run_job()  # Daily answers now
        made = await stored()
        assert made.provider == "daily" and made.provider_room_id == room_name(appointment.id)
        assert made.provider_url == f"{daily.domain_url}/{room_name(appointment.id)}"
        assert daily.rooms[room_name(appointment.id)]["privacy"] == "private"
        chats = sorted(int(m.chat_id) for m in session.calls_of(SendMessage))
        assert chats == sorted([world.owners[0][0], world.vet_telegram_id])
    finally:
        await container.close()
