"""One process's bot side, wired: container, dispatcher, bot, task broker and notifier.

Used by every mode that talks to Telegram (sandbox, run, webapp, worker), so they differ only
in how updates arrive and whether this process also executes queued tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.utils.token import extract_bot_id
from dishka import AsyncContainer, Provider
from dishka.integrations.taskiq import setup_dishka as setup_taskiq_dishka
from redis.asyncio import Redis
from taskiq import AsyncBroker

from ai.queue import create_broker, queue_settings
from bot.factory import DIALOG_BG_FACTORY, create_bot, create_dispatcher
from bot.ioc import create_container
from bot.notifier import DialogNotifier
from bot.outbound import ContainerBlockedUsers, OutboundMiddleware
from bot.pacing import shared_limiters
from core.config import Settings
from core.ports.photo_model import PhotoModel


@dataclass
class BotApp:
    bot: Bot
    dispatcher: Dispatcher
    container: AsyncContainer
    broker: AsyncBroker
    # The Redis client of the pacing shared with the bot's other processes (bot.pacing).
    pacing_redis: Redis | None = None

    async def close(self) -> None:
        await self.broker.shutdown()
        await self.bot.session.close()
        await self.container.close()
        if self.pacing_redis is not None:
            await self.pacing_redis.aclose()


async def start_bot_app(
    settings: Settings, token: str, api_base_url: str | None, *providers: Provider
) -> BotApp:
    broker = create_broker(settings.redis_url, queue_settings(settings.queue))
    notifier = DialogNotifier()
    # Every process sending as this bot paces in one budget when they share a Redis.
    pacing_redis = None if settings.redis_url is None else Redis.from_url(settings.redis_url)
    limiters = (
        None
        if pacing_redis is None
        else shared_limiters(pacing_redis, settings.outbound, bot_id=extract_bot_id(token))
    )
    outbound = OutboundMiddleware(settings.outbound, limiters=limiters)
    bot = create_bot(token, api_base_url=api_base_url, outbound=outbound)
    container = create_container(settings, *providers, broker=broker, notifier=notifier, bot=bot)
    # The container needs the bot (refunds), the outbound path needs the container (marks).
    outbound.bind(ContainerBlockedUsers(container))
    dp = create_dispatcher(settings, container)
    notifier.bind(bot, dp[DIALOG_BG_FACTORY])
    # Tasks get a request scope of this same container (sessions, interactors) per run.
    setup_taskiq_dishka(container, broker)
    await broker.startup()
    if settings.ai_model_path is not None and settings.redis_url is None:
        # This process runs the analyses itself (the in-process queue): load the model now.
        # Loading imports torch, which holds the event loop for seconds; on the first photo
        # instead, every chat of the process would freeze while it happens.
        await container.get(PhotoModel)
    return BotApp(bot, dp, container, broker, pacing_redis)
