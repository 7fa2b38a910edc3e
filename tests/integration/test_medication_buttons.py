"""A medication dose through the real dispatcher (issue #12): a course with a dose time added to
a shared pet's card, the dose sent by the scheduler's job to the owner and the co-owner with
"Given ✓"; a crafted id, the co-owner's press (their message and the owner's copy edited to
say who gave it), and the owner's press afterwards — each answered in the presser's language.

The bot runs on SQLite (tests/support/chatting.py) with a clock the test moves forward.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Chat, InlineKeyboardMarkup, Message
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore

from bot.periodic import DEFAULT_JOBS, translator
from core.config import Settings
from core.entities import Pet
from core.enums import AccessLevel, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, LocalToday, MedicationDraft
from core.interactors.reminder_settings import ChooseTimeZone
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from core.schedule import to_local
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clocks import ShiftedClock, clock_provider
from tests.support.vets import Person, person

CO_OWNER_ID = 7272
STRANGER_ID = 7373
DRUG = "Synulox <50>"


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


async def _shared_course(chat: Chatting, clock: ShiftedClock, dose_time: str) -> None:
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
    async with chat.container() as request:
        today = await (await request.get(LocalToday))(USER_ID)
        await (await request.get(AddRecord))(
            USER_ID,
            pet.id,
            MedicationDraft(DRUG, "50 mg", "daily", today, None, (dose_time,)),
        )


def _doses_to(chat: Chatting, telegram_id: int) -> list[SendMessage]:
    return [
        call
        for call in chat.session.calls_of(SendMessage)
        if int(call.chat_id) == telegram_id
        and isinstance(call.reply_markup, InlineKeyboardMarkup)
        and any(
            (button.callback_data or "").startswith("dose:")
            for row in call.reply_markup.inline_keyboard
            for button in row
        )
    ]


def _as_message(call: SendMessage, chat_id: int) -> Message:
    assert isinstance(call.reply_markup, InlineKeyboardMarkup)
    return Message(
        message_id=30_000 + chat_id % 1000,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type="private"),
        text=call.text,
        reply_markup=call.reply_markup,
    )


async def _press(chat: Chatting, who: Person | BotClient, message: Message, label: str) -> str:
    client = who.client if isinstance(who, Person) else who
    chat.session.reset()
    await client.click(message, InlineButtonTextLocator(re.escape(label)))
    answers = chat.session.calls_of(AnswerCallbackQuery)
    return answers[-1].text or "" if answers else ""


async def test_given_by_the_co_owner_shows_on_both_copies_and_the_owners_press_is_told_who(
    chat: Chatting, clock: ShiftedClock, texts: FluentRuntimeCore
) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    co_owner = person(chat, CO_OWNER_ID)
    await co_owner.send("/start")
    await co_owner.click("🇷🇺 Русский")
    await co_owner.click(texts.get("btn-continue", "ru"))
    await co_owner.click(texts.get("btn-consent-agree", "ru"))
    async with chat.container() as request:
        users = await request.get(UserRepository)
        owner_user = await users.get_by_telegram_id(USER_ID)
        co_user = await users.get_by_telegram_id(CO_OWNER_ID)
    assert owner_user is not None and co_user is not None
    # Both in one zone, so one shift brings both doses: the owner's (English: London).
    async with chat.container() as request:
        await (await request.get(ChooseTimeZone))(CO_OWNER_ID, owner_user.time_zone)
    local = to_local(clock.now(), owner_user.time_zone)
    dose_local = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    dose_time = f"{dose_local:%H:%M}"
    await _shared_course(chat, clock, dose_time)

    chat.session.reset()
    clock.shift = dose_local - local + timedelta(minutes=1)
    [job] = [job for job in DEFAULT_JOBS if job.name == "send-reminders"]
    await job.run(chat.container, chat.bot, translator(chat.dp))

    [to_owner] = _doses_to(chat, USER_ID)
    [to_co_owner] = _doses_to(chat, CO_OWNER_ID)
    assert to_owner.text == texts.get(
        "msg-medication-dose", "en", name="Rex", drug=DRUG, dose="50 mg", time=dose_time
    )
    assert "Synulox &lt;50&gt;" in to_owner.text  # escaped
    assert f"приём в {dose_time}" in to_co_owner.text  # the co-owner reads Russian

    # Someone else presses a copy of the owner's button: a hint, nothing changes.
    stranger = BotClient(chat.dp, user_id=STRANGER_ID, chat_id=STRANGER_ID, bot=chat.bot)
    crafted = _as_message(to_owner, STRANGER_ID)
    answer = await _press(chat, stranger, crafted, texts.get("btn-medication-given", "en"))
    assert answer == texts.get("err-reminder-not-found", "ru")
    assert chat.session.calls_of(EditMessageText) == []

    # The co-owner gives the dose: their message says so, the owner's copy says by whom.
    answer = await _press(
        chat,
        co_owner,
        _as_message(to_co_owner, CO_OWNER_ID),
        texts.get("btn-medication-given", "ru"),
    )
    assert answer == ""
    edits = {int(call.chat_id): call for call in chat.session.calls_of(EditMessageText)}
    assert set(edits) == {USER_ID, CO_OWNER_ID}
    given_at = f"{to_local(clock.now(), owner_user.time_zone):%H:%M}"
    assert edits[CO_OWNER_ID].text.endswith(texts.get("msg-medication-given", "ru", at=given_at))
    assert edits[USER_ID].text == "\n\n".join(
        (
            to_owner.text,
            texts.get("msg-medication-given-by", "en", by=co_user.first_name, at=given_at),
        )
    )
    assert edits[USER_ID].reply_markup is None

    # The owner's own copy pressed afterwards: told who gave it, nothing is given twice.
    answer = await _press(
        chat, owner, _as_message(to_owner, USER_ID), texts.get("btn-medication-given", "en")
    )
    assert answer == texts.get(
        "msg-medication-already-given", "en", by=co_user.first_name, at=given_at
    )
    assert [int(call.chat_id) for call in chat.session.calls_of(EditMessageText)] == []
