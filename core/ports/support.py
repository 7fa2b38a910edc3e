"""Support tickets (/paysupport): their storage and how they reach staff and the asker.

Telegram requires a bot that takes payments to answer /paysupport
(https://core.telegram.org/bots/payments-stars, "paysupport"): a question is stored as a
ticket, sent to the support chat or to every admin, and an admin's answer goes back to the
asker quoting the ticket. The notices are implemented in `bot/`, in each person's language;
a delivery that fails is the adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.entities import PaymentSnapshot


@dataclass(frozen=True, slots=True)
class SupportTicket:
    id: int
    user_id: int
    question: str
    created_at: datetime
    answered_at: datetime | None
    answered_by_user_id: int | None


@dataclass(frozen=True, slots=True)
class StaffRecipient:
    """Where a question goes: the support chat (language None: the default locale) or an
    admin's private chat in their own language."""

    chat_id: int
    language: str | None


@dataclass(frozen=True, slots=True)
class QuestionNotice:
    """A new question as staff see it: who asks, in which language, what they paid lately."""

    ticket_id: int
    question: str
    asker_telegram_id: int
    asker_name: str
    asker_username: str | None
    asker_language: str | None
    recent_payments: Sequence[PaymentSnapshot]  # newest first


@dataclass(frozen=True, slots=True)
class AnswerNotice:
    """An admin's answer as the asker reads it, quoting their ticket."""

    ticket_id: int
    question: str
    answer: str
    asker_telegram_id: int
    asker_language: str | None


class SupportTicketRepository(Protocol):
    """Questions asked through /paysupport, deleted with their asker."""

    async def add(self, *, user_id: int, question: str, created_at: datetime) -> SupportTicket:
        """Store a new, unanswered ticket."""
        ...

    async def get(self, ticket_id: int) -> SupportTicket | None: ...

    async def mark_answered(
        self, ticket_id: int, *, by_user_id: int | None, answered_at: datetime
    ) -> None:
        """Record the latest answer (a ticket may be answered more than once)."""
        ...


class SupportNotices(Protocol):
    async def question_for_staff(self, staff: StaffRecipient, notice: QuestionNotice) -> bool:
        """The question with its asker and a "Reply" button; False when it did not arrive."""
        ...

    async def answer_for_asker(self, notice: AnswerNotice) -> bool:
        """The answer in the asker's language, quoting the ticket; False when undelivered."""
        ...
