"""Flood control: Telegram's message rates as token buckets, answered with 429 and retry_after.

https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this: "When sending
messages inside a particular chat, avoid sending more than one message per second. We may allow
short bursts that go over this limit, but eventually you'll begin receiving 429 errors. ... the
API will not allow more than 30 messages per second or so. ... your bot will not be able to send
more than 20 messages per minute to the same group."

Telegram answers {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after
N", "parameters": {"retry_after": N}} (e.g. github.com/tdlib/td/issues/1937 and
graph.org/So-your-bot-is-rate-limited-01-26).
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.emulator.errors import BotApiError


@dataclass(frozen=True)
class FloodRates:
    """Telegram's published rates; tests tighten them to see a 429 quickly.

    Telegram names no burst size for a private chat ("short bursts"). 20 lets one dialog step
    answer a quick run of taps (an aiogram-dialog step costs one to three calls) while a loop
    that sends to one chat still meets 429 within about 20 messages, as real bots report.
    """

    private_chat_per_second: float = 1.0
    private_chat_burst: int = 20
    group_per_minute: float = 20.0
    group_burst: int = 20
    overall_per_second: float = 30.0
    overall_burst: int = 30


class TokenBucket:
    def __init__(self, rate_per_second: float, capacity: int, now: float) -> None:
        self.rate = rate_per_second
        self.capacity = capacity
        self.tokens = float(capacity)
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.capacity), self.tokens + elapsed * self.rate)
        self.updated = now

    def wait_s(self) -> float:
        """Seconds until one whole token is there (0 when it is there now)."""
        missing = 1.0 - self.tokens
        return 0.0 if missing <= 0 else missing / self.rate


def too_many_requests(retry_after: int) -> BotApiError:
    return BotApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


class FloodControl:
    """One bucket per chat plus one for the whole bot; a message takes a token from both."""

    def __init__(
        self, rates: FloodRates | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rates = rates or FloodRates()
        self._clock = clock
        self._overall: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}

    def _chat_bucket(self, chat_id: int, now: float) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            # Private chats have positive ids; groups, supergroups and channels negative ones.
            if chat_id > 0:
                rate, burst = self.rates.private_chat_per_second, self.rates.private_chat_burst
            else:
                rate, burst = self.rates.group_per_minute / 60, self.rates.group_burst
            bucket = self._chats[chat_id] = TokenBucket(rate, burst, now)
        return bucket

    def take(self, chat_id: int) -> None:
        """Count one message to ``chat_id``, or raise 429 without counting it."""
        now = self._clock()
        if self._overall is None:
            rates = self.rates
            self._overall = TokenBucket(rates.overall_per_second, rates.overall_burst, now)
        buckets = (self._chat_bucket(chat_id, now), self._overall)
        for bucket in buckets:
            bucket.refill(now)
        wait = max(bucket.wait_s() for bucket in buckets)
        if wait > 0:
            # Telegram gives whole seconds, never 0: a client that waits that long succeeds.
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1
