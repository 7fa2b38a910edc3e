"""/paysupport (issue #13): a question becomes a ticket, reaches staff with the asker's recent
payments and a Reply button, and the admin's answer reaches the asker in their language.

Dialog tests drive a real Dispatcher (tests/support/chatting.py, SQLite); the repository and
interactor tests run on PostgreSQL and SQLite (`db_session`).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, InlineKeyboardMarkup, Message, Sticker
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.support_notices import SupportReply
from core.clock import Clock
from core.config import Settings
from core.enums import Role
from core.interactors.support import (
    MAX_SUPPORT_TEXT,
    RECENT_PAYMENTS_SHOWN,
    AnswerSupport,
    AskSupport,
    SupportChat,
)
from core.ports.support import (
    AnswerNotice,
    QuestionNotice,
    StaffRecipient,
    SupportTicketRepository,
)
from core.support_errors import NotSupportStaffError, SupportTextTooLongError
from db.repositories.account import SqlAccountDataRepository
from db.repositories.payments import SqlPaymentRepository
from db.repositories.support import SqlSupportTicketRepository
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork
from tests.conftest import make_settings
from tests.support.chatting import load_texts, open_chat
from tests.support.vets import ADMIN_ID, OWNER_ID, person

STICKER = Sticker(
    file_id="s1",
    file_unique_id="su1",
    type="regular",
    width=512,
    height=512,
    is_animated=False,
    is_video=False,
)
SUPPORT_CHAT_ID = -100_777


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def staff_settings(migrated_sqlite_template: Path, tmp_path: Path) -> Settings:
    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    return make_settings(database, admin_ids=frozenset({ADMIN_ID}))


def _sent_to(calls: list[SendMessage], chat_id: int) -> list[SendMessage]:
    return [call for call in calls if int(call.chat_id) == chat_id]


def _buttons(call: SendMessage) -> InlineKeyboardMarkup:
    markup = call.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    return markup


def _as_message(call: SendMessage, *, chat_id: int, chat_type: str = "private") -> Message:
    """The question as the chat shows it, for a client to press its button."""
    return Message(
        message_id=10_001,
        date=datetime.now(UTC),
        chat=Chat(id=chat_id, type=chat_type),
        text=call.text,
        reply_markup=_buttons(call),
    )


def _reply_data(call: SendMessage) -> str:
    data = _buttons(call).inline_keyboard[0][0].callback_data
    assert data is not None
    return data


async def test_bare_paysupport_asks_hints_on_a_sticker_and_forwards_the_typed_question(
    staff_settings: Settings, texts: FluentRuntimeCore
) -> None:
    async with open_chat(staff_settings) as chat:
        admin = person(chat, ADMIN_ID)
        await admin.onboard()
        owner = person(chat, OWNER_ID)
        await owner.onboard()

        await owner.send("/paysupport")
        assert texts.get("msg-support-ask", "en") in str(owner.window().text)
        await owner.send_content(sticker=STICKER)
        assert texts.get("err-support-text-only", "en") in owner.said()
        assert texts.get("msg-support-ask", "en") in str(owner.window().text)

        await owner.send("My refund did not come")
        assert any("#1" in text for text in owner.said()), owner.said()
        to_admin = _sent_to(chat.session.calls_of(SendMessage), ADMIN_ID)
        assert len(to_admin) == 1
        assert "My refund did not come" in to_admin[0].text
        assert str(OWNER_ID) in to_admin[0].text
        assert texts.get("lbl-support-no-payments", "en") in to_admin[0].text
        assert SupportReply.unpack(_reply_data(to_admin[0])).ticket_id == 1


async def test_admin_answers_through_reply_and_the_owner_reads_it_in_russian(
    staff_settings: Settings, texts: FluentRuntimeCore
) -> None:
    async with open_chat(staff_settings) as chat:
        admin = person(chat, ADMIN_ID)
        await admin.onboard()
        owner = person(chat, OWNER_ID)
        await owner.send("/start")
        await owner.click("🇷🇺 Русский")
        await owner.click(texts.get("btn-continue", "ru"))
        await owner.click(texts.get("btn-consent-agree", "ru"))

        await owner.send("/paysupport Где мой возврат?")
        question = _sent_to(chat.session.calls_of(SendMessage), ADMIN_ID)[-1]
        assert "language: ru" in question.text
        # Press Reply as Telegram delivers it: a callback on the question message.
        message = _as_message(question, chat_id=ADMIN_ID)
        await admin.client.click(
            message, InlineButtonTextLocator(texts.get("btn-support-reply", "en"))
        )
        assert "ticket #1" in str(admin.window().text)
        await admin.send("Stars are back <i>already</i>")
        assert texts.get("msg-support-answer-sent", "en", ticket=1) in admin.said()
        answer = _sent_to(chat.session.calls_of(SendMessage), OWNER_ID)[-1].text
        assert "Ответ поддержки на обращение #1" in answer
        assert "Где мой возврат?" in answer
        assert "Stars are back &lt;i&gt;already&lt;/i&gt;" in answer  # their words, not markup


async def test_a_configured_support_chat_gets_the_question_instead_of_the_admins(
    staff_settings: Settings,
) -> None:
    settings = staff_settings.model_copy(update={"support_chat_id": SUPPORT_CHAT_ID})
    async with open_chat(settings) as chat:
        await person(chat, ADMIN_ID).onboard()
        owner = person(chat, OWNER_ID)
        await owner.onboard()
        await owner.send("/paysupport Charged twice?")
        sent = chat.session.calls_of(SendMessage)
        assert len(_sent_to(sent, SUPPORT_CHAT_ID)) == 1
        assert _sent_to(sent, ADMIN_ID) == []


async def test_staff_in_the_support_chat_answer_there_and_outsiders_cannot(
    staff_settings: Settings, texts: FluentRuntimeCore
) -> None:
    settings = staff_settings.model_copy(update={"support_chat_id": SUPPORT_CHAT_ID})
    async with open_chat(settings) as chat:
        owner = person(chat, OWNER_ID)
        await owner.onboard()
        await owner.send("/paysupport Charged twice?")
        question = _sent_to(chat.session.calls_of(SendMessage), SUPPORT_CHAT_ID)[-1]
        reply_label = texts.get("btn-support-reply", "ru")  # the support chat: default locale

        # Someone who is neither admin nor in the support chat crafts the same button.
        stranger = BotClient(chat.dp, user_id=9_090, chat_id=9_090, bot=chat.bot)
        crafted = _as_message(question, chat_id=9_090)
        chat.session.reset()
        await stranger.click(crafted, InlineButtonTextLocator(reply_label))
        alerts = [a.text for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]
        assert alerts == [texts.get("err-support-staff-only", "ru")]

        # A staff member in the group (no admin role) presses Reply and answers there.
        staff = BotClient(
            chat.dp, user_id=9_191, chat_id=SUPPORT_CHAT_ID, chat_type="supergroup", bot=chat.bot
        )
        await staff.click(
            _as_message(question, chat_id=SUPPORT_CHAT_ID, chat_type="supergroup"),
            InlineButtonTextLocator(reply_label),
        )
        chat.session.reset()
        await staff.send("Only one charge went through.")
        answer = _sent_to(chat.session.calls_of(SendMessage), OWNER_ID)[-1].text
        assert "Only one charge went through." in answer
        assert "ticket #1" in answer  # the owner's language: English


async def test_before_consent_paysupport_shows_the_rules_and_stores_nothing(
    staff_settings: Settings, texts: FluentRuntimeCore
) -> None:
    async with open_chat(staff_settings) as chat:
        owner = person(chat, OWNER_ID)
        await owner.send("/paysupport hello")
        rules = texts.get("msg-payment-support", "ru", cutoff_hours=24).splitlines()[0]
        assert any(rules in text for text in owner.said())
        async with chat.container() as request:
            assert await (await request.get(SupportTicketRepository)).get(1) is None


async def test_a_too_long_question_is_refused_with_the_limit_and_the_prompt_opens(
    staff_settings: Settings, texts: FluentRuntimeCore
) -> None:
    async with open_chat(staff_settings) as chat:
        owner = person(chat, OWNER_ID)
        await owner.onboard()
        await owner.send("/paysupport " + "x" * (MAX_SUPPORT_TEXT + 1))
        assert texts.get("err-support-too-long", "en", limit=MAX_SUPPORT_TEXT) in owner.said()
        assert texts.get("msg-support-ask", "en") in str(owner.window().text)
        async with chat.container() as request:
            assert await (await request.get(SupportTicketRepository)).get(1) is None


# --- interactors on both backends ----------------------------------------------------------


class FixedClock(Clock):
    def now(self) -> datetime:
        return datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


class RecordedNotices:
    def __init__(self) -> None:
        self.questions: list[tuple[StaffRecipient, QuestionNotice]] = []
        self.answers: list[AnswerNotice] = []

    async def question_for_staff(self, staff: StaffRecipient, notice: QuestionNotice) -> bool:
        self.questions.append((staff, notice))
        return True

    async def answer_for_asker(self, notice: AnswerNotice) -> bool:
        self.answers.append(notice)
        return True


async def test_staff_see_the_latest_payments_and_a_blocked_admin_is_skipped(
    db_session: AsyncSession,
) -> None:
    users = SqlUserRepository(db_session)
    owner = await users.add(telegram_id=8_100_001, first_name="Ann", username="ann", language="en")
    admin = await users.add(
        telegram_id=8_100_002,
        first_name="Ada",
        username=None,
        language="ru",
        roles=frozenset({Role.OWNER, Role.ADMIN}),
    )
    gone = await users.add(
        telegram_id=8_100_003,
        first_name="Bo",
        username=None,
        language=None,
        roles=frozenset({Role.ADMIN}),
    )
    await users.mark_bot_blocked(gone.telegram_id, FixedClock().now())
    payments = SqlPaymentRepository(db_session)
    for number in range(RECENT_PAYMENTS_SHOWN + 2):
        await payments.add_if_absent(
            telegram_payment_charge_id=f"charge-{number}",
            provider_payment_charge_id=None,
            appointment_id=None,
            user_id=owner.id,
            invoice_payload="p",
            amount=100 + number,
            currency="XTR",
            paid_at=FixedClock().now() - timedelta(days=10 - number),
        )
    notices = RecordedNotices()
    tickets = SqlSupportTicketRepository(db_session)
    ask = AskSupport(
        SqlUnitOfWork(db_session),
        users,
        tickets,
        SqlAccountDataRepository(db_session),
        notices,
        SupportChat(chat_id=None),
        FixedClock(),
    )
    asked = await ask(owner.telegram_id, "  Where is my refund?  ")
    assert asked.staff_reached == 1
    [(staff, notice)] = notices.questions
    assert staff == StaffRecipient(chat_id=admin.telegram_id, language="ru")
    assert notice.question == "Where is my refund?"
    assert notice.asker_language == "en"
    assert [payment.amount for payment in notice.recent_payments] == [106, 105, 104, 103, 102]

    answer = AnswerSupport(
        SqlUnitOfWork(db_session), users, tickets, notices, SupportChat(None), FixedClock()
    )
    with pytest.raises(NotSupportStaffError):
        await answer(owner.telegram_id, owner.telegram_id, asked.ticket_id, "I answer myself")
    with pytest.raises(SupportTextTooLongError):
        await answer(admin.telegram_id, admin.telegram_id, asked.ticket_id, "y" * 5000)
    assert notices.answers == []
    answered = await answer(admin.telegram_id, admin.telegram_id, asked.ticket_id, "Done")
    assert answered.delivered
    assert notices.answers[0].asker_language == "en"
    stored = await tickets.get(asked.ticket_id)
    assert stored is not None and stored.answered_by_user_id == admin.id


async def test_a_ticket_goes_with_its_asker(db_session: AsyncSession) -> None:
    users = SqlUserRepository(db_session)
    owner = await users.add(telegram_id=8_200_001, first_name="Ann", username=None, language=None)
    tickets = SqlSupportTicketRepository(db_session)
    ticket = await tickets.add(user_id=owner.id, question="q", created_at=FixedClock().now())
    await SqlAccountDataRepository(db_session).delete_user(owner.id)
    db_session.expunge_all()
    assert await tickets.get(ticket.id) is None
