"""How background work reaches the owner's chat."""

from __future__ import annotations

from typing import Protocol


class RecipientUnreachableError(Exception):
    """The person's chat refuses the bot for good (they blocked it, or deleted the account)."""

    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"chat {telegram_id} refuses the bot")
        self.telegram_id = telegram_id


class Notifier(Protocol):
    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        """Show the final result of a symptom check (after photo analysis) in the owner's chat.

        Returns once the message is sent, so the caller may record the delivery. Raises
        `RecipientUnreachableError` when the owner has blocked the bot: retrying is pointless.
        """
        ...
