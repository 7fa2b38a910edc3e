"""Composition root of the bot: Bot, Dispatcher, storage, middlewares, routers and dialogs."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.protocols import MessageManagerProtocol
from dishka import AsyncContainer
from redis.asyncio import Redis

from bot.admin_sync import sync_admin_roles
from bot.chat_locks import ChatLocks
from bot.dialog_ids import install_collision_resistant_ids
from bot.handlers.commands import build_commands_router
from bot.handlers.errors import build_errors_router
from bot.handlers.fallback import build_fallback_router
from bot.handlers.follow_ups import build_follow_ups_router
from bot.handlers.medication import build_medication_router
from bot.handlers.payments import build_payments_router
from bot.handlers.reminders import build_reminders_router
from bot.i18n import create_i18n_middleware
from bot.idle_reads import EndIdleReads
from bot.menu_commands import set_menu_commands
from bot.message_manager import StoredCopyMessageManager
from bot.middlewares import ROOT_CONTAINER, ContainerMiddleware, RegisterUserMiddleware
from bot.outbound import OutboundMiddleware
from bot.response_types import KeepResponseTypes
from bot.throttling import ThrottlingMiddleware
from core.config import OutboundSection, Settings
from dialogs import build_dialogs

DIALOG_BG_FACTORY = "dialog_bg_factory"


def create_bot(
    token: str, api_base_url: str | None = None, outbound: OutboundMiddleware | None = None
) -> Bot:
    """A Bot whose every call goes through `outbound` (flood control, pacing, blocked users);
    a default one, with nobody to mark blocked users, when none is given."""
    if api_base_url is not None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base_url))
    else:
        session = AiohttpSession()
    session.middleware(outbound if outbound is not None else OutboundMiddleware(OutboundSection()))
    session.middleware(KeepResponseTypes())
    session.middleware(EndIdleReads())
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_fsm(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis when configured (several replicas share dialogs and locks), else in-process."""
    if settings.redis_url is None:
        return MemoryStorage(), ChatLocks()
    redis = Redis.from_url(settings.redis_url)
    # aiogram-dialog keeps one FSM record per stack: the key needs the destiny part.
    key_builder = DefaultKeyBuilder(with_destiny=True)
    return (
        RedisStorage(
            redis,
            key_builder=key_builder,
            state_ttl=settings.bot.fsm_ttl_s,
            data_ttl=settings.bot.fsm_ttl_s,
        ),
        ChatLocks.over_redis(redis, key_builder),
    )


# How long a stopping bot lets the updates it is still handling finish (answers waiting for
# their chat's pace included) before cancelling them.
HANDLERS_FINISH_S = 5.0


async def finish_handlers(dispatcher: Dispatcher) -> None:
    """Let the updates being handled when polling stopped finish, then cancel what is left.

    Registered first among the shutdown hooks: after them the locales are empty and the
    database closed, so a handler still running (a reply waiting for its chat's pace) would
    meet a KeyError there and leave a traceback instead of its answer.
    """
    # aiogram keeps the polling's handler tasks here and offers no public way to wait for them.
    running = [task for task in dispatcher._handle_update_tasks if not task.done()]
    if not running:
        return
    _done, late = await asyncio.wait(running, timeout=HANDLERS_FINISH_S)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)


def create_dispatcher(
    settings: Settings,
    container: AsyncContainer,
    *,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
    message_manager: MessageManagerProtocol | None = None,
) -> Dispatcher:
    install_collision_resistant_ids()
    if storage is None or events_isolation is None:
        storage, events_isolation = create_fsm(settings)
    # The FSM middleware (which takes the per-chat lock) is registered below, after throttling.
    dp = Dispatcher(storage=storage, events_isolation=events_isolation, disable_fsm=True)
    i18n_middleware = create_i18n_middleware(settings.locales_dir)

    # Order matters: an update over its sender's budget is dropped before the chat's lock, the
    # request scope and the user row; then the request scope, the user row, the locale.
    dp[ROOT_CONTAINER] = container
    if settings.throttle.enabled:
        dp.update.outer_middleware(
            ThrottlingMiddleware(settings.throttle, container, i18n_middleware.core)
        )
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(ContainerMiddleware(container))
    dp.update.outer_middleware(RegisterUserMiddleware())
    # Before the locales' own shutdown, which empties them: see finish_handlers.
    dp.shutdown.register(finish_handlers)
    i18n_middleware.setup(dp)

    dp.include_router(build_errors_router())
    # Commands before dialogs: /start and /cancel must work inside any dialog window.
    dp.include_router(build_commands_router())
    # Payments before dialogs: a successful_payment message is not input to the open window.
    dp.include_router(build_payments_router())
    # Reminder buttons name a reminder, not a window: answered whatever dialog is open.
    dp.include_router(build_reminders_router())
    dp.include_router(build_medication_router())
    dp.include_router(build_follow_ups_router())
    dp.include_routers(*build_dialogs())
    dp.include_router(build_fallback_router())
    # Background work (the photo worker) shows windows through this factory: see bot.notifier.
    # Ours unless a test brings its own: a photo whose file_id Telegram refuses is uploaded
    # from the stored copy instead of failing the window (bot/message_manager.py).
    dp[DIALOG_BG_FACTORY] = setup_dialogs(
        dp,
        message_manager=(
            message_manager if message_manager is not None else StoredCopyMessageManager()
        ),
        events_isolation=events_isolation,
    )

    async def on_startup(bot: Bot) -> None:
        # Every process serving people starts here (sandbox, run, webapp): an id removed from
        # ADMIN_IDS loses the admin role before the first update is handled.
        await sync_admin_roles(container)
        await set_menu_commands(bot, i18n_middleware)

    dp.startup.register(on_startup)
    return dp
