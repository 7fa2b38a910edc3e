"""The long-running modes of `telemed-pet`: sandbox, run (polling) and webapp (webhook)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn
from aiogram import Bot, Dispatcher
from fastapi import FastAPI

from bot.composition import BotApp, start_bot_app
from bot.ioc_video import SandboxLinksProvider
from bot.periodic import attach_periodic_jobs, run_jobs_once
from core.config import MissingSettingError, Settings
from db.migrate import upgrade_to_head
from webapp.miniapp.pages import build_miniapp_pages_router, call_provider_origins
from webapp.miniapp.router import build_miniapp_router
from webapp.routes import health
from webapp.routes.daily_webhook import build_daily_webhook_router

if TYPE_CHECKING:
    from dishka import Provider

    from sandbox.clock import SandboxClock

logger = logging.getLogger(__name__)

# Under the working directory, beside the embedded database (var/telemed.db): the emulator's
# users, chats, messages, files and bot token, so that a restarted sandbox is the same world.
SANDBOX_DATA_DIR = Path("var") / "sandbox"
# How long a stopping server lets open requests finish before cutting them.
GRACEFUL_SHUTDOWN_S = 2
KEEP_ALIVE_S = 75  # seconds an idle connection stays open (see BackgroundServer)


class PortUnavailableError(RuntimeError):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"cannot listen on {host}:{port}; is it in use? Try --port")


@dataclass
class RunningSandbox:
    base_url: str
    token: str
    app: FastAPI
    bot: Bot
    dispatcher: Dispatcher
    server: BackgroundServer
    bot_app: BotApp
    clock: SandboxClock


def polling_update_types(dp: Dispatcher) -> list[str]:
    # pre_checkout_query is the classic missing entry: Telegram then never sends it and
    # payments time out (STACK-NOTES.md). my_chat_member has no handler either: it tells
    # bot.middlewares that a user blocked or unblocked the bot.
    return sorted(
        {
            *dp.resolve_used_update_types(),
            "pre_checkout_query",
            "callback_query",
            "my_chat_member",
        }
    )


class _UnsignalledServer(uvicorn.Server):
    """uvicorn without its own SIGINT/SIGTERM handlers: the owner of the loop handles signals.

    uvicorn would swap the process's handlers while it serves and stop itself on a signal,
    under the owner's feet (the sandbox's polling and clean-up would then wait on a dead
    emulator), and restore them only afterwards.
    """

    @contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class BackgroundServer:
    """uvicorn as a task of the current loop; whoever owns the loop decides when it stops
    (`stop()`), e.g. on Ctrl+C (run_sandbox)."""

    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        self.host = host
        self.server = _UnsignalledServer(
            # log_config=None: uvicorn's loggers go to ours (tokens redacted, bot/log_redaction)
            # instead of handlers of its own; sandbox URLs carry the bot token.
            uvicorn.Config(
                app,
                host=host,
                port=port,
                log_level="warning",
                log_config=None,
                # A tool's long poll may stay open up to 60 s (the web chat's WebSockets are
                # closed at once): on Ctrl+C requests get this long to finish, then are cut.
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
                # Clients (aiogram's pool) reuse idle connections: closing them after uvicorn's
                # default 5 s races a request sent on one just then ("Cannot write to closing
                # transport"). Telegram keeps them far longer.
                timeout_keep_alive=KEEP_ALIVE_S,
            )
        )
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Listen, and return the bound port (port 0 picks a free one)."""
        self._task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self._task.done():
                raise PortUnavailableError(self.host, self.server.config.port)
            await asyncio.sleep(0.02)
        port: int = self.server.servers[0].sockets[0].getsockname()[1]
        return port

    async def wait(self) -> None:
        """Until the server stops (Ctrl+C, or stop())."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            await self._task


def sandbox_token(settings: Settings, data_dir: Path | None) -> str:
    """BOT_TOKEN when set; else the one saved in ``data_dir`` (made and saved on first use)."""
    from sandbox.token import load_or_make_token, make_token

    if settings.bot_token is not None and settings.bot_token.get_secret_value().strip():
        return settings.bot_token.get_secret_value().strip()
    return load_or_make_token(data_dir) if data_dir is not None else make_token()


@asynccontextmanager
async def running_sandbox(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8080,
    data_dir: Path | None = None,
) -> AsyncIterator[RunningSandbox]:
    """Emulator, web chat, webapp and bot in this process, on the embedded defaults.

    With ``data_dir`` the emulator's world and token are kept there across restarts; without
    it (most tests) they live in memory only.
    """
    from sandbox.app import create_sandbox_app
    from sandbox.demo import DEMO_ADMIN

    # The demo admin is an admin in the sandbox only: added here, never to the settings file.
    assert DEMO_ADMIN.telegram_id is not None
    settings = settings.model_copy(
        update={"admin_ids": settings.admin_ids | {DEMO_ADMIN.telegram_id}}
    )
    await asyncio.to_thread(upgrade_to_head, settings.database_url)
    token = sandbox_token(settings, data_dir)
    app = create_sandbox_app(token, data_dir=data_dir)
    app.include_router(health.router)
    server = BackgroundServer(app, host, port)
    bound_port = await server.start()
    # From here on everything started is stopped again however this ends — Ctrl+C during the
    # start included: a bot left open keeps its database threads alive and the process with them.
    try:
        async with _sandbox_bot(settings, token, app, bound_port, host) as (bot_app, clock):
            yield RunningSandbox(
                f"http://{host}:{bound_port}",
                token,
                app,
                bot_app.bot,
                bot_app.dispatcher,
                server,
                bot_app,
                clock,
            )
    finally:
        await server.stop()


@asynccontextmanager
async def _sandbox_bot(
    settings: Settings, token: str, app: FastAPI, port: int, host: str
) -> AsyncIterator[tuple[BotApp, SandboxClock]]:
    """The sandbox's bot, its demo data and its jobs, polling its emulator until the block ends."""
    from sandbox.clock import SandboxClock, SandboxClockProvider
    from sandbox.demo import add_demo_people, seed_demo_admin, seed_demo_clinics, seed_demo_vets
    from sandbox.web import TELEGRAM_SCRIPT_PATH

    base_url = f"http://{host}:{port}"
    # The Join buttons open this sandbox's own Mini App, which its emulator accepts over plain
    # http on loopback (create_sandbox_app's one leniency, local_web_app_origins).
    app.state.emulator.local_web_app_origins.add(base_url)
    # The sandbox's clock can be moved forward (POST /sandbox/api/clock) to see what is due later.
    clock = SandboxClock()
    # The in-process queue (no REDIS_URL): analysis tasks run in this very event loop.
    bot_app = await start_bot_app(
        settings, token, base_url, SandboxLinksProvider(base_url), SandboxClockProvider(clock)
    )
    try:
        # The webapp's Mini App API, on the sandbox's own origin; it needs the container, so it
        # is mounted now (the emulator had to serve first: the bot's start talks to it).
        app.include_router(build_miniapp_router(bot_app.container))
        # The Mini App's page, with the sandbox's stand-in for Telegram's script (sandbox/web).
        app.include_router(
            build_miniapp_pages_router(
                TELEGRAM_SCRIPT_PATH, call_provider_origins(settings.video.provider)
            )
        )
        daily_webhook = build_daily_webhook_router(bot_app.container, settings)
        if daily_webhook is not None:
            app.include_router(daily_webhook)
        await seed_demo_clinics(bot_app.container)
        vets = await seed_demo_vets(bot_app.container)
        admin = await seed_demo_admin(bot_app.container)
        add_demo_people(app.state.emulator, vets, admin)
        bot, dp = bot_app.bot, bot_app.dispatcher
        # One process: the clock-driven booking jobs run here too (production: `scheduler`).
        attach_periodic_jobs(dp, bot_app.container, bot)
        app.state.clock = clock
        app.state.run_jobs_once = partial(run_jobs_once, dp, bot_app.container, bot)
        started = asyncio.Event()

        async def on_started() -> None:  # the last startup handler: locales, menu, jobs done
            started.set()

        dp.startup.register(on_started)
        polling = asyncio.create_task(
            dp.start_polling(
                bot,
                allowed_updates=polling_update_types(dp),
                handle_signals=False,
                close_bot_session=False,
            )
        )
        try:
            # Ready means polling: the dispatcher's startup (locales, command menu) takes a
            # while.
            await _until_started(started, polling)
            yield bot_app, clock
        finally:
            if dp._running_lock.locked():
                await dp.stop_polling()
            else:
                # Left before polling held its lock (Ctrl+C at start): nobody would stop it.
                polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
    finally:
        await bot_app.close()


async def _until_started(started: asyncio.Event, polling: asyncio.Task[None]) -> None:
    waiting = asyncio.ensure_future(started.wait())
    await asyncio.wait({waiting, polling}, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if not started.is_set():
        polling.result()  # the reason polling ended before it began
        raise RuntimeError("polling ended before it started")


async def run_sandbox(
    settings: Settings, host: str, port: int, on_ready: Callable[[], None] | None = None
) -> None:
    """`sandbox`; ``on_ready`` runs once the bot polls (the command line tunes the GC then)."""
    async with running_sandbox(settings, host, port, data_dir=SANDBOX_DATA_DIR) as sandbox:
        print(f"Telemed-Pet sandbox is running: open {sandbox.base_url} (Ctrl+C stops it)")
        if on_ready is not None:
            on_ready()
        # Our handlers, installed after uvicorn's: on Ctrl+C polling stops first, while the
        # emulator still answers, then the server; no request is cut off half-way.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()


async def run_polling(settings: Settings) -> None:
    """`run`: the bot against real Telegram (or BOT__API_BASE_URL), by long polling."""
    token = settings.require_bot_token()
    await asyncio.to_thread(upgrade_to_head, settings.database_url)
    bot_app = await start_bot_app(settings, token, settings.bot.api_base_url)
    bot, dp = bot_app.bot, bot_app.dispatcher
    attach_periodic_jobs(dp, bot_app.container, bot)  # `run` is one process, like the sandbox
    try:
        await bot.delete_webhook()
        await dp.start_polling(
            bot, allowed_updates=polling_update_types(dp), close_bot_session=False
        )
    finally:
        await bot_app.close()


async def run_webapp(settings: Settings, host: str, port: int) -> None:
    """`webapp`: the webhook endpoint (and the Mini App), one of N stateless replicas."""
    # Imported here: the sandbox mounts its own pieces and never needs these (cold start).
    from redis.asyncio import Redis

    from webapp.app import create_app
    from webapp.dedup import MemoryDeduplicator, RedisDeduplicator, UpdateDeduplicator

    token = settings.require_bot_token()
    # Every replica must accept the same secret, so it comes from configuration.
    if settings.bot.webhook_secret is None:
        raise MissingSettingError("BOT__WEBHOOK_SECRET")
    secret = settings.bot.webhook_secret.get_secret_value()
    bot_app = await start_bot_app(settings, token, settings.bot.api_base_url)
    bot, dp = bot_app.bot, bot_app.dispatcher
    dedup: UpdateDeduplicator = (
        RedisDeduplicator(Redis.from_url(settings.redis_url), bot_id=bot.id)
        if settings.redis_url
        else MemoryDeduplicator()
    )
    app = create_app(
        webhook=(settings.bot.webhook_path, dp, bot, secret, dedup),
        miniapp=bot_app.container,
        daily_webhook=build_daily_webhook_router(bot_app.container, settings),
        telegram_script_url=settings.miniapp.telegram_script_url,
        video_provider=settings.video.provider,
        webhook_max_body_bytes=settings.bot.webhook_max_body_bytes,
        serve_openapi=settings.webapp.serve_openapi,
    )
    await dp.emit_startup(bot=bot, dispatcher=dp)
    if settings.webapp_url:
        await bot.set_webhook(
            settings.webapp_url.rstrip("/") + settings.bot.webhook_path,
            secret_token=secret,
            allowed_updates=polling_update_types(dp),
        )
    else:
        logger.warning("WEBAPP_URL is not set: the webhook was not registered with Telegram")
    # log_config=None: access and error lines go through our handlers (tokens redacted).
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None))
    try:
        await server.serve()
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot_app.close()


class WorkerNeedsRedisError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "`worker` consumes the Redis queue: set REDIS_URL. (Without Redis, tasks run "
            "inside `sandbox` / `run` / `webapp` themselves.)"
        )


async def run_worker(settings: Settings, *providers: Provider) -> None:
    """`worker`: executes queued photo analyses; one process per GPU (one model copy each).

    It renders results through the same dialogs as the bot, so it builds a dispatcher too, but
    never receives updates.
    """
    # Imported here: only the worker consumes the Redis queue (the others' cold start).
    from taskiq.api import run_receiver_task

    from ai.queue import keep_reclaiming, queue_settings
    from core.ports.photo_model import PhotoModel

    if settings.redis_url is None:
        raise WorkerNeedsRedisError
    bot_app = await start_bot_app(
        settings, settings.require_bot_token(), settings.bot.api_base_url, *providers
    )
    bot, dp, broker = bot_app.bot, bot_app.dispatcher, bot_app.broker
    broker.is_worker_process = True
    # One model copy per worker process, loaded before the first task arrives.
    await bot_app.container.get(PhotoModel)
    # Loads the locales the result windows are written in (and refreshes the command menu).
    await dp.emit_startup(bot=bot, dispatcher=dp)
    reclaimer = asyncio.create_task(
        keep_reclaiming(
            broker,
            every_s=max(settings.queue.idle_timeout_s / 2, 0.5),
            retry=queue_settings(settings.queue).retry,
        )
    )
    logger.info("worker started on stream %s", settings.queue.stream)
    try:
        await run_receiver_task(
            broker,
            max_async_tasks=settings.queue.max_async_tasks,
            # Prefetch what one batch can take, so concurrent checks share forward passes.
            max_prefetch=settings.ai.max_batch,
            run_startup=False,
        )
    finally:
        reclaimer.cancel()
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot_app.close()


async def run_scheduler(settings: Settings) -> None:
    """`scheduler`: the clock-driven jobs (holds, no-shows, refunds, slots). Run exactly one."""
    bot_app = await start_bot_app(
        settings, settings.require_bot_token(), settings.bot.api_base_url
    )
    bot, dp = bot_app.bot, bot_app.dispatcher
    attach_periodic_jobs(dp, bot_app.container, bot)
    await dp.emit_startup(bot=bot, dispatcher=dp)
    logger.info("scheduler started")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot_app.close()
