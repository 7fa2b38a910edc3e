"""`POST /webhooks/daily` with events the local fake of Daily signs as Daily does: signatures
checked (good accepted; tampered, stale, wrong secret, unsigned refused), the joins and leaves
recorded once however often they are delivered, and the call's duration stored by
CloseEndedRooms: from Daily's meetings API, or from what the webhooks recorded when that API
fails at the close."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from aiogram import Bot
from dishka import AsyncContainer, Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from bot.periodic import consultation_rooms
from core.clock import Clock
from core.config import Settings
from core.entities import Appointment
from core.interactors.consultation_lifecycle import room_name
from core.payments import PaymentGateway
from core.ports.repositories import AppointmentRepository
from tests.conftest import make_settings
from tests.integration.test_daily_video_rooms import book_first_slot
from tests.support.booking import MutableClock, RecordingGateway, World, seed_world
from tests.support.fake_daily import FakeDaily, running_fake_daily
from tests.support.recording_session import RecordingSession
from webapp.app import create_app
from webapp.routes.daily_webhook import DAILY_WEBHOOK_PATH, build_daily_webhook_router

BASE_TELEGRAM_ID = 93_000


@pytest.fixture(scope="module")
def daily() -> Iterator[FakeDaily]:
    with running_fake_daily() as server:
        yield server


@dataclass
class Site:
    container: AsyncContainer
    client: httpx.AsyncClient
    clock: MutableClock
    world: World
    bot: Bot

    async def run_job(self) -> None:
        await consultation_rooms(self.container, self.bot, cast(Any, None))

    async def appointment(self, appointment_id: int) -> Appointment:
        async with self.container() as request:
            appointments: AppointmentRepository = await request.get(AppointmentRepository)
            found = await appointments.get(appointment_id)
        assert found is not None
        return found


@pytest.fixture
async def site(
    daily: FakeDaily, migrated_sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[Site]:
    daily.pending_events.clear()
    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    settings: Settings = make_settings(
        database,
        video={"provider": "daily"},
        daily={
            "api_key": daily.api_key,
            "api_url": daily.api_url,
            "webhook_secret": daily.webhook_secret,
        },
    )
    clock = MutableClock()
    overrides = Provider(scope=Scope.APP)
    overrides.provide(lambda: clock, provides=Clock)
    overrides.provide(lambda: RecordingGateway(), provides=PaymentGateway)
    bot = Bot("123456:TEST-token", session=RecordingSession())
    container = create_container(settings, overrides, bot=bot)
    async with container() as request:
        world = await seed_world(
            await request.get(AsyncSession), base_telegram_id=BASE_TELEGRAM_ID
        )
    app = create_app(daily_webhook=build_daily_webhook_router(container, settings))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://webapp")
    try:
        yield Site(container, client, clock, world, bot)
    finally:
        await client.aclose()
        await container.close()


def _event(room: str = "someone-elses-room") -> bytes:
    return FakeDaily.encode(
        {
            "version": "1.0.0",
            "type": "participant.joined",
            "id": "ptcpt-join-1",
            "payload": {"room": room, "user_id": "vet-1", "joined_at": 1_900_000_000},
            "event_ts": time.time(),
        }
    )


async def test_a_signed_event_is_accepted(site: Site, daily: FakeDaily) -> None:
    body = _event()
    answer = await site.client.post(
        DAILY_WEBHOOK_PATH, content=body, headers=daily.signed_headers(body)
    )
    assert answer.status_code == 200 and answer.json() == {"ok": True}


async def test_a_tampered_body_is_refused(site: Site, daily: FakeDaily) -> None:
    headers = daily.signed_headers(_event())
    tampered = _event().replace(b"vet-1", b"vet-2")
    answer = await site.client.post(DAILY_WEBHOOK_PATH, content=tampered, headers=headers)
    assert answer.status_code == 401


@pytest.mark.parametrize("age_s", [301, 3600, -301])
async def test_a_stale_or_future_timestamp_is_refused_though_signed(
    site: Site, daily: FakeDaily, age_s: int
) -> None:
    body = _event()
    headers = daily.signed_headers(body, timestamp=int(time.time()) - age_s)
    answer = await site.client.post(DAILY_WEBHOOK_PATH, content=body, headers=headers)
    assert answer.status_code == 401


async def test_a_signature_with_another_secret_is_refused(site: Site, daily: FakeDaily) -> None:
    body = _event()
    other = "c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleQ=="
    answer = await site.client.post(
        DAILY_WEBHOOK_PATH, content=body, headers=daily.signed_headers(body, secret=other)
    )
    assert answer.status_code == 401


async def test_an_unsigned_event_is_refused_but_dailys_endpoint_check_is_answered(
    site: Site,
) -> None:
    unsigned = await site.client.post(DAILY_WEBHOOK_PATH, content=_event())
    assert unsigned.status_code == 401
    ping = await site.client.post(DAILY_WEBHOOK_PATH, json={"test": "test"})
    assert ping.status_code == 200


async def _call_in_daily(site: Site, daily: FakeDaily) -> tuple[Appointment, datetime]:
    """The room made by the scheduler on the fake, then a call in it: the owner from -2 to
    +30 min, the vet from +1 to +5 and (after a drop) from +6 to +29."""
    appointment = await book_first_slot(site.container, site.clock, site.world)
    start = appointment.starts_at
    site.clock.current = start - timedelta(minutes=10)
    await site.run_job()
    room = room_name(appointment.id)
    assert room in daily.rooms
    owner = f"owner-{site.world.owners[0][0]}"  # any owner-side id reads as the owner
    vet = "vet-1"
    daily.join(room, owner, start - timedelta(minutes=2))
    daily.join(room, vet, start + timedelta(minutes=1))
    daily.leave(room, vet, start + timedelta(minutes=5))
    daily.join(room, vet, start + timedelta(minutes=6))
    daily.leave(room, vet, start + timedelta(minutes=29))
    daily.leave(room, owner, start + timedelta(minutes=30))
    return appointment, start


async def _post(site: Site, daily: FakeDaily, events: list[dict[str, Any]]) -> None:
    for event in events:
        body = FakeDaily.encode(event)
        answer = await site.client.post(
            DAILY_WEBHOOK_PATH, content=body, headers=daily.signed_headers(body)
        )
        assert answer.status_code == 200, answer.text


async def test_joins_and_leaves_are_recorded_once_however_often_delivered(
    site: Site, daily: FakeDaily
) -> None:
    appointment, start = await _call_in_daily(site, daily)
    events = daily.take_events()
    assert [e["type"] for e in events].count("meeting.ended") == 1

    await _post(site, daily, events)
    recorded = await site.appointment(appointment.id)
    assert recorded.owner_joined_at == start - timedelta(minutes=2)
    assert recorded.vet_joined_at == start + timedelta(minutes=1)  # the first join is kept
    assert recorded.vet_left_at == start + timedelta(minutes=29)
    assert recorded.owner_left_at == start + timedelta(minutes=30)

    # Daily retries, in any order: nothing moves.
    await _post(site, daily, list(reversed(events)) + events)
    again = await site.appointment(appointment.id)
    assert _presence(again) == _presence(recorded)


def _presence(appointment: Appointment) -> tuple[datetime | None, ...]:
    return (
        appointment.owner_joined_at,
        appointment.owner_left_at,
        appointment.vet_joined_at,
        appointment.vet_left_at,
    )


async def test_the_duration_comes_from_dailys_meetings_when_the_room_closes(
    site: Site, daily: FakeDaily
) -> None:
    appointment, _ = await _call_in_daily(site, daily)
    await _post(site, daily, daily.take_events())

    closing = appointment.ends_at + timedelta(minutes=15)
    site.clock.current = closing
    await site.run_job()

    ended = await site.appointment(appointment.id)
    assert ended.call_ended_at == closing
    # Daily's record has the vet's drop: together 4 + 23 minutes.
    assert ended.duration_seconds == 27 * 60
    assert room_name(appointment.id) not in daily.rooms


async def test_meeting_ended_leads_to_the_duration_when_the_meetings_api_fails(
    site: Site, daily: FakeDaily
) -> None:
    appointment, start = await _call_in_daily(site, daily)
    events = daily.take_events()
    # The owner's own leave is lost on the way; meeting.ended says the room emptied at +30.
    lost = [
        e
        for e in events
        if e["type"] == "participant.left" and e["payload"]["user_id"].startswith("owner-")
    ]
    assert len(lost) == 1
    await _post(site, daily, [e for e in events if e not in lost])
    recorded = await site.appointment(appointment.id)
    assert recorded.owner_left_at == start + timedelta(minutes=30)

    daily.fail_next(503, path="/v1/meetings")
    closing = appointment.ends_at + timedelta(minutes=15)
    site.clock.current = closing
    await site.run_job()

    ended = await site.appointment(appointment.id)
    assert ended.call_ended_at == closing
    # From the recorded columns: the vet's first join (+1) to last leave (+29).
    assert ended.duration_seconds == 28 * 60


async def test_an_event_for_a_room_of_ours_that_is_not_open_changes_nothing(
    site: Site, daily: FakeDaily
) -> None:
    appointment = await book_first_slot(site.container, site.clock, site.world)
    body = _event(room=room_name(appointment.id))  # no room made for it yet
    answer = await site.client.post(
        DAILY_WEBHOOK_PATH, content=body, headers=daily.signed_headers(body)
    )
    assert answer.status_code == 200
    assert (await site.appointment(appointment.id)).vet_joined_at is None
    assert json.loads(body)["payload"]["user_id"] == "vet-1"
