"""Why a support question or answer was refused; the chat turns each into a localized hint."""

from __future__ import annotations

from core.errors import DomainError


class EmptySupportTextError(DomainError):
    def __init__(self) -> None:
        super().__init__("a support question or answer needs some text")


class SupportTextTooLongError(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"a support question or answer is limited to {limit} characters")
        self.limit = limit


class SupportTicketNotFoundError(DomainError):
    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"no support ticket {ticket_id}")
        self.ticket_id = ticket_id


class NotSupportStaffError(DomainError):
    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"user {telegram_id} may not answer support tickets")
        self.telegram_id = telegram_id
