"""How background work reaches the owner's chat."""

from __future__ import annotations

from typing import Protocol


class Notifier(Protocol):
    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        """Show the final result of a symptom check (after photo analysis) in the owner's chat.

        Returns once the message is sent, so the caller may record the delivery.
        """
        ...
