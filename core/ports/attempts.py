"""Counting a person's attempts at something, shared by every replica of the bot.

Two kinds of limit use it: a rate (updates per second with a burst, `take`) and a count of
events in a window that starts with the first one (`add` / `count`: wrong invite codes, and
"at most one notice per interval"). Implementations: Redis when REDIS_URL is set, else one
process's memory (bot/attempts.py).
"""

from __future__ import annotations

from typing import Protocol


class Attempts(Protocol):
    async def take(self, key: str, rate_per_s: float, burst: int) -> bool:
        """Spend one attempt of `key`'s budget: `burst` at once, refilled at `rate_per_s`.

        True when the attempt fits the budget. A refused attempt spends nothing, so someone who
        keeps flooding still gets `rate_per_s` attempts through, and no more.
        """
        ...

    async def add(self, key: str, window_s: float) -> int:
        """Count one event of `key`; how many there have been in the current window.

        The window opens with the first event and lasts `window_s`; then counting starts
        again. `add(...) == 1` thus reads "the first time in this window".
        """
        ...

    async def count(self, key: str) -> int:
        """Events of `key` in its current window (0 when none is open)."""
        ...
