"""dishka provider of rate limits: the attempt counters (app scope) and their settings.

With REDIS_URL every replica counts together; without it, one process's memory (the sandbox,
`run`). One instance per process, shared by the update throttle and the invite interactor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from bot.attempts import MemoryAttempts, RedisAttempts
from core.config import Settings, ThrottleSection
from core.invite_guessing import InviteGuessLimit
from core.ports.attempts import Attempts


class ThrottlingProvider(Provider):
    scope = Scope.APP

    @provide
    def section(self, settings: Settings) -> ThrottleSection:
        return settings.throttle

    invite_guessing = provide(InviteGuessLimit)

    @provide
    async def attempts(self, settings: Settings) -> AsyncIterator[Attempts]:
        if settings.redis_url is None:
            yield MemoryAttempts()
            return
        redis = Redis.from_url(settings.redis_url)
        try:
            yield RedisAttempts(redis)
        finally:
            await redis.aclose()
