"""/paysupport: an owner's question becomes a ticket that staff see and answer from chat.

Staff are the configured support chat (`SUPPORT_CHAT_ID`) when there is one, otherwise every
admin (the users holding the admin role, see `core.interactors.admin_roles`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from core.clock import Clock
from core.enums import Role
from core.errors import UserNotFoundError
from core.ports.repositories import AccountDataRepository, UserRepository
from core.ports.support import (
    AnswerNotice,
    QuestionNotice,
    StaffRecipient,
    SupportNotices,
    SupportTicketRepository,
)
from core.ports.uow import UnitOfWork
from core.support_errors import (
    EmptySupportTextError,
    NotSupportStaffError,
    SupportTextTooLongError,
    SupportTicketNotFoundError,
)

logger = logging.getLogger(__name__)

# Both texts travel inside one Telegram message (4096 characters) next to our own words.
MAX_SUPPORT_TEXT: Final = 2000
# Enough for staff to recognise the payment asked about without opening the database.
RECENT_PAYMENTS_SHOWN: Final = 5


@dataclass(frozen=True, slots=True)
class SupportChat:
    """The configured support chat; None: the question goes to every admin instead."""

    chat_id: int | None


@dataclass(frozen=True, slots=True)
class AskedSupport:
    ticket_id: int
    staff_reached: int  # how many staff chats got it (0: stored, a person finds it later)


@dataclass(frozen=True, slots=True)
class AnsweredSupport:
    ticket_id: int
    delivered: bool  # False: the asker blocked the bot or is gone from Telegram


def clean_support_text(text: str | None) -> str:
    """The text as stored, or a typed refusal (nothing in it, or too long to forward)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise EmptySupportTextError()
    if len(cleaned) > MAX_SUPPORT_TEXT:
        raise SupportTextTooLongError(MAX_SUPPORT_TEXT)
    return cleaned


class AskSupport:
    """Store the question as a ticket, then show it to staff with the asker's recent payments."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tickets: SupportTicketRepository,
        account_data: AccountDataRepository,
        notices: SupportNotices,
        support_chat: SupportChat,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tickets = tickets
        self._account_data = account_data
        self._notices = notices
        self._support_chat = support_chat
        self._clock = clock

    async def __call__(self, telegram_id: int, question: str | None) -> AskedSupport:
        text = clean_support_text(question)
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        ticket = await self._tickets.add(
            user_id=user.id, question=text, created_at=self._clock.now()
        )
        payments = await self._account_data.list_payments(user.id)
        # Stored before anyone is told: a ticket outlives a failed delivery.
        await self._uow.commit()
        notice = QuestionNotice(
            ticket_id=ticket.id,
            question=text,
            asker_telegram_id=user.telegram_id,
            asker_name=user.first_name,
            asker_username=user.username,
            asker_language=user.language,
            recent_payments=list(reversed(payments))[:RECENT_PAYMENTS_SHOWN],
        )
        reached = 0
        for staff in await self._staff():
            if await self._notices.question_for_staff(staff, notice):
                reached += 1
        if reached == 0:
            logger.warning("support ticket %s reached no staff chat", ticket.id)
        return AskedSupport(ticket_id=ticket.id, staff_reached=reached)

    async def _staff(self) -> list[StaffRecipient]:
        if self._support_chat.chat_id is not None:
            return [StaffRecipient(chat_id=self._support_chat.chat_id, language=None)]
        admins = await self._users.list_with_role(Role.ADMIN)
        return [
            StaffRecipient(chat_id=admin.telegram_id, language=admin.language)
            for admin in sorted(admins, key=lambda admin: admin.id)
            if admin.blocked_bot_at is None
        ]


class AnswerSupport:
    """An admin (or anyone writing from the support chat) answers a ticket: the asker gets it
    in their own language, quoting their question."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        tickets: SupportTicketRepository,
        notices: SupportNotices,
        support_chat: SupportChat,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._tickets = tickets
        self._notices = notices
        self._support_chat = support_chat
        self._clock = clock

    async def __call__(
        self, telegram_id: int, chat_id: int, ticket_id: int, answer: str | None
    ) -> AnsweredSupport:
        if not await CheckSupportStaff(self._users, self._support_chat)(telegram_id, chat_id):
            raise NotSupportStaffError(telegram_id)
        text = clean_support_text(answer)
        ticket = await self._tickets.get(ticket_id)
        asker = None if ticket is None else await self._users.get(ticket.user_id)
        if ticket is None or asker is None:
            raise SupportTicketNotFoundError(ticket_id)
        staff = await self._users.get_by_telegram_id(telegram_id)
        await self._tickets.mark_answered(
            ticket_id,
            by_user_id=staff.id if staff is not None else None,
            answered_at=self._clock.now(),
        )
        await self._uow.commit()
        delivered = await self._notices.answer_for_asker(
            AnswerNotice(
                ticket_id=ticket.id,
                question=ticket.question,
                answer=text,
                asker_telegram_id=asker.telegram_id,
                asker_language=asker.language,
            )
        )
        return AnsweredSupport(ticket_id=ticket.id, delivered=delivered)


class CheckSupportStaff:
    """Whether this person, writing in this chat, may answer tickets (for the Reply button)."""

    def __init__(self, users: UserRepository, support_chat: SupportChat) -> None:
        self._users = users
        self._support_chat = support_chat

    async def __call__(self, telegram_id: int, chat_id: int) -> bool:
        if self._support_chat.chat_id is not None and chat_id == self._support_chat.chat_id:
            return True
        user = await self._users.get_by_telegram_id(telegram_id)
        return user is not None and Role.ADMIN in user.roles
