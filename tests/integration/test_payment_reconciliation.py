"""Stars payments are safe under long polling: reconciliation with `getStarTransactions`
(issue #10, item 1).

Polling moves on whatever happens to an update: a `successful_payment` whose processing failed
is never delivered again. Seen before the fix: the Stars charged, no payment row, the
appointment left held, nobody told. Here the owner pays through the emulator (which records
the transaction, as Telegram does), the bot answers the pre-checkout query, and the
`successful_payment` update is fetched and dropped. The `reconcile-payments` job then finds the
payment in the ledger and records it through the same path as the update: confirmed (or
refunded when the slot is gone), the owner told once; a second round changes nothing.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
from aiogram import Bot, Dispatcher
from aiogram.types import LabeledPrice, Update
from aiogram.types import StarTransaction as TelegramStarTransaction
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import AsyncContainer
from sqlalchemy.engine import make_url

from bot.factory import create_bot, create_dispatcher
from bot.infrastructure_errors import UPDATES_REDELIVERED
from bot.ioc import create_container
from bot.periodic import DEFAULT_JOBS, reconcile_payments, translator
from bot.run_modes import BackgroundServer
from bot.star_ledger import from_telegram
from core.dates import DateStyle, format_day
from core.entities import Appointment
from core.enums import AppointmentStatus, PaymentStatus
from core.interactors.payment_reconciliation import ReconcileStarPayments, ReconciliationReport
from core.payments import STARS_CURRENCY, invoice_payload
from core.ports.star_ledger import StarTransaction
from core.schedule import to_local
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade_to_head_async
from dialogs.widgets.zone_labels import zone_text
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings
from tests.integration.conftest import PostgresServer
from tests.support.booking import Booking, MutableClock, RecordingGateway, World, seed_world
from tests.support.chatting import load_texts
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@dataclass
class Stack:
    database_url: str  # direct, for the test's own reads
    proxy: TcpProxy  # the bot's way to the database, which a test can cut
    telegram: httpx.AsyncClient
    container: AsyncContainer
    bot: Bot
    dp: Dispatcher
    texts: FluentRuntimeCore

    async def reconcile(self) -> None:
        """One round of the `reconcile-payments` job, as bot.periodic runs it."""
        await reconcile_payments(self.container, self.bot, translator(self.dp))

    def dated(self, key: str, starts_at: datetime, zone: str, **values: str) -> str:
        """A message as the bot words it in English for someone in `zone`, as the chat shows
        it (the HTML markup rendered away)."""
        local = to_local(starts_at, zone)
        text = self.texts.get(
            key,
            "en",
            date=format_day(local, DateStyle.WEEKDAY, "en"),
            time=f"{local:%H:%M}",
            zone=zone_text(self.texts, zone, starts_at, "en"),
            **values,
        )
        return html.unescape(re.sub(r"<[^>]+>", "", text))


@pytest_asyncio.fixture(loop_scope="session")
async def stack(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    # A private database: the ledger's payments must meet only this test's appointments.
    database_url = await postgres_server.create_database()
    await upgrade_to_head_async(database_url)
    url = make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = make_settings(tmp_path_factory.mktemp("reconcile") / "unused.db").model_copy(
        update={"database_url": proxied}
    )
    # Long polling, as `telemed-pet run` and the sandbox: a failed update is not redelivered.
    token = make_token()
    telegram_server = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    telegram_url = f"http://127.0.0.1:{await telegram_server.start()}"
    bot = create_bot(token, api_base_url=telegram_url)
    container = create_container(settings, bot=bot)
    dp = create_dispatcher(settings, container)
    dp[UPDATES_REDELIVERED] = False
    await dp.emit_startup(bot=bot, dispatcher=dp)
    texts = await load_texts()
    try:
        async with httpx.AsyncClient(base_url=telegram_url, timeout=30) as telegram:
            yield Stack(database_url, proxy, telegram, container, bot, dp, texts)
    finally:
        await proxy.restore()
        await texts.shutdown()
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot.session.close()
        await telegram_server.stop()
        await container.close()
        await proxy.stop()


@asynccontextmanager
async def _seeded(
    database_url: str, base_telegram_id: int
) -> AsyncIterator[tuple[World, Booking, MutableClock]]:
    """A vet with published slots and two owners; the booking interactors on the test's own
    session (the bot's container has its own)."""
    engine = create_engine(database_url)
    clock = MutableClock(datetime.now(UTC))
    try:
        async with create_session_maker(engine)() as session:
            world = await seed_world(session, base_telegram_id=base_telegram_id, owners=2)
            booking = Booking(session, clock, RecordingGateway())
            await booking.publish(world.vet.id)
            yield world, booking, clock
    finally:
        await engine.dispose()


async def _first_open_slot(booking: Booking, clock: MutableClock, owner: int, vet_id: int) -> int:
    today = clock.now().date()
    for offset in range(1, 15):
        slots = await booking.list_open(owner, vet_id, today + timedelta(offset))
        if slots:
            return slots[0].slot_id
    raise AssertionError("the seeded vet has no open slot in two weeks")


async def _state(database_url: str, appointment_id: int) -> tuple[str, list[str]]:
    """The appointment's status and its payments' statuses."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            status = await connection.scalar(
                sa.text("SELECT status FROM appointments WHERE id = :id"), {"id": appointment_id}
            )
            payments = await connection.scalars(
                sa.text("SELECT status FROM payments WHERE appointment_id = :id ORDER BY id"),
                {"id": appointment_id},
            )
            return str(status), [str(payment) for payment in payments]
    finally:
        await engine.dispose()


async def _add_chat(stack: Stack, telegram_id: int) -> None:
    response = await stack.telegram.post(
        "/sandbox/api/users",
        json={"id": telegram_id, "first_name": "Someone", "language_code": "en"},
    )
    response.raise_for_status()


async def _bot_texts(stack: Stack, chat_id: int) -> list[str]:
    """What the bot wrote in the chat (the invoice, which has no text, left out)."""
    response = await stack.telegram.get(f"/sandbox/api/chats/{chat_id}/messages")
    response.raise_for_status()
    return [m["text"] for m in response.json() if m["from_bot"] and m.get("text")]


async def _drop(update: Update) -> None:
    """Fetched, acknowledged by the next offset, never processed: as if the process died."""


async def _pay_and_drop_the_update(
    stack: Stack,
    owner: int,
    appointment: Appointment,
    handle_payment: Callable[[Update], Awaitable[None]] = _drop,
) -> str:
    """The owner pays; the bot answers the pre-checkout query, and its `successful_payment`
    update goes to `handle_payment` (dropped by default), never to be delivered again."""
    invoice = await stack.bot.send_invoice(
        chat_id=owner,
        title="Consultation",
        description="Video consultation",
        payload=invoice_payload(appointment.id),
        currency=STARS_CURRENCY,
        prices=[LabeledPrice(label="Consultation", amount=appointment.price_amount)],
    )
    dropped: list[Update] = []

    async def poll() -> None:
        offset = None
        while not dropped:
            for update in await stack.bot.get_updates(offset=offset, timeout=1):
                offset = update.update_id + 1
                if update.pre_checkout_query is not None:
                    await stack.dp.feed_update(stack.bot, update)
                elif update.message is not None and update.message.successful_payment:
                    await handle_payment(update)
                    dropped.append(update)

    async def pay() -> str:
        response = await stack.telegram.post(
            f"/sandbox/api/users/{owner}/payments", json={"message_id": invoice.message_id}
        )
        response.raise_for_status()
        assert response.json()["status"] == "paid", response.json()
        return str(response.json()["telegram_payment_charge_id"])

    charge_id, _ = await asyncio.wait_for(asyncio.gather(pay(), poll()), timeout=30)
    # Acknowledge the dropped update, as the next poll of a running bot would.
    await stack.bot.get_updates(offset=dropped[0].update_id + 1, timeout=0)
    return charge_id


async def test_the_reconcile_job_is_scheduled_and_runs_at_start() -> None:
    [job] = [job for job in DEFAULT_JOBS if job.name == "reconcile-payments"]
    # Each job's first round runs as soon as the jobs start (bot.periodic.run_job_forever).
    assert job.run is reconcile_payments
    assert job.every_s <= 600


async def test_a_payment_whose_update_was_lost_is_confirmed_once_by_reconciliation(
    stack: Stack,
) -> None:
    async with _seeded(stack.database_url, 7_300_000) as (world, booking, clock):
        owner, pet = world.owners[0]
        await _add_chat(stack, owner)
        await _add_chat(stack, world.vet_telegram_id)
        slot_id = await _first_open_slot(booking, clock, owner, world.vet.id)
        appointment = await booking.hold(owner, pet_id=pet, slot_id=slot_id)

        charge_id = await _pay_and_drop_the_update(stack, owner, appointment)
        assert await _state(stack.database_url, appointment.id) == (AppointmentStatus.HELD, [])
        assert await _bot_texts(stack, owner) == []

        await stack.reconcile()
        confirmed = (AppointmentStatus.CONFIRMED, [PaymentStatus.PAID])
        assert await _state(stack.database_url, appointment.id) == confirmed
        payment = await booking.payments.get_by_charge_id(charge_id)
        assert payment is not None and payment.appointment_id == appointment.id
        owner_zone = "Europe/Moscow"  # seed_world's owners keep the default zone
        confirmation = stack.dated(
            "msg-reconcile-confirmed",
            appointment.starts_at,
            owner_zone,
            pet="Cat 0",
            vet=world.vet.display_name,
        )
        assert await _bot_texts(stack, owner) == [confirmation]
        vet_notice = stack.dated(
            "msg-appointment-vet-booked",
            appointment.starts_at,
            world.vet.time_zone,
            pet="Cat 0",
            species=stack.texts.get("lbl-pet-species-cat", "en"),
            owner="Owner 0",
            reason="—",
        )
        assert await _bot_texts(stack, world.vet_telegram_id) == [vet_notice]

        await stack.reconcile()  # a second round (and every later one) changes nothing
        assert await _state(stack.database_url, appointment.id) == confirmed
        assert await _bot_texts(stack, owner) == [confirmation]
        assert await _bot_texts(stack, world.vet_telegram_id) == [vet_notice]


async def test_a_payment_processed_while_the_database_was_down_is_confirmed_later(
    stack: Stack,
) -> None:
    """The issue's case under polling: PostgreSQL is unreachable as `successful_payment`
    arrives, the handler fails, polling moves on. Reconciliation records it once it is back."""
    async with _seeded(stack.database_url, 7_320_000) as (world, booking, clock):
        owner, pet = world.owners[0]
        await _add_chat(stack, owner)
        await _add_chat(stack, world.vet_telegram_id)
        slot_id = await _first_open_slot(booking, clock, owner, world.vet.id)
        appointment = await booking.hold(owner, pet_id=pet, slot_id=slot_id)

        async def during_an_outage(update: Update) -> None:
            await stack.proxy.cut()
            try:
                await stack.dp.feed_update(stack.bot, update)  # fails inside, handled
            finally:
                await stack.proxy.restore()

        await _pay_and_drop_the_update(stack, owner, appointment, during_an_outage)
        assert await _state(stack.database_url, appointment.id) == (AppointmentStatus.HELD, [])
        before = await _bot_texts(stack, owner)  # whatever the failure said (not a booking)

        await stack.reconcile()
        await stack.reconcile()
        confirmed = (AppointmentStatus.CONFIRMED, [PaymentStatus.PAID])
        assert await _state(stack.database_url, appointment.id) == confirmed
        confirmation = stack.dated(
            "msg-reconcile-confirmed",
            appointment.starts_at,
            "Europe/Moscow",
            pet="Cat 0",
            vet=world.vet.display_name,
        )
        assert await _bot_texts(stack, owner) == [*before, confirmation]
        assert len(await _bot_texts(stack, world.vet_telegram_id)) == 1


async def test_a_lost_payment_for_a_slot_taken_meanwhile_is_refunded_once(stack: Stack) -> None:
    async with _seeded(stack.database_url, 7_310_000) as (world, booking, clock):
        (owner, pet), (rival, rival_pet) = world.owners
        await _add_chat(stack, owner)
        await _add_chat(stack, world.vet_telegram_id)
        slot_id = await _first_open_slot(booking, clock, owner, world.vet.id)
        appointment = await booking.hold(owner, pet_id=pet, slot_id=slot_id)
        charge_id = await _pay_and_drop_the_update(stack, owner, appointment)
        # The hold runs out unpaid (as far as the bot knows) and another owner takes the slot.
        clock.advance(minutes=30)
        await booking.expire_holds()
        rival_hold = await booking.hold(rival, pet_id=rival_pet, slot_id=slot_id)

        await stack.reconcile()
        refunded = (AppointmentStatus.EXPIRED, [PaymentStatus.REFUNDED])
        assert await _state(stack.database_url, appointment.id) == refunded
        assert (await _state(stack.database_url, rival_hold.id))[0] == AppointmentStatus.HELD
        assert await _refunded_charges(stack) == [charge_id]
        apology = stack.dated(
            "msg-reconcile-refunded",
            appointment.starts_at,
            "Europe/Moscow",
            vet=world.vet.display_name,
        )
        assert await _bot_texts(stack, owner) == [apology]
        assert await _bot_texts(stack, world.vet_telegram_id) == []

        # The ledger now also holds the refund, under the payment's own id: not a payment.
        await stack.reconcile()
        assert await _state(stack.database_url, appointment.id) == refunded
        assert await _refunded_charges(stack) == [charge_id]
        assert await _bot_texts(stack, owner) == [apology]


async def _refunded_charges(stack: Stack) -> list[str]:
    response = await stack.telegram.get(
        "/sandbox/api/calls", params={"method": "refundStarPayment"}
    )
    response.raise_for_status()
    return [call["params"]["telegram_payment_charge_id"] for call in response.json()]


class _Ledger:
    """A ledger of `transactions` in the given order, paged as Telegram pages it."""

    def __init__(self, transactions: list[StarTransaction]) -> None:
        self.transactions = transactions
        self.offsets: list[int] = []

    async def page(self, *, offset: int, limit: int = 100) -> list[StarTransaction]:
        self.offsets.append(offset)
        return self.transactions[offset : offset + limit]


class _AllRecorded:
    """Every charge already has its payment row: the round only reads."""

    async def get_by_charge_id(self, telegram_payment_charge_id: str) -> object:
        return object()


@pytest.mark.parametrize("newest_first", [True, False])
async def test_a_round_reads_the_window_whichever_end_the_ledger_starts_with(
    newest_first: bool,
) -> None:
    clock = MutableClock(datetime.now(UTC))
    hourly = [
        StarTransaction(
            id=f"charge-{hours}",
            amount=250,
            date=clock.now() - timedelta(hours=hours, minutes=30),
            payer_telegram_id=1,
            invoice_payload=invoice_payload(hours + 1),
        )
        for hours in range(250)
    ]
    ledger = _Ledger(hourly if newest_first else hourly[::-1])
    reconcile = ReconcileStarPayments(
        ledger,
        confirm=None,  # type: ignore[arg-type]  # never reached: everything is recorded
        payments=_AllRecorded(),  # type: ignore[arg-type]
        appointments=None,  # type: ignore[arg-type]
        users=None,  # type: ignore[arg-type]
        vets=None,  # type: ignore[arg-type]
        pets=None,  # type: ignore[arg-type]
        notices=None,  # type: ignore[arg-type]
        clock=clock,
    )
    report = await reconcile()
    assert report == ReconciliationReport(seen=24, recovered=0)  # the last 24 hours
    # Newest first, the first page already reaches past the window; oldest first, all of it.
    assert ledger.offsets == ([0] if newest_first else [0, 100, 200])


def test_only_a_users_invoice_payment_counts_as_a_payment() -> None:
    user = {"id": 42, "is_bot": False, "first_name": "Owner"}
    base = {"id": "stx-1", "amount": 250, "date": 1_800_000_000}
    payment = TelegramStarTransaction.model_validate(
        base
        | {
            "source": {
                "type": "user",
                "transaction_type": "invoice_payment",
                "user": user,
                "invoice_payload": "appointment:7",
            }
        }
    )
    refund = TelegramStarTransaction.model_validate(
        base
        | {
            "receiver": {
                "type": "user",
                "transaction_type": "invoice_payment",
                "user": user,
                "invoice_payload": "appointment:7",
            }
        }
    )
    paid_media = TelegramStarTransaction.model_validate(
        base
        | {
            "source": {
                "type": "user",
                "transaction_type": "paid_media_payment",
                "user": user,
                "paid_media_payload": "x",
            }
        }
    )
    assert from_telegram(payment) == StarTransaction(
        id="stx-1",
        amount=250,
        date=datetime.fromtimestamp(1_800_000_000, UTC),
        payer_telegram_id=42,
        invoice_payload="appointment:7",
    )
    assert from_telegram(refund).payer_telegram_id is None
    assert from_telegram(paid_media).payer_telegram_id is None
