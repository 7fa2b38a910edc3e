"""Guessing an invite code (a pet's or a vet's) is hopeless: after a few wrong ones in a window,
none of that person's codes is even looked up until the window closes.

Both kinds count against one budget per person, so a guesser gains nothing by switching.
"""

from __future__ import annotations

import math

from core.config import ThrottleSection
from core.ports.attempts import Attempts
from core.sharing_errors import TooManyInviteAttemptsError


class InviteGuessLimit:
    def __init__(self, attempts: Attempts, limits: ThrottleSection) -> None:
        self._attempts = attempts
        self._limits = limits

    @staticmethod
    def key(telegram_id: int) -> str:
        return f"invite-wrong:{telegram_id}"

    async def check(self, telegram_id: int) -> None:
        """Raise TooManyInviteAttemptsError while this person's window is used up."""
        if not self._limits.enabled:
            return
        if await self._attempts.count(self.key(telegram_id)) >= self._limits.invite_attempts:
            raise self.wait()

    async def wrong(self, telegram_id: int) -> TooManyInviteAttemptsError | None:
        """Count a wrong code; the error to raise instead of "not found" when it was the last
        one allowed (the person is told to wait at once, not on the next try)."""
        if not self._limits.enabled:
            return None
        wrong = await self._attempts.add(self.key(telegram_id), self._limits.invite_window_s)
        return self.wait() if wrong >= self._limits.invite_attempts else None

    def wait(self) -> TooManyInviteAttemptsError:
        # The window opened with the first wrong code: the whole window bounds the wait.
        return TooManyInviteAttemptsError(math.ceil(self._limits.invite_window_s / 60))
