"""A vaccination reminder through the real dispatcher (issue #12): added to a shared pet's card,
sent by the job to the owner and the co-owner with its buttons, then Stop, Snooze, Done, a
crafted id and a stale button — each answered in the presser's language.

The bot runs on SQLite (tests/support/chatting.py) with a clock the test moves forward.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, InlineKeyboardMarkup, Message
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore

from bot.periodic import DEFAULT_JOBS, translator
from bot.reminder_sender import BotReminderSender, ReminderAction, ReminderButton
from core.config import Settings
from core.entities import Pet
from core.enums import AccessLevel, RecordKind, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, ListRecords, LocalToday, VaccinationDraft
from core.interactors.reminder_delivery import DeliveryReport, SendDueReminders
from core.ports.reminders import Delivery, DueDateMessage, ReminderRepository
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clocks import ShiftedClock, clock_provider
from tests.support.recording_session import RecordingSession
from tests.support.vets import Person, person

CO_OWNER_ID = 7272
STRANGER_ID = 7373


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
async def chat(settings: Settings, clock: ShiftedClock) -> AsyncIterator[Chatting]:
    async with open_chat(settings, clock_provider(clock)) as opened:
        yield opened


async def _shared_pet_with_a_vaccination_due_tomorrow(chat: Chatting, clock: ShiftedClock) -> int:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            USER_ID, PetDraft(name="Rex", species=Species.DOG)
        )
        co_owner = await (await request.get(UserRepository)).get_by_telegram_id(CO_OWNER_ID)
        assert co_owner is not None
        await (await request.get(PetAccessRepository)).grant(
            pet_id=pet.id, user_id=co_owner.id, level=AccessLevel.CO_OWNER, granted_at=clock.now()
        )
        await (await request.get(UnitOfWork)).commit()
    today = clock.now().date()
    async with chat.container() as request:
        await (await request.get(AddRecord))(
            USER_ID,
            pet.id,
            VaccinationDraft("Nobivac <DHPPi>", today - timedelta(days=1), today + timedelta(1)),
        )
    return pet.id


async def _send_due(chat: Chatting) -> DeliveryReport:
    async with chat.container() as request:
        report: DeliveryReport = await (await request.get(SendDueReminders))()
    return report


def _reminders_to(chat: Chatting, telegram_id: int) -> list[SendMessage]:
    return [
        call
        for call in chat.session.calls_of(SendMessage)
        if int(call.chat_id) == telegram_id
        and isinstance(call.reply_markup, InlineKeyboardMarkup)
        and any(
            (button.callback_data or "").startswith("rem:")
            for row in call.reply_markup.inline_keyboard
            for button in row
        )
    ]


def _as_message(call: SendMessage, chat_id: int) -> Message:
    """The reminder as the chat shows it, for a client to press its buttons."""
    assert isinstance(call.reply_markup, InlineKeyboardMarkup)
    return Message(
        message_id=20_000 + chat_id % 1000,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type="private"),
        text=call.text,
        reply_markup=call.reply_markup,
    )


async def _press(chat: Chatting, who: Person | BotClient, message: Message, label: str) -> str:
    """Press a button; the alert or notice it answered with ("" for none)."""
    client = who.client if isinstance(who, Person) else who
    chat.session.reset()
    await client.click(message, InlineButtonTextLocator(re.escape(label)))
    answers = chat.session.calls_of(AnswerCallbackQuery)
    return answers[-1].text or "" if answers else ""


async def test_owner_and_co_owner_get_the_reminder_and_its_buttons_work(
    chat: Chatting, clock: ShiftedClock, texts: FluentRuntimeCore
) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    co_owner = person(chat, CO_OWNER_ID)
    await co_owner.send("/start")
    await co_owner.click("🇷🇺 Русский")
    await co_owner.click(texts.get("btn-continue", "ru"))
    await co_owner.click(texts.get("btn-consent-agree", "ru"))
    await _shared_pet_with_a_vaccination_due_tomorrow(chat, clock)

    chat.session.reset()
    assert (await _send_due(chat)).sent == 0  # due tomorrow: nothing yet
    clock.shift = timedelta(days=2)
    # Sent by the scheduler's own job, as `telemed-pet scheduler` runs it.
    [job] = [job for job in DEFAULT_JOBS if job.name == "send-reminders"]
    await job.run(chat.container, chat.bot, translator(chat.dp))

    [to_owner] = _reminders_to(chat, USER_ID)
    [to_co_owner] = _reminders_to(chat, CO_OWNER_ID)
    assert "Rex" in to_owner.text and "Nobivac &lt;DHPPi&gt;" in to_owner.text  # escaped
    assert to_owner.text.startswith("💉")  # the on-the-day message, in English
    assert "прививка" in to_co_owner.text  # the co-owner reads Russian
    owners_message = _as_message(to_owner, USER_ID)
    co_owners_message = _as_message(to_co_owner, CO_OWNER_ID)

    # Someone else presses a copy of the owner's buttons: a hint, nothing changes.
    stranger = BotClient(chat.dp, user_id=STRANGER_ID, chat_id=STRANGER_ID, bot=chat.bot)
    crafted = _as_message(to_owner, STRANGER_ID)
    answer = await _press(chat, stranger, crafted, texts.get("btn-reminder-stop", "en"))
    assert answer == texts.get("err-reminder-not-found", "ru")  # a newcomer: the default locale

    # The co-owner stops this item for themself.
    stop = texts.get("btn-reminder-stop", "ru")
    assert await _press(chat, co_owner, co_owners_message, stop) == texts.get(
        "msg-reminder-stopped", "ru"
    )

    # The owner snoozes: the answer names tomorrow's date.
    answer = await _press(chat, owner, owners_message, texts.get("btn-reminder-snooze", "en"))
    assert answer.startswith("⏰ All right, we will remind you on"), answer

    # Done: the form of the next dose opens, the vaccine offered to confirm.
    await _press(chat, owner, owners_message, texts.get("btn-reminder-done", "en"))
    assert texts.get("msg-reminder-done-form", "en") in owner.said()
    assert "Last time: <b>Nobivac &lt;DHPPi&gt;</b>" in owner.text()
    assert texts.get("btn-record-same-title", "en") in owner.buttons()
    # Another vaccine this time: typed, it is what the entry keeps.
    await owner.send("Eurican DHPPi2-L")
    assert "step 2 of 4" in owner.text()
    await owner.click(texts.get("btn-record-today", "en"))
    await owner.click(texts.get("btn-record-due-year", "en"))
    await owner.click(texts.get("btn-record-skip", "en"))
    assert owner.text().startswith("💉 Vaccination\n<b>Eurican DHPPi2-L</b>")

    # The same Done again is stale and opens nothing; a week later nobody hears of the item.
    chat.messages.reset_history()
    answer = await _press(chat, owner, owners_message, texts.get("btn-reminder-done", "en"))
    assert answer == texts.get("err-reminder-stale", "en")
    assert chat.messages.sent_messages == []
    assert owner.said() == []
    chat.session.reset()
    clock.shift = timedelta(days=30)
    assert (await _send_due(chat)).sent == 0
    assert _reminders_to(chat, USER_ID) == [] and _reminders_to(chat, CO_OWNER_ID) == []


async def test_done_opens_the_next_dose_prefilled_and_saving_it_closes_the_item_for_all(
    chat: Chatting, clock: ShiftedClock, texts: FluentRuntimeCore
) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    co_owner = person(chat, CO_OWNER_ID)
    await co_owner.onboard()
    pet_id = await _shared_pet_with_a_vaccination_due_tomorrow(chat, clock)
    clock.shift = timedelta(days=2)
    assert (await _send_due(chat)).sent == 2
    [to_owner] = _reminders_to(chat, USER_ID)
    [to_co_owner] = _reminders_to(chat, CO_OWNER_ID)

    await _press(chat, owner, _as_message(to_owner, USER_ID), texts.get("btn-reminder-done", "en"))
    # The kind is chosen already: the vaccine's name, step 1 of 4, offered and not yet kept.
    assert "step 1 of 4" in owner.text()
    assert "Last time: <b>Nobivac &lt;DHPPi&gt;</b>" in owner.text()
    await owner.click(texts.get("btn-record-same-title", "en"))
    assert "step 2 of 4" in owner.text()
    await owner.click(texts.get("btn-record-today", "en"))
    await owner.click(texts.get("btn-record-due-year", "en"))
    await owner.click(texts.get("btn-record-skip", "en"))  # no batch number at hand
    assert texts.get("msg-record-added", "en") in owner.said()

    async with chat.container() as request:
        today = await (await request.get(LocalToday))(USER_ID)
        page = await (await request.get(ListRecords))(USER_ID, pet_id)
    # The card under the form shows the new entry.
    assert owner.text().startswith("💉 Vaccination\n<b>Nobivac &lt;DHPPi&gt;</b>")
    assert "Next dose" in owner.text()
    latest = max(
        (entry for entry in page.entries if entry.record.kind is RecordKind.VACCINATION),
        key=lambda entry: entry.record.id,
    )
    newest = latest.record
    assert newest.title == "Nobivac <DHPPi>" and newest.pet_id == pet_id
    assert latest.day == today
    assert newest.next_due_at is not None and newest.next_due_at.year == today.year + 1

    # The co-owner's copy of the old reminder is out of date and opens nothing; what is pending
    # for them now is the new dose's reminders only.
    chat.messages.reset_history()
    answer = await _press(
        chat, co_owner, _as_message(to_co_owner, CO_OWNER_ID), texts.get("btn-reminder-done", "en")
    )
    assert answer == texts.get("err-reminder-stale", "en")
    assert chat.messages.sent_messages == []
    async with chat.container() as request:
        co = await (await request.get(UserRepository)).get_by_telegram_id(CO_OWNER_ID)
        assert co is not None
        pending = await (await request.get(ReminderRepository)).list_pending_for_user(co.id)
    assert pending and {reminder.record_id for reminder in pending} == {newest.id}
    chat.session.reset()
    clock.shift = timedelta(days=10)  # past every step of the old item
    assert (await _send_due(chat)).sent == 0


def test_callback_data_fits_telegrams_64_bytes() -> None:
    for action in ReminderAction:
        packed = ReminderButton(action=action, reminder_id=2**63 - 1).pack()
        assert len(packed.encode()) <= 64, packed


@pytest.mark.parametrize(
    ("failure", "delivery"),
    [
        (None, Delivery.SENT),
        (
            TelegramForbiddenError(
                method=SendMessage(chat_id=1, text="x"),
                message="Forbidden: bot was blocked by the user",
            ),
            Delivery.UNREACHABLE,
        ),
        (
            TelegramBadRequest(method=SendMessage(chat_id=1, text="x"), message="Bad Request"),
            Delivery.FAILED,
        ),
    ],
)
async def test_the_sender_reports_what_became_of_the_message(
    texts: FluentRuntimeCore, failure: Exception | None, delivery: Delivery
) -> None:
    session = RecordingSession()
    if failure is not None:
        session.failures[SendMessage] = failure
    sender = BotReminderSender(Bot("123456:TEST-token", session=session), texts)
    message = DueDateMessage(
        reminder_id=5,
        telegram_id=4242,
        language="en",
        step="overdue_2",
        record_kind=RecordKind.PARASITE_TREATMENT,
        pet_name="Rex",
        title="Bravecto",
        next_due=date(2026, 12, 1),
    )

    assert await sender.send_due_date(message) is delivery
    [call] = session.calls_of(SendMessage)
    assert call.text == texts.get(
        "msg-reminder-overdue",
        "en",
        name="Rex",
        item=texts.get("lbl-reminder-item-parasite-treatment", "en", title="Bravecto"),
        due=date(2026, 12, 1),
    )
    assert "1 Dec 2026" in call.text
    assert isinstance(call.reply_markup, InlineKeyboardMarkup)
    packed = [b.callback_data for row in call.reply_markup.inline_keyboard for b in row]
    assert [ReminderButton.unpack(str(data)).action for data in packed] == list(ReminderAction)
    assert {ReminderButton.unpack(str(data)).reminder_id for data in packed} == {5}
