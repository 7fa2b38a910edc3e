"""dishka provider of the call pages' signalling relay (webapp/miniapp/signalling).

App scope: one relay per process, shared by every socket of it. With REDIS_URL the replicas
share rooms through Redis pub/sub; without it (one webapp, the sandbox) they stay in-process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from core.config import Settings
from webapp.miniapp.signalling.redis_relay import RedisRelay
from webapp.miniapp.signalling.relay import InProcessRelay, SignalRelay


class SignallingProvider(Provider):
    @provide(scope=Scope.APP)
    async def relay(self, settings: Settings) -> AsyncIterator[SignalRelay]:
        if settings.redis_url is None:
            yield InProcessRelay()
            return
        redis = Redis.from_url(settings.redis_url)
        try:
            yield RedisRelay(redis)
        finally:
            await redis.aclose()
