"""An update that fails because PostgreSQL is down is not acknowledged (issue #10, item 1).

The webapp reaches PostgreSQL through a TCP proxy the test can cut (tests/support/tcp_proxy.py):
real connections, a real outage. Seen before the fix: a `successful_payment` delivered while the
database was down was answered 200 — no payment row, the appointment left held, the Stars
charged and nothing recording it. Now the webhook answers 5xx, Telegram (the emulator) delivers
the update again, and once the database is back the payment is recorded and confirmed, once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
from aiogram import Bot, Dispatcher
from aiogram.types import Update
from sqlalchemy.engine import make_url

from bot.factory import create_bot, create_dispatcher
from bot.infrastructure_errors import UPDATES_REDELIVERED
from bot.ioc import create_container
from bot.run_modes import BackgroundServer
from core.entities import Appointment
from core.enums import AppointmentStatus
from core.payments import STARS_CURRENCY
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade_to_head_async
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings
from tests.integration.conftest import PostgresServer
from tests.support.booking import Booking, MutableClock, RecordingGateway, World, seed_world
from tests.support.chatting import load_texts
from tests.support.tcp_proxy import TcpProxy
from webapp.app import create_app
from webapp.dedup import MemoryDeduplicator

pytestmark = pytest.mark.postgres

SECRET = "outage-secret_token"
WEBHOOK_PATH = "/telegram/webhook"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@dataclass
class Stack:
    database_url: str  # direct, for the test's own reads
    proxy: TcpProxy
    telegram: httpx.AsyncClient
    webapp: httpx.AsyncClient
    bot: Bot
    dp: Dispatcher


@pytest_asyncio.fixture(loop_scope="session")
async def stack(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    direct = await postgres_server.create_database()
    await upgrade_to_head_async(direct)
    url = make_url(direct)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = make_settings(tmp_path_factory.mktemp("outage") / "unused.db").model_copy(
        update={"database_url": proxied}
    )
    token = make_token()
    telegram_server = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    telegram_url = f"http://127.0.0.1:{await telegram_server.start()}"
    bot = create_bot(token, api_base_url=telegram_url)
    container = create_container(settings, bot=bot)  # the bot: refunds go through it
    dp = create_dispatcher(settings, container)
    app = create_app(webhook=(WEBHOOK_PATH, dp, bot, SECRET, MemoryDeduplicator()))
    webapp_server = BackgroundServer(app, "127.0.0.1", 0)
    webapp_url = f"http://127.0.0.1:{await webapp_server.start()}"
    await dp.emit_startup(bot=bot, dispatcher=dp)
    try:
        async with (
            httpx.AsyncClient(base_url=telegram_url, timeout=30) as telegram,
            httpx.AsyncClient(base_url=webapp_url, timeout=60) as webapp,
        ):
            yield Stack(direct, proxy, telegram, webapp, bot, dp)
    finally:
        await proxy.restore()
        await bot.delete_webhook()
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot.session.close()
        await webapp_server.stop()
        await telegram_server.stop()
        await container.close()
        await proxy.stop()


async def _held_appointment(database_url: str, base_telegram_id: int) -> tuple[World, Appointment]:
    """An owner with a slot held for them, the moment before they pay."""
    engine = create_engine(database_url)
    clock = MutableClock(datetime.now(UTC))
    try:
        async with create_session_maker(engine)() as session:
            world = await seed_world(session, base_telegram_id=base_telegram_id, owners=1)
            booking = Booking(session, clock, RecordingGateway())
            await booking.publish(world.vet.id)
            owner, pet = world.owners[0]
            today = clock.now().date()
            for offset in range(1, 15):
                slots = await booking.list_open(owner, world.vet.id, today + timedelta(offset))
                if slots:
                    break
            appointment = await booking.hold(owner, pet_id=pet, slot_id=slots[0].slot_id)
            return world, appointment
    finally:
        await engine.dispose()


async def _state(database_url: str, appointment_id: int) -> tuple[str, int]:
    """The appointment's status and how many payment rows it has."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            status = await connection.scalar(
                sa.text("SELECT status FROM appointments WHERE id = :id"), {"id": appointment_id}
            )
            payments = await connection.scalar(
                sa.text("SELECT count(*) FROM payments WHERE appointment_id = :id"),
                {"id": appointment_id},
            )
            return str(status), int(payments or 0)
    finally:
        await engine.dispose()


def _payment_update(update_id: int, owner: int, appointment: Appointment) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 100_000,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": owner, "type": "private", "first_name": "Owner"},
            "from": {"id": owner, "is_bot": False, "first_name": "Owner", "language_code": "en"},
            "successful_payment": {
                "currency": STARS_CURRENCY,
                "total_amount": appointment.price_amount,
                "invoice_payload": f"appointment:{appointment.id}",
                "telegram_payment_charge_id": f"charge-{update_id}",
                "provider_payment_charge_id": "",
            },
        },
    }


async def _bot_texts(stack: Stack, chat_id: int) -> list[str]:
    response = await stack.telegram.get(f"/sandbox/api/chats/{chat_id}/messages")
    response.raise_for_status()
    return [m.get("text") or "" for m in response.json() if m["from_bot"]]


async def _add_chat(stack: Stack, telegram_id: int) -> None:
    response = await stack.telegram.post(
        "/sandbox/api/users",
        json={"id": telegram_id, "first_name": "Owner", "language_code": "en"},
    )
    response.raise_for_status()


async def test_a_payment_during_a_database_outage_is_refused_then_recorded_once(
    stack: Stack,
) -> None:
    world, appointment = await _held_appointment(stack.database_url, 7_100_000)
    owner = world.owners[0][0]
    await _add_chat(stack, owner)
    await _add_chat(stack, world.vet_telegram_id)  # the vet hears of the booking
    update = _payment_update(881_000_001, owner, appointment)

    await stack.proxy.cut()
    during = await stack.webapp.post(WEBHOOK_PATH, json=update, headers=HEADERS)
    assert during.status_code >= 500  # not acknowledged: Telegram will deliver it again
    assert await _state(stack.database_url, appointment.id) == (AppointmentStatus.HELD, 0)
    assert await _bot_texts(stack, owner) == []  # no apology that a retry would repeat

    await stack.proxy.restore()
    after = await stack.webapp.post(WEBHOOK_PATH, json=update, headers=HEADERS)
    again = await stack.webapp.post(WEBHOOK_PATH, json=update, headers=HEADERS)
    assert (after.status_code, again.status_code) == (200, 200)
    assert await _state(stack.database_url, appointment.id) == (AppointmentStatus.CONFIRMED, 1)
    [confirmation] = await _bot_texts(stack, owner)  # one answer, not one per delivery
    assert world.vet.display_name in confirmation


async def test_telegram_redelivers_a_message_sent_during_an_outage(stack: Stack) -> None:
    """The whole path: the emulator delivers by webhook, gets 5xx while the database is down,
    retries as Telegram does, and the user's /start is answered once it is back."""
    texts = await load_texts()
    created = await stack.telegram.post(
        "/sandbox/api/users", json={"first_name": "Dana", "language_code": "en"}
    )
    user_id = int(created.json()["id"])
    webapp_url = str(stack.webapp.base_url).rstrip("/")
    await stack.bot.set_webhook(webapp_url + WEBHOOK_PATH, secret_token=SECRET)
    try:
        await stack.proxy.cut()
        sent = await stack.telegram.post(
            f"/sandbox/api/users/{user_id}/messages", json={"text": "/start"}
        )
        sent.raise_for_status()
        await asyncio.sleep(2)  # a few delivery attempts, each refused
        assert await _bot_texts(stack, user_id) == []
        await stack.proxy.restore()
        for _ in range(100):
            answered = await _bot_texts(stack, user_id)
            if answered:
                break
            await asyncio.sleep(0.2)
        assert answered == [texts.get("msg-choose-language", "en")]
    finally:
        await stack.proxy.restore()
        await stack.bot.delete_webhook()


async def test_under_long_polling_the_user_is_asked_to_repeat(stack: Stack) -> None:
    """Polling moves on whatever happens: nothing comes again, so the sender hears of it."""
    texts = await load_texts()
    created = await stack.telegram.post(
        "/sandbox/api/users", json={"first_name": "Poll", "language_code": "en"}
    )
    user_id = int(created.json()["id"])
    update = Update.model_validate(
        {
            "update_id": 881_000_100,
            "message": {
                "message_id": 1,
                "date": int(datetime.now(UTC).timestamp()),
                "chat": {"id": user_id, "type": "private", "first_name": "Poll"},
                "from": {
                    "id": user_id,
                    "is_bot": False,
                    "first_name": "Poll",
                    "language_code": "en",
                },
                "text": "/start",
            },
        },
        context={"bot": stack.bot},
    )
    stack.dp[UPDATES_REDELIVERED] = False
    try:
        await stack.proxy.cut()
        await stack.dp.feed_update(stack.bot, update)  # handled: no exception escapes
    finally:
        stack.dp[UPDATES_REDELIVERED] = True
        await stack.proxy.restore()
    # Without the database the user's chosen language is unknown: Telegram's is used.
    assert await _bot_texts(stack, user_id) == [texts.get("err-temporary-failure", "en")]
