"""A triage follow-up through the real dispatcher (issue #12): sent by the scheduler's job with
its three buttons and the pet's name escaped; Better and Same edit the question to show the
answer (no buttons left); a second press, a crafted id for someone else's question and a press
after the pet left each get a short localized hint, never a traceback or a second answer.

The bot runs on SQLite (tests/support/chatting.py) with a clock the test moves forward.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from aiogram.types import Chat, InlineKeyboardMarkup, Message
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore

from bot.follow_up_sender import FollowUpButton
from bot.periodic import DEFAULT_JOBS, translator
from core.config import Settings
from core.enums import Sex, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.symptom_check import SubmitCheck
from core.ports.follow_ups import FollowUpAnswer
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clocks import ShiftedClock, clock_provider
from tests.support.vets import person

STRANGER_ID = 7474
# A lone "<": Telegram's HTML parser would read it as a tag (tests/support/hostile_names.py).
PET_NAME = "Rex <3"


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


async def _medium_check(chat: Chatting, pet_id: int) -> None:
    async with chat.container() as request:
        outcome = await (await request.get(SubmitCheck))(
            telegram_id=USER_ID,
            pet_id=pet_id,
            signs=["vomiting"],
            details={"vomiting_count_24h": 5, "vaccinated": True},
        )
    assert outcome.result.urgency.value == "medium"


async def _run_the_job(chat: Chatting) -> None:
    # As `telemed-pet scheduler` runs it.
    [job] = [job for job in DEFAULT_JOBS if job.name == "send-reminders"]
    await job.run(chat.container, chat.bot, translator(chat.dp))


def _follow_ups_to(chat: Chatting, telegram_id: int) -> list[SendMessage]:
    return [
        call
        for call in chat.session.calls_of(SendMessage)
        if int(call.chat_id) == telegram_id
        and isinstance(call.reply_markup, InlineKeyboardMarkup)
        and any(
            (button.callback_data or "").startswith("fu:")
            for row in call.reply_markup.inline_keyboard
            for button in row
        )
    ]


def _as_message(call: SendMessage, chat_id: int, message_id: int) -> Message:
    assert isinstance(call.reply_markup, InlineKeyboardMarkup)
    return Message(
        message_id=message_id,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type="private"),
        text=call.text,
        reply_markup=call.reply_markup,
    )


async def _press(chat: Chatting, client: BotClient, message: Message, label: str) -> str:
    """Press the button whose label contains `label`; the alert or notice it answered with
    ("" for none)."""
    chat.session.reset()
    await client.click(message, InlineButtonTextLocator(f".*{re.escape(label)}.*"))
    answers = chat.session.calls_of(AnswerCallbackQuery)
    return answers[-1].text or "" if answers else ""


async def test_the_question_comes_once_due_and_its_buttons_answer_once(
    chat: Chatting, clock: ShiftedClock, texts: FluentRuntimeCore
) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    async with chat.container() as request:
        pet = await (await request.get(AddPet))(
            USER_ID, PetDraft(name=PET_NAME, species=Species.DOG, sex=Sex.MALE)
        )
    await _medium_check(chat, pet.id)

    chat.session.reset()
    await _run_the_job(chat)
    assert _follow_ups_to(chat, USER_ID) == []  # not before its day
    # A day and a half on: past 24 h, and past any quiet hours that moved it to a morning.
    clock.shift = timedelta(hours=36)
    await _run_the_job(chat)
    [sent] = _follow_ups_to(chat, USER_ID)
    assert sent.text == texts.get("msg-follow-up-question", "en", name=PET_NAME)
    assert "Rex &lt;3" in sent.text  # escaped by the i18n core
    assert isinstance(sent.reply_markup, InlineKeyboardMarkup)
    labels = [b.text for row in sent.reply_markup.inline_keyboard for b in row]
    assert labels == ["👍 Better", "😐 Same", "👎 Worse → re-check"]
    question = _as_message(sent, USER_ID, 30_001)

    # Someone else presses a copy of the owner's buttons: a hint, nothing stored.
    stranger = BotClient(chat.dp, user_id=STRANGER_ID, chat_id=STRANGER_ID, bot=chat.bot)
    crafted = _as_message(sent, STRANGER_ID, 30_002)
    assert await _press(chat, stranger, crafted, "Worse") == texts.get(
        "err-follow-up-not-found",
        "ru",  # a newcomer: the default locale
    )
    assert chat.session.calls_of(EditMessageText) == []

    # Better: the question shows the answer with thanks, its buttons gone.
    assert await _press(chat, owner.client, question, "Better") == ""
    [edited] = chat.session.calls_of(EditMessageText)
    assert edited.text == texts.get("msg-follow-up-better", "en", name=PET_NAME)
    assert edited.reply_markup is None

    # A second press (another button of the same old message): a hint, the answer stands.
    chat.messages.reset_history()
    assert await _press(chat, owner.client, question, "Worse") == texts.get(
        "err-follow-up-answered", "en"
    )
    assert chat.session.calls_of(EditMessageText) == []
    assert chat.session.calls_of(EditMessageReplyMarkup)  # the stale buttons are tidied away
    assert chat.messages.sent_messages == []  # no check dialog opened

    # A later check, a later question: Same keeps watching, with what to do if it gets worse.
    await _medium_check(chat, pet.id)
    clock.shift = timedelta(hours=72)
    chat.session.reset()
    await _run_the_job(chat)
    [second] = _follow_ups_to(chat, USER_ID)
    assert await _press(chat, owner.client, _as_message(second, USER_ID, 30_003), "Same") == ""
    [edited] = chat.session.calls_of(EditMessageText)
    assert edited.text == texts.get("msg-follow-up-same", "en", name=PET_NAME)
    assert "vet" in edited.text


async def test_a_press_after_the_pet_left_answers_with_a_hint(
    chat: Chatting, clock: ShiftedClock, texts: FluentRuntimeCore
) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    async with chat.container() as request:
        pet = await (await request.get(AddPet))(
            USER_ID, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
    await _medium_check(chat, pet.id)
    clock.shift = timedelta(hours=36)
    chat.session.reset()
    await _run_the_job(chat)
    [sent] = _follow_ups_to(chat, USER_ID)
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(USER_ID)
        assert user is not None
        await (await request.get(PetAccessRepository)).revoke(pet_id=pet.id, user_id=user.id)
        await (await request.get(UnitOfWork)).commit()

    answer = await _press(chat, owner.client, _as_message(sent, USER_ID, 30_010), "Worse")

    assert answer == texts.get("err-follow-up-pet-gone", "en")
    assert chat.session.calls_of(EditMessageText) == []


def test_callback_data_fits_telegrams_64_bytes() -> None:
    for answer in FollowUpAnswer:
        packed = FollowUpButton(answer=answer, reminder_id=2**63 - 1).pack()
        assert len(packed.encode()) <= 64, packed
